/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the net_af_xdp PMD, in a private network namespace the
 * program makes for itself (unshare(CLONE_NEWNET)), with one veth pair in
 * it: the PMD drives IF_A, the test's own AF_PACKET socket is the kernel
 * side on IF_B.  Nothing else sends there, so counters are exact, and the
 * namespace goes away with the process.
 *
 *  - frames the kernel sends arrive from rx_burst bit-identical and in
 *    order, in mbufs of the RX pool whose data the kernel wrote in place
 *    (the UMEM is the pool); stats count them;
 *  - tx_burst sends mbufs of the UMEM pool as they are, and copies mbufs of
 *    another pool and chains; the AF_PACKET socket on IF_B captures every
 *    frame bit-identical; a packet too long for a frame is freed and counted;
 *  - an RX ring left full makes the kernel drop: ipackets + imissed = sent,
 *    and the XDP_STATISTICS xstats say why;
 *  - a pool run dry empties the fill ring (rx_nombuf, imissed) and RX
 *    resumes once mbufs are back;
 *  - while started our program is on IF_A and a second port on it fails
 *    with the command that shows the program; after stop no program, no
 *    socket, no ring mapping and no mbuf is left;
 *  - bad arguments and a pool that cannot be a UMEM fail with the fix.
 * The EAL runs on borrowed 2 MiB hugepages (the UMEM is hugepage memory, as
 * in production); where the kernel gives none, on --no-huge memory.
 *
 * Needs root (CAP_SYS_ADMIN for the namespace, CAP_NET_RAW, CAP_BPF and
 * CAP_NET_ADMIN); skips (77) otherwise.  Without libxdp/libbpf the driver is
 * not built and the program only skips.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_test.h"
#include "sl_test_hugepages.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "test_eth_helpers.h"
#include "sl_test_netns.h"

#define IF_A "slx0"
#define IF_B "slx1"
#define NFRAMES 200
#define ETHERTYPE_TEST 0x88b5
/* Where the kernel writes a packet in an mbuf: mbuf headroom + XDP's 256. */
#define XDP_DATA_OFF (SL_PKTMBUF_HEADROOM + 256)
/* 2 MiB pages borrowed for the EAL's 64 MB. */
#define HUGEPAGES 40

static struct sl_mempool *pool, *other;
static bool can_run;
static char skip_reason[256];
static int peer_fd = -1; /* AF_PACKET on IF_B: the kernel side */

/* ---- the namespace, its interfaces and the kernel-side socket ---- */

static void
netns_setup(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int one = 1, rcvbuf = 8 << 20;

#ifndef SL_HAVE_AF_XDP
	snprintf(skip_reason, sizeof(skip_reason),
		 "net_af_xdp is not built (libxdp-dev and libbpf-dev were missing)");
	return;
#endif
	if (sl_test_netns_enter(IF_A, IF_B, skip_reason, sizeof(skip_reason)) != 0)
		return;
	peer_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	sll.sll_ifindex = (int)if_nametoindex(IF_B);
	if (peer_fd < 0 || bind(peer_fd, (struct sockaddr *)&sll, sizeof(sll)) != 0 ||
	    setsockopt(peer_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) != 0 ||
	    /* Room for every frame a test sends before it reads them. */
	    setsockopt(peer_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) != 0) {
		snprintf(skip_reason, sizeof(skip_reason), "AF_PACKET socket on " IF_B ": %s",
			 strerror(errno));
		return;
	}
	can_run = true;
}

#define NEED_NETNS() SL_TEST_NEED_NETNS(can_run, skip_reason)

/* The XDP program id on @p ifname, 0 if none ('ip -d link' shows the same). */
static unsigned int
xdp_prog_id(const char *ifname)
{
	char cmd[128], out[8192];
	const char *k;
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip -d -j link show dev %s", ifname);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	pclose(f);
	out[n] = '\0';
	k = strstr(out, "\"xdp\":");
	if (k == NULL)
		return 0;
	k = strstr(k, "\"id\":");
	return k == NULL ? 0 : (unsigned int)atoi(k + strlen("\"id\":"));
}

