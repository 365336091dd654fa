/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-pktgen's accounting, tested piece by piece and end to end with
 * faults injected between sender and receiver:
 *  - pg_hist: slots bound the relative error; percentiles of known
 *    distributions (latencies injected as stamps in the past);
 *  - pg_seq: drops, swaps and duplicates are each counted as what they are,
 *    and a duplicate no longer hides a loss;
 *  - pg_spec: rate, size, flow and MAC parsing, with the errors;
 *  - pg_sched: packet-by-packet pacing, exact rates, the catch-up peak and skip;
 *  - stamps: one TSC read per packet when paced;
 *  - pg_core: real mbufs built by pktgen's builder, dropped, swapped and
 *    copied on their way to pktgen's receive accounting; bytes checked;
 *    every template (802.1Q, QinQ, IPv4/IPv6, UDP/TCP) byte by byte with
 *    its checksums;
 *  - two receivers (--cores): copies that come back on another RX queue than
 *    the original are duplicates once, handed to the window's owner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "pg_core.h"
#include "sl_eal.h"
#include "sl_ether.h"
#include "sl_ip.h"
#include "sl_mbuf.h"
#include "sl_ring.h"
#include "sl_tcp.h"
#include "sl_udp.h"

static struct sl_mempool *pool;
static struct pg_hist hist;

/* ---- pg_hist ---- */

static void
test_hist_slots(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 256; v++)
		assert_int_equal(pg_hist_slot_low(pg_hist_slot(v)), v);
	/* Every value lies in its slot, and a slot spans < 1/128 of its values. */
	for (uint64_t v = 1; v < PG_HIST_MAX; v = v * 3 / 2 + 7) {
		unsigned int s = pg_hist_slot(v);
		uint64_t lo = pg_hist_slot_low(s), hi = pg_hist_slot_high(s);

		assert_true(s < PG_HIST_SLOTS);
		assert_true(lo <= v && v <= hi);
		if (v < 256)
			assert_int_equal(lo, hi); /* exact */
		else
			assert_true((double)(hi - lo + 1) / (double)lo <= 1.0 / 128 + 1e-12);
		if (s + 1 < PG_HIST_SLOTS)
			assert_int_equal(pg_hist_slot_low(s + 1), hi + 1);
	}
	assert_int_equal(pg_hist_slot(UINT64_MAX), PG_HIST_SLOTS - 1);
	assert_int_equal(pg_hist_slot_high(PG_HIST_SLOTS - 1), PG_HIST_MAX);
}

static void
test_hist_percentiles(void **state)
{
	(void)state;
	pg_hist_reset(&hist);
	assert_int_equal(pg_hist_percentile(&hist, 50), 0);
	for (uint64_t v = 1; v <= 100000; v++)
		pg_hist_record(&hist, v);
	assert_int_equal(hist.total, 100000);
	assert_int_equal(hist.min, 1);
	assert_int_equal(hist.max, 100000);
	assert_true(pg_hist_mean(&hist) == 50000.5);
	assert_in_range(pg_hist_percentile(&hist, 50), 50000, 50000 * 1.008);
	assert_in_range(pg_hist_percentile(&hist, 90), 90000, 90000 * 1.008);
	assert_in_range(pg_hist_percentile(&hist, 99), 99000, 99000 * 1.008);
	assert_in_range(pg_hist_percentile(&hist, 99.9), 99900, 100000);
	assert_int_equal(pg_hist_percentile(&hist, 100), 100000);

	/* Huge values are clamped to the top slot; max stays true. */
	pg_hist_reset(&hist);
	pg_hist_record(&hist, UINT64_C(1) << 50);
	assert_int_equal(hist.max, UINT64_C(1) << 50);
	assert_int_equal(hist.counts[PG_HIST_SLOTS - 1], 1);
}

static void
test_hist_sub_add(void **state)
{
	static struct pg_hist a, b, d;

	(void)state;
	pg_hist_reset(&hist);
	for (int i = 0; i < 1000; i++)
		pg_hist_record(&hist, 500);
	pg_hist_copy(&a, &hist);
	for (int i = 0; i < 1000; i++)
		pg_hist_record(&hist, 70000);
	pg_hist_copy(&b, &hist);
	pg_hist_sub(&d, &b, &a);
	/* The second interval holds only the 70 us values. */
	assert_int_equal(d.total, 1000);
	assert_in_range(pg_hist_percentile(&d, 50), 70000, 70000 * 1.008);
	assert_in_range(d.min, 69500, 70000);
	pg_hist_add(&d, &a);
	assert_int_equal(d.total, 2000);
	assert_in_range(pg_hist_percentile(&d, 50), 500, 501); /* slot [500, 501] */
}

/* ---- pg_seq ---- */

static struct pg_seq seq;

static void
feed(const uint64_t *v, size_t n)
{
	pg_seq_reset(&seq);
	for (size_t i = 0; i < n; i++)
		pg_seq_account(&seq, v[i]);
}

static void
test_seq_faults(void **state)
{
	(void)state;
	{	/* in order */
		const uint64_t v[] = { 0, 1, 2, 3, 4, 5 };

		feed(v, SL_DIM(v));
		assert_int_equal(seq.dup + seq.reordered, 0);
		assert_int_equal(pg_seq_lost(&seq, 6), 0);
	}
	{	/* 2 dropped */
		const uint64_t v[] = { 0, 1, 3, 4, 5 };

		feed(v, SL_DIM(v));
		assert_int_equal(seq.dup + seq.reordered, 0);
		assert_int_equal(pg_seq_lost(&seq, 6), 1);
	}
	{	/* 2 and 3 swapped: one reorder, nothing lost or duplicated */
		const uint64_t v[] = { 0, 1, 3, 2, 4, 5 };

		feed(v, SL_DIM(v));
		assert_int_equal(seq.reordered, 1);
		assert_int_equal(seq.dup, 0);
		assert_int_equal(pg_seq_lost(&seq, 6), 0);
	}
	{	/* 3 duplicated, right after and later: two duplicates, no reorder */
		const uint64_t v[] = { 0, 1, 2, 3, 3, 4, 5, 3 };

		feed(v, SL_DIM(v));
		assert_int_equal(seq.dup, 2);
		assert_int_equal(seq.reordered, 0);
		assert_int_equal(pg_seq_lost(&seq, 6), 0);
	}
	{	/* 2 dropped and 4 duplicated: the copy must not hide the loss */
		const uint64_t v[] = { 0, 1, 3, 4, 4, 5 };

		feed(v, SL_DIM(v));
		assert_int_equal(seq.rx, 6);
		assert_int_equal(seq.dup, 1);
		assert_int_equal(seq.reordered, 0);
		assert_int_equal(pg_seq_lost(&seq, 6), 1);
	}
	{	/* a reordered packet copied: one reorder, then one duplicate */
		const uint64_t v[] = { 0, 2, 1, 1, 3 };

		feed(v, SL_DIM(v));
		assert_int_equal(seq.reordered, 1);
		assert_int_equal(seq.dup, 1);
		assert_int_equal(pg_seq_lost(&seq, 4), 0);
	}
}

