/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo-app: a small application against the installed libsluice.
 *   echo-app [EAL options] -- PORT
 * sends 64 frames of distinct bytes on PORT, expects them back (a port
 * that loops TX to RX: net_echo from a plugin, or the in-tree
 * net_skeleton), compares them byte for byte and checks the counters.
 * Exit status 0 only if everything came back.  Valid C and C++.
 */
#include <stdio.h>
#include <string.h>

#include <sl_eal.h>
#include <sl_ethdev.h>
#include <sl_mbuf.h>

#define NB 64

static int
fail(const char *what)
{
	fprintf(stderr, "echo-app: %s\n", what);
	return 1;
}

static int
run(uint16_t port, struct sl_mempool *mp)
{
	struct sl_mbuf *tx[NB], *rx[NB];
	struct sl_eth_stats st;
	uint16_t got = 0;

	if (sl_eth_dev_configure(port, 1, 1, NULL) < 0 ||
	    sl_eth_rx_queue_setup(port, 0, 128, SL_SOCKET_ID_ANY, NULL, mp) < 0 ||
	    sl_eth_tx_queue_setup(port, 0, 128, SL_SOCKET_ID_ANY, NULL) < 0 ||
	    sl_eth_dev_start(port) < 0)
		return fail("cannot bring the port up");
	for (unsigned int i = 0; i < NB; i++) {
		uint16_t len = (uint16_t)(60 + i);
		uint8_t *p;

		tx[i] = sl_mbuf_alloc(mp);
		if (tx[i] == NULL)
			return fail("pool empty");
		p = (uint8_t *)sl_mbuf_append(tx[i], len);
		for (uint16_t b = 0; b < len; b++)
			p[b] = (uint8_t)(i ^ b);
	}
	if (sl_eth_tx_burst(port, 0, tx, NB) != NB)
		return fail("TX refused packets");
	for (int tries = 0; tries < 1000 && got < NB; tries++)
		got = (uint16_t)(got + sl_eth_rx_burst(port, 0, rx + got, (uint16_t)(NB - got)));
	if (got != NB)
		return fail("not every packet came back");
	for (unsigned int i = 0; i < NB; i++) {
		const uint8_t *p = sl_mbuf_mtod(rx[i], const uint8_t *);

		if (rx[i]->pkt_len != 60 + i)
			return fail("wrong length");
		for (uint16_t b = 0; b < rx[i]->pkt_len; b++)
			if (p[b] != (uint8_t)(i ^ b))
				return fail("wrong byte");
	}
	sl_mbuf_free_bulk(rx, NB);
	if (sl_eth_stats_get(port, &st) < 0 || st.opackets != NB || st.ipackets != NB)
		return fail("counters do not add up");
	if (sl_eth_dev_stop(port) < 0 || sl_eth_dev_close(port) < 0)
		return fail("cannot close the port");
	if (sl_mempool_in_use_count(mp) != 0)
		return fail("mbufs leaked");
	return 0;
}

int
main(int argc, char **argv)
{
	struct sl_mempool *mp;
	uint16_t port;
	int ret;

	ret = sl_eal_init(argc, argv);
	if (ret < 0)
		return fail("EAL initialisation failed (see the log above)");
	argc -= ret;
	argv += ret;
	if (argc != 2) {
		sl_eal_cleanup();
		return fail("usage: echo-app [EAL options] -- PORT");
	}
	if (sl_eth_dev_get_port_by_name(argv[1], &port) < 0) {
		sl_eal_cleanup();
		return fail("no such port (is its driver loaded?)");
	}
	mp = sl_mbuf_pool_create("echo_pool", 1023, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE,
				 SL_SOCKET_ID_ANY);
	if (mp == NULL) {
		sl_eal_cleanup();
		return fail("cannot create the mbuf pool");
	}
	ret = run(port, mp);
	sl_mempool_free(mp);
	sl_eal_cleanup();
	if (ret == 0)
		printf("ok: %d packets came back from %s byte for byte\n", NB, argv[1]);
	return ret;
}