/* ---- frames ---- */

static uint32_t
make_frame(uint8_t *f, unsigned int i, uint32_t len, uint8_t tag)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xbb };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xaa };

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE_TEST >> 8;
	f[13] = ETHERTYPE_TEST & 0xff;
	f[14] = tag;
	f[15] = (uint8_t)(i >> 8);
	f[16] = (uint8_t)i;
	for (uint32_t k = 17; k < len; k++)
		f[k] = (uint8_t)(k * 7 + i * 13 + tag);
	return len;
}

static uint32_t
frame_len(unsigned int i)
{
	static const uint32_t sizes[] = { 60, 64, 65, 127, 512, 1000, 1514 };

	return sizes[i % SL_DIM(sizes)];
}

static struct sl_mbuf *
frame_mbuf(struct sl_mempool *mp, unsigned int i, uint32_t len, uint8_t tag)
{
	struct sl_mbuf *m = sl_mbuf_alloc(mp);

	assert_non_null(m);
	make_frame((uint8_t *)sl_mbuf_append(m, (uint16_t)len), i, len, tag);
	return m;
}

/* Send frame i (tag) from the kernel side. */
static void
peer_send(unsigned int i, uint32_t len, uint8_t tag)
{
	uint8_t f[2048];

	make_frame(f, i, len, tag);
	assert_int_equal(send(peer_fd, f, len, 0), (ssize_t)len);
}

/* Next test frame the kernel side captured within 2 s, or -1. */
static ssize_t
peer_recv(uint8_t *buf, size_t size)
{
	struct pollfd pfd = { .fd = peer_fd, .events = POLLIN };

	for (;;) {
		ssize_t n;

		if (poll(&pfd, 1, 2000) != 1)
			return -1;
		n = recv(peer_fd, buf, size, 0);
		if (n >= 14 && buf[12] == ETHERTYPE_TEST >> 8 && buf[13] == (ETHERTYPE_TEST & 0xff))
			return n;
	}
}

