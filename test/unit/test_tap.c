/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the net_tap PMD, in a private network namespace the program
 * makes for itself (unshare(CLONE_NEWNET)):
 *
 *  - a frame the port sends is received by the kernel on the TAP interface
 *    (seen by a packet socket there), bit-identical; a frame the kernel sends
 *    out of the interface (a packet socket's send) is received by the port;
 *  - a frame longer than one mbuf is received into a chain;
 *  - the interface exists from probe to close, is up while started, and
 *    disappears when the port closes;
 *  - bad arguments fail with a message naming the fix and leave no
 *    descriptor and no interface behind.
 *
 * Needs root; skips (77) otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
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
#include "sl_test_netns.h"

#include "sl_bus_vdev.h"
#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "test_eth_helpers.h"

#define TAP_IF "sltest0"
#define ETHERTYPE_TEST 0x88b5

static struct sl_mempool *pool;
static bool can_run;
static char skip_reason[256];

#define NEED_NETNS() SL_TEST_NEED_NETNS(can_run, skip_reason)

/* A new network namespace (no veth: the tests make TAP interfaces). */
static void
netns_setup(void)
{
	if (geteuid() == 0 && access("/dev/net/tun", R_OK | W_OK) != 0) {
		snprintf(skip_reason, sizeof(skip_reason), "/dev/net/tun: %s", strerror(errno));
		return;
	}
	can_run = sl_test_netns_enter(NULL, NULL, skip_reason, sizeof(skip_reason)) == 0;
}

static short
if_flags(const char *ifname)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	short flags = -1;

	assert_true(fd >= 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		flags = ifr.ifr_flags;
	close(fd);
	return flags;
}

/* A packet socket on @p ifname that receives every frame (incoming only). */
static int
kernel_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	assert_true(fd >= 0);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	assert_int_not_equal(sll.sll_ifindex, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return fd;
}

static void
make_frame(uint8_t *f, uint32_t len, uint8_t seed)
{
	static const uint8_t hdr[14] = { 0x02, 0, 0, 0, 0, 0xbb, 0x02, 0, 0, 0, 0, 0xaa,
					 ETHERTYPE_TEST >> 8, ETHERTYPE_TEST & 0xff };

	memcpy(f, hdr, sizeof(hdr));
	for (uint32_t k = sizeof(hdr); k < len; k++)
		f[k] = (uint8_t)(k * 31 + seed);
}

/* The next incoming test frame on @p fd within 2 s; its length, or -1. */
static ssize_t
kernel_recv(int fd, uint8_t *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_ll from;

	while (poll(&p, 1, 2000) == 1) {
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(fd, buf, len, 0, (struct sockaddr *)&from, &fl);

		if (r >= 14 && from.sll_pkttype != PACKET_OUTGOING && buf[12] == ETHERTYPE_TEST >> 8 &&
		    buf[13] == (ETHERTYPE_TEST & 0xff))
			return r;
	}
	return -1;
}

/* Receive @p n test frames on @p port within 2 s (other frames are freed). */
static unsigned int
rx_wait(uint16_t port, struct sl_mbuf **pkts, unsigned int n)
{
	struct timespec t0, t;
	unsigned int got = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		struct sl_mbuf *m;
		uint8_t hdr[14];
		const uint8_t *h;

		if (sl_eth_rx_burst(port, 0, &m, 1) == 1) {
			h = sl_mbuf_read(m, 0, sizeof(hdr), hdr);
			if (h != NULL && h[12] == ETHERTYPE_TEST >> 8 &&
			    h[13] == (ETHERTYPE_TEST & 0xff))
				pkts[got++] = m;
			else
				sl_mbuf_free(m);
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (got < n && t.tv_sec - t0.tv_sec < 2);
	return got;
}

/* Port -> kernel and kernel -> port, bytes kept; the interface's life cycle. */
static void
test_both_ways(void **state)
{
	uint8_t frame[1514], buf[2048];
	struct sl_mbuf *m, *rx[2];
	struct sl_eth_stats st;
	int fds, kfd;
	uint16_t p;

	(void)state;
	NEED_NETNS();
	fds = count_fds();
	assert_int_equal(sl_vdev_init("net_tap0", "iface=" TAP_IF), 0);
	assert_int_equal(if_flags(TAP_IF) & IFF_UP, 0); /* exists, not up yet */
	p = port_named("net_tap0");
	port_up(p, 1, pool);
	assert_int_not_equal(if_flags(TAP_IF) & IFF_UP, 0);
	kfd = kernel_socket(TAP_IF);

	/* Port -> kernel. */
	make_frame(frame, 600, 1);
	m = sl_mbuf_alloc(pool);
	assert_non_null(m);
	memcpy(sl_mbuf_append(m, 600), frame, 600);
	assert_int_equal(sl_eth_tx_burst(p, 0, &m, 1), 1);
	assert_int_equal(kernel_recv(kfd, buf, sizeof(buf)), 600);
	assert_memory_equal(buf, frame, 600);

	/* Kernel -> port: a packet socket's send goes out of the interface. */
	make_frame(frame, sizeof(frame), 2);
	assert_int_equal(send(kfd, frame, sizeof(frame), 0), (ssize_t)sizeof(frame));
	assert_int_equal(rx_wait(p, rx, 1), 1);
	assert_int_equal(rx[0]->pkt_len, sizeof(frame));
	assert_int_equal(rx[0]->port, p);
	assert_memory_equal(sl_mbuf_read(rx[0], 0, sizeof(frame), buf), frame, sizeof(frame));
	sl_mbuf_free(rx[0]);

	assert_int_equal(sl_eth_stats_get(p, &st), 0);
	assert_int_equal(st.opackets, 1);
	assert_int_equal(st.obytes, 600);
	assert_true(st.ipackets >= 1);

	/* Stop sets the interface down; a write then is refused and counted. */
	assert_int_equal(sl_eth_dev_stop(p), 0);
	assert_int_equal(if_flags(TAP_IF) & IFF_UP, 0);
	close(kfd);
	assert_int_equal(sl_vdev_uninit("net_tap0"), 0);
	assert_int_equal(if_nametoindex(TAP_IF), 0); /* gone with the port */
	assert_int_equal(count_fds(), fds);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* Small mbufs: a 1514-byte frame from the kernel comes as a chain. */
static void
test_rx_chain(void **state)
{
	struct sl_mempool *small;
	uint8_t frame[1514], buf[1514];
	struct sl_mbuf *rx[1];
	int kfd;
	uint16_t p;

	(void)state;
	NEED_NETNS();
	small = sl_mbuf_pool_create("tap_small", 1023, 0, 0, SL_PKTMBUF_HEADROOM + 512, 0);
	assert_non_null(small);
	assert_int_equal(sl_vdev_init("net_tap0", "iface=" TAP_IF), 0);
	p = port_named("net_tap0");
	port_up(p, 1, small);
	kfd = kernel_socket(TAP_IF);
	make_frame(frame, sizeof(frame), 3);
	assert_int_equal(send(kfd, frame, sizeof(frame), 0), (ssize_t)sizeof(frame));
	assert_int_equal(rx_wait(p, rx, 1), 1);
	assert_int_equal(rx[0]->pkt_len, sizeof(frame));
	assert_int_equal(rx[0]->nb_segs, 3);
	assert_memory_equal(sl_mbuf_read(rx[0], 0, sizeof(frame), buf), frame, sizeof(frame));
	sl_mbuf_free(rx[0]);
	close(kfd);
	assert_int_equal(sl_vdev_uninit("net_tap0"), 0);
	assert_int_equal(sl_mempool_in_use_count(small), 0);
	assert_int_equal(sl_mempool_free(small), 0);
}

static void
probe_fails(const char *args, int err, const char *needle)
{
	int fds = count_fds();

	assert_fails_logged(sl_vdev_init("net_tap5", args), err, needle);
	assert_int_equal(count_fds(), fds);
	assert_null(sl_vdev_find("net_tap5"));
}

static void
test_bad_args(void **state)
{
	(void)state;
	NEED_NETNS();
	probe_fails("queues=0", -ERANGE, "queues");
	probe_fails("queues=abc", -EINVAL, "'abc'");
	probe_fails("mac=ff:ff:ff:ff:ff:ff", -EINVAL, "unicast");
	probe_fails("mac=nope", -EINVAL, "mac");
	probe_fails("iface=", -EINVAL, "iface=");
	probe_fails("iface=a/b", -EINVAL, "not a valid interface name");
	probe_fails("iface=sixteencharsxxxx", -ENAMETOOLONG, "iface");
	probe_fails("colour=red", -EINVAL, "colour");
	/* "lo" exists and is no TAP: the kernel refuses, nothing is left open. */
	probe_fails("iface=lo", -EINVAL, "ip link del lo");
	assert_int_equal(if_nametoindex("sltap0"), 0);
}

/* Queue counts: RX and TX must match; more than queues= is refused. */
static void
test_queue_counts(void **state)
{
	uint16_t p;

	(void)state;
	NEED_NETNS();
	assert_int_equal(sl_vdev_init("net_tap0", "iface=" TAP_IF ",queues=2"), 0);
	p = port_named("net_tap0");
	assert_fails_logged(sl_eth_dev_configure(p, 2, 1, NULL), -EINVAL, "as many RX as TX");
	assert_fails_logged(sl_eth_dev_configure(p, 3, 3, NULL), -EINVAL, "at most 2");
	/* One of two queues: the other descriptor is detached at start. */
	port_up(p, 1, pool);
	assert_int_equal(sl_vdev_uninit("net_tap0"), 0);
	assert_int_equal(if_nametoindex(TAP_IF), 0);
}

static int
group_setup(void **state)
{
	(void)state;
	netns_setup();
	if (th_eal_start("test_tap", NULL, NULL) < 0)
		return -1;
	pool = sl_mbuf_pool_create("tap_pool", 1023, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
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
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_both_ways),
		cmocka_unit_test(test_rx_chain),
		cmocka_unit_test(test_queue_counts),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
