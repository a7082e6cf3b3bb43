/*
 * Internals shared by the segment writer (seg_write.c), the merge
 * (seg_merge.c) and the reader (segment.c): the file header, the list
 * encoders and the file writer. Not a public interface.
 */
#ifndef SC_SEARCH_SEG_INT_H
#define SC_SEARCH_SEG_INT_H

#include "search/segment.h"

struct sc_seg_header {
    char magic[8];
    uint32_t version, ndocs;
    uint64_t npairs;
    uint64_t off_post, len_post, off_dict, off_docs, len_docs, off_docidx;
    uint64_t total_norm, total_para, file_size;
    uint64_t off_text, len_text;
    uint64_t nchars, off_cdict;
};

/* Scratch of one list encoder. */
struct sc_lenc {
    struct sc_bitw ds, ps, sk;
};

/* The character lists being written: the lists and their dictionary. */
struct sc_clists {
    struct sc_bitw post;
    struct sc_dentry *dict;
    size_t n, cap;
};

/* The text section to write: the output's width and escapes, the start of
 * each document's codes, and the codes as runs taken from the builder or
 * from merged segments (each run with the width and escapes it is coded
 * in; a run coded differently from the output is recoded on the way). */
struct sc_text_run {
    const uint8_t *codes;
    uint64_t n;
    uint32_t width, nesc;
    const uint32_t *esc;
};

struct sc_text_out {
    uint32_t width, nesc;
    const uint32_t *esc;
    const uint64_t *start; /* ndocs + 1 */
    const struct sc_text_run *run;
    size_t nrun;
};

void sc_lenc_release(struct sc_lenc *l);
/* Encode the pair list of records rec[0..n) (doc << 32 | position,
 * sorted) and append it to out; *ndocs receives its document count. */
int sc_encode_list(struct sc_lenc *l, const uint64_t *rec, size_t n, struct sc_bitw *out,
                   uint32_t *ndocs);
/* Encode a character list: documents docs[0..n) (ascending) with counts
 * tf[docs[i]], no positions; appended to out. */
int sc_encode_doclist(struct sc_lenc *l, const uint32_t *docs, const uint32_t *tf, size_t n,
                      struct sc_bitw *out);
void sc_clists_release(struct sc_clists *cl);
/* Append the list of character cp (documents docs[0..n), counts tf[doc]). */
int sc_clists_add(struct sc_clists *cl, struct sc_lenc *l, uint32_t cp, const uint32_t *docs,
                  const uint32_t *tf, size_t n);
/* Write a segment file: header, postings (post[0..npost), of which the
 * pair lists' dictionary is dict[0..nd) and the character lists' cdict[0..nc)),
 * padding, dictionaries, document tables and their offsets, the text
 * store; via path.tmp, fsync (when durable) and rename. */
enum sc_err sc_seg_write_file(const char *path, const struct sc_bitw *post, size_t npost,
                              const struct sc_dentry *dict, size_t nd,
                              const struct sc_dentry *cdict, size_t nc, const uint8_t *docs,
                              size_t docs_len, const uint64_t *docoff, uint32_t ndocs,
                              uint64_t total_norm, uint64_t total_para,
                              const struct sc_text_out *tx, int durable, struct sc_diag *diag);
/* Sort (key, value) pairs by key (stable): LSD radix sort, 16 bits a pass
 * over the low bits bits; tkey/tval have room for n pairs. */
void sc_radix_sort_kv(uint64_t *key, uint32_t *val, uint64_t *tkey, uint32_t *tval, size_t n,
                      unsigned bits);

#endif
