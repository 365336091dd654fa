/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net data path: split ([VIRTIO] §2.7) and packed ([VIRTIO] §2.8)
 * virtqueues, receive with mergeable buffers (§5.1.6.3-4), transmit with
 * checksum and segmentation offload (§5.1.6.2), and the control virtqueue
 * (§5.1.6.5).  Reference: OASIS VIRTIO 1.2 (see virtio_pci.h).
 *
 * Memory: every ring is one IOVA-contiguous memzone and every buffer an
 * mbuf of the EAL heap; the device sees them through the IOMMU at their
 * IOVAs (VIRTIO_F_ACCESS_PLATFORM is required, see virtio_ethdev.c).
 *
 * Notifications: the device is told not to interrupt (no MSI-X vector,
 * VRING_AVAIL_F_NO_INTERRUPT or a packed DISABLE), and the driver rings the
 * doorbell at most once per burst, and only when the device asked for it
 * (used->flags, avail_event or the packed device event suppression).
 *
 * Ordering: ring memory is ordinary write-back memory shared with the device
 * (QEMU's threads on other CPUs); the smp barriers and acquire/release
 * accesses below are what the spec's "memory barrier" steps ask for.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sl_bus_pci.h"
#include "sl_ip.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"
#include "sl_memzone.h"

#include "virtio_ethdev.h"

#define CVQ_TIMEOUT_US 1000000 /* QEMU answers in microseconds; be generous */
#define CVQ_DATA_OFF VIRTIO_CVQ_DATA_OFF
#define CVQ_ACK_OFF VIRTIO_CVQ_ACK_OFF
static_assert(VIRTIO_CVQ_ACK_OFF - VIRTIO_CVQ_DATA_OFF >= VIRTIO_NET_RSS_HDR_LEN +
	      2 * VIRTIO_RSS_RETA_MAX + VIRTIO_NET_RSS_TAIL_LEN + VIRTIO_RSS_KEY_LEN &&
	      VIRTIO_CVQ_ACK_OFF < VIRTIO_CVQ_BUF_LEN, "the control buffer holds an RSS command");

static inline uint16_t
load_acquire16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
store_release16(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ======================================================================= */
/* Virtqueue memory                                                          */
/* ======================================================================= */

static size_t
split_used_off(uint16_t size)
{
	/* §2.7: descriptor table, then the available ring with used_event. */
	size_t avail_end = (size_t)size * sizeof(struct vring_desc) + 4 + 2u * size + 2;

	return SL_ALIGN_CEIL(avail_end, (size_t)VRING_SPLIT_USED_ALIGN);
}

int
virtio_vq_alloc(struct virtio_vq *vq, const char *name, uint16_t size, int packed, int socket_id)
{
	size_t len;

	memset(vq, 0, sizeof(*vq));
	if (packed)
		/* descriptors, then the two event suppression structures a
		 * cache line apart (the device writes one, we write the other) */
		len = (size_t)size * sizeof(struct vring_packed_desc) + 2 * SL_CACHE_LINE_SIZE;
	else
		len = split_used_off(size) + 4 + sizeof(struct vring_used_elem) * size + 2;
	vq->mz = sl_memzone_reserve_aligned(name, len, socket_id, SL_MEMZONE_IOVA_CONTIG, 4096);
	if (vq->mz == NULL) {
		SL_LOG(ERR, VIRTIO, "cannot reserve ring memzone %s (%zu bytes): %s", name, len,
		       strerror(errno));
		return -ENOMEM;
	}
	vq->size = size;
	vq->mask = (uint16_t)(size - 1);
	vq->packed = (uint8_t)!!packed;
	vq->desc_iova = vq->mz->iova;
	if (packed) {
		size_t d = (size_t)size * sizeof(struct vring_packed_desc);
		vq->pdesc = vq->mz->addr;
		vq->drv_event = (void *)((uint8_t *)vq->mz->addr + d);
		vq->dev_event = (void *)((uint8_t *)vq->mz->addr + d + SL_CACHE_LINE_SIZE);
		vq->driver_iova = vq->mz->iova + d;
		vq->device_iova = vq->mz->iova + d + SL_CACHE_LINE_SIZE;
	} else {
		size_t a = (size_t)size * sizeof(struct vring_desc), u = split_used_off(size);
		vq->desc = vq->mz->addr;
		vq->avail = (void *)((uint8_t *)vq->mz->addr + a);
		vq->used = (void *)((uint8_t *)vq->mz->addr + u);
		vq->driver_iova = vq->mz->iova + a;
		vq->device_iova = vq->mz->iova + u;
	}
	return 0;
}

void
virtio_vq_free(struct virtio_vq *vq)
{
	if (vq->mz)
		sl_memzone_free(vq->mz);
	vq->mz = NULL;
}

void
virtio_vq_reset(struct virtio_vq *vq, int event_idx, int in_order)
{
	memset(vq->mz->addr, 0, vq->mz->len);
	vq->nb_free = vq->size;
	vq->avail_idx = 0;
	vq->used_idx = 0;
	vq->event_idx = (uint8_t)!!event_idx;
	vq->in_order = (uint8_t)!!in_order;
	if (vq->packed) {
		/* §2.8.1: both wrap counters start at 1. */
		vq->avail_flags = VRING_PACKED_DESC_F_AVAIL;
		vq->used_wrap = 1;
		/* §2.8.10: no used buffer notifications, we poll. */
		vq->drv_event->flags = VRING_PACKED_EVENT_DISABLE;
		return;
	}
	/* The free list starts in ring order, the last descriptor linked to
	 * the first: with IN_ORDER the links stay so for good (§2.7.5.2: next
	 * is x + 1, and 0 for the last descriptor of the table). */
	for (uint16_t i = 0; i < vq->size; i++)
		vq->desc[i].next = (uint16_t)((i + 1) & vq->mask);
	vq->free_head = 0;
	/* §2.7.7: without EVENT_IDX the flag asks for no interrupts; with
	 * it, used_event stays one behind the start and the device would
	 * interrupt only once every 65536 buffers (and no vector is set). */
	if (event_idx)
		vq->avail->ring[vq->size] = 0xffff;
	else
		vq->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
}

/* §2.7.13.4 / §2.7.10: does the device want a notification for the
 * buffers made available since @p old? */
static inline int
split_need_kick(const struct virtio_vq *vq, uint16_t old)
{
	/* Our avail->idx store must be visible before we read what the device
	 * wrote about notifications, or both sides may wait on each other:
	 * store -> load needs a full barrier. */
	sl_smp_mb();
	if (vq->event_idx)
		/* avail_event follows the used ring's last element */
		return vring_need_event(load_acquire16((const uint16_t *)&vq->used->ring[vq->size]),
					vq->avail_idx, old);
	return !(load_acquire16(&vq->used->flags) & VRING_USED_F_NO_NOTIFY);
}

/*
 * What the bursts use on packed rings: a doorbell whenever the device has
 * notifications on at all (ENABLE or DESC), not only when its event slot
 * was passed.  QEMU 7.2 writes the slot from its last scan of the ring and
 * may then take more buffers (a re-check, or the rest of a TX flush after
 * a peer unblocked) without moving it, so the slot can lie behind every
 * later buffer: with jumbo frames between two packed ports on a hub a queue
 * waited for good for a kick the event index said was not due.  QEMU turns
 * notifications off while it works, so this still costs at most one
 * doorbell per burst and none while the device is busy.  The off_wrap
 * slot (§2.8.10) is therefore not used.
 */
static inline int
packed_kick_wanted(const struct virtio_vq *vq)
{
	sl_smp_mb(); /* descriptor flags stores before the event load */
	return load_acquire16(&vq->dev_event->flags) != VRING_PACKED_EVENT_DISABLE;
}

static inline int
packed_is_used(uint16_t flags, uint8_t wrap)
{
	/* §2.8.1: used when AVAIL and USED both equal the used wrap counter. */
	return !!(flags & VRING_PACKED_DESC_F_AVAIL) == wrap &&
	       !!(flags & VRING_PACKED_DESC_F_USED) == wrap;
}

static inline void
packed_avail_advance(struct virtio_vq *vq)
{
	if (++vq->avail_idx == vq->size) {
		vq->avail_idx = 0;
		vq->avail_flags ^= VRING_PACKED_DESC_F_AVAIL | VRING_PACKED_DESC_F_USED;
	}
}

static inline void
packed_used_advance(struct virtio_vq *vq, uint16_t n)
{
	uint32_t u = (uint32_t)vq->used_idx + n;

	if (u >= vq->size) {
		u -= vq->size;
		vq->used_wrap ^= 1;
	}
	vq->used_idx = (uint16_t)u;
}

/* ======================================================================= */
/* Control virtqueue (§5.1.6.5): one command at a time, polled                */
/* ======================================================================= */

int
virtio_cvq_command(struct virtio_hw *hw, uint8_t cls, uint8_t cmd, const void *data, uint16_t len)
{
	struct virtio_vq *vq = &hw->cvq;
	uint8_t *buf = hw->cvq_buf;
	uint64_t iova = hw->cvq_buf_iova;
	uint64_t addr[3] = { iova, iova + CVQ_DATA_OFF, iova + CVQ_ACK_OFF };
	uint32_t lens[3] = { 2, len, 1 };
	uint16_t wflags[3] = { 0, 0, VRING_DESC_F_WRITE };
	unsigned int n = 0, idx[3];
	uint64_t deadline;

	if (vq->mz == NULL)
		return -ENOTSUP;
	if (len > CVQ_ACK_OFF - CVQ_DATA_OFF)
		return -EINVAL;
	/* §5.1.6.5: class, command, data (device-readable), ack (writable) */
	buf[0] = cls;
	buf[1] = cmd;
	if (len)
		memcpy(buf + CVQ_DATA_OFF, data, len);
	buf[CVQ_ACK_OFF] = 0xff;
	for (unsigned int i = 0; i < 3; i++)
		if (lens[i])
			idx[n++] = i;

	if (!vq->packed) {
		/* One command at a time, each chain right after the previous
		 * one in the table: ring order, as §2.7.5.2 asks when IN_ORDER
		 * was negotiated (for every queue of the device). */
		uint16_t head = vq->free_head;
		for (unsigned int i = 0; i < n; i++) {
			uint16_t x = (uint16_t)((head + i) & vq->mask);
			struct vring_desc *d = &vq->desc[x];
			d->addr = addr[idx[i]];
			d->len = lens[idx[i]];
			d->flags = (uint16_t)(wflags[idx[i]] | (i + 1 < n ? VRING_DESC_F_NEXT : 0));
			d->next = (uint16_t)((x + 1) & vq->mask);
		}
		vq->free_head = (uint16_t)((head + n) & vq->mask);
		vq->avail->ring[vq->avail_idx & vq->mask] = head;
		vq->avail_idx++;
		store_release16(&vq->avail->idx, vq->avail_idx);
		sl_smp_mb(); /* idx visible before the doorbell (MMIO orders too) */
		virtio_vq_notify(vq);
		deadline = sl_rdtsc() + sl_us_to_tsc(CVQ_TIMEOUT_US);
		while (load_acquire16(&vq->used->idx) != vq->avail_idx) {
			if (sl_rdtsc() > deadline)
				goto timeout;
			sl_pause();
		}
		vq->used_idx = vq->avail_idx;
	} else {
		uint16_t head = vq->avail_idx, head_flags = 0;
		for (unsigned int i = 0; i < n; i++) {
			struct vring_packed_desc *d = &vq->pdesc[vq->avail_idx];
			uint16_t f = (uint16_t)(vq->avail_flags | wflags[idx[i]] |
						(i + 1 < n ? VRING_DESC_F_NEXT : 0));
			d->addr = addr[idx[i]];
			d->len = lens[idx[i]];
			d->id = 0;
			if (i == 0)
				head_flags = f;
			else
				d->flags = f;
			packed_avail_advance(vq);
		}
		/* §2.8.21: the head's flags last, so the chain appears whole. */
		store_release16(&vq->pdesc[head].flags, head_flags);
		sl_smp_mb();
		virtio_vq_notify(vq);
		deadline = sl_rdtsc() + sl_us_to_tsc(CVQ_TIMEOUT_US);
		while (!packed_is_used(load_acquire16(&vq->pdesc[vq->used_idx].flags),
				       vq->used_wrap)) {
			if (sl_rdtsc() > deadline)
				goto timeout;
			sl_pause();
		}
		packed_used_advance(vq, (uint16_t)n);
	}
	return buf[CVQ_ACK_OFF] == VIRTIO_NET_OK ? 0 : -EIO;
timeout:
	SL_LOG(ERR, VIRTIO, "%s: control command class %u cmd %u: no answer within %u us",
	       hw->pci->name, cls, cmd, CVQ_TIMEOUT_US);
	return -ETIMEDOUT;
}

/* ======================================================================= */
/* RX                                                                        */
/* ======================================================================= */

/* Where the device writes a buffer: the header sits just before the data,
 * in the headroom, so the frame lands at data_off (§5.1.6.3). */
static inline uint64_t
rx_buf_iova(const struct sl_mbuf *m)
{
	return m->buf_iova + m->data_off - VIRTIO_HDR_SIZE;
}

/* Sum of @p len bytes of the chain from offset @p off (one's complement,
 * native order, folded to 16 bits). */
static uint32_t
chain_sum(const struct sl_mbuf *m, uint32_t off, uint32_t len)
{
	uint32_t sum = 0, pos = 0;

	for (; m != NULL && len; m = m->next) {
		uint32_t n, s;
		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		n = SL_MIN((uint32_t)m->data_len - off, len);
		s = __sl_raw_cksum_reduce(__sl_raw_cksum(sl_mbuf_mtod_offset(m, const uint8_t *, off),
							  n, 0));
		/* A piece starting at an odd position sums with its bytes
		 * swapped relative to the whole. */
		if (pos & 1)
			s = ((s & 0xff) << 8) | (s >> 8);
		sum += s;
		pos += n;
		len -= n;
		off = 0;
	}
	return sum;
}

/*
 * §5.1.6.4: NEEDS_CSUM means the sender left the checksum to be finished
 * (the frame never crossed a wire, its data is intact).  The application
 * asked for verified checksums, so finish it: the field holds the partial
 * sum and the rest is summed from csum_start.
 */
static int
rx_finish_csum(struct sl_mbuf *m, const struct virtio_net_hdr *h)
{
	uint32_t start = h->csum_start, field = start + h->csum_offset;
	uint16_t c;

	if (field + 2 > m->data_len || start > field)
		return -1; /* headers span buffers: left as it is, not flagged */
	c = (uint16_t)~__sl_raw_cksum_reduce(chain_sum(m, start, m->pkt_len - start));
	if (c == 0)
		c = 0xffff; /* UDP sends 0 as all ones; TCP never sees 0 here */
	memcpy(sl_mbuf_mtod_offset(m, uint8_t *, field), &c, 2);
	return 0;
}

static inline uint64_t
rx_csum_flags(struct virtio_rx_queue *rxq, struct sl_mbuf *m, const struct virtio_net_hdr *h)
{
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (rx_finish_csum(m, h) < 0)
			return 0;
		rxq->st.csum_fixed++;
		return SL_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID)
		return SL_MBUF_F_RX_L4_CKSUM_GOOD;
	return 0;
}

static inline struct sl_mbuf *
rx_take_fresh(struct virtio_rx_queue *rxq)
{
	if (sl_unlikely(rxq->stash_n == 0)) {
		if (sl_mbuf_alloc_bulk(rxq->mp, rxq->stash, VIRTIO_RX_STASH) < 0) {
			rxq->st.nombuf++;
			return NULL;
		}
		rxq->stash_n = VIRTIO_RX_STASH;
	}
	return rxq->stash[--rxq->stash_n];
}

/*
 * One used buffer @p m of @p len bytes.  @return the completed frame, or
 * NULL while a mergeable frame waits for more buffers (or was dropped).
 */
static inline struct sl_mbuf *
rx_one(struct virtio_rx_queue *rxq, struct sl_mbuf *m, uint32_t len)
{
	struct sl_mbuf *first;

	if (rxq->seg_left == 0) {
		const struct virtio_net_hdr *h =
			(const void *)((uint8_t *)m->buf_addr + m->data_off - VIRTIO_HDR_SIZE);
		uint16_t nbufs = rxq->mrg ? h->num_buffers : 1;

		if (sl_unlikely(len < VIRTIO_HDR_SIZE || nbufs == 0)) {
			rxq->st.errors++;
			sl_mbuf_free(m);
			return NULL;
		}
		m->data_len = (uint16_t)(len - VIRTIO_HDR_SIZE);
		m->pkt_len = m->data_len;
		m->port = rxq->port_id;
		m->ol_flags = 0;
		if (nbufs > 1) {
			/* checksums once the whole frame is here */
			rxq->seg_hdr = *h;
			rxq->seg_first = rxq->seg_last = m;
			rxq->seg_left = (uint16_t)(nbufs - 1);
			return NULL;
		}
		if (rxq->csum && h->flags)
			m->ol_flags = rx_csum_flags(rxq, m, h);
		return m;
	}
	/* §5.1.6.4: the following buffers of a merged frame carry no header:
	 * their data starts where the header would be. */
	m->data_off = (uint16_t)(m->data_off - VIRTIO_HDR_SIZE);
	m->data_len = (uint16_t)len;
	first = rxq->seg_first;
	rxq->seg_last->next = m;
	rxq->seg_last = m;
	first->nb_segs++;
	first->pkt_len += len;
	rxq->st.mrg_bufs++;
	if (--rxq->seg_left)
		return NULL;
	rxq->seg_first = rxq->seg_last = NULL;
	if (rxq->csum && rxq->seg_hdr.flags)
		first->ol_flags = rx_csum_flags(rxq, first, &rxq->seg_hdr);
	return first;
}

uint16_t
virtio_recv_pkts_split(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct virtio_rx_queue *rxq = queue;
	struct virtio_vq *vq = &rxq->vq;
	struct sl_mbuf **sw = rxq->sw_ring;
	uint16_t used = load_acquire16(&vq->used->idx); /* entries below it are complete */
	uint16_t old_avail = vq->avail_idx;
	uint16_t nb_rx = 0;
	uint64_t bytes = 0;

	while (vq->used_idx != used && nb_rx < nb_pkts) {
		const struct vring_used_elem *e = &vq->used->ring[vq->used_idx & vq->mask];
		uint32_t id = e->id, len = e->len;
		struct sl_mbuf *m, *nmb, *done;

		nmb = rx_take_fresh(rxq);
		if (sl_unlikely(nmb == NULL))
			break; /* leave the entry for the next burst */
		m = sw[id];
		sw[id] = nmb;
		/* §2.7.13: the same descriptor goes back with a new buffer. */
		vq->desc[id].addr = rx_buf_iova(nmb);
		vq->avail->ring[vq->avail_idx & vq->mask] = (uint16_t)id;
		vq->avail_idx++;
		vq->used_idx++;

		done = rx_one(rxq, m, len);
		if (done != NULL) {
			bytes += done->pkt_len;
			pkts[nb_rx++] = done;
		}
	}
	if (vq->avail_idx != old_avail) {
		/* §2.7.13.3: descriptors and ring entries before the index. */
		store_release16(&vq->avail->idx, vq->avail_idx);
		if (split_need_kick(vq, old_avail)) {
			virtio_vq_notify(vq);
			rxq->st.notifies++;
		}
	}
	rxq->st.packets += nb_rx;
	rxq->st.bytes += bytes;
	return nb_rx;
}

uint16_t
virtio_recv_pkts_packed(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct virtio_rx_queue *rxq = queue;
	struct virtio_vq *vq = &rxq->vq;
	struct sl_mbuf **sw = rxq->sw_ring;
	uint16_t nb_rx = 0, added = 0;
	uint64_t bytes = 0;

	while (nb_rx < nb_pkts) {
		struct vring_packed_desc *d = &vq->pdesc[vq->used_idx];
		struct vring_packed_desc *a;
		struct sl_mbuf *m, *nmb, *done;
		uint16_t id;
		uint32_t len;

		/* The flags load is the acquire: id and len are read after. */
		if (!packed_is_used(load_acquire16(&d->flags), vq->used_wrap))
			break;
		id = d->id;
		len = d->len;
		nmb = rx_take_fresh(rxq);
		if (sl_unlikely(nmb == NULL))
			break;
		m = sw[id];
		sw[id] = nmb;
		packed_used_advance(vq, 1);
		/* §2.8.21: one descriptor per buffer; its flags go last. */
		a = &vq->pdesc[vq->avail_idx];
		a->addr = rx_buf_iova(nmb);
		a->len = rxq->buf_len;
		a->id = id;
		store_release16(&a->flags, (uint16_t)(vq->avail_flags | VRING_DESC_F_WRITE));
		packed_avail_advance(vq);
		added++;

		done = rx_one(rxq, m, len);
		if (done != NULL) {
			bytes += done->pkt_len;
			pkts[nb_rx++] = done;
		}
	}
	if (added && packed_kick_wanted(vq)) {
		virtio_vq_notify(vq);
		rxq->st.notifies++;
	}
	rxq->st.packets += nb_rx;
	rxq->st.bytes += bytes;
	return nb_rx;
}

int
virtio_rx_queue_fill(struct virtio_hw *hw, struct virtio_rx_queue *rxq)
{
	struct virtio_vq *vq = &rxq->vq;

	virtio_rx_queue_flush(rxq);
	virtio_rx_queue_prepare(hw, rxq);
	if (sl_mbuf_alloc_bulk(rxq->mp, rxq->sw_ring, vq->size) < 0) {
		SL_LOG(ERR, VIRTIO, "port %u RX queue %u: pool has fewer than %u free mbufs to fill "
		       "the ring; create a bigger pool", rxq->port_id, rxq->queue_id, vq->size);
		memset(rxq->sw_ring, 0, vq->size * sizeof(*rxq->sw_ring));
		return -ENOMEM;
	}
	for (uint16_t i = 0; i < vq->size; i++) {
		struct sl_mbuf *m = rxq->sw_ring[i];
		if (vq->packed) {
			struct vring_packed_desc *d = &vq->pdesc[i];
			d->addr = rx_buf_iova(m);
			d->len = rxq->buf_len;
			d->id = i;
			d->flags = (uint16_t)(vq->avail_flags | VRING_DESC_F_WRITE);
		} else {
			vq->desc[i] = (struct vring_desc){ rx_buf_iova(m), rxq->buf_len,
							   VRING_DESC_F_WRITE, 0 };
			vq->avail->ring[i] = i;
		}
	}
	if (vq->packed) {
		/* All slots filled: the next one is slot 0 of the second lap. */
		vq->avail_idx = (uint16_t)(vq->size - 1);
		packed_avail_advance(vq);
	} else {
		vq->avail_idx = vq->size;
		store_release16(&vq->avail->idx, vq->avail_idx);
	}
	vq->nb_free = 0;
	return 0;
}

void
virtio_rx_queue_flush(struct virtio_rx_queue *rxq)
{
	if (rxq->sw_ring) {
		for (uint16_t i = 0; i < rxq->vq.size; i++) {
			if (rxq->sw_ring[i]) {
				sl_mbuf_free(rxq->sw_ring[i]);
				rxq->sw_ring[i] = NULL;
			}
		}
	}
	if (rxq->seg_first) {
		sl_mbuf_free(rxq->seg_first);
		rxq->seg_first = rxq->seg_last = NULL;
		rxq->seg_left = 0;
	}
	if (rxq->stash_n) {
		sl_mbuf_free_bulk(rxq->stash, rxq->stash_n);
		rxq->stash_n = 0;
	}
}

void
virtio_rx_queue_prepare(struct virtio_hw *hw, struct virtio_rx_queue *rxq)
{
	uint64_t offloads = hw->eth->data.dev_conf.rxmode.offloads;

	virtio_vq_reset(&rxq->vq, virtio_has(hw, VIRTIO_F_RING_EVENT_IDX),
			virtio_has(hw, VIRTIO_F_IN_ORDER));
	rxq->mrg = (uint8_t)virtio_has(hw, VIRTIO_NET_F_MRG_RXBUF);
	rxq->csum = (uint8_t)(virtio_has(hw, VIRTIO_NET_F_GUEST_CSUM) &&
			      (offloads & (SL_ETH_RX_OFFLOAD_TCP_CKSUM | SL_ETH_RX_OFFLOAD_UDP_CKSUM)));
}

int
virtio_rx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		      const struct sl_eth_rxconf *conf, struct sl_mempool *mp)
{
	struct virtio_hw *hw = dev->data.dev_private;
	int packed = !!(hw->dev_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED));
	struct virtio_rx_queue *rxq;
	char name[SL_MEMZONE_NAMESIZE];
	uint32_t room = sl_mbuf_data_room_size(mp);

	(void)conf;
	if (!packed && (nb_desc & (nb_desc - 1))) {
		SL_LOG(ERR, VIRTIO, "port %u: RX ring size %u is not a power of two, which a split "
		       "virtqueue needs ([VIRTIO] §2.7); use %u", dev->data.port_id, nb_desc,
		       1u << (31 - __builtin_clz(nb_desc)));
		return -EINVAL;
	}
	if (room < SL_PKTMBUF_HEADROOM + 256) {
		SL_LOG(ERR, VIRTIO, "port %u: mbuf data room %u too small; need at least %u",
		       dev->data.port_id, room, SL_PKTMBUF_HEADROOM + 256);
		return -EINVAL;
	}
	rxq = sl_zmalloc_socket("virtio_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->sw_ring = sl_zmalloc_socket("virtio_rx_sw", nb_desc * sizeof(*rxq->sw_ring),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (rxq->sw_ring == NULL)
		goto err_q;
	snprintf(name, sizeof(name), "virtio_rx_p%u_q%u", dev->data.port_id, qid);
	if (virtio_vq_alloc(&rxq->vq, name, nb_desc, packed, socket_id) < 0)
		goto err_sw;
	rxq->mp = mp;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = qid;
	/* The header takes the last bytes of the headroom; the device may
	 * write from there to the end of the buffer. */
	rxq->buf_len = (uint16_t)(room - SL_PKTMBUF_HEADROOM + VIRTIO_HDR_SIZE);
	rxq->vq.index = (uint16_t)(2 * qid); /* §5.1.2: receiveqN = 2N */
	dev->data.rx_queues[qid] = rxq;
	return 0;
err_sw:
	sl_free(rxq->sw_ring);
err_q:
	sl_free(rxq);
	return -ENOMEM;
}

