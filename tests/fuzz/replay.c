/*
 * Corpus replay for the libFuzzer targets, without libFuzzer: feeds every
 * file named on the command line, and every file inside the folders named
 * (recursively, in sorted order), to LLVMFuzzerTestOneInput once. `make
 * check` links each tests/fuzz/fuzz_<name>.c with this file and replays
 * tests/fuzz/corpus/fuzz_<name>/ under gcc and the sanitizers, the way
 * SQLite's fuzzcheck replays its corpus.
 *
 * Usage: replay_fuzz_x PATH...    prints "replayed N inputs", exits 0
 * (a crash or sanitizer report is the failure).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define REPLAY_MAX_INPUT (64u * 1024 * 1024)

static size_t replayed;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= REPLAY_MAX_INPUT) {
                fprintf(stderr, "replay: %s is over %u bytes, skipped\n", path, REPLAY_MAX_INPUT);
                free(buf);
                fclose(f);
                return 0;
            }
            uint8_t *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = p, cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: read error on %s\n", path);
        free(buf);
        return -1;
    }
    /* Hand over an exact-size copy so ASan catches reads past the end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist, skipped\n", path);
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) ? run_file(path) : 0;
    if (depth > 16)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **p = realloc(names, nc * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            names = p, cap = nc;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = -1;
            break;
        }
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && run_path(names[i], depth + 1) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], 0) != 0)
            rc = 1;
    printf("replayed %zu inputs\n", replayed);
    return rc;
}
