/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-testpmd: receive side scaling.  As in dpdk-testpmd, a port with
 * more than one RX queue is configured for RSS on the hash types of
 * --rss-ip (the default) or --rss-udp, masked by what the port supports;
 * "port config all rss ..." changes them on running ports, "show port N
 * rss-hash [key]" and "show port N rss reta" read them back.  Also the
 * per-queue start/stop of "port N rxq|txq Q start|stop".
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "testpmd.h"

struct rss_name {
	const char *name;
	uint64_t hf;
};

/* Words of "port config all rss <type>" and names printed by "show port N rss-hash". */
static const struct rss_name rss_types[] = {
	{ "ip", SL_ETH_RSS_IP },
	{ "udp", SL_ETH_RSS_UDP },
	{ "tcp", SL_ETH_RSS_TCP },
	{ "all", SL_ETH_RSS_IP | SL_ETH_RSS_UDP | SL_ETH_RSS_TCP },
	{ "none", 0 },
};

static const struct rss_name rss_bits[] = {
	{ "ipv4", SL_ETH_RSS_IPV4 },
	{ "ipv4-tcp", SL_ETH_RSS_NONFRAG_IPV4_TCP },
	{ "ipv4-udp", SL_ETH_RSS_NONFRAG_IPV4_UDP },
	{ "ipv6", SL_ETH_RSS_IPV6 },
	{ "ipv6-tcp", SL_ETH_RSS_NONFRAG_IPV6_TCP },
	{ "ipv6-udp", SL_ETH_RSS_NONFRAG_IPV6_UDP },
};

void
tp_rss_port_conf(uint16_t p, struct sl_eth_conf *conf)
{
	struct tp_port *port = &ports[p];

	port->rss_on = cfg.nb_rxq > 1 && port->info.flow_type_rss_offloads != 0;
	if (!port->rss_on)
		return;
	conf->rxmode.mq_mode = SL_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_hf = cfg.rss_hf & port->info.flow_type_rss_offloads;
}

int
tp_port_config_rss(const char *word)
{
	const struct rss_name *t = NULL;
	struct sl_eth_rss_conf rc;
	uint16_t p;
	int ret = 0, rc2;

	for (size_t i = 0; i < SL_DIM(rss_types); i++)
		if (strcmp(word, rss_types[i].name) == 0)
			t = &rss_types[i];
	if (t == NULL) {
		fprintf(stderr, "Unknown RSS hash type '%s': use ip, udp, tcp, all or none\n", word);
		return -EINVAL;
	}
	cfg.rss_hf = t->hf;
	SL_ETH_FOREACH_DEV(p) {
		struct tp_port *port = &ports[p];

		if (port->closed || !port->configured)
			continue;
		if (!port->rss_on) {
			fprintf(tp_out, "Port %u: RSS is off (%u RX queue(s)%s); the types apply "
				"when it has several: 'port stop all', 'port config all rxq N', "
				"'port start all'\n", p, port->nb_rxq,
				port->info.flow_type_rss_offloads ? "" : ", no RSS in the driver");
			continue;
		}
		memset(&rc, 0, sizeof(rc));
		rc.rss_hf = t->hf & port->info.flow_type_rss_offloads;
		rc2 = sl_eth_dev_rss_hash_update(p, &rc);
		if (rc2 < 0) {
			fprintf(stderr, "Port %u: cannot set RSS hash types: %s\n", p, strerror(-rc2));
			ret = rc2;
		}
	}
	if (ret == 0)
		fprintf(tp_out, "RSS hash types set to '%s' for all ports\n", word);
	return ret;
}

void
tp_show_port_rss_hash(uint16_t p, bool show_key)
{
	uint8_t key[256];
	struct sl_eth_rss_conf rc;
	int ret;

	ret = sl_eth_dev_rss_hash_conf_get(p, &rc, key, sizeof(key));
	if (ret == -ENOTSUP) {
		fprintf(tp_out, "Port %u: %s has no RSS\n", p, ports[p].info.driver_name ?
			ports[p].info.driver_name : "the driver");
		return;
	}
	if (ret < 0) {
		fprintf(stderr, "Port %u: cannot read the RSS configuration: %s%s\n", p,
			strerror(-ret), ports[p].configured ? "" : " (port not set up: 'port start')");
		return;
	}
	fprintf(tp_out, "RSS functions:\n ");
	if (!ports[p].rss_on || rc.rss_hf == 0)
		fprintf(tp_out, " none");
	for (size_t i = 0; ports[p].rss_on && i < SL_DIM(rss_bits); i++)
		if (rc.rss_hf & rss_bits[i].hf)
			fprintf(tp_out, " %s", rss_bits[i].name);
	fprintf(tp_out, "\n");
	if (show_key) {
		fprintf(tp_out, "RSS key:\n  ");
		for (unsigned int i = 0; i < rc.rss_key_len; i++)
			fprintf(tp_out, "%02X", key[i]);
		fprintf(tp_out, "\n");
	}
}

