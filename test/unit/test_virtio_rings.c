/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio PMD's data path against a software device model, on the host
 * (no PCI, no QEMU): the model plays the device's side of split
 * ([VIRTIO] §2.7) and packed (§2.8) virtqueues in the same memory the
 * driver writes, translating IOVAs with sl_mem_iova2virt().
 *
 * Checked: TX frames and their virtio-net headers (plain, UDP checksum,
 * TSO4) arrive byte for byte from single mbufs and chains; RX frames,
 * mergeable frames of several buffers, NEEDS_CSUM completion; ring
 * wrap-around over many laps; IN_ORDER batches (one used entry standing for
 * several buffers) reclaim every mbuf; the doorbell rings at most once per
 * burst and not at all when the device's event index (split) or its
 * DISABLE flag (packed) says no; no mbuf is
 * leaked.  The VM tests (test/vm/virtio) run the same code on QEMU's device.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_eal.h"
#include "sl_ethdev.h"
#include "sl_mbuf.h"
#include "sl_memory.h"
#include "sl_mempool.h"
#include "test_eth_helpers.h"
#include "virtio_ethdev.h"

#define RING 64
#define HDR VIRTIO_HDR_SIZE

static struct sl_mempool *pool;

/* ---- a port without a device -------------------------------------------- */

struct fake_port {
	struct sl_eth_dev eth;
	struct virtio_hw hw;
	void *rxq[1], *txq[1];
	uint16_t doorbell; /* the notify "register" */
	struct virtio_rx_queue *rx;
	struct virtio_tx_queue *tx;
};

static void
port_make(struct fake_port *p, uint64_t features, uint64_t rx_off)
{
	struct sl_eth_rxconf rc = { 0 };
	struct sl_eth_txconf tc = { 0 };

	memset(p, 0, sizeof(*p));
	p->hw.eth = &p->eth;
	p->hw.dev_features = features;
	p->hw.features = features;
	p->eth.data.dev_private = &p->hw;
	p->eth.data.rx_queues = p->rxq;
	p->eth.data.tx_queues = p->txq;
	p->eth.data.nb_rx_queues = p->eth.data.nb_tx_queues = 1;
	p->eth.data.dev_conf.rxmode.offloads = rx_off;
	assert_int_equal(virtio_rx_queue_setup(&p->eth, 0, RING, SL_SOCKET_ID_ANY, &rc, pool), 0);
	assert_int_equal(virtio_tx_queue_setup(&p->eth, 0, RING, SL_SOCKET_ID_ANY, &tc), 0);
	p->rx = p->rxq[0];
	p->tx = p->txq[0];
	assert_int_equal(virtio_rx_queue_fill(&p->hw, p->rx), 0);
	virtio_tx_queue_prepare(&p->hw, p->tx);
	p->rx->vq.notify = &p->doorbell;
	p->tx->vq.notify = &p->doorbell;
}

