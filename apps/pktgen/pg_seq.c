/* SPDX-License-Identifier: BSD-3-Clause */
/* Sequence window: see pg_seq.h. */
#include <assert.h>
#include <string.h>

#include "pg_seq.h"

#define SEQ_MASK (PG_SEQ_WINDOW - 1)

static_assert((PG_SEQ_WINDOW & SEQ_MASK) == 0, "the window is a power of two");

void
pg_seq_reset(struct pg_seq *s)
{
	memset(s, 0, sizeof(*s));
}

static inline void
cnt_inc(uint64_t *c)
{
	/* Single writer: a relaxed store lets readers see whole values. */
	__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);
}

/* Mark numbers [from, to) missing: they fall into the window's slots. */
static void
clear_range(uint64_t *bits, uint64_t from, uint64_t to)
{
	if (to - from >= PG_SEQ_WINDOW) {
		memset(bits, 0, PG_SEQ_WINDOW / 8);
		return;
	}
	while (from < to) {
		uint64_t i = from & SEQ_MASK;
		unsigned int off = (unsigned int)(i & 63);
		uint64_t n = 64 - off;
		uint64_t mask;

		if (n > to - from)
			n = to - from;
		mask = n == 64 ? ~UINT64_C(0) : ((UINT64_C(1) << n) - 1) << off;
		bits[i >> 6] &= ~mask;
		from += n;
	}
}

/* Mark @p seq in the window: a duplicate, too old to tell, or new (late on
 * its queue: reordered). */
static void
mark(struct pg_seq *s, uint64_t seq, bool late)
{
	uint64_t *word = &s->bits[(seq & SEQ_MASK) >> 6];
	uint64_t bit = UINT64_C(1) << (seq & 63);

	if (seq >= s->top) {
		/* New highest: the numbers between were not (yet) seen. */
		clear_range(s->bits, s->top, seq);
		*word |= bit;
		s->top = seq + 1;
	} else if (s->top - seq > PG_SEQ_WINDOW) {
		cnt_inc(&s->reordered);
		cnt_inc(&s->late);
		return;
	} else if (*word & bit) {
		cnt_inc(&s->dup);
		return;
	} else {
		*word |= bit;
	}
	if (late)
		cnt_inc(&s->reordered);
}

void
pg_seq_account_slow(struct pg_seq *s, uint64_t seq)
{
	bool late = seq < s->qtop;

	cnt_inc(&s->rx);
	if (!late)
		s->qtop = seq + 1;
	mark(s, seq, late);
}

void
pg_seq_merge(struct pg_seq *s, uint64_t seq, bool late)
{
	mark(s, seq, late);
}
