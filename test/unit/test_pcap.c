/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the net_pcap PMD's file modes (the live interface mode is
 * tested over a veth pair by test/app/test_pcap_iface.py):
 *
 *  - pcap in -> RX -> TX -> pcap out is the input file byte for byte, with
 *    every timestamp to the nanosecond, through mbuf chains (small mbufs);
 *  - pcapng and microsecond pcap input give the same packets and times;
 *  - infinite_rx loops, with timestamps that keep increasing;
 *  - an empty pool delays a record, never loses it;
 *  - TX without an RX timestamp writes the current time; a port without a
 *    sink drops visibly (oerrors);
 *  - bad files and arguments fail the probe with a message naming the file
 *    and what is wrong, leaving no descriptor behind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "test_eth_helpers.h"

#define NPKT 40
#define T0 1700000000123456789ULL

static struct sl_mempool *pool;   /* 2 KiB mbufs */
static struct sl_mempool *small;  /* 512-byte mbufs: frames become chains */
static char dir[] = "/tmp/sl_test_pcap_XXXXXX";
static char path_in[256], path_out[256], path_ng[256], path_us[256];

static uint8_t pkt_data[NPKT][9018];
static uint32_t pkt_len[NPKT];
static uint64_t pkt_ts[NPKT];

static void
put32(FILE *f, uint32_t v)
{
	assert_int_equal(fwrite(&v, 4, 1, f), 1);
}

static void
put16(FILE *f, uint16_t v)
{
	assert_int_equal(fwrite(&v, 2, 1, f), 1);
}

/* A pcap file (draft-ietf-opsawg-pcap): @p nano picks the 0xa1b23c4d magic. */
static void
write_pcap(const char *path, bool nano, uint32_t linktype, unsigned int n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	put32(f, nano ? 0xa1b23c4d : 0xa1b2c3d4);
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, 262144);
	put32(f, linktype);
	for (unsigned int i = 0; i < n; i++) {
		put32(f, (uint32_t)(pkt_ts[i] / 1000000000));
		put32(f, (uint32_t)(pkt_ts[i] % 1000000000 / (nano ? 1 : 1000)));
		put32(f, pkt_len[i]);
		put32(f, pkt_len[i]);
		assert_int_equal(fwrite(pkt_data[i], 1, pkt_len[i], f), pkt_len[i]);
	}
	assert_int_equal(fclose(f), 0);
}

/* A pcapng file (draft-ietf-opsawg-pcapng): SHB, IDB with if_tsresol=9, EPBs. */
static void
write_pcapng(const char *path)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	put32(f, 0x0A0D0D0A); /* SHB */
	put32(f, 28);
	put32(f, 0x1A2B3C4D);
	put16(f, 1);
	put16(f, 0);
	put32(f, 0xffffffff);
	put32(f, 0xffffffff);
	put32(f, 28);
	put32(f, 0x00000001); /* IDB */
	put32(f, 32);
	put16(f, 1);          /* LINKTYPE_ETHERNET */
	put16(f, 0);
	put32(f, 262144);
	put16(f, 9);          /* if_tsresol */
	put16(f, 1);
	put32(f, 9);          /* 10^-9, padded to 4 */
	put32(f, 0);          /* opt_endofopt */
	put32(f, 32);
	for (unsigned int i = 0; i < NPKT; i++) {
		uint32_t pad = (4 - pkt_len[i] % 4) % 4, blen = 32 + pkt_len[i] + pad;
		static const uint8_t zero[4];

		put32(f, 0x00000006); /* EPB */
		put32(f, blen);
		put32(f, 0);
		put32(f, (uint32_t)(pkt_ts[i] >> 32));
		put32(f, (uint32_t)pkt_ts[i]);
		put32(f, pkt_len[i]);
		put32(f, pkt_len[i]);
		assert_int_equal(fwrite(pkt_data[i], 1, pkt_len[i], f), pkt_len[i]);
		assert_int_equal(fwrite(zero, 1, pad, f), pad);
		put32(f, blen);
	}
	assert_int_equal(fclose(f), 0);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Receive until the port has given @p n packets or 100 empty polls. */