void
virtio_rx_queue_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct virtio_rx_queue *rxq = dev->data.rx_queues[qid];

	if (rxq == NULL)
		return;
	virtio_rx_queue_flush(rxq);
	virtio_vq_free(&rxq->vq);
	sl_free(rxq->sw_ring);
	sl_free(rxq);
}

/* ======================================================================= */
/* TX                                                                        */
/* ======================================================================= */

#define TX_OFFLOAD_FLAGS (SL_MBUF_F_TX_L4_MASK | SL_MBUF_F_TX_TCP_SEG)

static void
tx_free_pkt(struct sl_mbuf *m)
{
	sl_mbuf_free(m);
}

/* The buffer ids that completed, oldest first (in-order) or one by one. */
static inline uint16_t
tx_complete_id(struct virtio_tx_queue *txq, uint16_t id)
{
	struct virtio_tx_entry *e = &txq->ent[id];
	uint16_t n = e->ndescs;

	tx_free_pkt(e->m);
	e->m = NULL;
	txq->inflight--;
	return n;
}

/* Packed: a completed buffer's id goes back on the free stack, and a
 * chain leaves the count tx_reclaim_packed()'s batch test depends on. */
static inline uint16_t
tx_complete_packed_id(struct virtio_tx_queue *txq, uint16_t id)
{
	uint16_t n = tx_complete_id(txq, id);

	txq->nb_chained = (uint16_t)(txq->nb_chained - (n > 1));
	txq->id_free[txq->id_top++] = id;
	return n;
}

