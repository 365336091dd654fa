/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap burst functions, see pcap_ethdev.h for the model.
 *
 * libpcap opens files and writes the dump with nanosecond precision
 * (PCAP_TSTAMP_PRECISION_NANO, pcap_open_offline(3PCAP)): in every
 * struct pcap_pkthdr here, ts.tv_usec holds nanoseconds.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "sl_log.h"
#include "sl_mbuf.h"
#include "pcap_ethdev.h"

#define NSEC_PER_SEC 1000000000ULL

/*
 * Copy @p len bytes into a fresh mbuf chain from the queue's pool.
 * @return the chain, or NULL: *@p too_long set when the packet needs more
 * than PCAP_MAX_RX_SEGS mbufs, otherwise the pool ran dry (nothing kept).
 */
static __sl_always_inline struct sl_mbuf *
pcap_copy_in(struct pcap_rxq *rxq, const uint8_t *data, uint32_t len, bool *too_long)
{
	struct sl_mbuf *head, *seg, *prev;
	uint32_t done, chunk;

	if (sl_unlikely(len > (uint64_t)rxq->seg_room * PCAP_MAX_RX_SEGS)) {
		*too_long = true;
		return NULL;
	}
	head = sl_mbuf_alloc(rxq->mp);
	if (sl_unlikely(head == NULL))
		return NULL;
	chunk = SL_MIN(len, rxq->seg_room);
	memcpy(sl_mbuf_mtod(head, void *), data, chunk);
	head->data_len = (uint16_t)chunk;
	head->pkt_len = len;
	head->port = rxq->port_id;
	prev = head;
	for (done = chunk; done < len; done += chunk) {
		seg = sl_mbuf_alloc(rxq->mp);
		if (sl_unlikely(seg == NULL)) {
			sl_mbuf_free(head);
			return NULL;
		}
		chunk = SL_MIN(len - done, rxq->seg_room);
		memcpy(sl_mbuf_mtod(seg, void *), data + done, chunk);
		seg->data_len = (uint16_t)chunk;
		prev->next = seg;
		prev = seg;
		head->nb_segs++;
	}
	return head;
}

static __sl_always_inline void
pcap_set_ts(struct sl_mbuf *m, uint64_t ts_ns)
{
	m->timestamp = ts_ns;
	m->ol_flags |= SL_MBUF_F_RX_TIMESTAMP;
}

/* RX from a file, record by record.  A record the pool had no room for stays
 * pending (libpcap keeps its data until the next pcap_next_ex()). */
static uint16_t
pcap_rx_file(struct pcap_rxq *rxq, struct sl_mbuf **pkts, uint16_t n)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t bytes = 0;
	uint16_t nb = 0;

	if (rxq->file_pos.stopped)
		return 0;
	while (nb < n) {
		struct sl_mbuf *m;
		bool too_long = false;

		if (rxq->pend_h != NULL) {
			h = rxq->pend_h;
			data = rxq->pend_data;
			rxq->pend_h = NULL;
		} else {
			int rc = pcap_next_ex(rxq->pcap, &h, &data);

			if (sl_unlikely(rc != 1)) {
				rxq->file_pos.stopped = true;
				if (rc != PCAP_ERROR_BREAK) { /* not the end of the file */
					/* Once per queue: it delivers nothing more. */
					pcap_log_read_error(rxq->port_name, rxq->path, rxq->pcap,
							    rxq->file_pos.rec_no, rxq->is_pcapng ?
							    UINT64_MAX : rxq->file_pos.off);
					sl_eth_queue_count(&rxq->stats.cnt.errors, 1);
				}
				break;
			}
			rxq->file_pos.rec_no++;
			rxq->file_pos.off += 16 + h->caplen; /* pcap record header + data */
		}
		m = pcap_copy_in(rxq, data, h->caplen, &too_long);
		if (sl_unlikely(m == NULL)) {
			if (too_long) {
				sl_eth_queue_count(&rxq->stats.cnt.errors, 1);
				continue;
			}
			sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
			rxq->pend_h = h;
			rxq->pend_data = data;
			break;
		}
		pcap_set_ts(m, (uint64_t)h->ts.tv_sec * NSEC_PER_SEC + (uint64_t)h->ts.tv_usec);
		bytes += h->caplen;
		pkts[nb++] = m;
	}
	if (nb != 0) {
		sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
		sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	}
	return nb;
}