static unsigned int
rx_all(uint16_t p, struct sl_mbuf **pkts, unsigned int n)
{
	unsigned int got = 0, idle = 0;

	while (got < n && idle < 100) {
		uint16_t r = sl_eth_rx_burst(p, 0, pkts + got, (uint16_t)SL_MIN(n - got, 7u));

		got += r;
		idle = r ? 0 : idle + 1;
	}
	return got;
}

static void
check_pkt(const struct sl_mbuf *m, unsigned int i, uint64_t ts)
{
	uint8_t buf[9018];

	assert_int_equal(m->pkt_len, pkt_len[i]);
	assert_true(m->ol_flags & SL_MBUF_F_RX_TIMESTAMP);
	assert_true(m->timestamp == ts);
	assert_memory_equal(sl_mbuf_read(m, 0, m->pkt_len, buf), pkt_data[i], pkt_len[i]);
}

/* pcap in -> RX -> TX -> pcap out: the same file, byte for byte. */
static void
test_roundtrip(void **state)
{
	struct sl_mbuf *pkts[NPKT + 1];
	struct sl_eth_stats st;
	uint64_t bytes = 0;
	uint8_t *a, *b;
	size_t la, lb;
	char args[600];
	unsigned int chains = 0;
	int fds = count_fds();
	uint16_t p;

	(void)state;
	snprintf(args, sizeof(args), "rx_pcap=%s,tx_pcap=%s", path_in, path_out);
	assert_int_equal(sl_vdev_init("net_pcap0", args), 0);
	p = port_named("net_pcap0");
	port_up(p, 1, small);
	assert_int_equal(rx_all(p, pkts, NPKT + 1), NPKT);
	for (unsigned int i = 0; i < NPKT; i++) {
		check_pkt(pkts[i], i, pkt_ts[i]);
		chains += pkts[i]->nb_segs > 1;
		bytes += pkt_len[i];
	}
	assert_true(chains > 0);
	assert_int_equal(sl_eth_tx_burst(p, 0, pkts, NPKT), NPKT);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, NPKT);
	assert_int_equal(st.ibytes, bytes);
	assert_int_equal(st.opackets, NPKT);
	assert_int_equal(st.obytes, bytes);
	assert_int_equal(st.ierrors + st.oerrors + st.rx_nombuf, 0);
	/* Stop flushes: the file is complete before close. */
	assert_int_equal(sl_eth_dev_stop(p), 0);
	a = slurp(path_in, &la);
	b = slurp(path_out, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	assert_int_equal(sl_vdev_uninit("net_pcap0"), 0);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(sl_mempool_in_use_count(small), 0);
}

/* The same packets and nanosecond times from pcapng, and microseconds
 * (rounded down to the microsecond) from a classic pcap. */