static void
tx_reclaim_split(struct virtio_tx_queue *txq)
{
	struct virtio_vq *vq = &txq->vq;
	uint16_t used = load_acquire16(&vq->used->idx);

	/* A batch at a time, as on packed rings (tx_reclaim_packed()): the
	 * index counts used buffers, chains or not, in either order. */
	if (txq->inflight >= txq->free_thresh &&
	    (uint16_t)(used - vq->used_idx) < txq->free_thresh)
		return;
	while (vq->used_idx != used) {
		uint16_t id, last, n;

		if (vq->in_order) {
			/* §2.7.9: with IN_ORDER the device may write only the
			 * batch's last entry; the buffers are ours in the
			 * order we gave them. */
			id = txq->fifo_head;
			txq->fifo_head = txq->ent[id].next;
		} else {
			id = (uint16_t)vq->used->ring[vq->used_idx & vq->mask].id;
		}
		n = tx_complete_id(txq, id);
		if (!vq->in_order) {
			/* The chain goes back to the head of the free list whole. */
			last = id;
			for (uint16_t i = 1; i < n; i++)
				last = vq->desc[last].next;
			vq->desc[last].next = vq->free_head;
			vq->free_head = id;
		}
		/* With IN_ORDER the descriptors are used in ring order
		 * (§2.7.5.2): the free ones are the free_head's nb_free, the
		 * oldest chain in flight follows them, and freeing it only
		 * moves that boundary; the links stay x -> x + 1. */
		vq->nb_free = (uint16_t)(vq->nb_free + n);
		vq->used_idx++;
	}
}