void
tp_show_port_rss_reta(uint16_t p)
{
	struct sl_eth_rss_reta_entry64 g[SL_ETH_RSS_RETA_SIZE_MAX / SL_ETH_RETA_GROUP_SIZE];
	struct sl_eth_dev_info info;
	int ret;

	ret = sl_eth_dev_info_get(p, &info);
	if (ret < 0 || info.reta_size == 0) {
		fprintf(tp_out, "Port %u: no redirection table\n", p);
		return;
	}
	memset(g, 0, sizeof(g));
	for (unsigned int i = 0; i < info.reta_size / SL_ETH_RETA_GROUP_SIZE; i++)
		g[i].mask = ~0ULL;
	ret = sl_eth_dev_rss_reta_query(p, g, info.reta_size);
	if (ret < 0) {
		fprintf(stderr, "Port %u: cannot read the redirection table: %s%s\n", p,
			strerror(-ret), ports[p].rss_on ? "" : " (RSS is off: one RX queue)");
		return;
	}
	fprintf(tp_out, "Port %u: RETA of %u entries (entry: RX queue)\n", p, info.reta_size);
	for (unsigned int i = 0; i < info.reta_size; i++)
		fprintf(tp_out, "%s%3u:%-3u", i % 8 == 0 ? (i ? "\n  " : "  ") : " ", i,
			g[i / SL_ETH_RETA_GROUP_SIZE].reta[i % SL_ETH_RETA_GROUP_SIZE]);
	fprintf(tp_out, "\n");
}

void
tp_show_port_rss_info(const struct sl_eth_dev_info *info)
{
	fprintf(tp_out, "Supported RSS offload flow types:");
	if (info->flow_type_rss_offloads == 0)
		fprintf(tp_out, " none");
	for (size_t i = 0; i < SL_DIM(rss_bits); i++)
		if (info->flow_type_rss_offloads & rss_bits[i].hf)
			fprintf(tp_out, " %s", rss_bits[i].name);
	fprintf(tp_out, "\n");
	if (info->flow_type_rss_offloads != 0)
		fprintf(tp_out, "Hash key size in bytes: %u\nRedirection table size: %u\n",
			info->hash_key_size, info->reta_size);
}

/* "port <port> rxq|txq <q> start|stop": one queue of a started port. */
int
tp_port_queue_start_stop(const char *port_w, const char *dir, const char *q_w, const char *op)
{
	bool rx = strcmp(dir, "rxq") == 0, start = strcmp(op, "start") == 0;
	unsigned long q;
	uint16_t p, nb;
	int rc;

	if (tp_port_is_valid(port_w, &p) < 0)
		return -EINVAL;
	nb = rx ? ports[p].nb_rxq : ports[p].nb_txq;
	if (tp_parse_uint(q_w, 0, UINT16_MAX, &q) < 0) {
		fprintf(stderr, "Invalid queue '%s': use a queue number, 0..%u on port %u\n", q_w,
			nb ? nb - 1 : 0, p);
		return -EINVAL;
	}
	if (rx)
		rc = start ? sl_eth_dev_rx_queue_start(p, (uint16_t)q) :
			     sl_eth_dev_rx_queue_stop(p, (uint16_t)q);
	else
		rc = start ? sl_eth_dev_tx_queue_start(p, (uint16_t)q) :
			     sl_eth_dev_tx_queue_stop(p, (uint16_t)q);
	if (rc == -ENOTSUP)
		fprintf(stderr, "Port %u: %s cannot start or stop single queues; use 'port stop|start "
			"%u'\n", p, ports[p].info.driver_name ? ports[p].info.driver_name : "the driver",
			p);
	else if (rc == -EINVAL && q >= nb)
		fprintf(stderr, "Port %u: %s queue %lu does not exist: the port has %u (0..%u); see "
			"'port config all %s N'\n", p, rx ? "RX" : "TX", q, nb, nb ? nb - 1 : 0, dir);
	else if (rc == -EINVAL)
		fprintf(stderr, "Port %u is stopped: 'port start %u' starts every queue\n", p, p);
	else if (rc < 0)
		fprintf(stderr, "Port %u: cannot %s %s queue %lu: %s\n", p, op, rx ? "RX" : "TX", q,
			strerror(-rc));
	else
		fprintf(tp_out, "Port %u %s queue %lu %s\n", p, rx ? "RX" : "TX", q,
			start ? "started" : "stopped");
	return rc;
}