static void
port_free(struct fake_port *p)
{
	virtio_rx_queue_release(&p->eth, 0);
	virtio_tx_queue_release(&p->eth, 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
}

/* ---- the device model ------------------------------------------------------- */

struct model {
	struct virtio_vq *vq;
	uint16_t last_avail; /* split: next avail entry; packed: next slot */
	uint8_t wrap;        /* packed: device wrap counter */
	uint16_t used_slot;  /* packed: where the next used descriptor goes */
	uint8_t used_wrap;
	uint16_t next_desc;  /* split, IN_ORDER: the descriptor the next buffer must start at */
};

static void
model_init(struct model *m, struct virtio_vq *vq)
{
	memset(m, 0, sizeof(*m));
	m->vq = vq;
	m->wrap = m->used_wrap = 1;
}

static void *
va(uint64_t iova)
{
	/* the EAL runs with IOVA as VA (checked in the group setup) */
	return (void *)(uintptr_t)iova;
}

/* One available buffer: its descriptors gathered into @p buf.  @return the
 * number of descriptors, 0 if none is available; *id the buffer id. */
static unsigned int
model_take(struct model *m, uint8_t *buf, uint32_t *len, uint16_t *id)
{
	struct virtio_vq *vq = m->vq;
	unsigned int n = 0;

	*len = 0;
	if (!vq->packed) {
		uint16_t idx, d;
		if (m->last_avail == __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE))
			return 0;
		idx = vq->avail->ring[m->last_avail++ & vq->mask];
		*id = idx;
		/* §2.7.5.2: with IN_ORDER the driver uses the descriptors in
		 * ring order, each chain right after the previous one, next =
		 * x + 1 and 0 after the table's last (a device may rely on it
		 * and never read the available ring). */
		if (vq->in_order)
			assert_int_equal(idx, m->next_desc);
		for (d = idx;; d = vq->desc[d].next) {
			memcpy(buf + *len, va(vq->desc[d].addr), vq->desc[d].len);
			*len += vq->desc[d].len;
			n++;
			if (!(vq->desc[d].flags & VRING_DESC_F_NEXT))
				break;
			if (vq->in_order)
				assert_int_equal(vq->desc[d].next, (d + 1) & vq->mask);
		}
		m->next_desc = (uint16_t)((d + 1) & vq->mask);
		return n;
	}
	for (;;) {
		struct vring_packed_desc *d = &vq->pdesc[m->last_avail];
		uint16_t f = __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE);
		if (!!(f & VRING_PACKED_DESC_F_AVAIL) != m->wrap ||
		    !!(f & VRING_PACKED_DESC_F_USED) == m->wrap) {
			assert_int_equal(n, 0); /* a chain appears whole */
			return 0;
		}
		memcpy(buf + *len, va(d->addr), d->len);
		*len += d->len;
		*id = d->id;
		n++;
		if (++m->last_avail == vq->size) {
			m->last_avail = 0;
			m->wrap ^= 1;
		}
		if (!(f & VRING_DESC_F_NEXT))
			return n;
	}
}

/* Mark buffer @p id (@p ndescs descriptors) used with @p len bytes written. */
static void
model_used(struct model *m, uint16_t id, unsigned int ndescs, uint32_t len)
{
	struct virtio_vq *vq = m->vq;

	if (!vq->packed) {
		struct vring_used_elem *e = &vq->used->ring[vq->used->idx & vq->mask];
		e->id = id;
		e->len = len;
		__atomic_store_n(&vq->used->idx, (uint16_t)(vq->used->idx + 1), __ATOMIC_RELEASE);
		return;
	}
	struct vring_packed_desc *d = &vq->pdesc[m->used_slot];
	d->id = id;
	d->len = len;
	__atomic_store_n(&d->flags, (uint16_t)(m->used_wrap ? VRING_PACKED_DESC_F_AVAIL |
							     VRING_PACKED_DESC_F_USED : 0),
			 __ATOMIC_RELEASE);
	m->used_slot = (uint16_t)(m->used_slot + ndescs);
	if (m->used_slot >= vq->size) {
		m->used_slot = (uint16_t)(m->used_slot - vq->size);
		m->used_wrap ^= 1;
	}
}

/* RX: write @p frame into the next @p nbufs buffers (mergeable). */
static void
model_rx(struct model *m, const uint8_t *frame, uint32_t len, uint16_t nbufs, uint8_t flags,
	 uint16_t csum_start, uint16_t csum_off)
{
	struct virtio_vq *vq = m->vq;
	uint32_t off = 0;

	for (uint16_t b = 0; b < nbufs; b++) {
		uint64_t addr;
		uint32_t cap, n, hdr = b == 0 ? HDR : 0;
		uint16_t id;
		uint8_t *p;

		if (!vq->packed) {
			uint16_t ring_idx;
			assert_int_not_equal(m->last_avail, vq->avail->idx);
			ring_idx = vq->avail->ring[m->last_avail++ & vq->mask];
			id = ring_idx;
			addr = vq->desc[id].addr;
			cap = vq->desc[id].len;
			assert_true(vq->desc[id].flags & VRING_DESC_F_WRITE);
		} else {
			struct vring_packed_desc *d = &vq->pdesc[m->last_avail];
			assert_int_equal(!!(d->flags & VRING_PACKED_DESC_F_AVAIL), m->wrap);
			assert_true(d->flags & VRING_DESC_F_WRITE);
			id = d->id;
			addr = d->addr;
			cap = d->len;
			if (++m->last_avail == vq->size) {
				m->last_avail = 0;
				m->wrap ^= 1;
			}
		}
		p = va(addr);
		n = b + 1 == nbufs ? len - off : SL_MIN(len - off, cap - hdr);
		assert_true(n + hdr <= cap);
		if (hdr) {
			struct virtio_net_hdr h = { .flags = flags, .csum_start = csum_start,
						    .csum_offset = csum_off, .num_buffers = nbufs };
			memcpy(p, &h, HDR);
		}
		memcpy(p + hdr, frame + off, n);
		off += n;
		model_used(m, id, 1, n + hdr);
	}
	assert_int_equal(off, len);
}