static void
tx_reclaim_packed(struct virtio_tx_queue *txq)
{
	struct virtio_vq *vq = &txq->vq;

	/*
	 * Reclaim a batch at a time: look first at the slot where the
	 * free_thresh-th used buffer will be written, and leave the ring
	 * alone until it is.  On a full ring (txonly) the driver otherwise
	 * chases the device one slot behind it: it polls the flags of the
	 * slot the device writes next and refills each slot the moment it
	 * is used, so the cache lines the device is reading and writing move
	 * to the driver's CPU and back for every packet, and QEMU's model
	 * drains the ring more slowly (txonly in the guest: 1.05x with
	 * batches; doc/performance.md, "virtio TX: used slots taken back in
	 * batches").  Batches keep the two apart by free_thresh slots.
	 * The used buffers are written one slot each, in ring order (§2.8.7),
	 * only while every buffer in flight is a single descriptor (a chain
	 * takes one used slot for several) and without IN_ORDER (which may
	 * write one used descriptor for a whole batch, §2.8.8); otherwise,
	 * and when fewer than free_thresh buffers are in flight, the walk
	 * below runs at once.
	 */
	if (txq->nb_chained == 0 && !vq->in_order && txq->inflight >= txq->free_thresh) {
		uint32_t la = (uint32_t)vq->used_idx + txq->free_thresh - 1;
		uint8_t wrap = vq->used_wrap;

		if (la >= vq->size) {
			la -= vq->size;
			wrap ^= 1;
		}
		if (!packed_is_used(load_acquire16(&vq->pdesc[la].flags), wrap))
			return;
	}
	for (;;) {
		struct vring_packed_desc *d = &vq->pdesc[vq->used_idx];
		uint16_t id, n = 0;

		if (!packed_is_used(load_acquire16(&d->flags), vq->used_wrap))
			break;
		id = d->id;
		if (vq->in_order) {
			/* §2.8.8: one used descriptor may stand for every
			 * buffer up to and including its id. */
			uint16_t cur;
			do {
				cur = txq->fifo_head;
				txq->fifo_head = txq->ent[cur].next;
				n = (uint16_t)(n + tx_complete_packed_id(txq, cur));
			} while (cur != id && txq->inflight);
		} else {
			n = tx_complete_packed_id(txq, id);
		}
		vq->nb_free = (uint16_t)(vq->nb_free + n);
		packed_used_advance(vq, n);
	}
}

