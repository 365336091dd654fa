/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the net_memif PMD: a server port and a client port in one
 * process, on a socket in a private temporary directory (no root needed):
 *
 *  - they connect (link up on both), and frames of 60..9000 bytes (one
 *    descriptor, chains of descriptors, multi-segment mbufs) go both ways
 *    bit-identical; the counters agree; no mbuf is left out of the pool;
 *  - a full ring refuses what it cannot take (the caller keeps it);
 *  - the client stopping takes the server's link down, and starting it
 *    again reconnects; the same with the server;
 *  - a client with another id is refused, with the reason on both sides;
 *  - bad arguments fail at probe with a message naming the fix and leave
 *    no descriptor behind.
 * The two-process case is covered by test/app/test_memif.py.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

#include "memif_proto.h" /* the wire format, to play a hostile peer */

static struct sl_mempool *pool;
static char dir[64];
static char sock[128];
static char args_srv[256];
static char args_cli[256];

static void probe_fails(const char *args, int err, const char *needle);

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool
link_up(uint16_t p)
{
	struct sl_eth_link l;

	assert_int_equal(sl_eth_link_get_nowait(p, &l), 0);
	return l.link_status == SL_ETH_LINK_UP;
}

/* Wait up to 5 s for the links of @p a and @p b to be @p up. */
static bool
links_wait(uint16_t a, uint16_t b, bool up)
{
	double t0 = now_s();

	while (now_s() - t0 < 5) {
		if (link_up(a) == up && link_up(b) == up)
			return true;
		usleep(10000);
	}
	return false;
}

static void
fill(uint8_t *f, uint32_t len, uint8_t seed)
{
	for (uint32_t k = 0; k < len; k++)
		f[k] = (uint8_t)(k * 31 + seed);
}

/* An mbuf (a chain of @p seg-byte segments if @p seg != 0) holding @p f. */
static struct sl_mbuf *
make_pkt(const uint8_t *f, uint32_t len, uint16_t seg)
{
	struct sl_mbuf *head = NULL;
	uint32_t off = 0;

	if (seg == 0)
		seg = (uint16_t)(SL_MBUF_DEFAULT_BUF_SIZE - SL_PKTMBUF_HEADROOM);
	while (off < len) {
		uint16_t n = (uint16_t)SL_MIN((uint32_t)seg, len - off);
		struct sl_mbuf *m = sl_mbuf_alloc(pool);

		assert_non_null(m);
		memcpy(sl_mbuf_append(m, n), f + off, n);
		off += n;
		if (head == NULL)
			head = m;
		else
			assert_int_equal(sl_mbuf_chain(head, m), 0);
	}
	return head;
}

/* Send @p n frames of @p len from @p tx, receive them on @p rx, compare. */
static void
move(uint16_t tx, uint16_t rx, uint32_t len, uint16_t seg, unsigned int n)
{
	static uint8_t f[9000], buf[9000];
	struct sl_mbuf *pkts[32], *got[32];
	unsigned int nrx = 0;
	double t0;

	assert_true(n <= 32 && len <= sizeof(f));
	for (unsigned int i = 0; i < n; i++) {
		fill(f, len, (uint8_t)i);
		pkts[i] = make_pkt(f, len, seg);
	}
	assert_int_equal(sl_eth_tx_burst(tx, 0, pkts, (uint16_t)n), n);
	t0 = now_s();
	while (nrx < n && now_s() - t0 < 2)
		nrx += sl_eth_rx_burst(rx, 0, got + nrx, (uint16_t)(n - nrx));
	assert_int_equal(nrx, n);
	for (unsigned int i = 0; i < n; i++) {
		fill(f, len, (uint8_t)i);
		assert_int_equal(got[i]->pkt_len, len);
		assert_int_equal(got[i]->port, rx);
		assert_memory_equal(sl_mbuf_read(got[i], 0, len, buf), f, len);
		sl_mbuf_free(got[i]);
	}
}

/* Probe a server and a client on the test socket, configure, start. */
static void
pair_up(uint16_t *srv, uint16_t *cli)
{
	assert_int_equal(sl_vdev_init("net_memif0", args_srv), 0);
	assert_int_equal(sl_vdev_init("net_memif1", args_cli), 0);
	*srv = port_named("net_memif0");
	*cli = port_named("net_memif1");
	port_up(*srv, 1, pool);
	port_up(*cli, 1, pool);
	assert_true(links_wait(*srv, *cli, true));
}