static void
test_seq_window(void **state)
{
	(void)state;
	pg_seq_reset(&seq);
	/* A gap wider than the window, then numbers inside it arrive late. */
	pg_seq_account(&seq, 0);
	pg_seq_account(&seq, 3 * PG_SEQ_WINDOW);
	pg_seq_account(&seq, 3 * PG_SEQ_WINDOW - 5);
	pg_seq_account(&seq, 3 * PG_SEQ_WINDOW - 5);
	assert_int_equal(seq.reordered, 1);
	assert_int_equal(seq.dup, 1);
	/* Older than the window: cannot tell, counted reordered and late. */
	pg_seq_account(&seq, 1);
	assert_int_equal(seq.reordered, 2);
	assert_int_equal(seq.late, 1);
	/* Slots reused after the window slid must read as missing. */
	pg_seq_reset(&seq);
	for (uint64_t i = 0; i < 3 * PG_SEQ_WINDOW; i++)
		if (i % 1000 != 7)
			pg_seq_account(&seq, i);
	pg_seq_account(&seq, (3 * PG_SEQ_WINDOW / 1000) * 1000 + 7); /* missing, inside the window */
	assert_int_equal(seq.dup, 0);
	assert_int_equal(seq.reordered, 1);
	pg_seq_account(&seq, 3 * PG_SEQ_WINDOW - 2);
	assert_int_equal(seq.dup, 1);
}

/* ---- pg_spec ---- */