/*
 * §5.1.6.2: fill the header from the mbuf's offload flags.  The L4
 * checksum field must already hold the pseudo-header sum (the sl_mbuf
 * convention, sl_ipv4_phdr_cksum()); the device sums from csum_start.
 * @return 0, or -1 for a GSO type that was not negotiated.
 */
static inline int
tx_fill_hdr(struct virtio_tx_queue *txq, struct virtio_net_hdr *h, const struct sl_mbuf *m)
{
	uint64_t ol = m->ol_flags;

	*h = (struct virtio_net_hdr){ 0 };
	if (!(ol & TX_OFFLOAD_FLAGS))
		return 0;
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = (uint16_t)(m->l2_len + m->l3_len);
	h->csum_offset = (ol & SL_MBUF_F_TX_L4_MASK) == SL_MBUF_F_TX_UDP_CKSUM ? 6 : 16;
	if (ol & SL_MBUF_F_TX_TCP_SEG) {
		int v6 = !!(ol & SL_MBUF_F_TX_IPV6);
		if (sl_unlikely(v6 ? !txq->tso6 : !txq->tso4))
			return -1;
		h->csum_offset = 16;
		h->gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
		h->gso_size = (uint16_t)m->tso_segsz;
		h->hdr_len = (uint16_t)(m->l2_len + m->l3_len + m->l4_len);
		txq->st.tso++;
	}
	return 0;
}

