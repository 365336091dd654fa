/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transmit pacing on the TSC.  Packet k of a stream is due at
 * start + k * period; the sender takes, at each poll, the packets due by
 * now (at most a burst).  When the poll loop is faster than the period
 * (most rates) that is one packet, sent alone at its time: the pacing
 * happens packet by packet, not burst by burst.  The period is kept in
 * 32.32 fixed point so that any rate is exact over time without a
 * division per packet.
 *
 * After a stall (the lcore preempted, a full TX ring), the sender owes
 * many packets.  Sending them all at once is a microburst the user never
 * asked for, so the debt is capped: at most @c cap packets are sent late
 * back to back, and the slots beyond the cap are skipped (counted, never
 * sent).  cap = 0 keeps the whole debt (exact counts, bursty catch-up).
 */
#ifndef PG_SCHED_H
#define PG_SCHED_H

#include <stdint.h>

struct pg_sched {
	unsigned __int128 due;   /* TSC of the next packet, 32.32 fixed point */
	uint64_t period;         /* TSC cycles per packet, 32.32 fixed point */
	uint64_t cap_cyc;        /* debt allowed, in cycles; 0 = unlimited */
	uint64_t skipped;        /* slots dropped by the cap */
};

/** Pace at @p pps (> 0) on a @p hz TSC from @p now; debt capped at @p cap packets. */
static inline void
pg_sched_init(struct pg_sched *s, uint64_t now, double pps, uint64_t hz, uint64_t cap)
{
	double period = (double)hz / pps * 4294967296.0;

	s->period = period >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)period;
	if (s->period == 0)
		s->period = 1;
	s->due = (unsigned __int128)now << 32;
	s->cap_cyc = (uint64_t)(((unsigned __int128)cap * s->period) >> 32);
	if (cap && s->cap_cyc == 0)
		s->cap_cyc = 1;
	s->skipped = 0;
}

/** Take up to @p max packets due at @p now; returns how many. */
static inline uint16_t
pg_sched_take(struct pg_sched *s, uint64_t now, uint16_t max)
{
	uint64_t due = (uint64_t)(s->due >> 32);
	uint16_t n = 0;

	if (s->cap_cyc && now > due && now - due > s->cap_cyc) {
		/* Cold path (after a stall): forgive the debt beyond the cap. */
		unsigned __int128 owed = ((unsigned __int128)(now - due - s->cap_cyc) << 32) / s->period;

		s->skipped += (uint64_t)owed;
		s->due += owed * s->period;
	}
	while (n < max && (uint64_t)(s->due >> 32) <= now) {
		n++;
		s->due += s->period;
	}
	return n;
}

#endif /* PG_SCHED_H */
