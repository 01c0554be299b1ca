// See CKernels.h. Compiled as three clones; the loader's resolver picks one (GNU ifunc).
#include "CKernels.h"

// No contraction of a * b + c into one rounding: every clone rounds as the scalar code does.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__clang__)
#define WIDTHS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDTHS
#endif

WIDTHS
void ck_sum_active_columns(double *restrict d, const double *columns, const ptrdiff_t *active, ptrdiff_t count,
                           const double *r, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) d[i] = 0;
    ptrdiff_t q = 0;
    for (; q + 8 <= count; q += 8) {
        const double *restrict c0 = columns + active[q] * n, *restrict c1 = columns + active[q + 1] * n;
        const double *restrict c2 = columns + active[q + 2] * n, *restrict c3 = columns + active[q + 3] * n;
        const double *restrict c4 = columns + active[q + 4] * n, *restrict c5 = columns + active[q + 5] * n;
        const double *restrict c6 = columns + active[q + 6] * n, *restrict c7 = columns + active[q + 7] * n;
        const double r0 = r[active[q]], r1 = r[active[q + 1]], r2 = r[active[q + 2]], r3 = r[active[q + 3]];
        const double r4 = r[active[q + 4]], r5 = r[active[q + 5]], r6 = r[active[q + 6]], r7 = r[active[q + 7]];
        for (ptrdiff_t i = 0; i < n; i++) {
            const double low = (c0[i] * r0 + c1[i] * r1) + (c2[i] * r2 + c3[i] * r3);
            const double high = (c4[i] * r4 + c5[i] * r5) + (c6[i] * r6 + c7[i] * r7);
            d[i] += low + high;
        }
    }
    for (; q + 4 <= count; q += 4) {
        const double *restrict c0 = columns + active[q] * n, *restrict c1 = columns + active[q + 1] * n;
        const double *restrict c2 = columns + active[q + 2] * n, *restrict c3 = columns + active[q + 3] * n;
        const double r0 = r[active[q]], r1 = r[active[q + 1]], r2 = r[active[q + 2]], r3 = r[active[q + 3]];
        for (ptrdiff_t i = 0; i < n; i++) d[i] += (c0[i] * r0 + c1[i] * r1) + (c2[i] * r2 + c3[i] * r3);
    }
    for (; q < count; q++) {
        const double *restrict c = columns + active[q] * n;
        const double rq = r[active[q]];
        for (ptrdiff_t i = 0; i < n; i++) d[i] += c[i] * rq;
    }
}