/* Can the header go into the mbuf's own headroom (one descriptor less)? */
static inline int
tx_can_push(const struct sl_mbuf *m)
{
	return sl_mbuf_refcnt_read(m) == 1 && !sl_mbuf_is_indirect(m) &&
	       m->data_off >= VIRTIO_HDR_SIZE;
}

/* One packet's header: where it is and how the first descriptor starts. */
struct tx_head {
	struct virtio_net_hdr *hdr;
	uint64_t addr;    /* first descriptor */
	uint32_t len;
	int push;
};

static inline void
tx_head_for(struct virtio_tx_queue *txq, struct sl_mbuf *m, uint16_t id, struct tx_head *t)
{
	t->push = tx_can_push(m);
	if (t->push) {
		t->hdr = (void *)(sl_mbuf_mtod(m, uint8_t *) - VIRTIO_HDR_SIZE);
		t->addr = sl_mbuf_iova(m) - VIRTIO_HDR_SIZE;
		t->len = m->data_len + VIRTIO_HDR_SIZE;
	} else {
		t->hdr = &txq->hdrs[id];
		t->addr = txq->hdrs_iova + (uint64_t)id * VIRTIO_HDR_SIZE;
		t->len = VIRTIO_HDR_SIZE;
		txq->st.hdr_desc++;
	}
}