static void
peer_flush(void)
{
	uint8_t buf[4096];

	while (recv(peer_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static unsigned int
rx_wait(uint16_t port, struct sl_mbuf **pkts, unsigned int n)
{
	struct timespec t0, t;
	unsigned int got = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < n) {
		got += sl_eth_rx_burst(port, 0, pkts + got, (uint16_t)SL_MIN(n - got, 32u));
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 2)
			break;
	}
	return got;
}

static void
tx_all(uint16_t port, struct sl_mbuf **pkts, unsigned int n)
{
	unsigned int sent = 0, tries = 0;

	while (sent < n) {
		uint16_t k = sl_eth_tx_burst(port, 0, pkts + sent, (uint16_t)SL_MIN(n - sent, 32u));

		sent += k;
		if (k == 0) {
			assert_true(++tries < 20000);
			usleep(100);
		}
	}
}

static uint16_t
port_on(const char *name, const char *args, uint16_t nb_desc, struct sl_mempool *mp)
{
	uint16_t p;

	assert_int_equal(sl_vdev_init(name, args), 0);
	p = port_named(name);
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_int_equal(sl_eth_rx_queue_setup(p, 0, nb_desc, SL_SOCKET_ID_ANY, NULL, mp), 0);
	assert_int_equal(sl_eth_tx_queue_setup(p, 0, nb_desc, SL_SOCKET_ID_ANY, NULL), 0);
	assert_int_equal(sl_eth_dev_start(p), 0);
	return p;
}

static uint64_t
xstat(uint16_t p, const char *name)
{
	uint64_t id, v;

	assert_int_equal(sl_eth_xstats_get_id_by_name(p, name, &id), 0);
	assert_int_equal(sl_eth_xstats_get_by_id(p, &id, &v, 1), 1);
	return v;
}

/* ---- tests ---- */

/* Kernel -> rx_burst: bytes, order, zero-copy placement, stats; nothing left after. */
static void
test_rx(void **state)
{
	struct sl_mbuf *rx[NFRAMES + 1];
	struct sl_eth_stats st;
	uint64_t bytes = 0;
	int fds, maps;
	uint16_t a;
	unsigned int got;

	(void)state;
	NEED_NETNS();
	fds = count_fds();
	maps = count_socket_maps("XDP");
	assert_int_equal(xdp_prog_id(IF_A), 0);
	a = port_on("net_af_xdp0", "iface=" IF_A, 256, pool);
	assert_true(xdp_prog_id(IF_A) != 0);
	/* The fill ring holds the pool's mbufs while started. */
	assert_int_equal(sl_mempool_in_use_count(pool), 256);
	for (unsigned int i = 0; i < NFRAMES; i++) {
		peer_send(i, frame_len(i), 1);
		bytes += frame_len(i);
	}
	got = rx_wait(a, rx, NFRAMES + 1);
	assert_int_equal(got, NFRAMES);
	for (unsigned int i = 0; i < NFRAMES; i++) {
		uint8_t want[2048];

		make_frame(want, i, frame_len(i), 1);
		assert_int_equal(rx[i]->pkt_len, frame_len(i));
		assert_int_equal(rx[i]->data_len, frame_len(i));
		assert_int_equal(rx[i]->nb_segs, 1);
		assert_int_equal(rx[i]->port, a);
		/* Written in place by the kernel: an mbuf of the RX pool, data
		 * behind the XDP headroom, no copy. */
		assert_ptr_equal(rx[i]->pool, pool);
		assert_int_equal(rx[i]->data_off, XDP_DATA_OFF);
		assert_memory_equal(sl_mbuf_mtod(rx[i], const void *), want, frame_len(i));
	}
	sl_mbuf_free_bulk(rx, got);
	assert_int_equal(sl_eth_stats_get(a, &st), 0);
	assert_int_equal(st.ipackets, NFRAMES);
	assert_int_equal(st.ibytes, bytes);
	assert_int_equal(st.imissed, 0);
	assert_int_equal(st.q_ipackets[0], NFRAMES);
	assert_int_equal(sl_eth_stats_reset(a), 0);
	assert_int_equal(sl_eth_stats_get(a, &st), 0);
	assert_int_equal(st.ipackets + st.ibytes, 0);

	assert_int_equal(sl_eth_dev_stop(a), 0);
	/* Stopped: the program is gone, the sockets and rings closed, every
	 * mbuf back, and the kernel stack has the interface again. */
	assert_int_equal(xdp_prog_id(IF_A), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(count_socket_maps("XDP"), maps);
	/* The AF_XDP socket (and with it the UMEM registration) is closed:
	 * the port keeps only its control socket, XSKMAP and program. */
	assert_int_equal(count_fds(), fds + 3);
	/* ... and start works again. */
	assert_int_equal(sl_eth_dev_start(a), 0);
	peer_send(7, 100, 2);
	assert_int_equal(rx_wait(a, rx, 1), 1);
	assert_int_equal(rx[0]->pkt_len, 100);
	sl_mbuf_free(rx[0]);
	assert_int_equal(sl_vdev_uninit("net_af_xdp0"), 0);
	assert_int_equal(xdp_prog_id(IF_A), 0);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_socket_maps("XDP"), maps);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* tx_burst -> kernel: UMEM mbufs as they are, other pools and chains copied. */
static void
test_tx(void **state)
{
	struct sl_mbuf *tx[NFRAMES], *m2;
	struct sl_eth_stats st;
	uint8_t buf[4096], want[2048];
	uint64_t bytes = 0;
	unsigned int i;
	uint16_t a;

	(void)state;
	NEED_NETNS();
	a = port_on("net_af_xdp0", "iface=" IF_A, 256, pool);
	peer_flush();
	/* Even frames from the UMEM pool (zero-copy), odd ones from another. */
	for (i = 0; i < NFRAMES; i++) {
		tx[i] = frame_mbuf(i % 2 ? other : pool, i, frame_len(i), 3);
		bytes += frame_len(i);
	}
	tx_all(a, tx, NFRAMES);
	for (i = 0; i < NFRAMES; i++) {
		ssize_t n = peer_recv(buf, sizeof(buf));

		assert_int_equal(n, (ssize_t)frame_len(i));
		make_frame(want, i, frame_len(i), 3);
		assert_memory_equal(buf, want, frame_len(i));
	}
	/* Zero-copy: a UMEM-pool mbuf is itself on the TX ring until the
	 * completion ring gives it back (our extra reference shows it); an
	 * other-pool mbuf is copied and freed at once. */
	tx[0] = frame_mbuf(pool, 300, 200, 7);
	tx[1] = frame_mbuf(other, 301, 200, 7);
	m2 = tx[0];
	sl_mbuf_refcnt_update(tx[0], 1);
	sl_mbuf_refcnt_update(tx[1], 1);
	{
		struct sl_mbuf *o = tx[1];

		assert_int_equal(sl_eth_tx_burst(a, 0, tx, 2), 2);
		assert_int_equal(sl_mbuf_refcnt_read(m2), 2);
		assert_int_equal(sl_mbuf_refcnt_read(o), 1);
		for (i = 0; i < 2; i++) {
			assert_int_equal(peer_recv(buf, sizeof(buf)), 200);
			make_frame(want, 300 + i, 200, 7);
			assert_memory_equal(buf, want, 200);
		}
		/* The next burst (even an empty one) takes the completion. */
		assert_int_equal(sl_eth_tx_burst(a, 0, tx, 0), 0);
		assert_int_equal(sl_mbuf_refcnt_read(m2), 1);
		sl_mbuf_free(m2);
		sl_mbuf_free(o);
	}
	bytes += 400;
	/* A chain of two segments goes out as one frame. */
	tx[0] = frame_mbuf(pool, 500, 300, 4);
	make_frame(want, 501, 1000, 4);
	m2 = sl_mbuf_alloc(other);
	assert_non_null(m2);
	memcpy(sl_mbuf_append(m2, 700), want + 300, 700);
	make_frame(want, 500, 300, 4);
	memcpy(want + 300, sl_mbuf_mtod(m2, void *), 700);
	assert_int_equal(sl_mbuf_chain(tx[0], m2), 0);
	tx_all(a, tx, 1);
	assert_int_equal(peer_recv(buf, sizeof(buf)), 1000);
	assert_memory_equal(buf, want, 1000);
	/* A packet longer than a UMEM frame (a chain of 3000 bytes): freed, oerrors. */
	tx[0] = frame_mbuf(other, 1, 1500, 5);
	m2 = sl_mbuf_alloc(other);
	assert_non_null(m2);
	memset(sl_mbuf_append(m2, 1500), 0x5a, 1500);
	assert_int_equal(sl_mbuf_chain(tx[0], m2), 0);
	assert_int_equal(sl_eth_tx_burst(a, 0, tx, 1), 1);
	assert_int_equal(sl_eth_stats_get(a, &st), 0);
	assert_int_equal(st.opackets, NFRAMES + 3);
	assert_int_equal(st.obytes, bytes + 1000);
	assert_int_equal(st.oerrors, 1);
	assert_int_equal(sl_vdev_uninit("net_af_xdp0"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_in_use_count(other), 0);
}

/* An RX ring nobody reads: the kernel drops, ipackets + imissed = sent. */
static void
test_rx_ring_full(void **state)
{
	struct sl_mbuf *rx[64];
	struct sl_eth_stats st;
	unsigned int got = 0, n;
	uint16_t a;

	(void)state;
	NEED_NETNS();
	a = port_on("net_af_xdp0", "iface=" IF_A, 64, pool);
	for (unsigned int i = 0; i < NFRAMES; i++)
		peer_send(i, 60, 6);
	usleep(100 * 1000); /* let the kernel's NAPI run */
	while ((n = rx_wait(a, rx, 64)) != 0) {
		got += n;
		sl_mbuf_free_bulk(rx, n);
		if (got >= NFRAMES)
			break;
	}
	assert_int_equal(sl_eth_stats_get(a, &st), 0);
	assert_int_equal(st.ipackets, got);
	assert_true(got >= 64 && got < NFRAMES);
	assert_int_equal(st.ipackets + st.imissed, NFRAMES);
	assert_int_equal(xstat(a, "rx_xdp_dropped") + xstat(a, "rx_xdp_ring_full"), st.imissed);
	assert_int_equal(sl_vdev_uninit("net_af_xdp0"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* A pool run dry: the fill ring empties, the kernel drops (imissed), and
 * RX resumes by itself once mbufs come back. */
static void
test_pool_dry(void **state)
{
	struct sl_mbuf *held[256], *rx[32];
	struct sl_mempool *mp;
	struct sl_eth_stats st;
	unsigned int got = 0;
	uint16_t a;

	(void)state;
	NEED_NETNS();
	mp = sl_mbuf_pool_create("afx_dry", 300, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	assert_non_null(mp);
	a = port_on("net_af_xdp0", "iface=" IF_A, 256, mp);
	assert_int_equal(sl_mempool_in_use_count(mp), 256);
	/* Take all 256 and keep them: 44 left, less than a refill batch. */
	for (unsigned int i = 0; i < 256; i++)
		peer_send(i, 60, 8);
	got = rx_wait(a, held, 256);
	assert_int_equal(got, 256);
	for (unsigned int i = 0; i < 20; i++)
		peer_send(i, 60, 9); /* no fill buffer: dropped */
	assert_int_equal(rx_wait(a, rx, 32), 0);
	assert_int_equal(sl_eth_stats_get(a, &st), 0);
	assert_true(st.rx_nombuf > 0);
	assert_int_equal(st.imissed, 20);
	sl_mbuf_free_bulk(held, got);
	assert_int_equal(sl_eth_rx_burst(a, 0, rx, 32), 0); /* refills */
	for (unsigned int i = 0; i < 10; i++)
		peer_send(i, 60, 10);
	assert_int_equal(rx_wait(a, rx, 10), 10);
	for (unsigned int i = 0; i < 10; i++)
		assert_int_equal(sl_mbuf_mtod(rx[i], uint8_t *)[14], 10);
	sl_mbuf_free_bulk(rx, 10);
	assert_int_equal(sl_vdev_uninit("net_af_xdp0"), 0);
	assert_int_equal(sl_mempool_in_use_count(mp), 0);
	assert_int_equal(sl_mempool_free(mp), 0);
}

/* Link, MTU; a second port on an interface with our program names the command. */
static void
test_interface_state(void **state)
{
	struct sl_eth_link link;
	const char *log;
	uint16_t a;
	int fds;

	(void)state;
	NEED_NETNS();
	a = port_on("net_af_xdp0", "iface=" IF_A, 64, pool);
	assert_int_equal(sl_eth_link_get_nowait(a, &link), 0);
	assert_int_equal(link.link_status, SL_ETH_LINK_UP);
	fds = count_fds();
	log_capture();
	assert_int_equal(sl_vdev_init("net_af_xdp1", "iface=" IF_A), -EBUSY);
	log = log_end();
	assert_logged(log, "already has an XDP program");
	assert_logged(log, "ip link show dev " IF_A);
	assert_logged(log, "xdp-loader status " IF_A);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(sl_eth_dev_stop(a), 0);
	assert_int_equal(sl_eth_mtu_set(a, 1400), 0);
	assert_int_equal(sl_eth_dev_start(a), 0);
	assert_int_equal(sl_vdev_uninit("net_af_xdp0"), 0);
	assert_int_equal(sl_test_run("ip link set " IF_A " mtu 1500"), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* A pool whose mbufs cannot hold an MTU-sized frame after XDP's headroom. */
static void
test_small_pool(void **state)
{
	struct sl_mempool *small;
	uint16_t p;

	(void)state;
	NEED_NETNS();
	small = sl_mbuf_pool_create("afx_small", 511, 0, 0, 1024, 0);
	assert_non_null(small);
	assert_int_equal(sl_vdev_init("net_af_xdp0", "iface=" IF_A), 0);
	p = port_named("net_af_xdp0");
	assert_int_equal(sl_eth_dev_configure(p, 1, 1, NULL), 0);
	assert_fails_logged(sl_eth_rx_queue_setup(p, 0, 64, SL_SOCKET_ID_ANY, NULL, small),
			    -EINVAL, "at least 1902");
	assert_int_equal(sl_vdev_uninit("net_af_xdp0"), 0);
	assert_int_equal(sl_mempool_free(small), 0);
}

static void
probe_fails(const char *args, int err, const char *needle)
{
	int fds = count_fds(), maps = count_socket_maps("XDP");

	assert_fails_logged(sl_vdev_init("net_af_xdp5", args), err, needle);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_socket_maps("XDP"), maps);
	assert_null(sl_vdev_find("net_af_xdp5"));
	assert_int_equal(xdp_prog_id(IF_A), 0);
}

static void
test_bad_args(void **state)
{
	(void)state;
	NEED_NETNS();
	probe_fails(NULL, -EINVAL, "iface=<name>");
	probe_fails("iface=", -EINVAL, "iface=<name>");
	probe_fails("iface=nosuch0", -ENODEV, "no such interface");
	probe_fails("iface=" IF_A ",queue_count=0", -ERANGE, "queue_count");
	probe_fails("iface=" IF_A ",queue_count=2", -EINVAL, "ethtool -l " IF_A);
	probe_fails("iface=" IF_A ",start_queue=1", -EINVAL, "start_queue=1");
	probe_fails("iface=" IF_A ",xdp_prog=/nonexistent", -ENOENT, "xdp_prog=/nonexistent");
	probe_fails("iface=" IF_A ",xdp_prog=/etc/hostname", -EINVAL, "BPF object");
	probe_fails("iface=" IF_A ",force_copy=yes", -EINVAL, "'yes'");
	probe_fails("iface=lo", -EINVAL, "not an Ethernet interface");
	probe_fails("iface=" IF_A ",colour=red", -EINVAL, "colour");
}

/*
 * The EAL on 2 MiB hugepages when the fixture can borrow them (the UMEM is
 * then hugepage memory, as in production), else on --no-huge memory (the
 * sock-suite tests run that way).
 */
static int
eal_start(void)
{
	char *argv[12];
	int argc = 0, ret;

	argv[argc++] = "test_af_xdp";
	argv[argc++] = "-l";
	argv[argc++] = "0";
	if (can_run && sl_test_hugepages_setup(HUGEPAGES) == 0) {
		argv[argc++] = "--huge-dir";
		argv[argc++] = (char *)sl_test_hugepages_dir();
		argv[argc++] = "-m";
		argv[argc++] = "64";
	} else {
		if (can_run)
			fprintf(stderr, "note: no hugepages to borrow; the UMEM is --no-huge memory\n");
		argv[argc++] = "--no-huge";
		argv[argc++] = "-m";
		argv[argc++] = "256";
	}
	argv[argc++] = "--file-prefix";
	argv[argc++] = "test_af_xdp";
	argv[argc] = NULL;
	ret = sl_eal_init(argc, argv);
	if (ret < 0)
		fprintf(stderr, "test_af_xdp: sl_eal_init failed (%d): the group fails\n", ret);
	return ret;
}

static int
group_setup(void **state)
{
	(void)state;
	netns_setup();
	if (eal_start() < 0)
		return -1;
	pool = sl_mbuf_pool_create("afx_pool", 2047, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	other = sl_mbuf_pool_create("afx_other", 1023, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	return pool == NULL || other == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	log_free();
	if (peer_fd >= 0)
		close(peer_fd);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_mempool_free(other), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	sl_test_hugepages_teardown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_rx),
		cmocka_unit_test(test_tx),
		cmocka_unit_test(test_rx_ring_full),
		cmocka_unit_test(test_pool_dry),
		cmocka_unit_test(test_interface_state),
		cmocka_unit_test(test_small_pool),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
