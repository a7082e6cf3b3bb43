/*
 * Fuzz target: what a writer types into the quick-find box, against a
 * small fixed structure (lib/search/quickfind.c): any bytes, any length.
 */
#include "sucai/quickfind.h"

#include <stdlib.h>
#include <string.h>

static struct sc_quickfind *QF;
static struct sc_qf_entry E[4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!QF) {
        static const char *t[] = { "国务院关于加强监管的意见", "XX县2023年安全生产工作总结",
                                   "关于印发乡村振兴实施方案的通知", "A" };
        static const char *d[] = { "国发〔2019〕5号", "", "X政办发〔2023〕12号", "令第1号" };
        for (int i = 0; i < 4; i++)
            E[i] = (struct sc_qf_entry){ i + 1,          sc_str_c(t[i]),
                                         sc_str_c(d[i]), sc_str_c("XX县"),
                                         sc_str_c(""),   2023,
                                         20230101 + i };
        if (sc_quickfind_new(E, 4, &QF, NULL) != SC_OK)
            abort();
    }
    struct sc_qf_hit h[SC_QF_LIMIT_MAX];
    size_t n = 0;
    sc_quickfind_query(QF, (const char *)data, size, size % (SC_QF_LIMIT_MAX + 1), h, &n, NULL);
    for (size_t i = 0; i < n; i++)
        if (h[i].entry >= 4)
            abort();
    return 0;
}
