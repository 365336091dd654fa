/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive-side sequence accounting for one stream: duplicates, reordering
 * and, with the sender's count, loss.
 *
 * A bitmap remembers which of the last PG_SEQ_WINDOW sequence numbers below
 * the highest one seen have arrived.  A packet numbered:
 *   - above the highest: new; the numbers skipped are marked missing;
 *   - inside the window, missing: late but new, counted as reordered;
 *   - inside the window, already seen: a duplicate (not a reorder);
 *   - below the window: too old to tell; counted as reordered and "late".
 * Unique packets are received minus duplicates, so a duplicate can no
 * longer stand in for a lost packet: lost = accepted by TX - unique.
 *
 * Reordering is judged per receiving queue (qtop): packets of one sequence
 * that a device spreads over several RX queues have no order between the
 * queues, only within each.  Duplicates are judged against everything the
 * window saw, from any queue: with several receivers (--cores) one of them
 * owns the window and the others hand it what they received
 * (pg_seq_merge), so a copy is a duplicate whichever queue it comes on.
 *
 * Single writer (the owning lcore); readers load the counters relaxed.
 */
#ifndef PG_SEQ_H
#define PG_SEQ_H

#include <stdbool.h>
#include <stdint.h>

#define PG_SEQ_WINDOW 65536u /* sequence numbers remembered, power of two */

struct pg_seq {
	uint64_t rx;         /* packets of the stream received, duplicates included */
	uint64_t dup;        /* copies of a packet already received */
	uint64_t reordered;  /* arrived after a higher-numbered one, first copy */
	uint64_t late;       /* of reordered: too old for the window (cannot tell dups) */
	uint64_t top;        /* highest sequence number in the window + 1 (0: none yet) */
	uint64_t qtop;       /* highest received on this receiver's queue + 1 */
	uint64_t bits[PG_SEQ_WINDOW / 64];
};

/** Empty @p s. */
void pg_seq_reset(struct pg_seq *s);

/** @internal Every case but the next number in order. */
void pg_seq_account_slow(struct pg_seq *s, uint64_t seq);

/**
 * Account packet number @p seq, received on the window owner's own queue;
 * single writer.
 */
static inline void
pg_seq_account(struct pg_seq *s, uint64_t seq)
{
	if (__builtin_expect(seq == s->top, 1)) {
		/* In order: set its slot (whatever an older number left there).
		 * The owner's queue never runs ahead of the window (qtop <= top),
		 * so it is in order on the queue too. */
		s->bits[(seq & (PG_SEQ_WINDOW - 1)) >> 6] |= UINT64_C(1) << (seq & 63);
		s->top = seq + 1;
		s->qtop = seq + 1;
		__atomic_store_n(&s->rx, s->rx + 1, __ATOMIC_RELAXED);
		return;
	}
	pg_seq_account_slow(s, seq);
}

/**
 * Note packet number @p seq received on another receiver's queue: counts it
 * in @p s's rx and returns whether it came after a higher number on that
 * queue (the flag pg_seq_merge() wants).  @p s is that receiver's state of
 * the sequence (single writer: that receiver), not the owner's window.
 */
static inline bool
pg_seq_note(struct pg_seq *s, uint64_t seq)
{
	bool late = seq < s->qtop;

	if (!late)
		s->qtop = seq + 1;
	__atomic_store_n(&s->rx, s->rx + 1, __ATOMIC_RELAXED);
	return late;
}

/**
 * The window owner's part for a packet another receiver noted
 * (pg_seq_note(), which counted it in rx): a duplicate when the window
 * has seen @p seq, else reordered when @p late on its queue.  Single
 * writer (the owner).
 */
void pg_seq_merge(struct pg_seq *s, uint64_t seq, bool late);

/** Distinct packets received (rx - dup). */
static inline uint64_t
pg_seq_unique(const struct pg_seq *s)
{
	return __atomic_load_n(&s->rx, __ATOMIC_RELAXED) - __atomic_load_n(&s->dup, __ATOMIC_RELAXED);
}

/** Packets lost when the sender's port accepted @p sent of them. */
static inline uint64_t
pg_seq_lost(const struct pg_seq *s, uint64_t sent)
{
	uint64_t u = pg_seq_unique(s);

	return sent > u ? sent - u : 0;
}

#endif /* PG_SEQ_H */