static inline void
tx_fifo_push(struct virtio_tx_queue *txq, uint16_t id)
{
	if (txq->inflight++ == 0)
		txq->fifo_head = id;
	else
		txq->ent[txq->fifo_tail].next = id;
	txq->fifo_tail = id;
}

uint16_t
virtio_xmit_pkts_split(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct virtio_tx_queue *txq = queue;
	struct virtio_vq *vq = &txq->vq;
	uint16_t old_avail = vq->avail_idx;
	uint64_t bytes = 0;
	uint16_t n;

	if (vq->nb_free < txq->free_thresh)
		tx_reclaim_split(txq);

	for (n = 0; n < nb_pkts; n++) {
		struct sl_mbuf *m = pkts[n], *seg;
		uint16_t head, idx, last;
		struct tx_head t;
		uint16_t need;

		need = (uint16_t)(m->nb_segs + !tx_can_push(m));
		if (need > vq->nb_free) {
			tx_reclaim_split(txq);
			if (need > vq->nb_free) {
				txq->st.full++;
				break;
			}
		}
		/* after any reclaim: it moves the free list's head */
		head = idx = vq->free_head;
		tx_head_for(txq, m, head, &t);
		if (sl_unlikely(tx_fill_hdr(txq, t.hdr, m) < 0)) {
			/* A GSO type the device did not offer: sending it
			 * would break the device (§5.1.6.2.1); drop it. */
			txq->st.bad_offload++;
			sl_mbuf_free(m);
			continue;
		}
		/* §2.7.13.1: the chain follows the free list's links. */
		vq->desc[idx].addr = t.addr;
		vq->desc[idx].len = t.len;
		vq->desc[idx].flags = VRING_DESC_F_NEXT;
		seg = t.push ? m->next : m;
		for (; seg != NULL; seg = seg->next) {
			idx = vq->desc[idx].next;
			vq->desc[idx].addr = sl_mbuf_iova(seg);
			vq->desc[idx].len = seg->data_len;
			vq->desc[idx].flags = VRING_DESC_F_NEXT;
		}
		last = idx;
		vq->desc[last].flags = 0;
		vq->free_head = vq->desc[last].next;
		vq->nb_free = (uint16_t)(vq->nb_free - need);
		txq->ent[head].m = m;
		txq->ent[head].ndescs = need;
		tx_fifo_push(txq, head);
		vq->avail->ring[vq->avail_idx & vq->mask] = head;
		vq->avail_idx++;
		bytes += m->pkt_len;
	}
	if (vq->avail_idx != old_avail) {
		/* §2.7.13.3: descriptors and ring entries before the index. */
		store_release16(&vq->avail->idx, vq->avail_idx);
		if (split_need_kick(vq, old_avail)) {
			virtio_vq_notify(vq);
			txq->st.notifies++;
		}
		txq->st.packets += (uint16_t)(vq->avail_idx - old_avail);
		txq->st.bytes += bytes;
	}
	return n;
}

uint16_t
virtio_xmit_pkts_packed(void *queue, struct sl_mbuf **pkts, uint16_t nb_pkts)
{
	struct virtio_tx_queue *txq = queue;
	struct virtio_vq *vq = &txq->vq;
	uint16_t added = 0, sent = 0;
	uint64_t bytes = 0;
	uint16_t n;

	if (vq->nb_free < txq->free_thresh)
		tx_reclaim_packed(txq);

	for (n = 0; n < nb_pkts; n++) {
		struct sl_mbuf *m = pkts[n], *seg;
		struct vring_packed_desc *d;
		uint16_t need, id, head, head_flags;
		struct tx_head t;

		need = (uint16_t)(m->nb_segs + !tx_can_push(m));
		if (need > vq->nb_free) {
			tx_reclaim_packed(txq);
			if (need > vq->nb_free) {
				txq->st.full++;
				break;
			}
		}
		id = txq->id_free[txq->id_top - 1];
		tx_head_for(txq, m, id, &t);
		if (sl_unlikely(tx_fill_hdr(txq, t.hdr, m) < 0)) {
			txq->st.bad_offload++;
			sl_mbuf_free(m);
			continue;
		}
		txq->id_top--;
		head = vq->avail_idx;
		head_flags = (uint16_t)(vq->avail_flags | (need > 1 ? VRING_DESC_F_NEXT : 0));
		d = &vq->pdesc[head];
		d->addr = t.addr;
		d->len = t.len;
		d->id = id;
		packed_avail_advance(vq);
		seg = t.push ? m->next : m;
		for (; seg != NULL; seg = seg->next) {
			d = &vq->pdesc[vq->avail_idx];
			d->addr = sl_mbuf_iova(seg);
			d->len = seg->data_len;
			d->id = id;
			d->flags = (uint16_t)(vq->avail_flags |
					      (seg->next ? VRING_DESC_F_NEXT : 0));
			packed_avail_advance(vq);
		}
		/* §2.8.21.1: the head's flags last (release: the rest of the
		 * chain is visible before the device can see the head). */
		store_release16(&vq->pdesc[head].flags, head_flags);
		vq->nb_free = (uint16_t)(vq->nb_free - need);
		txq->ent[id].m = m;
		txq->ent[id].ndescs = need;
		txq->nb_chained = (uint16_t)(txq->nb_chained + (need > 1));
		tx_fifo_push(txq, id);
		added = (uint16_t)(added + need);
		sent++;
		bytes += m->pkt_len;
	}
	if (added) {
		if (packed_kick_wanted(vq)) {
			virtio_vq_notify(vq);
			txq->st.notifies++;
		}
		txq->st.packets += sent;
		txq->st.bytes += bytes;
	}
	return n;
}