/* RX from the in-memory copy of a file, looping (infinite_rx). */
static uint16_t
pcap_rx_mem(struct pcap_rxq *rxq, struct sl_mbuf **pkts, uint16_t n)
{
	const struct pcap_mem *mem = rxq->mem;
	uint64_t bytes = 0;
	uint16_t nb = 0;

	while (nb < n) {
		const struct pcap_mem_pkt *p = &mem->pkts[rxq->mem_next];
		bool too_long = false;
		struct sl_mbuf *m = pcap_copy_in(rxq, mem->data + p->off, p->len, &too_long);

		if (sl_unlikely(m == NULL)) {
			/* Too long: skipped (ierrors).  Pool empty: the packet is
			 * retried on the next burst. */
			sl_eth_queue_count(too_long ? &rxq->stats.cnt.errors : &rxq->stats.cnt.nombuf, 1);
			if (!too_long)
				break;
		} else {
			pcap_set_ts(m, p->ts_ns + rxq->mem_pass * mem->period_ns);
			bytes += p->len;
			pkts[nb++] = m;
		}
		if (++rxq->mem_next == mem->nb_pkts) {
			rxq->mem_next = 0;
			rxq->mem_pass++;
		}
	}
	if (nb != 0) {
		sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
		sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	}
	return nb;
}

/* pcap_dispatch() callback: one captured frame into the burst. */
static void
pcap_rx_iface_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct pcap_rxq *rxq = (struct pcap_rxq *)user;
	bool too_long = false;
	struct sl_mbuf *m = pcap_copy_in(rxq, data, h->caplen, &too_long);

	if (sl_unlikely(m == NULL)) {
		/* libpcap has consumed the frame: it is lost either way. */
		sl_eth_queue_count(too_long ? &rxq->stats.cnt.errors : &rxq->stats.cnt.nombuf, 1);
		return;
	}
	pcap_set_ts(m, (uint64_t)h->ts.tv_sec * NSEC_PER_SEC + (uint64_t)h->ts.tv_usec);
	rxq->cb_bytes += h->caplen;
	rxq->cb_pkts[rxq->cb_nb++] = m;
}

/* RX on a live interface: libpcap's non-blocking read of its mmap ring. */
static uint16_t
pcap_rx_iface(struct pcap_rxq *rxq, struct sl_mbuf **pkts, uint16_t n)
{
	int rc;

	if (sl_unlikely(n == 0))
		return 0; /* pcap_dispatch() takes cnt 0 as "no limit" */
	rxq->cb_pkts = pkts;
	rxq->cb_nb = 0;
	rxq->cb_bytes = 0;
	/* At most n callbacks, so cb_pkts never overflows (pcap_dispatch(3PCAP)). */
	rc = pcap_dispatch(rxq->pcap, n, pcap_rx_iface_cb, (u_char *)rxq);
	if (sl_unlikely(rc < 0))
		sl_eth_queue_count(&rxq->stats.cnt.errors, 1); /* e.g. the interface went away */
	if (rxq->cb_nb != 0) {
		sl_eth_queue_count(&rxq->stats.cnt.pkts, rxq->cb_nb);
		sl_eth_queue_count(&rxq->stats.cnt.bytes, rxq->cb_bytes);
	}
	return rxq->cb_nb;
}

uint16_t
pcap_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct pcap_rxq *rxq = q;

	switch (rxq->kind) {
	case PCAP_RX_FILE:
		return pcap_rx_file(rxq, pkts, n);
	case PCAP_RX_MEM:
		return pcap_rx_mem(rxq, pkts, n);
	case PCAP_RX_IFACE:
		return pcap_rx_iface(rxq, pkts, n);
	case PCAP_RX_NONE:
	default:
		return 0;
	}
}

