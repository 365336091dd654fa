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
 * many packets.  Dropping the debt makes the rate fall short on a shared
 * core; sending it all at once is a microburst the user never asked for.
 * So the debt is repaid under a second, faster token bucket (the way a
 * two-rate shaper bounds its peak):
 *   - at most @c burst late packets go out back to back;
 *   - the rest of the debt goes out at @c peak times the rate, still
 *     packet by packet, until the sender is back on schedule;
 *   - slots more than @c skip late are skipped (counted, never sent): a
 *     stopped process does not owe minutes of traffic.
 * On schedule the peak bucket stays full and changes nothing.  burst = 0
 * keeps the whole debt and sends it as fast as it can (exact counts,
 * bursty catch-up).
 *
 * A deadline (@c until) ends the schedule: no slot due after it is taken,
 * but those due before it still are, after it, under the same rules, so a
 * stall just before the deadline is repaid like one in the middle.
 */
#ifndef PG_SCHED_H
#define PG_SCHED_H

#include <stdint.h>

#include "sl_common.h"

struct pg_sched {
	unsigned __int128 due;      /* TSC of the next packet, 32.32 fixed point */
	unsigned __int128 peak_due; /* the next packet may not leave before, 32.32 */
	uint64_t period;            /* TSC cycles per packet, 32.32 fixed point */
	uint64_t peak_period;       /* at the catch-up peak, 32.32; 0 = no peak */
	unsigned __int128 depth;    /* (burst - 1) peak periods, 32.32 */
	uint64_t skip_cyc;          /* slots later than this are skipped; 0 = never */
	uint64_t skipped;           /* slots dropped for being too late */
	uint64_t until;             /* no slot due after this TSC is taken */
};

static inline uint64_t
pg_sched_fix(double cycles)
{
	double v = cycles * 4294967296.0;

	if (v >= 18446744073709551615.0)
		return UINT64_MAX;
	return v < 1 ? 1 : (uint64_t)v;
}

/**
 * Pace at @p pps (> 0) on a @p hz TSC from @p now.  After a stall at most
 * @p burst late packets leave back to back, the rest at @p peak (> 1)
 * times @p pps, and slots later than @p skip_ns (0: never) are skipped.
 * @p burst = 0: catch up fully at any speed, skip nothing.
 */
static inline void
pg_sched_init(struct pg_sched *s, uint64_t now, double pps, uint64_t hz, uint64_t burst,
	      double peak, uint64_t skip_ns)
{
	s->period = pg_sched_fix((double)hz / pps);
	s->due = (unsigned __int128)now << 32;
	s->peak_due = s->due;
	s->peak_period = burst ? pg_sched_fix((double)hz / (pps * peak)) : 0;
	s->depth = burst ? (unsigned __int128)(burst - 1) * s->peak_period : 0;
	s->skip_cyc = burst && skip_ns ? (uint64_t)((double)skip_ns * (double)hz / 1e9) : 0;
	if (burst && skip_ns && s->skip_cyc == 0)
		s->skip_cyc = 1;
	s->skipped = 0;
	s->until = UINT64_MAX;
}

/** Take up to @p max packets due at @p now (and by s->until); returns how many. */
static inline uint16_t
pg_sched_take(struct pg_sched *s, uint64_t now, uint16_t max)
{
	const unsigned __int128 now_fx = (unsigned __int128)now << 32;
	const uint64_t lim = now < s->until ? now : s->until; /* slots due by then */
	uint64_t due = (uint64_t)(s->due >> 32);
	uint16_t n = 0;

	if (s->skip_cyc && now > due && now - due > s->skip_cyc && lim > due) {
		/* Cold path (after a long stall): forgive the slots beyond skip
		 * (none after the deadline: they are not the schedule's). */
		uint64_t to = SL_MIN(now - s->skip_cyc, lim);
		unsigned __int128 owed = ((unsigned __int128)(to - due) << 32) / s->period;

		s->skipped += (uint64_t)owed;
		s->due += owed * s->period;
	}
	if (s->peak_period) {
		/* The peak bucket holds at most burst packets: an idle peak
		 * clock comes forward to now - (burst - 1) peak periods. */
		if (now_fx > s->depth && s->peak_due < now_fx - s->depth)
			s->peak_due = now_fx - s->depth;
		while (n < max && (uint64_t)(s->due >> 32) <= lim &&
		       (uint64_t)(s->peak_due >> 32) <= now) {
			n++;
			s->due += s->period;
			s->peak_due += s->peak_period;
		}
		return n;
	}
	while (n < max && (uint64_t)(s->due >> 32) <= lim) {
		n++;
		s->due += s->period;
	}
	return n;
}

/** Give back @p n packets taken and not sent (they are due again at once). */
static inline void
pg_sched_untake(struct pg_sched *s, uint16_t n)
{
	s->due -= (unsigned __int128)n * s->period;
	s->peak_due -= (unsigned __int128)n * s->peak_period;
}

/** Packets due by @p now (and s->until) and not taken: the debt (0 when on schedule). */
static inline uint64_t
pg_sched_owed(const struct pg_sched *s, uint64_t now)
{
	const unsigned __int128 now_fx = (unsigned __int128)(now < s->until ? now : s->until) << 32;

	if (s->period == 0 || s->due > now_fx)
		return 0;
	return (uint64_t)((now_fx - s->due) / s->period) + 1;
}

#endif /* PG_SCHED_H */