static void
pair_down(void)
{
	assert_int_equal(sl_vdev_uninit("net_memif1"), 0);
	assert_int_equal(sl_vdev_uninit("net_memif0"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* Both ways, every size class, bytes kept, counters right. */
static void
test_both_ways(void **state)
{
	static const uint32_t sizes[] = { 60, 64, 1514, 2048, 2049, 4000, 9000 };
	struct sl_eth_stats s, c;
	uint64_t bytes = 0;
	uint16_t srv, cli;
	int fds = count_fds();

	(void)state;
	pair_up(&srv, &cli);
	for (unsigned int i = 0; i < SL_DIM(sizes); i++) {
		move(cli, srv, sizes[i], 0, 8);
		move(srv, cli, sizes[i], 0, 8);
		bytes += 8ull * sizes[i];
	}
	/* Multi-segment mbufs (100-byte segments) both ways. */
	move(cli, srv, 1514, 100, 4);
	move(srv, cli, 1514, 100, 4);
	bytes += 4ull * 1514;

	assert_int_equal(sl_eth_stats_get(srv, &s), 0);
	assert_int_equal(sl_eth_stats_get(cli, &c), 0);
	assert_int_equal(s.ipackets, 8 * SL_DIM(sizes) + 4);
	assert_int_equal(c.opackets, s.ipackets);
	assert_int_equal(s.opackets, c.ipackets);
	assert_int_equal(s.ibytes, bytes);
	assert_int_equal(c.ibytes, bytes);
	assert_int_equal(s.ierrors + c.ierrors + s.oerrors + c.oerrors, 0);
	assert_int_equal(sl_eth_stats_reset(srv), 0);
	assert_int_equal(sl_eth_stats_get(srv, &s), 0);
	assert_int_equal(s.ipackets + s.opackets, 0);
	pair_down();
	assert_int_equal(count_fds(), fds);
}

/* A 16-slot ring takes 16 frames; the caller keeps the rest. */
static void
test_ring_full(void **state)
{
	uint8_t f[64];
	struct sl_mbuf *pkts[32], *got[32];
	uint16_t srv, cli, n = 0;

	(void)state;
	snprintf(args_cli + strlen(args_cli), sizeof(args_cli) - strlen(args_cli), ",rsize=4");
	pair_up(&srv, &cli);
	fill(f, sizeof(f), 1);
	for (unsigned int i = 0; i < 32; i++)
		pkts[i] = make_pkt(f, sizeof(f), 0);
	assert_int_equal(sl_eth_tx_burst(cli, 0, pkts, 32), 16);
	for (unsigned int i = 16; i < 32; i++)
		sl_mbuf_free(pkts[i]);
	/* Server -> client: the client gave 16 buffers, no more fit either. */
	for (unsigned int i = 0; i < 32; i++)
		pkts[i] = make_pkt(f, sizeof(f), 0);
	assert_int_equal(sl_eth_tx_burst(srv, 0, pkts, 32), 16);
	for (unsigned int i = 16; i < 32; i++)
		sl_mbuf_free(pkts[i]);
	while (n < 16)
		n += sl_eth_rx_burst(srv, 0, got + n, (uint16_t)(32 - n));
	assert_int_equal(n, 16);
	for (unsigned int i = 0; i < n; i++)
		sl_mbuf_free(got[i]);
	n = 0;
	while (n < 16)
		n += sl_eth_rx_burst(cli, 0, got + n, (uint16_t)(32 - n));
	assert_int_equal(n, 16);
	for (unsigned int i = 0; i < n; i++)
		sl_mbuf_free(got[i]);
	move(cli, srv, 100, 0, 16); /* room again after the reads */
	pair_down();
	*strrchr(args_cli, ',') = '\0';
}

/* Either side stopping takes both links down; starting again reconnects. */
static void
test_reconnect(void **state)
{
	struct sl_mbuf *m;
	uint8_t f[64];
	uint16_t srv, cli;

	(void)state;
	pair_up(&srv, &cli);
	move(cli, srv, 200, 0, 4);

	assert_int_equal(sl_eth_dev_stop(cli), 0);
	assert_true(links_wait(srv, cli, false));
	/* Disconnected: nothing is sent, the caller keeps the packet. */
	fill(f, sizeof(f), 0);
	m = make_pkt(f, sizeof(f), 0);
	assert_int_equal(sl_eth_tx_burst(srv, 0, &m, 1), 0);
	sl_mbuf_free(m);
	assert_int_equal(sl_eth_dev_start(cli), 0);
	assert_true(links_wait(srv, cli, true));
	move(cli, srv, 300, 0, 4);
	move(srv, cli, 300, 0, 4);

	for (int round = 0; round < 3; round++) {
		assert_int_equal(sl_eth_dev_stop(srv), 0);
		assert_true(links_wait(srv, cli, false));
		assert_int_equal(sl_eth_dev_start(srv), 0);
		/* The client retries every 250 ms. */
		assert_true(links_wait(srv, cli, true));
		move(cli, srv, 1000, 0, 8);
		move(srv, cli, 1000, 0, 8);
	}
	pair_down();
}

/* Queue i of one end is queue i of the other; counts and secrets are checked. */
static void
test_queues_and_secret(void **state)
{
	char srv[300], cli[300];
	struct sl_mbuf *m, *got[8];
	const char *log;
	uint8_t f[128], buf[128];
	uint16_t s, c;

	(void)state;
	snprintf(srv, sizeof(srv), "%s,qpairs=2,secret=sesame", args_srv);
	snprintf(cli, sizeof(cli), "%s,qpairs=2,secret=sesame", args_cli);
	assert_int_equal(sl_vdev_init("net_memif0", srv), 0);
	assert_int_equal(sl_vdev_init("net_memif1", cli), 0);
	s = port_named("net_memif0");
	c = port_named("net_memif1");
	port_up(s, 2, pool);
	port_up(c, 2, pool);
	assert_true(links_wait(s, c, true));
	for (uint16_t q = 0; q < 2; q++) {
		for (int dir = 0; dir < 2; dir++) {
			uint16_t tx = dir ? s : c, rx = dir ? c : s, n = 0;
			double t0 = now_s();

			fill(f, sizeof(f), (uint8_t)(q * 2 + dir));
			m = make_pkt(f, sizeof(f), 0);
			assert_int_equal(sl_eth_tx_burst(tx, q, &m, 1), 1);
			while (n == 0 && now_s() - t0 < 2)
				n = sl_eth_rx_burst(rx, q, got, 8);
			assert_int_equal(n, 1);
			assert_memory_equal(sl_mbuf_read(got[0], 0, sizeof(f), buf), f, sizeof(f));
			sl_mbuf_free(got[0]);
			/* Nothing on the other queue. */
			assert_int_equal(sl_eth_rx_burst(rx, (uint16_t)(1 - q), got, 8), 0);
		}
	}
	pair_down();

	/* Server with one queue pair, client with two: refused, with the fix. */
	snprintf(srv, sizeof(srv), "%s,secret=sesame", args_srv);
	assert_int_equal(sl_vdev_init("net_memif0", srv), 0);
	assert_int_equal(sl_vdev_init("net_memif1", cli), 0);
	s = port_named("net_memif0");
	c = port_named("net_memif1");
	log_capture();
	port_up(s, 1, pool);
	port_up(c, 2, pool);
	usleep(500 * 1000);
	assert_false(link_up(c));
	assert_int_equal(sl_vdev_uninit("net_memif1"), 0);
	/* Wrong secret: refused by the server. */
	snprintf(cli, sizeof(cli), "%s,secret=open", args_cli);
	assert_int_equal(sl_vdev_init("net_memif1", cli), 0);
	c = port_named("net_memif1");
	port_up(c, 1, pool);
	usleep(500 * 1000);
	assert_false(link_up(c));
	assert_int_equal(sl_vdev_uninit("net_memif1"), 0);
	assert_int_equal(sl_vdev_uninit("net_memif0"), 0);
	log = log_end();
	assert_logged(log, "takes at most 1 TX and 1 RX queue(s), this port has 2 and 2");
	assert_logged(log, "secret does not match");
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* An abstract socket (DPDK's default): no file; a second server is refused. */
static void
test_abstract(void **state)
{
	char srv[300], cli[300], path[160];
	uint16_t s, c;

	(void)state;
	snprintf(path, sizeof(path), "%s-abs", sock);
	snprintf(srv, sizeof(srv), "role=server,socket=%s,socket-abstract=yes", path);
	snprintf(cli, sizeof(cli), "role=client,socket=%s,socket-abstract=yes", path);
	assert_int_equal(sl_vdev_init("net_memif0", srv), 0);
	assert_int_equal(access(path, F_OK), -1); /* no file */
	assert_int_equal(errno, ENOENT);
	probe_fails(srv, -EADDRINUSE, "abstract socket=");
	assert_int_equal(sl_vdev_init("net_memif1", cli), 0);
	s = port_named("net_memif0");
	c = port_named("net_memif1");
	port_up(s, 1, pool);
	port_up(c, 1, pool);
	assert_true(links_wait(s, c, true));
	move(c, s, 1514, 0, 8);
	move(s, c, 1514, 0, 8);
	pair_down();
}

/* Map the client's region (a memfd of this process) to play the peer. */
static uint8_t *
map_region(size_t *size)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	uint8_t *addr = NULL;

	assert_non_null(d);
	while (addr == NULL && (e = readdir(d)) != NULL) {
		char link[300], target[128];
		ssize_t n;
		struct stat st;
		int fd = atoi(e->d_name);

		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strstr(target, "memif region 0") == NULL || fstat(fd, &st) != 0)
			continue;
		addr = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		assert_true(addr != MAP_FAILED);
		*size = (size_t)st.st_size;
	}
	closedir(d);
	assert_non_null(addr);
	return addr;
}

/* Descriptors pointing outside the shared memory: dropped, counted, no crash. */
static void
test_hostile_descriptors(void **state)
{
	const size_t ring_bytes = sizeof(struct memif_ring) + 1024 * sizeof(struct memif_desc);
	struct memif_ring *s2m, *m2s;
	struct sl_mbuf *m, *got[4];
	struct sl_eth_stats st;
	uint8_t f[100], *region;
	uint16_t srv, cli;
	size_t size;

	(void)state;
	pair_up(&srv, &cli);
	region = map_region(&size);
	/* Client layout: the S2M ring (its TX), then the M2S ring (its RX). */
	s2m = (struct memif_ring *)(void *)region;
	m2s = (struct memif_ring *)(void *)(region + ring_bytes);
	assert_int_equal(s2m->cookie, MEMIF_COOKIE);
	assert_int_equal(m2s->cookie, MEMIF_COOKIE);

	/* S2M: the client publishes a packet; its buffer offset is then made
	 * to point past the region before the server reads it. */
	fill(f, sizeof(f), 9);
	m = make_pkt(f, sizeof(f), 0);
	assert_int_equal(sl_eth_tx_burst(cli, 0, &m, 1), 1);
	s2m->desc[(uint16_t)(s2m->head - 1) & 1023].offset = (uint32_t)size - 10;
	assert_int_equal(sl_eth_rx_burst(srv, 0, got, 4), 0);
	assert_int_equal(sl_eth_stats_get(srv, &st), 0);
	assert_int_equal(st.ierrors, 1);
	move(cli, srv, 100, 0, 4); /* the ring moved on */
	/* Inside the region but longer than any packet: dropped, not copied. */
	m = make_pkt(f, sizeof(f), 0);
	assert_int_equal(sl_eth_tx_burst(cli, 0, &m, 1), 1);
	s2m->desc[(uint16_t)(s2m->head - 1) & 1023].offset = 0;
	s2m->desc[(uint16_t)(s2m->head - 1) & 1023].length = 70000;
	assert_int_equal(sl_eth_rx_burst(srv, 0, got, 4), 0);
	assert_int_equal(sl_eth_stats_get(srv, &st), 0);
	assert_int_equal(st.ierrors, 2);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);

	/* M2S: the next buffer the client hands over points outside. */
	m2s->desc[m2s->tail & 1023].offset = 0xfffff000u;
	m = make_pkt(f, sizeof(f), 0);
	assert_int_equal(sl_eth_tx_burst(srv, 0, &m, 1), 1); /* taken, dropped */
	assert_int_equal(sl_eth_stats_get(srv, &st), 0);
	assert_int_equal(st.oerrors, 1);
	assert_int_equal(sl_eth_rx_burst(cli, 0, got, 4), 0); /* an empty packet */
	assert_int_equal(sl_eth_stats_get(cli, &st), 0);
	assert_int_equal(st.ierrors, 1);
	move(srv, cli, 100, 0, 4);

	munmap(region, size);
	pair_down();
}

/* A second client is refused while the first is connected, then served. */
static void
test_second_client(void **state)
{
	const char *log;
	uint16_t srv, cli, cli2;

	(void)state;
	pair_up(&srv, &cli);
	assert_int_equal(sl_vdev_init("net_memif2", args_cli), 0);
	cli2 = port_named("net_memif2");
	log_capture();
	port_up(cli2, 1, pool);
	usleep(600 * 1000);
	log = log_end();
	assert_logged(log, "refused the connection at hello: interface already connected");
	assert_false(link_up(cli2));
	assert_true(link_up(cli));
	move(cli, srv, 500, 0, 4);
	/* The first leaves: the second is served within its retry period. */
	assert_int_equal(sl_eth_dev_stop(cli), 0);
	assert_true(links_wait(srv, cli2, true));
	move(cli2, srv, 500, 0, 4);
	move(srv, cli2, 500, 0, 4);
	assert_int_equal(sl_vdev_uninit("net_memif2"), 0);
	pair_down();
}

/* A client asking for another id is refused; the reason is logged. */
static void
test_wrong_id(void **state)
{
	char cli[256];
	const char *log;
	uint16_t s, c;

	(void)state;
	snprintf(cli, sizeof(cli), "role=client,socket=%s,id=7", sock);
	assert_int_equal(sl_vdev_init("net_memif0", args_srv), 0);
	assert_int_equal(sl_vdev_init("net_memif1", cli), 0);
	s = port_named("net_memif0");
	c = port_named("net_memif1");
	log_capture();
	port_up(s, 1, pool);
	port_up(c, 1, pool);
	usleep(1500 * 1000);
	assert_false(link_up(s));
	assert_false(link_up(c));
	assert_int_equal(sl_vdev_uninit("net_memif1"), 0);
	assert_int_equal(sl_vdev_uninit("net_memif0"), 0);
	log = log_end();
	assert_logged(log, "no interface with id 7 here (id=0)");
	assert_logged(log, "refused the connection");
}

static void
probe_fails(const char *args, int err, const char *needle)
{
	int fds = count_fds();

	assert_fails_logged(sl_vdev_init("net_memif5", args), err, needle);
	assert_int_equal(count_fds(), fds);
	assert_null(sl_vdev_find("net_memif5"));
}

static void
test_bad_args(void **state)
{
	char a[512], notsock[128];
	FILE *f;

	(void)state;
	probe_fails("role=boss", -EINVAL, "role=server or role=client");
	probe_fails("role=client,rsize=15", -ERANGE, "rsize");
	probe_fails("role=client,rsize=0", -ERANGE, "log2 of the ring size");
	probe_fails("role=client,bsize=10", -ERANGE, "bsize");
	probe_fails("role=client,qpairs=17", -ERANGE, "qpairs");
	probe_fails("role=client,id=abc", -EINVAL, "'abc'");
	probe_fails("role=client,socket=", -EINVAL, "socket=");
	probe_fails("role=client,colour=red", -EINVAL, "colour");
	probe_fails("role=client,secret=0123456789012345678901234", -ENAMETOOLONG, "secret");
	probe_fails("role=client,mac=ff:ff:ff:ff:ff:ff", -EINVAL, "unicast");

	/* The path of a running server is in use. */
	assert_int_equal(sl_vdev_init("net_memif0", args_srv), 0);
	probe_fails(args_srv, -EADDRINUSE, "is in use");
	assert_int_equal(sl_vdev_uninit("net_memif0"), 0);
	/* A socket file nobody listens on (a crashed server) is taken over. */
	assert_int_equal(sl_vdev_init("net_memif0", args_srv), 0);
	assert_int_equal(sl_vdev_uninit("net_memif0"), 0);

	snprintf(notsock, sizeof(notsock), "%s/plain", dir);
	f = fopen(notsock, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(a, sizeof(a), "role=server,socket=%s", notsock);
	probe_fails(a, -EEXIST, "is not a socket");
	unlink(notsock);
	snprintf(a, sizeof(a), "role=server,socket=%s/no/such/dir.sock", dir);
	probe_fails(a, -ENOENT, "choose a path in a directory you can write");
	snprintf(a, sizeof(a), "role=server,socket=/%0200d", 1);
	probe_fails(a, -ENAMETOOLONG, "socket");
}

static int
group_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sl-memif-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(sock, sizeof(sock), "%s/m.sock", dir);
	snprintf(args_srv, sizeof(args_srv), "role=server,socket=%s", sock);
	snprintf(args_cli, sizeof(args_cli), "role=client,socket=%s", sock);
	if (th_eal_start("test_memif", NULL, NULL) < 0)
		return -1;
	pool = sl_mbuf_pool_create("memif_pool", 2047, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	log_free();
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	unlink(sock);
	rmdir(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_both_ways),
		cmocka_unit_test(test_ring_full),
		cmocka_unit_test(test_reconnect),
		cmocka_unit_test(test_wrong_id),
		cmocka_unit_test(test_abstract),
		cmocka_unit_test(test_hostile_descriptors),
		cmocka_unit_test(test_queues_and_secret),
		cmocka_unit_test(test_second_client),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
