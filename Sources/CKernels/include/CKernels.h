// Hot loops of the simulation core written in C, so that each is compiled once per vector
// width (AVX-512, AVX2, baseline SSE2) and the widest one the CPU has is picked at load time;
// Swift compiles for the baseline x86-64 only. Every kernel does the same operations in the
// same order at every width (no fused multiply-add, no reassociation), so the results are the
// same bits on every CPU.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// d[i] = Σ_q J[i, a_q] r[a_q] over the `count` column indices `active` of the column-major
/// n × n matrix `columns`: the columns are taken eight at a time (then four, then one), and
/// each group's products are summed as ((c0 r0 + c1 r1) + (c2 r2 + c3 r3)) + ((c4 r4 + c5 r5)
/// + (c6 r6 + c7 r7)) before they are added to d[i]. `d` is overwritten.
void ck_sum_active_columns(double *restrict d, const double *columns, const ptrdiff_t *active, ptrdiff_t count,
                           const double *r, ptrdiff_t n);

#endif