/* ---- frames --------------------------------------------------------------------- */

static void
fill(uint8_t *f, uint32_t len, uint32_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		f[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

/* A frame in mbufs of at most @p seg bytes each. */
static struct sl_mbuf *
mk(const uint8_t *f, uint32_t len, uint32_t seg)
{
	struct sl_mbuf *head = NULL;

	for (uint32_t off = 0; off < len; off += seg) {
		uint32_t n = SL_MIN(seg, len - off);
		struct sl_mbuf *m = sl_mbuf_alloc(pool);
		assert_non_null(m);
		memcpy(sl_mbuf_append(m, (uint16_t)n), f + off, n);
		if (head == NULL)
			head = m;
		else
			assert_int_equal(sl_mbuf_chain(head, m), 0);
	}
	return head;
}

/* ---- tests ---------------------------------------------------------------------- */

static uint16_t
xmit(struct fake_port *p, struct sl_mbuf **pk, uint16_t n)
{
	return p->tx->vq.packed ? virtio_xmit_pkts_packed(p->tx, pk, n) :
				  virtio_xmit_pkts_split(p->tx, pk, n);
}

static uint16_t
recv(struct fake_port *p, struct sl_mbuf **pk, uint16_t n)
{
	return p->rx->vq.packed ? virtio_recv_pkts_packed(p->rx, pk, n) :
				  virtio_recv_pkts_split(p->rx, pk, n);
}

static uint32_t
tx_len(uint32_t seq)
{
	return 60 + seq * 97 % 3000;
}

/* TX over many laps of the ring, single mbufs and chains; used entries one
 * per buffer, or (IN_ORDER) one for a whole burst. */
static void
tx_laps(uint64_t features, int batch)
{
	static uint8_t f[4000], got[4200];
	struct fake_port p;
	struct model m;
	uint32_t seq = 0, done = 0;

	port_make(&p, features, 0);
	model_init(&m, &p.tx->vq);
	for (int round = 0; round < 300; round++) {
		struct sl_mbuf *pk[8];
		uint16_t n = (uint16_t)(1 + round % 8), ids[8] = { 0 };
		uint64_t kicks = p.tx->st.notifies;
		unsigned int nd[8], total = 0;

		for (uint16_t i = 0; i < n; i++) {
			fill(f, tx_len(seq + i), seq + i);
			pk[i] = mk(f, tx_len(seq + i), (seq + i) % 3 ? 2000 : 700);
		}
		assert_int_equal(xmit(&p, pk, n), n);
		/* one doorbell per burst at most; without EVENT_IDX and with
		 * the device's NO_NOTIFY flag clear, exactly one */
		assert_int_equal(p.tx->st.notifies - kicks, 1);
		for (uint16_t k = 0; k < n; k++, seq++) {
			uint32_t len;
			nd[k] = model_take(&m, got, &len, &ids[k]);
			assert_true(nd[k] > 0);
			total += nd[k];
			assert_int_equal(len, tx_len(seq) + HDR);
			assert_int_equal(got[0], 0); /* no offload: zero header */
			assert_int_equal(got[1], VIRTIO_NET_HDR_GSO_NONE);
			fill(f, tx_len(seq), seq);
			assert_memory_equal(got + HDR, f, tx_len(seq));
		}
		if (batch && !p.tx->vq.packed) {
			/* §2.7.9: a single entry, the batch's last buffer */
			struct virtio_vq *vq = &p.tx->vq;
			vq->used->ring[vq->used->idx & vq->mask].id = ids[n - 1];
			__atomic_store_n(&vq->used->idx, (uint16_t)(vq->used->idx + n),
					 __ATOMIC_RELEASE);
		} else if (batch) {
			model_used(&m, ids[n - 1], total, 0); /* §2.8.8 */
		} else {
			for (unsigned int i = 0; i < n; i++)
				model_used(&m, ids[i], nd[i], 0);
		}
		done += n;
	}
	assert_int_equal(p.tx->st.packets, done);
	port_free(&p);
}

static void
test_tx_split(void **state)
{
	(void)state;
	tx_laps(0, 0);
}

static void
test_tx_packed(void **state)
{
	(void)state;
	tx_laps(VIRTIO_BIT(VIRTIO_F_RING_PACKED), 0);
}

static void
test_tx_split_in_order(void **state)
{
	(void)state;
	tx_laps(VIRTIO_BIT(VIRTIO_F_IN_ORDER), 1);
}

static void
test_tx_packed_in_order(void **state)
{
	(void)state;
	tx_laps(VIRTIO_BIT(VIRTIO_F_RING_PACKED) | VIRTIO_BIT(VIRTIO_F_IN_ORDER), 1);
}

/* The device takes the oldest available buffer (one descriptor) and marks
 * it used. */
static void
model_complete_one(struct model *m)
{
	static uint8_t got[4200];
	uint32_t len;
	uint16_t id;

	assert_int_equal(model_take(m, got, &len, &id), 1);
	model_used(m, id, 1, 0);
}

/* TX on a full ring takes its slots back free_thresh at a time
 * (tx_reclaim_split() / tx_reclaim_packed()): until that many buffers are
 * used no slot is refilled, so the driver does not chase the device one
 * slot behind it.  On a packed ring with a chain in flight (one used slot
 * for several descriptors) each used buffer is taken back at once. */
static void
reclaim_batches(uint64_t features)
{
	static uint8_t f[1600];
	struct fake_port p;
	struct model m;
	struct sl_mbuf *pk[1];
	uint16_t thresh;
	int packed = !!(features & VIRTIO_BIT(VIRTIO_F_RING_PACKED));

	port_make(&p, features, 0);
	model_init(&m, &p.tx->vq);
	thresh = p.tx->free_thresh;
	assert_true(thresh > 1 && thresh < RING);
	for (unsigned int i = 0; i < RING; i++) {
		fill(f, 60, i);
		pk[0] = mk(f, 60, 2000);
		assert_int_equal(xmit(&p, pk, 1), 1);
	}
	fill(f, 60, RING);
	pk[0] = mk(f, 60, 2000);
	assert_int_equal(xmit(&p, pk, 1), 0); /* full: still the caller's */
	for (unsigned int k = 1; k < thresh; k++) {
		model_complete_one(&m);
		assert_int_equal(xmit(&p, pk, 1), 0);
		assert_int_equal(p.tx->vq.nb_free, 0);
	}
	model_complete_one(&m);
	assert_int_equal(xmit(&p, pk, 1), 1);
	assert_int_equal(p.tx->vq.nb_free, thresh - 1);

	/* a chain of three descriptors, then full again with single ones */
	fill(f, 1500, 7);
	pk[0] = mk(f, 1500, 700);
	assert_int_equal(pk[0]->nb_segs, 3);
	assert_int_equal(xmit(&p, pk, 1), 1);
	while (p.tx->vq.nb_free > 0) {
		fill(f, 60, 8);
		pk[0] = mk(f, 60, 2000);
		assert_int_equal(xmit(&p, pk, 1), 1);
	}
	fill(f, 60, 9);
	pk[0] = mk(f, 60, 2000);
	assert_int_equal(xmit(&p, pk, 1), 0);
	model_complete_one(&m); /* one of the oldest: a single descriptor */
	/* split: the used index counts buffers, chains too: still a batch */
	assert_int_equal(xmit(&p, pk, 1), packed ? 1 : 0);
	if (!packed)
		sl_mbuf_free(pk[0]);
	/* the rest in flight is freed by the release, none lost */
	port_free(&p);
}

static void
test_tx_split_reclaims_in_batches(void **state)
{
	(void)state;
	reclaim_batches(0);
}

static void
test_tx_packed_reclaims_in_batches(void **state)
{
	(void)state;
	reclaim_batches(VIRTIO_BIT(VIRTIO_F_RING_PACKED));
}

/* RX over many laps: single-buffer and mergeable frames, byte for byte. */
static void
rx_laps(uint64_t features)
{
	static uint8_t f[9100];
	struct fake_port p;
	struct model m;
	uint32_t seq = 0;

	port_make(&p, features | VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF), 0);
	model_init(&m, &p.rx->vq);
	for (int round = 0; round < 300; round++) {
		struct sl_mbuf *pk[8];
		uint16_t n = (uint16_t)(1 + round % 5), got;

		for (uint16_t i = 0; i < n; i++) {
			uint32_t len = 60 + (seq + i) * 211 % 9000;
			uint32_t room = p.rx->buf_len;
			uint16_t nb = (uint16_t)((len + HDR + room - 1) / room);
			fill(f, len, seq + i);
			model_rx(&m, f, len, nb, 0, 0, 0);
		}
		got = recv(&p, pk, 8);
		assert_int_equal(got, n);
		for (uint16_t i = 0; i < n; i++, seq++) {
			static uint8_t buf[9100];
			uint32_t len = 60 + seq * 211 % 9000;
			assert_int_equal(pk[i]->pkt_len, len);
			fill(f, len, seq);
			assert_memory_equal(sl_mbuf_read(pk[i], 0, len, buf), f, len);
			sl_mbuf_free(pk[i]);
		}
	}
	assert_true(p.rx->st.mrg_bufs > 0);
	port_free(&p);
}

static void
test_rx_split(void **state)
{
	(void)state;
	rx_laps(0);
}

static void
test_rx_packed(void **state)
{
	(void)state;
	rx_laps(VIRTIO_BIT(VIRTIO_F_RING_PACKED));
}

/* Offload headers: UDP checksum and TSO4 on TX; NEEDS_CSUM completed and
 * DATA_VALID reported on RX. */
static void
offloads(uint64_t features)
{
	static uint8_t f[3000], got[3100];
	uint64_t feat = features | VIRTIO_BIT(VIRTIO_NET_F_CSUM) |
			VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM) |
			VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
	struct virtio_net_hdr h;
	struct sl_mbuf *pk[2];
	struct fake_port p;
	struct model tx, rx;
	uint32_t len = 1200;
	uint16_t id;

	port_make(&p, feat, SL_ETH_RX_OFFLOAD_UDP_CKSUM);
	model_init(&tx, &p.tx->vq);
	model_init(&rx, &p.rx->vq);
	fill(f, 2900, 1);
	pk[0] = mk(f, len, 2000);
	pk[0]->ol_flags = SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_UDP_CKSUM;
	pk[0]->l2_len = 14;
	pk[0]->l3_len = 20;
	pk[1] = mk(f, 2900, 1000);
	pk[1]->ol_flags = SL_MBUF_F_TX_IPV4 | SL_MBUF_F_TX_TCP_CKSUM | SL_MBUF_F_TX_TCP_SEG;
	pk[1]->l2_len = 14;
	pk[1]->l3_len = 20;
	pk[1]->l4_len = 32;
	pk[1]->tso_segsz = 1000;
	assert_int_equal(xmit(&p, pk, 2), 2);
	assert_true(model_take(&tx, got, &len, &id) > 0);
	memcpy(&h, got, HDR);
	assert_int_equal(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	assert_int_equal(h.csum_start, 34);
	assert_int_equal(h.csum_offset, 6);
	assert_true(model_take(&tx, got, &len, &id) > 0);
	assert_int_equal(len, 2900 + HDR);
	memcpy(&h, got, HDR);
	assert_int_equal(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(h.gso_size, 1000);
	assert_int_equal(h.hdr_len, 66);
	assert_int_equal(h.csum_start, 34);
	assert_int_equal(h.csum_offset, 16);
	assert_memory_equal(got + HDR, f, 2900);

	/* TSO6 was not negotiated: the packet is dropped and counted */
	pk[0] = mk(f, 200, 2000);
	pk[0]->ol_flags = SL_MBUF_F_TX_IPV6 | SL_MBUF_F_TX_TCP_CKSUM | SL_MBUF_F_TX_TCP_SEG;
	pk[0]->l2_len = 14;
	pk[0]->l3_len = 40;
	pk[0]->l4_len = 20;
	pk[0]->tso_segsz = 100;
	assert_int_equal(xmit(&p, pk, 1), 1);
	assert_int_equal(p.tx->st.bad_offload, 1);
	assert_int_equal(model_take(&tx, got, &len, &id), 0);

	/* RX: a UDP frame with a partial checksum, over two buffers */
	{
		uint8_t fr[2600];
		uint16_t udplen = 2600 - 34, c;
		uint32_t sum = 0;
		static uint8_t buf[2600];

		fill(fr, sizeof(fr), 7);
		fr[12] = 8; fr[13] = 0; fr[23] = 17;
		fr[38] = (uint8_t)(udplen >> 8);
		fr[39] = (uint8_t)udplen;
		fr[40] = 0x12; fr[41] = 0x34; /* the "partial" sum left by the sender */
		model_rx(&rx, fr, sizeof(fr), 2, VIRTIO_NET_HDR_F_NEEDS_CSUM, 34, 6);
		model_rx(&rx, fr, 100, 1, VIRTIO_NET_HDR_F_DATA_VALID, 0, 0);
		assert_int_equal(recv(&p, pk, 2), 2);
		assert_int_equal(pk[0]->nb_segs, 2);
		assert_true(pk[0]->ol_flags & SL_MBUF_F_RX_L4_CKSUM_GOOD);
		assert_true(pk[1]->ol_flags & SL_MBUF_F_RX_L4_CKSUM_GOOD);
		/* The device sums from csum_start, the partial sum in the field
		 * included, and stores the complement (§5.1.6.2): so the bytes
		 * now sum to 0xffff together with that partial (the pseudo-header
		 * sum on a real frame). */
		sl_mbuf_read(pk[0], 0, sizeof(fr), buf);
		sum = 0x1234;
		for (uint32_t i = 34; i + 1 < sizeof(fr); i += 2)
			sum += (uint32_t)buf[i] << 8 | buf[i + 1];
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		c = (uint16_t)sum;
		assert_int_equal(c, 0xffff);
		assert_int_equal(p.rx->st.csum_fixed, 1);
		sl_mbuf_free(pk[0]);
		sl_mbuf_free(pk[1]);
	}
	port_free(&p);
}

static void
test_offloads_split(void **state)
{
	(void)state;
	offloads(0);
}

static void
test_offloads_packed(void **state)
{
	(void)state;
	offloads(VIRTIO_BIT(VIRTIO_F_RING_PACKED));
}

/* EVENT_IDX: the doorbell rings only when the device's event says so. */
static void
event_idx(uint64_t features)
{
	static uint8_t f[100];
	struct fake_port p;
	struct sl_mbuf *pk[4];
	struct virtio_vq *vq;

	port_make(&p, features | VIRTIO_BIT(VIRTIO_F_RING_EVENT_IDX), 0);
	vq = &p.tx->vq;
	fill(f, 100, 3);
	for (int want = 0; want < 2; want++) {
		uint64_t kicks = p.tx->st.notifies;
		if (!vq->packed) {
			/* avail_event: the next index (kick) or far ahead (none) */
			uint16_t *ev = (uint16_t *)&vq->used->ring[vq->size];
			*ev = want ? vq->avail_idx : (uint16_t)(vq->avail_idx + 1000);
		} else {
			/* packed: any enabled notification gets its kick, the
			 * event slot is not trusted (virtio_rxtx.c) */
			vq->dev_event->flags = want ? VRING_PACKED_EVENT_DESC : VRING_PACKED_EVENT_DISABLE;
			vq->dev_event->off_wrap = (uint16_t)((vq->avail_idx + 30) % vq->size);
		}
		for (int i = 0; i < 4; i++)
			pk[i] = mk(f, 100, 2000);
		assert_int_equal(xmit(&p, pk, 4), 4);
		assert_int_equal(p.tx->st.notifies - kicks, (uint64_t)want);
	}
	if (vq->packed) {
		uint64_t kicks = p.tx->st.notifies;
		vq->dev_event->flags = VRING_PACKED_EVENT_ENABLE;
		pk[0] = mk(f, 100, 2000);
		assert_int_equal(xmit(&p, pk, 1), 1);
		assert_int_equal(p.tx->st.notifies, kicks + 1);
		kicks++;
		vq->dev_event->flags = VRING_PACKED_EVENT_DISABLE;
		pk[0] = mk(f, 100, 2000);
		assert_int_equal(xmit(&p, pk, 1), 1);
		assert_int_equal(p.tx->st.notifies, kicks);
	}
	port_free(&p);
}

static void
test_event_idx_split(void **state)
{
	(void)state;
	event_idx(0);
}

static void
test_event_idx_packed(void **state)
{
	(void)state;
	event_idx(VIRTIO_BIT(VIRTIO_F_RING_PACKED));
}

/*
 * Without VIRTIO_F_RING_EVENT_IDX (split, §2.7.10): the doorbell rings after
 * a burst exactly when the device has VRING_USED_F_NO_NOTIFY clear, for TX
 * and for RX refills, and the driver asks for no interrupts.
 */
static void
test_notify_flags_split(void **state)
{
	static uint8_t f[100];
	struct fake_port p;
	struct sl_mbuf *pk[4];
	struct model m;

	(void)state;
	port_make(&p, 0, 0);
	assert_int_equal(p.tx->vq.avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
	assert_int_equal(p.rx->vq.avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
	fill(f, 100, 5);
	model_init(&m, &p.rx->vq);
	for (int want = 0; want < 2; want++) {
		uint64_t kicks = p.tx->st.notifies, rkicks = p.rx->st.notifies;

		p.tx->vq.used->flags = want ? 0 : VRING_USED_F_NO_NOTIFY;
		p.rx->vq.used->flags = want ? 0 : VRING_USED_F_NO_NOTIFY;
		for (int i = 0; i < 4; i++)
			pk[i] = mk(f, 100, 2000);
		assert_int_equal(xmit(&p, pk, 4), 4);
		assert_int_equal(p.tx->st.notifies - kicks, (uint64_t)want);
		/* the device delivers two frames; the refill kicks or not */
		for (int i = 0; i < 2; i++)
			model_rx(&m, f, 100, 1, 0, 0, 0);
		assert_int_equal(recv(&p, pk, 4), 2);
		sl_mbuf_free_bulk(pk, 2);
		assert_int_equal(p.rx->st.notifies - rkicks, (uint64_t)want);
	}
	port_free(&p);
}

static int
group_setup(void **state)
{
	(void)state;
	if (th_eal_start("test_virtio_rings", NULL, NULL) < 0)
		return -1;
	pool = sl_mbuf_pool_create("vrings_pool", 2047, 0, 0, SL_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		return -1;
	{
		/* the device model reads IOVAs as addresses */
		struct sl_mbuf *m = sl_mbuf_alloc(pool);
		int va_mode = m != NULL && m->buf_iova == (uintptr_t)m->buf_addr;
		sl_mbuf_free(m);
		if (!va_mode)
			fprintf(stderr, "the EAL does not run with IOVA as VA\n");
		return va_mode ? 0 : -1;
	}
}

static int
group_teardown(void **state)
{
	(void)state;
	sl_mempool_free(pool);
	sl_eal_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_split),
		cmocka_unit_test(test_tx_packed),
		cmocka_unit_test(test_tx_split_in_order),
		cmocka_unit_test(test_tx_packed_in_order),
		cmocka_unit_test(test_tx_split_reclaims_in_batches),
		cmocka_unit_test(test_tx_packed_reclaims_in_batches),
		cmocka_unit_test(test_rx_split),
		cmocka_unit_test(test_rx_packed),
		cmocka_unit_test(test_offloads_split),
		cmocka_unit_test(test_offloads_packed),
		cmocka_unit_test(test_event_idx_split),
		cmocka_unit_test(test_event_idx_packed),
		cmocka_unit_test(test_notify_flags_split),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
