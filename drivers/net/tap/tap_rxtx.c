/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_tap burst functions: one read() or writev() per frame on the queue's
 * /dev/net/tun descriptor (non-blocking), see tap_ethdev.h for why.
 *
 * Spec: Documentation/networking/tuntap.rst.  With IFF_NO_PI a read returns
 * exactly one Ethernet frame (no FCS); if the buffer is shorter the frame is
 * cut and read() still returns its full length, which is how a too-long
 * frame is detected.
 */
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sl_mbuf.h"
#include "tap_ethdev.h"

/*
 * Read one frame into @p m, chaining more mbufs when @p m cannot hold the
 * longest frame.  @return the frame length, 0 if there is none, or -1 with
 * errno ENOENT (pool empty) or EMSGSIZE (frame longer than the buffers,
 * dropped).
 */
static __sl_always_inline ssize_t
tap_read_frame(struct tap_rxq *rxq, struct sl_mbuf *m)
{
	struct sl_mbuf *segs[TAP_MAX_RX_SEGS];
	struct iovec iov[TAP_MAX_RX_SEGS];
	uint32_t cap = 0, left;
	unsigned int ns = 0;
	ssize_t r;

	segs[0] = m;
	do {
		struct sl_mbuf *s = segs[ns];

		iov[ns].iov_base = sl_mbuf_mtod(s, void *);
		iov[ns].iov_len = (size_t)s->buf_len - s->data_off;
		cap += (uint32_t)iov[ns].iov_len;
		ns++;
		if (cap >= rxq->max_frame || ns == TAP_MAX_RX_SEGS)
			break;
		segs[ns] = sl_mbuf_alloc(rxq->mp);
		if (segs[ns] == NULL) {
			for (unsigned int i = 1; i < ns; i++)
				sl_mbuf_free(segs[i]);
			errno = ENOENT;
			return -1;
		}
	} while (1);

	r = ns == 1 ? read(rxq->fd, iov[0].iov_base, iov[0].iov_len) : readv(rxq->fd, iov, (int)ns);
	if (r <= 0 || (size_t)r > cap) {
		for (unsigned int i = 1; i < ns; i++)
			sl_mbuf_free(segs[i]);
		if (r > 0) {
			errno = EMSGSIZE;
			return -1;
		}
		return 0; /* EAGAIN: nothing more to read */
	}
	/* Keep the segments the frame filled, give the rest back. */
	left = (uint32_t)r;
	m->pkt_len = (uint32_t)r;
	for (unsigned int i = 0; i < ns; i++) {
		struct sl_mbuf *s = segs[i];

		if (left == 0) {
			sl_mbuf_free(s);
			continue;
		}
		s->data_len = (uint16_t)SL_MIN(left, (uint32_t)iov[i].iov_len);
		left -= s->data_len;
		if (i != 0) {
			segs[i - 1]->next = s;
			m->nb_segs++;
		}
	}
	return r;
}

uint16_t
tap_rx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct tap_rxq *rxq = q;
	uint64_t bytes = 0, errors = 0;
	uint16_t nb = 0;

	while (nb < n) {
		struct sl_mbuf *m = sl_mbuf_alloc(rxq->mp);
		ssize_t r;

		if (sl_unlikely(m == NULL)) {
			sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
			break;
		}
		r = tap_read_frame(rxq, m);
		if (r <= 0) {
			sl_mbuf_free(m);
			if (r == 0)
				break;
			if (errno == ENOENT) {
				sl_eth_queue_count(&rxq->stats.cnt.nombuf, 1);
				break;
			}
			errors++; /* EMSGSIZE: the frame was consumed and dropped */
			continue;
		}
		m->port = rxq->port_id;
		bytes += (uint64_t)r;
		pkts[nb++] = m;
	}
	if (nb != 0) {
		sl_eth_queue_count(&rxq->stats.cnt.pkts, nb);
		sl_eth_queue_count(&rxq->stats.cnt.bytes, bytes);
	}
	if (sl_unlikely(errors != 0))
		sl_eth_queue_count(&rxq->stats.cnt.errors, errors);
	return nb;
}

uint16_t
tap_tx(void *q, struct sl_mbuf **pkts, uint16_t n)
{
	struct tap_txq *txq = q;
	uint64_t bytes = 0, errors = 0;
	uint16_t i, sent = 0;

	for (i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		struct iovec iov[TAP_MAX_TX_SEGS];
		const struct sl_mbuf *s = m;
		unsigned int ns = 0;
		ssize_t r;

		for (; s != NULL && ns < SL_DIM(iov); s = s->next) {
			iov[ns].iov_base = sl_mbuf_mtod(s, void *);
			iov[ns++].iov_len = s->data_len;
		}
		if (sl_unlikely(s != NULL)) {
			errors++; /* more segments than one writev takes here: dropped */
			sl_mbuf_free(m);
			continue;
		}
		r = ns == 1 ? write(txq->fd, iov[0].iov_base, iov[0].iov_len) :
			      writev(txq->fd, iov, (int)ns);
		if (sl_unlikely(r < 0)) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break; /* the rest stays the caller's */
			errors++;  /* refused (interface down, too long): taken and dropped */
		} else {
			bytes += m->pkt_len;
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
