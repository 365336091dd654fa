/* SPDX-License-Identifier: BSD-3-Clause */
/* Log-bucketed histogram: see pg_hist.h. */
#include <math.h>
#include <string.h>

#include "pg_hist.h"

static uint64_t
hist_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t
hist_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

void
pg_hist_reset(struct pg_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

uint64_t
pg_hist_slot_low(unsigned int s)
{
	unsigned int b = s >> PG_HIST_SUB_BITS;

	if (b == 0)
		return s;
	b--;
	return (uint64_t)((s & (PG_HIST_SUB_HALF - 1)) + PG_HIST_SUB_HALF) << b;
}

uint64_t
pg_hist_slot_high(unsigned int s)
{
	unsigned int b = s >> PG_HIST_SUB_BITS;

	if (b == 0)
		return s;
	return pg_hist_slot_low(s) + (UINT64_C(1) << (b - 1)) - 1;
}

void
pg_hist_copy(struct pg_hist *dst, const struct pg_hist *src)
{
	dst->total = __atomic_load_n(&src->total, __ATOMIC_RELAXED);
	dst->sum = __atomic_load_n(&src->sum, __ATOMIC_RELAXED);
	dst->min = __atomic_load_n(&src->min, __ATOMIC_RELAXED);
	dst->max = __atomic_load_n(&src->max, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < PG_HIST_SLOTS; i++)
		dst->counts[i] = __atomic_load_n(&src->counts[i], __ATOMIC_RELAXED);
}

void
pg_hist_sub(struct pg_hist *dst, const struct pg_hist *a, const struct pg_hist *b)
{
	unsigned int lo = PG_HIST_SLOTS, hi = 0;

	dst->total = 0;
	dst->sum = a->sum - b->sum;
	for (unsigned int i = 0; i < PG_HIST_SLOTS; i++) {
		/* A snapshot taken while recording may hold a count newer than
		 * its total; never let a difference go negative. */
		dst->counts[i] = a->counts[i] >= b->counts[i] ? a->counts[i] - b->counts[i] : 0;
		dst->total += dst->counts[i];
		if (dst->counts[i]) {
			if (lo == PG_HIST_SLOTS)
				lo = i;
			hi = i;
		}
	}
	dst->min = lo == PG_HIST_SLOTS ? UINT64_MAX : hist_max(pg_hist_slot_low(lo), a->min);
	dst->max = lo == PG_HIST_SLOTS ? 0 : hist_min(pg_hist_slot_high(hi), a->max);
}

void
pg_hist_add(struct pg_hist *dst, const struct pg_hist *src)
{
	dst->total += src->total;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (unsigned int i = 0; i < PG_HIST_SLOTS; i++)
		dst->counts[i] += src->counts[i];
}

uint64_t
pg_hist_percentile(const struct pg_hist *h, double p)
{
	uint64_t want, seen = 0, total = 0;

	for (unsigned int i = 0; i < PG_HIST_SLOTS; i++)
		total += h->counts[i];
	if (total == 0)
		return 0;
	if (p > 100)
		p = 100;
	want = (uint64_t)ceil(p / 100.0 * (double)total);
	if (want == 0)
		want = 1;
	for (unsigned int i = 0; i < PG_HIST_SLOTS; i++) {
		seen += h->counts[i];
		if (seen >= want) {
			uint64_t v = pg_hist_slot_high(i);

			if (v > h->max)
				v = h->max;
			if (v < h->min)
				v = h->min;
			return v;
		}
	}
	return h->max;
}

double
pg_hist_mean(const struct pg_hist *h)
{
	return h->total ? (double)h->sum / (double)h->total : 0.0;
}
