/*
 * Fuzz target: a draft for 查重. The bytes go through sc_check_draft (as a
 * .txt upload would), then the matcher and the report over a tiny fixed
 * index (built once: paragraphs that recur, one not one for one, a paid
 * range, a character beyond U+FFFF), the JSON and the .docx report, and a
 * comparison of the draft's two halves with each other.
 */
#include "check/check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct sc_snap *SNAP;

static void build_once(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    char dir[] = "/tmp/sucai-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        return;
    struct sc_segbuild *sb;
    if (sc_segbuild_new(&sb) != SC_OK)
        return;
    static const char *texts[] = {
        "标题一\n深化商事制度改革，企业开办时间压缩至1个工作日。\n依法行政，ＧＤＰ增长5%。",
        "标题二\n政 府 服务仍有差距\xe2\x80\x8b，深化商事制度改革，企业开办。\n𠮷字在这里，依法行政。",
        "标题三\n一、总体要求\n坚持以人民为中心的发展思想，深化商事制度改革。",
    };
    for (size_t i = 0; i < 3; i++) {
        struct sc_doc d;
        memset(&d, 0, sizeof d);
        d.id = (int64_t)i + 1;
        d.title = (char *)"标题";
        d.text = (char *)texts[i];
        d.text_len = strlen(texts[i]);
        d.paid_from_cp = i == 1 ? 10 : -1;
        d.paid_to_cp = -1;
        sc_segbuild_add(sb, &d, NULL);
    }
    char path[64];
    snprintf(path, sizeof path, "%s/seg.sx", dir);
    struct sc_seg *seg = NULL;
    if (sc_segbuild_write(sb, path, NULL) == SC_OK && sc_seg_open(path, &seg, NULL) == SC_OK)
        sc_snap_new(&seg, 1, &SNAP);
    sc_segbuild_free(sb);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    build_once();
    struct sc_buf text = SC_BUF_INIT;
    if (sc_check_draft("draft.txt", data, size, &text, NULL) != SC_OK || !SNAP) {
        sc_buf_release(&text);
        return 0;
    }
    /* the first byte picks the options */
    struct sc_check_opts o = { 5 + (size ? data[0] % 12 : 8), 1 + (size > 1 ? data[1] % 3 : 0), 3,
                               size > 2 && (data[2] & 1), NULL };
    struct ck_draft d;
    if (ck_draft_init(&d, text.data, text.len) == SC_OK) {
        struct ck_matches m;
        struct sc_check_result r;
        memset(&r, 0, sizeof r);
        uint8_t *found = o.entitled ? NULL : calloc(SNAP->ndocs ? SNAP->ndocs : 1, 1);
        if (ck_find(SNAP, &d, o.min, CK_PIECES, !o.entitled, found, &m, NULL) == SC_OK &&
            (!found || ck_paid_only(SNAP, found, &r) == SC_OK) &&
            ck_report(SNAP, &d, &m, &o, &r, NULL) == SC_OK) {
            struct sc_buf b = SC_BUF_INIT;
            struct sc_jw w;
            sc_jw_init(&w, &b);
            sc_check_json(&w, text.data, text.len, &r, &o, SC_CHECK_JSON_TEXT);
            sc_buf_reset(&b);
            sc_check_docx(text.data, text.len, &r, "稿件", &b, NULL);
            sc_buf_release(&b);
        }
        free(found);
        sc_check_result_release(&r);
        ck_matches_release(&m);
        ck_draft_release(&d);
    }
    size_t half = sc_utf8_offset(text.data, text.len, sc_utf8_count(text.data, text.len) / 2);
    struct sc_check_result a, b;
    if (sc_check_compare(text.data, half, text.data + half, text.len - half, &o, "甲", "乙", &a, &b,
                         NULL) == SC_OK) {
        sc_check_result_release(&a);
        sc_check_result_release(&b);
    }
    sc_buf_release(&text);
    return 0;
}