/* The bytes of @p m in one piece: its data, or a copy into the bounce buffer. */
static __sl_always_inline const uint8_t *
pcap_flat(struct pcap_txq *txq, const struct sl_mbuf *m, uint32_t len)
{
	if (sl_likely(m->nb_segs == 1))
		return sl_mbuf_mtod(m, const uint8_t *);
	sl_mbuf_read(m, 0, len, txq->bounce);
	return txq->bounce;
}

static uint16_t
pcap_tx_file(struct pcap_txq *txq, struct sl_mbuf **pkts, uint16_t n)
{
	FILE *f = pcap_dump_file(txq->dumper);
	uint64_t bytes = 0, now_ns = 0;
	uint16_t i;

	if (sl_unlikely(ferror(f))) {
		/* A write failed (disk full?): reported at stop; count, drop. */
		sl_eth_queue_count(&txq->stats.cnt.errors, n);
		sl_mbuf_free_bulk(pkts, n);
		return n;
	}
	for (i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		struct pcap_pkthdr h;
		uint64_t ts;

		if (m->ol_flags & SL_MBUF_F_RX_TIMESTAMP) {
			ts = m->timestamp;
		} else {
			if (now_ns == 0) {
				struct timespec t;

				/* vDSO: no system call. */
				clock_gettime(CLOCK_REALTIME, &t);
				now_ns = (uint64_t)t.tv_sec * NSEC_PER_SEC + (uint64_t)t.tv_nsec;
			}
			ts = now_ns;
		}
		h.ts.tv_sec = (time_t)(ts / NSEC_PER_SEC);
		h.ts.tv_usec = (suseconds_t)(ts % NSEC_PER_SEC);
		h.len = m->pkt_len;
		h.caplen = SL_MIN(m->pkt_len, (uint32_t)PCAP_MAX_SNAPLEN);
		/* Buffered in libpcap's stdio stream: a write(2) per buffer. */
		pcap_dump((u_char *)txq->dumper, &h, pcap_flat(txq, m, h.caplen));
		bytes += m->pkt_len;
	}
	sl_mbuf_free_bulk(pkts, n);
	sl_eth_queue_count(&txq->stats.cnt.pkts, n);
	sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	return n;
}

static uint16_t
pcap_tx_iface(struct pcap_txq *txq, struct sl_mbuf **pkts, uint16_t n)
{
	uint64_t bytes = 0, errors = 0;
	uint16_t i, sent = 0;

	for (i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		uint32_t len = m->pkt_len;

		if (sl_unlikely(len > PCAP_MAX_SNAPLEN)) {
			errors++;
		} else if (pcap_inject(txq->pcap, pcap_flat(txq, m, len), len) < 0) {
			if (errno == EAGAIN || errno == ENOBUFS)
				break; /* socket buffer full: the rest stays the caller's */
			errors++;  /* refused (interface down, too long): dropped */
		} else {
			bytes += len;
			sent++;
		}
		sl_mbuf_free(m);
	}
	if (sent != 0) {
		sl_eth_queue_count(&txq->stats.cnt.pkts, sent);
		sl_eth_queue_count(&txq->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&txq->stats.cnt.errors, errors);
	return i;
}

uint16_t
pcap_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct pcap_txq *txq = q;

	switch (txq->kind) {
	case PCAP_TX_FILE:
		return pcap_tx_file(txq, pkts, n);
	case PCAP_TX_IFACE:
		return pcap_tx_iface(txq, pkts, n);
	case PCAP_TX_NONE:
	default:
		/* No sink was given: taken and dropped, visibly. */
		sl_eth_queue_count(&txq->stats.cnt.errors, n);
		sl_mbuf_free_bulk(pkts, n);
		return n;
	}
}