static void
test_parse_rate(void **state)
{
	struct pg_rate r;
	char err[256];

	(void)state;
	assert_int_equal(pg_parse_rate("1mpps", &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, PG_RATE_PPS);
	assert_true(r.value == 1e6);
	assert_int_equal(pg_parse_rate("250kpps", &r, err, sizeof(err)), 0);
	assert_true(r.value == 250e3);
	assert_int_equal(pg_parse_rate("1500000", &r, err, sizeof(err)), 0);
	assert_true(r.kind == PG_RATE_PPS && r.value == 1.5e6);
	assert_int_equal(pg_parse_rate("500Mbps", &r, err, sizeof(err)), 0);
	assert_true(r.kind == PG_RATE_BPS && r.value == 500e6);
	assert_int_equal(pg_parse_rate("40%", &r, err, sizeof(err)), 0);
	assert_true(r.kind == PG_RATE_PCT && r.value == 40);
	assert_int_equal(pg_parse_rate("max", &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, PG_RATE_MAX);
	assert_int_equal(pg_parse_rate("0", &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, PG_RATE_MAX);
	assert_int_equal(pg_parse_rate("fast", &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a rate"));
	assert_int_equal(pg_parse_rate("10mbit", &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown unit 'mbit'"));
	assert_int_equal(pg_parse_rate("150%", &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_rate("-5", &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_rate("", &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_rate("0mbps", &r, err, sizeof(err)), -EINVAL);

	/* 60 bytes without FCS (64 with): 10 Gbit/s is 14.88 Mpps at layer 1. */
	assert_int_equal(pg_parse_rate("100%", &r, err, sizeof(err)), 0);
	assert_in_range((uint64_t)pg_rate_pps(&r, 60, 10000, false), 14880952, 14880953);
	assert_int_equal(pg_parse_rate("10gbps", &r, err, sizeof(err)), 0);
	assert_in_range((uint64_t)pg_rate_pps(&r, 60, 0, false), 14880952, 14880953);
	/* layer 2: 64 bytes with FCS */
	assert_in_range((uint64_t)pg_rate_pps(&r, 60, 0, true), 19531250, 19531250);
	assert_int_equal(pg_parse_rate("40%", &r, err, sizeof(err)), 0);
	assert_true(pg_rate_pps(&r, 64, 0, false) < 0); /* unknown link speed */
}

static void
test_parse_size(void **state)
{
	static struct pg_size z;
	char err[256];
	uint32_t idx = 0;
	uint64_t rnd = 1;
	unsigned int n60 = 0, n590 = 0, n1514 = 0;

	(void)state;
	assert_int_equal(pg_parse_size("128", 60, 9000, &z, err, sizeof(err)), 0);
	assert_true(z.mode == PG_SIZE_FIXED && z.lo == 128);
	assert_int_equal(pg_parse_size("64-67", 60, 9000, &z, err, sizeof(err)), 0);
	assert_int_equal(z.mode, PG_SIZE_INC);
	for (int i = 0; i < 9; i++)
		assert_int_equal(pg_size_next(&z, &idx, &rnd), 64 + i % 4);
	assert_true(pg_size_mean(&z) == 65.5);
	assert_int_equal(pg_parse_size("64-1518:random", 60, 9000, &z, err, sizeof(err)), 0);
	for (int i = 0; i < 10000; i++) {
		uint16_t v = pg_size_next(&z, &idx, &rnd);

		assert_in_range(v, 64, 1518);
	}
	assert_int_equal(pg_parse_size("imix", 60, 9000, &z, err, sizeof(err)), 0);
	idx = 0;
	for (int i = 0; i < 12; i++) {
		uint16_t v = pg_size_next(&z, &idx, &rnd);

		n60 += v == 60;
		n590 += v == 590;
		n1514 += v == 1514;
	}
	assert_true(n60 == 7 && n590 == 4 && n1514 == 1);
	assert_in_range((uint64_t)pg_size_mean(&z), 357, 358); /* (7*60+4*590+1514)/12 */
	assert_int_equal(pg_parse_size("imix:100x1,200x3", 60, 9000, &z, err, sizeof(err)), 0);
	assert_int_equal(z.n, 4);
	assert_true(pg_size_mean(&z) == 175);

	assert_int_equal(pg_parse_size("40", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "below the 60-byte minimum"));
	assert_int_equal(pg_parse_size("64-40000", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "above 9000"));
	assert_int_equal(pg_parse_size("1518-64", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "backwards"));
	assert_int_equal(pg_parse_size("64-", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_size("64-128:sweep", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_size("imix:64x0", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_size("imix:20x1", 60, 9000, &z, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_size("big", 60, 9000, &z, err, sizeof(err)), -EINVAL);
}

static void
test_parse_flows(void **state)
{
	struct pg_flows fl;
	char err[256];
	uint64_t rnd = 1;

	(void)state;
	memset(&fl, 0, sizeof(fl));
	fl.f[PG_F_SRC_PORT].lo = fl.f[PG_F_SRC_PORT].hi = 9;
	assert_int_equal(pg_parse_flows("4", &fl, err, sizeof(err)), 0);
	assert_true(fl.count == 4 && fl.f[PG_F_SRC_PORT].hi == 12);

	memset(&fl, 0, sizeof(fl));
	assert_int_equal(pg_parse_flows("src-ip=10.0.0.1-10.0.0.3,dst-port=1000-1001", &fl,
					err, sizeof(err)), 0);
	assert_int_equal(fl.count, 6);
	assert_int_equal(fl.f[PG_F_SRC_IP].lo, 0x0a000001);
	/* Odometer: all six combinations, then around again. */
	{
		uint32_t want[7][2] = { { 1, 1000 }, { 2, 1000 }, { 3, 1000 }, { 1, 1001 },
					{ 2, 1001 }, { 3, 1001 }, { 1, 1000 } };

		for (int i = 0; i < 7; i++) {
			assert_int_equal(fl.f[PG_F_SRC_IP].cur & 0xff, want[i][0]);
			assert_int_equal(fl.f[PG_F_DST_PORT].cur, want[i][1]);
			pg_flows_next(&fl, &rnd);
		}
	}
	memset(&fl, 0, sizeof(fl));
	assert_int_equal(pg_parse_flows("dst-ip=10.0.0.1-10.0.0.100:random", &fl, err, sizeof(err)), 0);
	assert_true(fl.f[PG_F_DST_IP].random);
	for (int i = 0; i < 1000; i++) {
		pg_flows_next(&fl, &rnd);
		assert_in_range(fl.f[PG_F_DST_IP].cur, 0x0a000001, 0x0a000064);
	}
	assert_int_equal(pg_parse_flows("src-ip=10.0.0.9-10.0.0.1", &fl, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "backwards"));
	assert_int_equal(pg_parse_flows("src-port=1-70000", &fl, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "src-port"));
	assert_int_equal(pg_parse_flows("vlan=1-2", &fl, err, sizeof(err)), -EINVAL);
	assert_int_equal(pg_parse_flows("src-ip=10.0.0.1-10.0.0.2:rand", &fl, err, sizeof(err)), -EINVAL);
	fl.f[PG_F_SRC_PORT].lo = 65000;
	assert_int_equal(pg_parse_flows("1000", &fl, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "past 65535"));
}

static void
test_parse_mac(void **state)
{
	uint8_t m[6];

	(void)state;
	assert_int_equal(pg_parse_mac("02:00:00:aa:BB:0f", m), 0);
	assert_true(m[0] == 2 && m[3] == 0xaa && m[4] == 0xbb && m[5] == 0x0f);
	assert_int_equal(pg_parse_mac("02:00:00:aa:bb", m), -EINVAL);
	assert_int_equal(pg_parse_mac("02:00:00:aa:bb:0f:11", m), -EINVAL);
	assert_int_equal(pg_parse_mac("02-00-00-aa-bb-0f", m), -EINVAL);
	assert_int_equal(pg_parse_mac("2:0:0:aa:bb:f", m), -EINVAL);
}

/* ---- pg_sched ---- */

static void
test_sched_pacing(void **state)
{
	struct pg_sched s;

	(void)state;
	/* 1 GHz TSC, 1 Mpps: one packet every 1000 cycles. */
	pg_sched_init(&s, 1000000, 1e6, 1000000000, 0, 0, 0);
	assert_int_equal(pg_sched_take(&s, 1000000 + 31500, 32), 32);
	assert_int_equal(pg_sched_take(&s, 1000000 + 31500, 32), 0);
	assert_int_equal(pg_sched_take(&s, 1000000 + 32000, 32), 1);
	/* Polled more often than the period: one packet at a time, each at
	 * its own poll, never early. */
	pg_sched_init(&s, 0, 1e6, 1000000000, 0, 0, 0);
	for (uint64_t t = 0; t < 10000; t += 250)
		assert_int_equal(pg_sched_take(&s, t, 32), t % 1000 == 0 ? 1 : 0);

	/* A rate that is no whole number of cycles stays exact over time. */
	pg_sched_init(&s, 0, 3e6, 1000000000, 64, 2.0, 1000000000);  /* 333.33 cycles */
	{
		uint64_t total = 0;

		for (uint64_t t = 0; t <= 1000000000; t += 5000)
			total += pg_sched_take(&s, t, 64);
		/* packets 0..3000000 are due at t <= 1 s (the last exactly then) */
		assert_int_equal(total, 3000001);
	}
}

static void
test_sched_catchup_cap(void **state)
{
	struct pg_sched s;
	uint64_t total, t;

	(void)state;
	/* 1 GHz TSC, 1 Mpps; after a stall 64 late packets back to back, the
	 * rest at 2 Mpps (one every 500 cycles); nothing skipped below 1 s. */
	pg_sched_init(&s, 0, 1e6, 1000000000, 64, 2.0, 1000000000);
	assert_int_equal(pg_sched_take(&s, 0, 512), 1);
	/* A 100 ms stall owes 100000 packets: 64 go at once... */
	assert_int_equal(pg_sched_take(&s, 100000000, 512), 64);
	assert_int_equal(pg_sched_take(&s, 100000000, 512), 0);
	total = 65;
	/* ...then one every 500 cycles, never two closer, polled every 100. */
	{
		uint64_t last = 100000000;

		for (t = 100000100; t <= 150000000; t += 100) {
			uint16_t n = pg_sched_take(&s, t, 512);

			assert_true(n <= 1);
			if (n) {
				assert_true(t - last >= 500);
				last = t;
			}
			total += n;
		}
	}
	/* At 150 ms: 65 + 50 ms at 2 Mpps, behind the 150001 due. */
	assert_in_range(total, 100064, 100066);
	/* The debt is repaid at 199.936 ms; at 200 ms every due packet is out. */
	for (; t <= 200000000; t += 100)
		total += pg_sched_take(&s, t, 512);
	assert_int_equal(total, 200001);
	assert_int_equal(s.skipped, 0);
	/* Back on schedule: one packet every 1000 cycles. */
	assert_int_equal(pg_sched_take(&s, 200000999, 512), 0);
	assert_int_equal(pg_sched_take(&s, 200001000, 512), 1);

	/* Slots later than --skip-after (10 ms here) are skipped, the rest
	 * repaid: 90000 of the 100 ms stall's are skipped. */
	pg_sched_init(&s, 0, 1e6, 1000000000, 64, 2.0, 10000000);
	assert_int_equal(pg_sched_take(&s, 0, 512), 1);
	assert_int_equal(pg_sched_take(&s, 100000000, 512), 64);
	assert_in_range(s.skipped, 90000 - 1, 90000 + 1);
	total = 65;
	for (t = 100000100; t <= 130000000; t += 100)
		total += pg_sched_take(&s, t, 512);
	assert_int_equal(total + s.skipped, 130001);

	/* Without a cap the whole debt is owed (in bursts of the caller's size). */
	pg_sched_init(&s, 0, 1e6, 1000000000, 0, 0, 0);
	assert_int_equal(pg_sched_take(&s, 100000000, 512), 512);
	assert_int_equal(s.skipped, 0);
	/* Given back (no mbufs): due again at once. */
	pg_sched_untake(&s, 12);
	assert_int_equal(pg_sched_take(&s, 100000000, 12), 12);
}

static void
test_core_stamps(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct pg_stream *s = aligned_alloc(64, SL_ALIGN_CEIL(sizeof(*s), 64));
	struct sl_mbuf *m[32];
	uint64_t prev = 0;
	char err[256];

	(void)state;
	memset(s, 0, sizeof(*s));
	s->spec.proto = SL_IPPROTO_UDP;
	assert_int_equal(pg_parse_size("64", 62, 2000, &s->size, err, sizeof(err)), 0);
	assert_int_equal(pg_parse_flows("1", &s->flows, err, sizeof(err)), 0);
	pg_stream_template(s, mac, mac);
	assert_int_equal(sl_mbuf_alloc_bulk(pool, m, 32), 0);
	/* Paced: a TSC read per packet, so stamps rise through the burst. */
	pg_stream_build(s, m, 32, NULL, true, 5);
	for (int i = 0; i < 32; i++) {
		struct pg_trailer tr;

		pg_trailer_get(sl_mbuf_mtod_offset(m[i], uint8_t *, 64 - PG_TRAILER_LEN), &tr);
		assert_true(tr.tsc > 5 && tr.tsc >= prev);
		prev = tr.tsc;
	}
	assert_true(prev > 5);
	/* Max rate: the burst's one stamp. */
	pg_stream_build(s, m, 32, NULL, false, 5);
	for (int i = 0; i < 32; i++) {
		struct pg_trailer tr;

		pg_trailer_get(sl_mbuf_mtod_offset(m[i], uint8_t *, 64 - PG_TRAILER_LEN), &tr);
		assert_int_equal(tr.tsc, 5);
	}
	sl_mbuf_free_bulk(m, 32);
	free(s);
}

/* ---- pg_core with faults ---- */

static struct pg_stream *
stream_new(unsigned int id, const char *size)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 }, src[6] = { 2, 0, 0, 0, 0, 1 };
	struct pg_stream *s = aligned_alloc(64, SL_ALIGN_CEIL(sizeof(*s), 64));
	char err[256];

	assert_non_null(s);
	memset(s, 0, sizeof(*s));
	s->id = (uint16_t)id;
	s->spec.proto = SL_IPPROTO_UDP;
	assert_int_equal(pg_parse_size(size, 60, 2000, &s->size, err, sizeof(err)), 0);
	s->flows.f[PG_F_SRC_IP].lo = s->flows.f[PG_F_SRC_IP].hi = 0xc6120001;
	s->flows.f[PG_F_DST_IP].lo = s->flows.f[PG_F_DST_IP].hi = 0xc6120002;
	s->flows.f[PG_F_SRC_PORT].lo = s->flows.f[PG_F_SRC_PORT].hi = 9;
	s->flows.f[PG_F_DST_PORT].lo = s->flows.f[PG_F_DST_PORT].hi = 9;
	assert_int_equal(pg_parse_flows("1", &s->flows, err, sizeof(err)), 0);
	pg_seq_reset(&s->seq);
	pg_hist_reset(&s->hist);
	pg_stream_template(s, dst, src);
	return s;
}

/* Build @p n packets of @p s stamped @p now - delay[i]. */
static void
build(struct pg_stream *s, struct sl_mbuf **m, uint16_t n, uint64_t now, const uint64_t *delay)
{
	uint64_t stamps[64];

	assert_int_equal(sl_mbuf_alloc_bulk(pool, m, n), 0);
	for (uint16_t i = 0; i < n; i++)
		stamps[i] = now - (delay ? delay[i] : 0);
	pg_stream_build(s, m, n, stamps, false, now);
	s->c.tx += n;
}

static struct sl_mbuf *
copy_of(const struct sl_mbuf *m)
{
	struct sl_mbuf *c = sl_mbuf_alloc(pool);

	assert_non_null(c);
	memcpy(sl_mbuf_mtod(c, void *), sl_mbuf_mtod(m, const void *), m->data_len);
	c->data_len = m->data_len;
	c->pkt_len = m->pkt_len;
	return c;
}

static void
test_core_faults(void **state)
{
	struct pg_stream *s = stream_new(0, "64-100");
	struct pg_rx_ctx ctx = { .streams = &s, .nb_streams = 1, .ns_mult = UINT64_C(1) << 32,
				 .latency = true };
	struct sl_mbuf *m[32], *rx[40], *gone;
	uint16_t n = 0;

	(void)state;
	build(s, m, 32, 1000000, NULL);
	/* Check the bytes of one packet: UDP/IPv4, lengths, checksum, trailer. */
	{
		const uint8_t *d = sl_mbuf_mtod(m[5], const uint8_t *);
		const struct sl_ipv4_hdr *ip = (const void *)(d + 14);
		const struct sl_udp_hdr *udp = (const void *)(d + 34);
		struct pg_trailer tr;

		assert_int_equal(m[5]->data_len, 69);
		assert_int_equal(ntohs(*(const uint16_t *)(d + 12)), SL_ETHER_TYPE_IPV4);
		assert_int_equal(d[0], 2);
		assert_int_equal(d[5], 2);
		assert_int_equal(d[11], 1);
		assert_int_equal(ntohs(ip->total_length), 69 - 14);
		assert_int_equal(ntohs(udp->dgram_len), 69 - 34);
		assert_int_equal(ntohl(ip->src_addr), 0xc6120001);
		assert_int_equal(sl_ipv4_cksum(ip), ip->hdr_checksum);
		pg_trailer_get(d + 69 - PG_TRAILER_LEN, &tr);
		assert_int_equal(tr.magic, PG_MAGIC_BASE);
		assert_int_equal(tr.seq, 5);
		assert_int_equal(tr.tsc, 1000000);
	}
	/* Faults: drop 3 and 17, swap 8/9, copy 20 (twice) and 25. */
	for (int i = 0; i < 32; i++) {
		if (i == 3 || i == 17)
			continue;
		if (i == 8) {
			rx[n++] = m[9];
			rx[n++] = m[8];
			i = 9;
			continue;
		}
		rx[n++] = m[i];
		if (i == 20) {
			rx[n++] = copy_of(m[i]);
			rx[n++] = copy_of(m[i]);
		}
		if (i == 25)
			rx[n++] = copy_of(m[i]);
	}
	pg_rx_account(&ctx, rx, n, 1000500);
	assert_int_equal(s->seq.rx, 33);
	assert_int_equal(s->seq.dup, 3);
	assert_int_equal(s->seq.reordered, 1);
	assert_int_equal(pg_seq_lost(&s->seq, 32), 2);
	assert_int_equal(ctx.foreign, 0);
	assert_int_equal(s->hist.total, 33);
	assert_int_equal(s->hist.min, 500);
	assert_int_equal(s->hist.max, 500);
	gone = m[3];
	sl_mbuf_free_bulk(rx, n);
	sl_mbuf_free(gone);
	sl_mbuf_free(m[17]);

	/* A frame from somebody else is foreign, not a stream's. */
	assert_int_equal(sl_mbuf_alloc_bulk(pool, m, 1), 0);
	memset(sl_mbuf_mtod(m[0], void *), 0x5a, 80);
	m[0]->data_len = m[0]->pkt_len = 80;
	pg_rx_account(&ctx, m, 1, 1000500);
	assert_int_equal(ctx.foreign, 1);
	sl_mbuf_free(m[0]);
	free(s);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

static void
test_core_latency(void **state)
{
	struct pg_stream *s = stream_new(1, "64");
	struct pg_stream *two[2] = { NULL, s };
	struct pg_rx_ctx ctx = { .streams = two, .nb_streams = 2, .ns_mult = UINT64_C(1) << 32,
				 .latency = true };
	struct sl_mbuf *m[64];
	uint64_t delay[64], now = 10000000;

	(void)state;
	/* Known injected delays: in each 64, 58 at 2 us, 5 at 40 us, 1 at 1 ms. */
	for (int i = 0; i < 64; i++)
		delay[i] = i < 58 ? 2000 : i < 63 ? 40000 : 1000000;
	for (int round = 0; round < 100; round++) {
		build(s, m, 64, now, delay);
		pg_rx_account(&ctx, m, 64, now);
		sl_mbuf_free_bulk(m, 64);
	}
	assert_int_equal(s->hist.total, 6400);
	assert_int_equal(pg_hist_percentile(&s->hist, 50), 2000 + 7); /* slot [1992, 2007] */
	assert_int_equal(pg_hist_percentile(&s->hist, 90), 2007);
	assert_in_range(pg_hist_percentile(&s->hist, 95), 40000, 40000 * 1.008);
	assert_in_range(pg_hist_percentile(&s->hist, 99.9), 1000000 * 0.992, 1000000);
	assert_int_equal(s->hist.max, 1000000);
	assert_int_equal(s->hist.min, 2000);
	assert_true(pg_hist_mean(&s->hist) == (58 * 2000.0 + 5 * 40000.0 + 1000000.0) / 64);
	/* Jitter: mean |delta| over consecutive packets: per 64, 2000->40000
	 * once, 40000->1e6 once, 1e6->2000 once (between rounds). */
	assert_int_equal(s->jit_n, 6399);
	assert_int_equal(s->jit_sum, 100 * (38000 + 960000) + 99 * 998000);
	free(s);
}

/* Each template's bytes: tags, EtherTypes, lengths, checksums, trailer. */
static void
test_core_templates(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct {
		uint8_t nb_vlans;
		bool ipv6;
		uint8_t proto;
		const char *size;
	} cases[] = {
		{ 0, false, SL_IPPROTO_UDP, "62-70" }, { 1, false, SL_IPPROTO_TCP, "78-90" },
		{ 2, false, SL_IPPROTO_UDP, "70-80" }, { 0, true, SL_IPPROTO_UDP, "82-90" },
		{ 1, true, SL_IPPROTO_TCP, "98-1514:random" }, { 2, true, SL_IPPROTO_TCP, "102-110" },
	};
	char err[256];

	(void)state;
	for (unsigned int c = 0; c < SL_DIM(cases); c++) {
		struct pg_stream *s = aligned_alloc(64, SL_ALIGN_CEIL(sizeof(*s), 64));
		struct sl_mbuf *m[16];
		unsigned int hl;

		memset(s, 0, sizeof(*s));
		s->spec.nb_vlans = cases[c].nb_vlans;
		s->spec.vlan_tci[0] = 100;
		s->spec.vlan_tci[1] = 200;
		s->spec.ipv6 = cases[c].ipv6;
		s->spec.ip6_src[0] = 0x20;
		s->spec.ip6_src[15] = 1;
		s->spec.ip6_dst[0] = 0x20;
		s->spec.ip6_dst[15] = 2;
		s->spec.proto = cases[c].proto;
		hl = pg_tpl_hdr_len(&s->spec);
		/* The smallest frame holds the headers and the trailer exactly. */
		assert_int_equal(pg_parse_size(cases[c].size, hl + PG_TRAILER_LEN, 9000, &s->size, err,
					       sizeof(err)), 0);
		assert_int_equal(pg_parse_size("40", hl + PG_TRAILER_LEN, 9000, &s->size, err,
					       sizeof(err)), -EINVAL);
		assert_int_equal(pg_parse_size(cases[c].size, hl + PG_TRAILER_LEN, 9000, &s->size, err,
					       sizeof(err)), 0);
		s->flows.f[PG_F_SRC_IP].lo = s->flows.f[PG_F_SRC_IP].hi = 0x0a000001;
		s->flows.f[PG_F_DST_IP].lo = s->flows.f[PG_F_DST_IP].hi = 0x0a000002;
		assert_int_equal(pg_parse_flows("src-port=1000-1003,dst-port=7-8", &s->flows, err,
						sizeof(err)), 0);
		pg_stream_template(s, mac, mac);
		assert_int_equal(s->hdr_len, hl);
		assert_int_equal(sl_mbuf_alloc_bulk(pool, m, 16), 0);
		pg_stream_build(s, m, 16, NULL, true, 0);
		for (unsigned int i = 0; i < 16; i++) {
			const uint8_t *d = sl_mbuf_mtod(m[i], const uint8_t *);
			unsigned int off = 12, len = m[i]->data_len;
			const uint8_t *l4 = d + s->l4_off;
			struct pg_trailer tr;

			if (cases[c].nb_vlans == 2) {
				assert_int_equal(d[off] << 8 | d[off + 1], SL_ETHER_TYPE_QINQ);
				assert_int_equal((d[off + 2] << 8 | d[off + 3]) & 0xfff, 100);
				off += 4;
			}
			if (cases[c].nb_vlans >= 1) {
				assert_int_equal(d[off] << 8 | d[off + 1], SL_ETHER_TYPE_VLAN);
				assert_int_equal((d[off + 2] << 8 | d[off + 3]) & 0xfff,
						 cases[c].nb_vlans == 2 ? 200 : 100);
				off += 4;
			}
			assert_int_equal(d[off] << 8 | d[off + 1],
					 cases[c].ipv6 ? SL_ETHER_TYPE_IPV6 : SL_ETHER_TYPE_IPV4);
			assert_int_equal(off + 2, s->l3_off);
			if (cases[c].ipv6) {
				const struct sl_ipv6_hdr *ip6 = (const void *)(d + s->l3_off);

				assert_int_equal(ntohs(ip6->payload_len), len - s->l4_off);
				assert_int_equal(ip6->proto, cases[c].proto);
				assert_int_equal(sl_ipv6_udptcp_cksum_verify(ip6, l4), 0);
			} else {
				const struct sl_ipv4_hdr *ip = (const void *)(d + s->l3_off);

				assert_int_equal(ntohs(ip->total_length), len - s->l3_off);
				assert_int_equal(sl_ipv4_cksum(ip), ip->hdr_checksum);
				assert_int_equal(ip->next_proto_id, cases[c].proto);
				assert_int_equal(sl_ipv4_udptcp_cksum_verify(ip, l4), 0);
				if (cases[c].proto == SL_IPPROTO_TCP)
					assert_int_not_equal(((const struct sl_tcp_hdr *)l4)->cksum, 0);
			}
			if (cases[c].proto == SL_IPPROTO_UDP)
				assert_int_equal(ntohs(((const struct sl_udp_hdr *)l4)->dgram_len),
						 len - s->l4_off);
			/* Flows: odometer over source then destination ports. */
			assert_int_equal(l4[0] << 8 | l4[1], 1000 + i % 4);
			assert_int_equal(l4[2] << 8 | l4[3], 7 + (i / 4) % 2);
			/* The payload pattern between headers and trailer. */
			for (unsigned int k = hl; k < len - PG_TRAILER_LEN; k++)
				assert_int_equal(d[k], (uint8_t)k);
			pg_trailer_get(d + len - PG_TRAILER_LEN, &tr);
			assert_int_equal(tr.seq, i);
		}
		sl_mbuf_free_bulk(m, 16);
		free(s);
	}
}

/* @p ctx's receiver takes packets @p idx of @p m (copies where @p copy[i]). */
static void
recv_on(struct pg_rx_ctx *ctx, struct sl_mbuf **m, const int *idx, const bool *copy, uint16_t n)
{
	struct sl_mbuf *rx[32];

	for (uint16_t i = 0; i < n; i++)
		rx[i] = copy[i] ? copy_of(m[idx[i]]) : m[idx[i]];
	pg_rx_account(ctx, rx, n, 1000500);
	for (uint16_t i = 0; i < n; i++)
		if (copy[i])
			sl_mbuf_free(rx[i]);
}

/*
 * Two receivers, as with --cores=2: sub-stream 0 is sent (and its window
 * owned) by worker 0, sub-stream 1 by worker 1.  A device spreads packets
 * and copies over both RX queues; each copy is one duplicate whichever
 * queue brings it, a packet lost is lost, and reordering is what one
 * queue delivered out of order.
 */
static void
test_core_two_receivers(void **state)
{
	struct pg_stream *tx0 = stream_new(0, "64"), *tx1 = stream_new(1, "64");
	struct pg_stream *r[2][2] = { { stream_new(0, "64"), stream_new(1, "64") },
				      { stream_new(0, "64"), stream_new(1, "64") } };
	static struct pg_rx_ctx ctx[2];
	struct sl_ring *ring01, *ring10;
	struct sl_mbuf *a[32], *b[5];

	(void)state;
	ring01 = sl_ring_create_elem("pg_t01", 8, 1024, SL_SOCKET_ID_ANY,
				     SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
	ring10 = sl_ring_create_elem("pg_t10", 8, 1024, SL_SOCKET_ID_ANY,
				     SL_RING_F_SP_ENQ | SL_RING_F_SC_DEQ);
	assert_non_null(ring01);
	assert_non_null(ring10);
	for (unsigned int k = 0; k < 2; k++) {
		memset(&ctx[k], 0, sizeof(ctx[k]));
		ctx[k].streams = r[k];
		ctx[k].nb_streams = 2;
		ctx[k].ns_mult = UINT64_C(1) << 32;
		ctx[k].latency = true;
		ctx[k].self = k;
		ctx[k].per_core = 1;
	}
	ctx[0].fwd_out[1] = ctx[1].fwd_in[0] = ring01;
	ctx[1].fwd_out[0] = ctx[0].fwd_in[1] = ring10;
	build(tx0, a, 32, 1000000, NULL);
	build(tx1, b, 5, 1000000, NULL);

	/* Sub-stream 0: queue 1 brings a copy of 5, packet 10 itself and a copy
	 * of 20, in order; queue 0 the rest but 15 (lost), then a copy of 10. */
	{
		const int i1[] = { 5, 10, 20 };
		const bool c1[] = { true, false, true };
		int i0[30];
		bool c0[30] = { false };
		uint16_t n = 0;

		recv_on(&ctx[1], a, i1, c1, 3);
		for (int i = 0; i < 32; i++)
			if (i != 10 && i != 15)
				i0[n++] = i;
		recv_on(&ctx[0], a, i0, c0, n);
		assert_int_equal(pg_rx_drain(&ctx[0]), 3);
		i0[0] = 10;
		c0[0] = true;
		recv_on(&ctx[0], a, i0, c0, 1);
	}
	assert_int_equal(r[0][0]->seq.rx, 31);
	assert_int_equal(r[1][0]->seq.rx, 3);
	assert_int_equal(r[0][0]->seq.dup, 3);          /* the owner counts them all */
	assert_int_equal(r[1][0]->seq.dup + r[1][0]->seq.reordered, 0);
	assert_int_equal(r[0][0]->seq.reordered, 0);
	assert_int_equal(r[0][0]->seq.rx + r[1][0]->seq.rx - r[0][0]->seq.dup, 31); /* unique */
	assert_int_equal(r[0][0]->hist.total + r[1][0]->hist.total, 34); /* every arrival's latency */

	/* Sub-stream 1, owned by receiver 1: queue 0 brings 0 1 3 2 4 (2 late
	 * on its queue), then queue 1 a copy of 4. */
	{
		const int i0[] = { 0, 1, 3, 2, 4 }, i1[] = { 4 };
		const bool c0[] = { false, false, false, false, false }, c1[] = { true };

		recv_on(&ctx[0], b, i0, c0, 5);
		assert_int_equal(pg_rx_drain(&ctx[1]), 5);
		recv_on(&ctx[1], b, i1, c1, 1);
	}
	assert_int_equal(r[0][1]->seq.rx + r[1][1]->seq.rx, 6);
	assert_int_equal(r[1][1]->seq.reordered, 1);
	assert_int_equal(r[1][1]->seq.dup, 1);
	assert_int_equal(r[0][1]->seq.dup + r[0][1]->seq.reordered, 0);
	assert_int_equal(pg_rx_drain(&ctx[0]) + pg_rx_drain(&ctx[1]), 0);

	/* Everything that was received is freed by its receiver's caller. */
	for (int i = 0; i < 32; i++)
		if (i != 15)
			sl_mbuf_free(a[i]);
	sl_mbuf_free(a[15]);
	sl_mbuf_free_bulk(b, 5);
	sl_ring_free(ring01);
	sl_ring_free(ring10);
	free(tx0);
	free(tx1);
	for (unsigned int k = 0; k < 4; k++)
		free(r[k / 2][k % 2]);
}

static int
setup(void **state)
{
	char *argv[] = { "test_pktgen_core", "--no-huge", "-m", "64", "-l", "0",
			 "--file-prefix", "pg_core_test", "--log-level", "warning", NULL };

	(void)state;
	if (sl_eal_init((int)SL_DIM(argv) - 1, argv) < 0)
		return -1;
	pool = sl_mbuf_pool_create("pg_test", 1024, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, SL_SOCKET_ID_ANY);
	return pool ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	sl_mempool_free(pool);
	sl_eal_cleanup();
	return 0;
}

/*
 * The trailer's 48-bit fields: a 60-byte UDP/IPv4 frame (Ethernet's
 * smallest) holds it; sequence numbers that cross 2^48 on the wire are
 * extended back to 64 bits (nothing reordered or lost); a TSC that wraps
 * 2^48 between stamp and receipt still gives the right latency.
 */
static void
test_core_trailer_48(void **state)
{
	struct pg_stream *s = stream_new(0, "60");
	struct pg_rx_ctx ctx = { .streams = &s, .nb_streams = 1, .ns_mult = UINT64_C(1) << 32,
				 .latency = true };
	const uint64_t wrap = UINT64_C(1) << 48;
	uint64_t delay[8] = { 100, 100, 100, 100, 100, 100, 100, 100 };
	struct sl_mbuf *m[8];
	struct pg_trailer tr;

	(void)state;
	/* Numbers wrap-3 .. wrap+4, stamped 100 cycles before a TSC of
	 * 2 wrap + 50 (so the stamps' low 48 bits are 2^48 - 50, and the
	 * TSC's are 50). */
	s->c.tx = wrap - 3;
	build(s, m, 8, 2 * wrap + 50, delay);
	assert_int_equal(m[0]->data_len, 60);
	pg_trailer_get(sl_mbuf_mtod_offset(m[3], const uint8_t *, 60 - PG_TRAILER_LEN), &tr);
	assert_int_equal(tr.magic, PG_MAGIC_BASE);
	assert_int_equal(tr.seq, 0);               /* wrap on the wire: 0 */
	assert_int_equal(tr.tsc, wrap - 50);
	/* The pattern byte before the trailer: 60 = 42 headers + 2 + 16. */
	assert_int_equal(sl_mbuf_mtod(m[0], const uint8_t *)[43], 43);
	/* Seen first: the highest number seen is wrap - 3 + 7 = wrap + 4. */
	s->seq.top = 0;
	pg_rx_account(&ctx, m, 8, 2 * wrap + 50);
	assert_int_equal(s->seq.top, wrap + 5);
	assert_int_equal(s->seq.rx, 8);
	assert_int_equal(s->seq.reordered, 0);
	assert_int_equal(pg_seq_lost(&s->seq, 8), 0);
	/* A copy of the last before the wrap, late: a duplicate, not new. */
	{
		struct sl_mbuf *c = copy_of(m[2]);

		pg_rx_account(&ctx, &c, 1, 2 * wrap + 60);
		sl_mbuf_free(c);
	}
	assert_int_equal(s->seq.dup, 1);
	assert_int_equal(s->seq.top, wrap + 5);
	/* Every latency 100 cycles (= ns here), across the TSC's wrap. */
	assert_int_equal(s->hist.min, 100);
	assert_int_equal(s->hist.total, 9);
	assert_int_equal(s->hist.max, 110);
	sl_mbuf_free_bulk(m, 8);
	free(s);
}

/* Every field an mbuf's previous life may have set, set to junk. */
static void
dirty(struct sl_mbuf *m)
{
	m->data_off = 7;
	m->port = 3;
	m->ol_flags = SL_MBUF_F_RX_VLAN | SL_MBUF_F_RX_RSS_HASH;
	m->packet_type = 0x11;
	m->pkt_len = 999;
	m->data_len = 998;
	m->vlan_tci = 5;
	m->hash.rss = 6;
	m->hash.user = 7;
	m->vlan_tci_outer = 8;
	m->tx_offload = 9;
	m->timestamp = 10;
	m->dynfield[0] = 11;
	m->dynfield[1] = 12;
}

/*
 * pg_mbuf_tx_init() leaves an mbuf exactly as sl_mbuf_reset() and the
 * lengths would, whatever it held: no stale RX metadata or offload flag
 * goes out with a generated frame.
 */
static void
test_core_mbuf_init(void **state)
{
	struct sl_mbuf *m;
	struct sl_mbuf want;

	(void)state;
	assert_int_equal(sl_mempool_get_bulk(pool, (void **)&m, 1), 0);
	dirty(m);
	want = *m;
	sl_mbuf_reset(&want);
	want.data_len = 100;
	want.pkt_len = 100;
	pg_mbuf_tx_init(m, 100);
	assert_memory_equal(m, &want, sizeof(want));
	sl_mbuf_free(m);
}

/*
 * The lean burst (fixed size, no flows, no L4 checksum, one stamp) writes
 * the same bytes and mbuf fields as the general loop, for frames the
 * template copy covers and longer ones, with sequence numbers crossing
 * 2^32 (the trailer's word boundary), into mbufs straight from the pool.
 */
static void
test_core_lean(void **state)
{
	static const char *const sizes[] = { "60", "64", "200", "1514" };
	const uint64_t now = UINT64_C(0x123456789abc);

	(void)state;
	for (unsigned int z = 0; z < SL_DIM(sizes); z++) {
		struct pg_stream *s = stream_new(5, sizes[z]);
		struct sl_mbuf *a[8], *b[8];
		uint64_t stamps[8];

		assert_true(s->lean);
		assert_int_equal(sl_mempool_get_bulk(pool, (void **)a, 8), 0);
		assert_int_equal(sl_mempool_get_bulk(pool, (void **)b, 8), 0);
		for (int i = 0; i < 8; i++) {
			dirty(a[i]);
			dirty(b[i]);
			/* Bytes of an earlier packet must not show through. */
			memset((uint8_t *)a[i]->buf_addr + SL_PKTMBUF_HEADROOM, 0xee, 1600);
			memset((uint8_t *)b[i]->buf_addr + SL_PKTMBUF_HEADROOM, 0xee, 1600);
			stamps[i] = now;
		}
		s->c.tx = (UINT64_C(1) << 32) - 3;
		assert_int_equal(pg_stream_build(s, a, 8, NULL, false, now), 8 * s->size.lo);
		/* stamps given: the general loop */
		assert_int_equal(pg_stream_build(s, b, 8, stamps, false, now), 8 * s->size.lo);
		for (int i = 0; i < 8; i++) {
			struct pg_trailer tr;

			/* The per-packet fields (the rest is the buffer's). */
			assert_memory_equal(&a[i]->data_off, &b[i]->data_off,
					    offsetof(struct sl_mbuf, pool) -
					    offsetof(struct sl_mbuf, data_off));
			assert_memory_equal(&a[i]->next, &b[i]->next,
					    offsetof(struct sl_mbuf, direct) -
					    offsetof(struct sl_mbuf, next));
			assert_memory_equal(a[i]->dynfield, b[i]->dynfield, sizeof(a[i]->dynfield));
			assert_int_equal(a[i]->data_len, s->size.lo);
			assert_int_equal(a[i]->data_off, SL_PKTMBUF_HEADROOM);
			assert_memory_equal(sl_mbuf_mtod(a[i], uint8_t *), sl_mbuf_mtod(b[i], uint8_t *),
					    s->size.lo);
			pg_trailer_get(sl_mbuf_mtod_offset(a[i], uint8_t *, s->size.lo - PG_TRAILER_LEN),
				       &tr);
			assert_int_equal(tr.magic, PG_MAGIC_BASE | 5);
			assert_int_equal(tr.seq, (UINT64_C(1) << 32) - 3 + (uint64_t)i);
			assert_int_equal(tr.tsc, now);
			for (unsigned int k = s->hdr_len; k < s->size.lo - PG_TRAILER_LEN; k++)
				assert_int_equal(sl_mbuf_mtod(a[i], uint8_t *)[k], (uint8_t)k);
		}
		sl_mbuf_free_bulk(a, 8);
		sl_mbuf_free_bulk(b, 8);
		free(s);
	}
	/* Not lean: what varies per packet besides the trailer. */
	{
		struct pg_stream *s = stream_new(0, "64-128");
		char err[256];

		assert_false(s->lean);
		free(s);
		s = stream_new(0, "64");
		assert_int_equal(pg_parse_flows("src-port=1-2", &s->flows, err, sizeof(err)), 0);
		pg_stream_template(s, (const uint8_t[6]){ 0 }, (const uint8_t[6]){ 0 });
		assert_false(s->lean);
		free(s);
		s = stream_new(0, "80");
		s->spec.proto = SL_IPPROTO_TCP;
		pg_stream_template(s, (const uint8_t[6]){ 0 }, (const uint8_t[6]){ 0 });
		assert_false(s->lean);
		free(s);
	}
}

/*
 * Address flows (and sizes) rewrite the IPv4 header per packet: its
 * checksum, now the template's fixed words plus the varying ones, verifies
 * for every packet, and the addresses follow the odometer.
 */
static void
test_core_ip_flows(void **state)
{
	struct pg_stream *s = stream_new(0, "60-1500:random");
	char err[256];
	struct sl_mbuf *m[32];
	unsigned int k = 0;

	(void)state;
	assert_int_equal(pg_parse_flows("src-ip=10.0.0.250-10.0.1.5,dst-ip=192.168.255.254-192.168.255.255",
					&s->flows, err, sizeof(err)), 0);
	pg_stream_template(s, (const uint8_t[6]){ 0 }, (const uint8_t[6]){ 0 });
	assert_true(s->vary_ip && !s->lean);
	for (int b = 0; b < 4; b++) {
		assert_int_equal(sl_mempool_get_bulk(pool, (void **)m, 32), 0);
		pg_stream_build(s, m, 32, NULL, false, 1);
		s->c.tx += 32;
		for (int i = 0; i < 32; i++, k++) {
			const struct sl_ipv4_hdr *ip = sl_mbuf_mtod_offset(m[i], const struct sl_ipv4_hdr *,
									   s->l3_off);

			assert_int_equal(sl_ipv4_cksum(ip), ip->hdr_checksum);
			assert_int_equal(ntohs(ip->total_length), m[i]->data_len - s->l3_off);
			assert_int_equal(ntohl(ip->src_addr), 0x0a0000fa + k % 12);
			assert_int_equal(ntohl(ip->dst_addr), 0xc0a8fffe + (k / 12) % 2);
		}
		sl_mbuf_free_bulk(m, 32);
	}
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_slots),
		cmocka_unit_test(test_hist_percentiles),
		cmocka_unit_test(test_hist_sub_add),
		cmocka_unit_test(test_seq_faults),
		cmocka_unit_test(test_seq_window),
		cmocka_unit_test(test_parse_rate),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_flows),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_sched_pacing),
		cmocka_unit_test(test_sched_catchup_cap),
		cmocka_unit_test(test_core_stamps),
		cmocka_unit_test(test_core_faults),
		cmocka_unit_test(test_core_latency),
		cmocka_unit_test(test_core_templates),
		cmocka_unit_test(test_core_trailer_48),
		cmocka_unit_test(test_core_two_receivers),
		cmocka_unit_test(test_core_mbuf_init),
		cmocka_unit_test(test_core_lean),
		cmocka_unit_test(test_core_ip_flows),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