void
virtio_tx_queue_flush(struct virtio_tx_queue *txq)
{
	if (txq->ent == NULL)
		return;
	for (uint16_t i = 0; i < txq->vq.size; i++) {
		if (txq->ent[i].m) {
			sl_mbuf_free(txq->ent[i].m);
			txq->ent[i].m = NULL;
		}
	}
	txq->inflight = 0;
	txq->nb_chained = 0;
}

void
virtio_tx_queue_prepare(struct virtio_hw *hw, struct virtio_tx_queue *txq)
{
	virtio_tx_queue_flush(txq);
	virtio_vq_reset(&txq->vq, virtio_has(hw, VIRTIO_F_RING_EVENT_IDX),
			virtio_has(hw, VIRTIO_F_IN_ORDER));
	txq->id_top = txq->vq.size;
	for (uint16_t i = 0; i < txq->vq.size; i++)
		txq->id_free[i] = (uint16_t)(txq->vq.size - 1 - i);
	txq->tso4 = (uint8_t)virtio_has(hw, VIRTIO_NET_F_HOST_TSO4);
	txq->tso6 = (uint8_t)virtio_has(hw, VIRTIO_NET_F_HOST_TSO6);
}

int
virtio_tx_queue_setup(struct sl_eth_dev *dev, uint16_t qid, uint16_t nb_desc, int socket_id,
		      const struct sl_eth_txconf *conf)
{
	struct virtio_hw *hw = dev->data.dev_private;
	int packed = !!(hw->dev_features & VIRTIO_BIT(VIRTIO_F_RING_PACKED));
	struct virtio_tx_queue *txq;
	char name[SL_MEMZONE_NAMESIZE];

	if (!packed && (nb_desc & (nb_desc - 1))) {
		SL_LOG(ERR, VIRTIO, "port %u: TX ring size %u is not a power of two, which a split "
		       "virtqueue needs ([VIRTIO] §2.7); use %u", dev->data.port_id, nb_desc,
		       1u << (31 - __builtin_clz(nb_desc)));
		return -EINVAL;
	}
	txq = sl_zmalloc_socket("virtio_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->ent = sl_zmalloc_socket("virtio_tx_ent", nb_desc * sizeof(*txq->ent),
				     SL_CACHE_LINE_SIZE, socket_id);
	txq->id_free = sl_zmalloc_socket("virtio_tx_ids", nb_desc * sizeof(*txq->id_free),
					 SL_CACHE_LINE_SIZE, socket_id);
	if (txq->ent == NULL || txq->id_free == NULL)
		goto err;
	snprintf(name, sizeof(name), "virtio_txh_p%u_q%u", dev->data.port_id, qid);
	txq->hdr_mz = sl_memzone_reserve_aligned(name, (size_t)nb_desc * VIRTIO_HDR_SIZE, socket_id,
						 SL_MEMZONE_IOVA_CONTIG, SL_CACHE_LINE_SIZE);
	if (txq->hdr_mz == NULL) {
		SL_LOG(ERR, VIRTIO, "port %u: cannot reserve TX header memzone %s: %s",
		       dev->data.port_id, name, strerror(errno));
		goto err;
	}
	txq->hdrs = txq->hdr_mz->addr;
	txq->hdrs_iova = txq->hdr_mz->iova;
	snprintf(name, sizeof(name), "virtio_tx_p%u_q%u", dev->data.port_id, qid);
	if (virtio_vq_alloc(&txq->vq, name, nb_desc, packed, socket_id) < 0)
		goto err_hdr;
	txq->port_id = dev->data.port_id;
	txq->queue_id = qid;
	txq->free_thresh = conf->tx_free_thresh && conf->tx_free_thresh < nb_desc ?
				   conf->tx_free_thresh : SL_MIN(VIRTIO_TX_FREE_THRESH, nb_desc / 4);
	txq->vq.index = (uint16_t)(2 * qid + 1); /* §5.1.2: transmitqN = 2N+1 */
	virtio_tx_queue_prepare(hw, txq);
	dev->data.tx_queues[qid] = txq;
	return 0;
err_hdr:
	sl_memzone_free(txq->hdr_mz);
err:
	sl_free(txq->id_free);
	sl_free(txq->ent);
	sl_free(txq);
	return -ENOMEM;
}

void
virtio_tx_queue_release(struct sl_eth_dev *dev, uint16_t qid)
{
	struct virtio_tx_queue *txq = dev->data.tx_queues[qid];

	if (txq == NULL)
		return;
	virtio_tx_queue_flush(txq);
	virtio_vq_free(&txq->vq);
	sl_memzone_free(txq->hdr_mz);
	sl_free(txq->id_free);
	sl_free(txq->ent);
	sl_free(txq);
}