static void
test_pcapng_and_usec(void **state)
{
	struct sl_mbuf *pkts[NPKT + 1];
	char args[600];
	uint16_t p;

	(void)state;
	snprintf(args, sizeof(args), "rx_pcap=%s", path_ng);
	assert_int_equal(sl_vdev_init("net_pcap1", args), 0);
	p = port_named("net_pcap1");
	port_up(p, 1, pool);
	assert_int_equal(rx_all(p, pkts, NPKT + 1), NPKT);
	for (unsigned int i = 0; i < NPKT; i++)
		check_pkt(pkts[i], i, pkt_ts[i]);
	sl_mbuf_free_bulk(pkts, NPKT);
	assert_int_equal(sl_vdev_uninit("net_pcap1"), 0);

	snprintf(args, sizeof(args), "rx_pcap=%s", path_us);
	assert_int_equal(sl_vdev_init("net_pcap1", args), 0);
	p = port_named("net_pcap1");
	port_up(p, 1, pool);
	assert_int_equal(rx_all(p, pkts, NPKT + 1), NPKT);
	for (unsigned int i = 0; i < NPKT; i++)
		check_pkt(pkts[i], i, pkt_ts[i] / 1000 * 1000);
	sl_mbuf_free_bulk(pkts, NPKT);
	assert_int_equal(sl_vdev_uninit("net_pcap1"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* infinite_rx: 3 packets replayed; pass k is shifted by k periods. */
static void
test_infinite_rx(void **state)
{
	char path[300], args[600];
	struct sl_mbuf *pkts[10];
	uint64_t period;
	uint16_t p;

	(void)state;
	snprintf(path, sizeof(path), "%s/three.pcap", dir);
	write_pcap(path, true, 1, 3);
	/* Back to back: the last gap once more after the last packet. */
	period = pkt_ts[2] - pkt_ts[0] + (pkt_ts[2] - pkt_ts[1]);
	snprintf(args, sizeof(args), "rx_pcap=%s,infinite_rx=1", path);
	assert_int_equal(sl_vdev_init("net_pcap2", args), 0);
	p = port_named("net_pcap2");
	port_up(p, 1, pool);
	for (unsigned int round = 0; round < 3; round++) {
		assert_int_equal(rx_all(p, pkts, 10), 10);
		for (unsigned int i = 0; i < 10; i++) {
			unsigned int k = round * 10 + i;

			check_pkt(pkts[i], k % 3, pkt_ts[k % 3] + (k / 3) * period);
		}
		sl_mbuf_free_bulk(pkts, 10);
	}
	assert_int_equal(sl_vdev_uninit("net_pcap2"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* An empty pool holds a record back; it comes once mbufs are free. */
static void
test_nombuf_loses_nothing(void **state)
{
	struct sl_mempool *tiny;
	struct sl_mbuf *m;
	struct sl_eth_stats st;
	char args[600];
	unsigned int got = 0;
	uint16_t p;

	(void)state;
	tiny = sl_mbuf_pool_create("pcap_tiny", 80, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	assert_non_null(tiny);
	snprintf(args, sizeof(args), "rx_pcap=%s", path_in);
	assert_int_equal(sl_vdev_init("net_pcap3", args), 0);
	p = port_named("net_pcap3");
	port_up(p, 1, tiny);
	while (got < NPKT) {
		if (got % 3 == 1) {
			/* Run the pool dry: the next record waits, RX gives nothing. */
			struct sl_mbuf *hold[80];
			unsigned int h = 0;

			while (h < 80 && (hold[h] = sl_mbuf_alloc(tiny)) != NULL)
				h++;
			assert_int_equal(sl_eth_rx_burst(p, 0, &m, 1), 0);
			sl_mbuf_free_bulk(hold, h);
		}
		assert_int_equal(sl_eth_rx_burst(p, 0, &m, 1), 1);
		check_pkt(m, got, pkt_ts[got]);
		sl_mbuf_free(m);
		got++;
	}
	assert_int_equal(sl_eth_rx_burst(p, 0, &m, 1), 0); /* end of file */
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, NPKT);
	assert_true(st.rx_nombuf > 0);
	assert_int_equal(st.ierrors, 0);
	assert_int_equal(sl_vdev_uninit("net_pcap3"), 0);
	assert_int_equal(sl_mempool_in_use_count(tiny), 0);
	assert_int_equal(sl_mempool_free(tiny), 0);
}

/* TX of a packet without a timestamp writes the current time; a port
 * without a TX sink drops what it is given, counted in oerrors. */
static void
test_tx_clock_and_no_sink(void **state)
{
	struct sl_mbuf *m;
	struct sl_eth_stats st;
	struct timespec now;
	char args[600];
	uint8_t *b;
	size_t lb;
	uint32_t sec;
	uint16_t p;

	(void)state;
	snprintf(args, sizeof(args), "tx_pcap=%s", path_out);
	assert_int_equal(sl_vdev_init("net_pcap4", args), 0);
	p = port_named("net_pcap4");
	port_up(p, 1, pool);
	assert_int_equal(sl_eth_rx_burst(p, 0, &m, 1), 0); /* no RX source */
	m = sl_mbuf_alloc(pool);
	assert_non_null(m);
	memcpy(sl_mbuf_append(m, 60), pkt_data[0], 60);
	clock_gettime(CLOCK_REALTIME, &now);
	assert_int_equal(sl_eth_tx_burst(p, 0, &m, 1), 1);
	assert_int_equal(sl_vdev_uninit("net_pcap4"), 0); /* close flushes */
	b = slurp(path_out, &lb);
	assert_int_equal(lb, 24 + 16 + 60);
	assert_int_equal(b[0], 0x4d); /* nanosecond magic, little endian */
	memcpy(&sec, b + 24, 4);
	assert_true(sec >= (uint32_t)now.tv_sec && sec <= (uint32_t)now.tv_sec + 5);
	assert_memory_equal(b + 40, pkt_data[0], 60);
	free(b);

	snprintf(args, sizeof(args), "rx_pcap=%s", path_in);
	assert_int_equal(sl_vdev_init("net_pcap4", args), 0);
	p = port_named("net_pcap4");
	port_up(p, 1, pool);
	m = sl_mbuf_alloc(pool);
	assert_non_null(m);
	assert_int_equal(sl_eth_tx_burst(p, 0, &m, 1), 1);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.oerrors, 1);
	assert_int_equal(st.opackets, 0);
	assert_int_equal(sl_vdev_uninit("net_pcap4"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* A file cut short after probe: RX stops at the bad record, says which
 * once, and counts it; what came before was delivered intact. */
static void
test_file_cut_after_probe(void **state)
{
	char path[300], args[600], want[200];
	struct sl_mbuf *pkts[4 * NPKT];
	struct sl_eth_stats st;
	unsigned int got, n = 0;
	uint64_t off = 24;
	uint16_t p;
	FILE *f;

	(void)state;
	/* Four copies of the packets: bigger than stdio's first read. */
	snprintf(path, sizeof(path), "%s/cut_later.pcap", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	put32(f, 0xa1b23c4d);
	put16(f, 2);
	put16(f, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, 262144);
	put32(f, 1);
	for (unsigned int k = 0; k < 4 * NPKT; k++) {
		put32(f, (uint32_t)(pkt_ts[k % NPKT] / 1000000000));
		put32(f, (uint32_t)(pkt_ts[k % NPKT] % 1000000000));
		put32(f, pkt_len[k % NPKT]);
		put32(f, pkt_len[k % NPKT]);
		fwrite(pkt_data[k % NPKT], 1, pkt_len[k % NPKT], f);
	}
	assert_int_equal(fclose(f), 0);
	snprintf(args, sizeof(args), "rx_pcap=%s", path);
	assert_int_equal(sl_vdev_init("net_pcap6", args), 0);
	p = port_named("net_pcap6");
	port_up(p, 1, pool);
	/* Cut in the middle of record 2 * NPKT + 1. */
	for (unsigned int k = 0; k < 2 * NPKT; k++)
		off += 16 + pkt_len[k % NPKT];
	assert_int_equal(truncate(path, (off_t)off + 20), 0);
	snprintf(want, sizeof(want), "cut_later.pcap: record %u at byte offset %llu is corrupt "
		 "or truncated", 2 * NPKT + 1, (unsigned long long)off);
	log_capture();
	got = rx_all(p, pkts, 4 * NPKT);
	assert_logged(log_end(), want);
	log_capture();
	assert_int_equal(sl_eth_rx_burst(p, 0, pkts + got, 1), 0); /* silent from now on */
	assert_int_equal(strlen(log_end()), 0);
	/* Every record before the cut was delivered intact and in order
	 * (libpcap's stdio had read only the first buffer before the cut). */
	assert_int_equal(got, 2 * NPKT);
	for (unsigned int i = 0; i < got; i++, n++)
		check_pkt(pkts[i], i % NPKT, pkt_ts[i % NPKT]);
	sl_mbuf_free_bulk(pkts, n);
	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.ipackets, got);
	assert_int_equal(st.ierrors, 1);
	assert_int_equal(sl_vdev_uninit("net_pcap6"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* A pool whose mbufs have no room after the headroom is refused at setup. */
static void
test_pool_without_room(void **state)
{
	struct sl_mempool *hdr_only;
	char args[600];
	uint16_t p;

	(void)state;
	hdr_only = sl_mbuf_pool_create("pcap_hdr", 127, 0, 0, SL_PKTMBUF_HEADROOM, 0);
	assert_non_null(hdr_only);
	snprintf(args, sizeof(args), "rx_pcap=%s", path_in);
	assert_int_equal(sl_vdev_init("net_pcap5", args), 0);
	p = port_named("net_pcap5");
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 64, SL_SOCKET_ID_ANY, NULL, hdr_only),
			    -EINVAL, "no room after the 128-byte headroom");
	assert_int_equal(sl_vdev_uninit("net_pcap5"), 0);
	assert_int_equal(sl_mempool_free(hdr_only), 0);
}

static void
probe_fails(const char *args, int err, const char *needle, const char *needle2)
{
	int fds = count_fds();
	const char *log;

	log_capture();
	assert_int_equal(sl_vdev_init("net_pcap9", args), err);
	log = log_end();
	assert_logged(log, needle);
	if (needle2 != NULL)
		assert_logged(log, needle2);
	assert_int_equal(count_fds(), fds);
	assert_null(sl_vdev_find("net_pcap9"));
}

static void
test_bad_files(void **state)
{
	char p[300], args[700];
	uint8_t *in;
	size_t len;
	FILE *f;

	(void)state;
	in = slurp(path_in, &len);

	snprintf(args, sizeof(args), "rx_pcap=%s/missing.pcap", dir);
	probe_fails(args, -ENOENT, "missing.pcap: cannot open: No such file",
		    "existing pcap or pcapng");

	/* Garbage header. */
	snprintf(p, sizeof(p), "%s/garbage.pcap", dir);
	f = fopen(p, "wb");
	fputs("this is not a capture file at all", f);
	fclose(f);
	snprintf(args, sizeof(args), "rx_pcap=%s", p);
	probe_fails(args, -EINVAL, "garbage.pcap: not a readable pcap or pcapng file",
		    "starts with 74 68 69 73");

	/* Header cut short. */
	snprintf(p, sizeof(p), "%s/short.pcap", dir);
	f = fopen(p, "wb");
	fwrite(in, 1, 10, f);
	fclose(f);
	snprintf(args, sizeof(args), "rx_pcap=%s", p);
	probe_fails(args, -EINVAL, "short.pcap: the file header is cut short", NULL);

	/* Truncated in the middle of record 3's data: records 1-2 are intact,
	 * record 3 starts at 24 + 16 * 2 + len0 + len1. */
	snprintf(p, sizeof(p), "%s/trunc.pcap", dir);
	f = fopen(p, "wb");
	fwrite(in, 1, 24 + 16 * 3 + pkt_len[0] + pkt_len[1] + 10, f);
	fclose(f);
	snprintf(args, sizeof(args), "rx_pcap=%s", p);
	{
		char want[200];

		snprintf(want, sizeof(want), "trunc.pcap: record 3 at byte offset %u is corrupt or "
			 "truncated", 24 + 16 * 2 + pkt_len[0] + pkt_len[1]);
		probe_fails(args, -EINVAL, want, "fixed.pcap 1-2");
	}

	/* A record header claiming 4 GiB. */
	snprintf(p, sizeof(p), "%s/corrupt.pcap", dir);
	f = fopen(p, "wb");
	fwrite(in, 1, 24 + 8, f);
	put32(f, 0xfffffff0);
	fwrite(in + 24 + 12, 1, len - 24 - 12, f);
	fclose(f);
	snprintf(args, sizeof(args), "rx_pcap=%s", p);
	probe_fails(args, -EINVAL, "corrupt.pcap: record 1 at byte offset 24", "capture length");

	/* Not Ethernet (LINKTYPE_RAW = 101). */
	snprintf(p, sizeof(p), "%s/raw.pcap", dir);
	write_pcap(p, true, 101, 2);
	snprintf(args, sizeof(args), "rx_pcap=%s", p);
	probe_fails(args, -EPROTONOSUPPORT, "raw.pcap: link type", "(RAW), not Ethernet");

	/* No packets: fine to stream, nothing to loop. */
	snprintf(p, sizeof(p), "%s/nopkts.pcap", dir);
	write_pcap(p, true, 1, 0);
	snprintf(args, sizeof(args), "rx_pcap=%s,infinite_rx=1", p);
	probe_fails(args, -EINVAL, "nopkts.pcap has no packets", NULL);

	/* Output problems. */
	snprintf(args, sizeof(args), "rx_pcap=%s,tx_pcap=%s/no/such/dir/out.pcap", path_in, dir);
	probe_fails(args, -ENOENT, "out.pcap: cannot create the file", "directory exists");
	snprintf(args, sizeof(args), "rx_pcap=%s,tx_pcap=%s", path_in, path_in);
	probe_fails(args, -EINVAL, "are the same file", NULL);

	/* Arguments. */
	probe_fails("", -EINVAL, "nothing to read or write", NULL);
	probe_fails("rx_pcap=", -EINVAL, "rx_pcap= is empty", NULL);
	probe_fails("infinite_rx=1,tx_pcap=/tmp/x.pcap", -EINVAL, "infinite_rx=1 loops", NULL);
	probe_fails("infinite_rx=maybe,rx_pcap=/tmp/x", -EINVAL, "maybe", NULL);
	probe_fails("rx_pcap=/tmp/a,iface=lo", -EINVAL, "both give the RX source", NULL);
	probe_fails("iface=lo,rx_iface=lo", -EINVAL, "give either", NULL);
	probe_fails("speed=fast", -EINVAL, "speed", NULL);
	probe_fails("iface=sl_nosuch0", geteuid() == 0 ? -ENODEV : -EPERM,
		    geteuid() == 0 ? "no such interface" : "CAP_NET_RAW", NULL);
	free(in);
	/* The input is untouched by all this. */
	in = slurp(path_in, &len);
	{
		size_t want = 24 + 16 * NPKT;

		for (unsigned int i = 0; i < NPKT; i++)
			want += pkt_len[i];
		assert_int_equal(len, want);
	}
	free(in);
}

static int
group_setup(void **state)
{
	static const uint32_t lens[] = { 60, 64, 128, 511, 512, 513, 1024, 1514, 3000, 9018 };
	uint64_t t = T0;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path_in, sizeof(path_in), "%s/in.pcap", dir);
	snprintf(path_out, sizeof(path_out), "%s/out.pcap", dir);
	snprintf(path_ng, sizeof(path_ng), "%s/in.pcapng", dir);
	snprintf(path_us, sizeof(path_us), "%s/in_us.pcap", dir);
	srand(7);
	for (unsigned int i = 0; i < NPKT; i++) {
		pkt_len[i] = lens[i % SL_DIM(lens)];
		pkt_ts[i] = t;
		t += 1 + (uint64_t)rand() % 5000000; /* ns gaps, not multiples of 1000 */
		for (uint32_t k = 0; k < pkt_len[i]; k++)
			pkt_data[i][k] = (uint8_t)rand();
		pkt_data[i][0] = 0x02; /* unicast destination */
	}
	write_pcap(path_in, true, 1, NPKT);
	write_pcap(path_us, false, 1, NPKT);
	write_pcapng(path_ng);
	if (th_eal_start("test_pcap", NULL, NULL) < 0)
		return -1;
	pool = sl_mbuf_pool_create("pcap_pool", 1023, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	small = sl_mbuf_pool_create("pcap_small", 1023, 0, 0, SL_PKTMBUF_HEADROOM + 512, 0);
	return pool == NULL || small == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	log_free();
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_mempool_free(small), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_pcapng_and_usec),
		cmocka_unit_test(test_infinite_rx),
		cmocka_unit_test(test_nombuf_loses_nothing),
		cmocka_unit_test(test_tx_clock_and_no_sink),
		cmocka_unit_test(test_file_cut_after_probe),
		cmocka_unit_test(test_pool_without_room),
		cmocka_unit_test(test_bad_files),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
