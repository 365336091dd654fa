/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A log-bucketed latency histogram in the manner of HdrHistogram (Gil Tene):
 * values below 256 are counted exactly; above, each power of two is split
 * into 128 equal sub-buckets, so any recorded value is known to within
 * 1/128 (< 0.8 %) of itself: two significant decimal digits.  Recording is
 * a count-leading-zeros, a shift and an increment, with no division, so it
 * can run per packet.  Values from 0 to PG_HIST_MAX (2^40, about 18 minutes
 * in nanoseconds) are kept; larger ones are clamped and counted in the top
 * bucket, and max still holds the true largest value.
 *
 * Concurrency: one writer (the lcore that records) and any number of
 * readers that take snapshots with pg_hist_copy(); counts are stored with
 * relaxed atomic stores, so a reader sees each count whole, though not all
 * counts from the same instant.
 */
#ifndef PG_HIST_H
#define PG_HIST_H

#include <stdint.h>

#define PG_HIST_SUB_BITS 7                             /* 128 sub-buckets per power of two */
#define PG_HIST_SUB_HALF (1u << PG_HIST_SUB_BITS)      /* 128 */
#define PG_HIST_MAX_BITS 40
#define PG_HIST_MAX ((UINT64_C(1) << PG_HIST_MAX_BITS) - 1)
/* Buckets 0..(MAX_BITS - SUB_BITS - 1), the first holding 256 slots. */
#define PG_HIST_BUCKETS (PG_HIST_MAX_BITS - PG_HIST_SUB_BITS)
#define PG_HIST_SLOTS ((PG_HIST_BUCKETS + 1) * PG_HIST_SUB_HALF)

struct pg_hist {
	uint64_t total;   /* values recorded */
	uint64_t sum;     /* of the values (unclamped), for the mean */
	uint64_t min, max;
	uint64_t counts[PG_HIST_SLOTS];
};

/** Empty @p h. */
void pg_hist_reset(struct pg_hist *h);

/** Slot that counts value @p v (clamped to PG_HIST_MAX). */
static inline unsigned int
pg_hist_slot(uint64_t v)
{
	unsigned int b;

	if (v > PG_HIST_MAX)
		v = PG_HIST_MAX;
	/* Bucket b holds [128 << b, 256 << b) in steps of 1 << b (b >= 1);
	 * bucket 0 holds [0, 256) in steps of 1. */
	b = (unsigned int)(63 - __builtin_clzll(v | (2 * PG_HIST_SUB_HALF - 1))) - PG_HIST_SUB_BITS;
	return ((b + 1) << PG_HIST_SUB_BITS) + (unsigned int)(v >> b) - PG_HIST_SUB_HALF;
}

/** Record value @p v; single writer. */
static inline void
pg_hist_record(struct pg_hist *h, uint64_t v)
{
	unsigned int s = pg_hist_slot(v);

	__atomic_store_n(&h->counts[s], h->counts[s] + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&h->sum, h->sum + v, __ATOMIC_RELAXED);
	if (v < h->min)
		__atomic_store_n(&h->min, v, __ATOMIC_RELAXED);
	if (v > h->max)
		__atomic_store_n(&h->max, v, __ATOMIC_RELAXED);
	/* total last: a reader that sees it sees (most of) the counts. */
	__atomic_store_n(&h->total, h->total + 1, __ATOMIC_RELAXED);
}

/** Smallest value counted in slot @p s. */
uint64_t pg_hist_slot_low(unsigned int s);
/** Largest value counted in slot @p s. */
uint64_t pg_hist_slot_high(unsigned int s);

/** Snapshot @p src into @p dst (may run while the writer records). */
void pg_hist_copy(struct pg_hist *dst, const struct pg_hist *src);

/** @p dst = @p a - @p b, counts only (min/max/sum of the difference
 *  are estimated from the slots); @p b must be an earlier snapshot of @p a. */
void pg_hist_sub(struct pg_hist *dst, const struct pg_hist *a, const struct pg_hist *b);

/** Add @p src into @p dst. */
void pg_hist_add(struct pg_hist *dst, const struct pg_hist *src);

/**
 * Value at percentile @p p (0 < p <= 100): the largest value equivalent to
 * the slot holding the ceil(p/100 * total)-th smallest value, but never
 * more than max nor less than min.  0 when the histogram is empty.
 */
uint64_t pg_hist_percentile(const struct pg_hist *h, double p);

/** Mean of the recorded values, 0 when empty. */
double pg_hist_mean(const struct pg_hist *h);

#endif /* PG_HIST_H */
