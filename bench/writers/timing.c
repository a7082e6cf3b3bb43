/*
 * timing: the time of sc_proof_run and sc_mask_run on 5,000-character
 * drafts, in process (no start-up, data indexed once before timing).
 *   timing REPEAT FILE...   prints the median and the maximum of the
 *                           per-draft medians, in milliseconds
 */
#include "sucai/sucai.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_d);
    return n ? v[n / 2] : 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: timing REPEAT FILE...\n");
        return 2;
    }
    int rep = atoi(argv[1]);
    size_t nf = (size_t)(argc - 2);
    double *pm = calloc(nf, sizeof *pm), *mm = calloc(nf, sizeof *mm);
    double *t = calloc((size_t)rep, sizeof *t);
    size_t chars = 0;
    for (size_t f = 0; f < nf; f++) {
        char *data;
        size_t len;
        if (sc_read_file(argv[f + 2], 64u << 20, &data, &len, NULL) != SC_OK)
            return 1;
        len = sc_utf8_offset(data, len, 5000);
        chars += sc_utf8_count(data, len);
        struct sc_proof_result pr;
        struct sc_mask_result mr;
        sc_proof_run(data, len, NULL, &pr, NULL); /* warm: the lists indexed once */
        sc_proof_result_release(&pr);
        sc_mask_run(data, len, NULL, &mr, NULL);
        sc_mask_result_release(&mr);
        for (int r = 0; r < rep; r++) {
            double a = now_ms();
            sc_proof_run(data, len, NULL, &pr, NULL);
            t[r] = now_ms() - a;
            sc_proof_result_release(&pr);
        }
        pm[f] = median(t, (size_t)rep);
        for (int r = 0; r < rep; r++) {
            double a = now_ms();
            sc_mask_run(data, len, NULL, &mr, NULL);
            t[r] = now_ms() - a;
            sc_mask_result_release(&mr);
        }
        mm[f] = median(t, (size_t)rep);
        free(data);
    }
    printf("drafts: %zu, %.0f characters each on average\n", nf, (double)chars / (double)nf);
    double pmax = 0, mmax = 0;
    for (size_t f = 0; f < nf; f++) {
        pmax = pm[f] > pmax ? pm[f] : pmax;
        mmax = mm[f] > mmax ? mm[f] : mmax;
    }
    printf("proof (all rules): median %.2f ms, max %.2f ms per draft\n", median(pm, nf), pmax);
    printf("mask (default kinds): median %.2f ms, max %.2f ms per draft\n", median(mm, nf), mmax);
    free(pm);
    free(mm);
    free(t);
    return 0;
}
