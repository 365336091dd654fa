/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mbuf slow paths: pool creation, clone/attach/detach, bulk free, reads
 * across segments, sanity checks and dumps.  The per-packet fast path is
 * inline in sl_mbuf.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "sl_log.h"
#include "sl_mbuf.h"
#include "sl_mempool.h"

/* Objects collected per pool before one sl_mempool_put_bulk(). */
#define FREE_BULK_BATCH 64

static void
pool_init(struct sl_mempool *mp, void *arg)
{
	struct sl_mbuf_pool_private *priv = sl_mempool_get_priv(mp);

	*priv = *(const struct sl_mbuf_pool_private *)arg;
}

/* Point an mbuf at its own buffer (after the header and the priv area). */
static void
set_own_buffer(struct sl_mbuf *m, uint16_t priv_size, uint16_t buf_len)
{
	sl_iova_t iova = sl_mempool_virt2iova(m);

	m->buf_addr = (char *)m + sizeof(*m) + priv_size;
	m->buf_iova = iova == SL_BAD_IOVA ? SL_BAD_IOVA : iova + sizeof(*m) + priv_size;
	m->buf_len = buf_len;
}

static void
mbuf_init(struct sl_mempool *mp, void *arg, void *obj, unsigned idx)
{
	const struct sl_mbuf_pool_private *priv = arg;
	struct sl_mbuf *m = obj;

	(void)idx;
	memset(m, 0, sizeof(*m) + priv->mbuf_priv_size);
	m->priv_size = priv->mbuf_priv_size;
	set_own_buffer(m, priv->mbuf_priv_size, priv->mbuf_data_room_size);
	m->pool = mp;
	m->nb_segs = 1;
	m->port = SL_MBUF_PORT_INVALID;
	m->refcnt = 1;
	m->data_off = (uint16_t)SL_MIN((uint16_t)SL_PKTMBUF_HEADROOM, m->buf_len);
}

struct sl_mempool *
sl_mbuf_pool_create(const char *name, unsigned n, unsigned cache_size,
		    uint16_t priv_size, uint16_t data_room_size, int socket_id)
{
	struct sl_mbuf_pool_private priv = {
		.mbuf_data_room_size = data_room_size,
		.mbuf_priv_size = priv_size,
	};
	unsigned elt_size;

	if (priv_size % SL_MBUF_PRIV_ALIGN != 0) {
		SL_LOG(ERR, MBUF,
		       "mbuf pool '%s': priv_size %u is not a multiple of %d: round it "
		       "up to %u", name != NULL ? name : "(null)", priv_size,
		       SL_MBUF_PRIV_ALIGN,
		       (unsigned)SL_ALIGN_CEIL((unsigned)priv_size, (unsigned)SL_MBUF_PRIV_ALIGN));
		errno = EINVAL;
		return NULL;
	}
	elt_size = (unsigned)sizeof(struct sl_mbuf) + priv_size + data_room_size;
	/* Both callbacks run inside create, so &priv on the stack is fine. */
	return sl_mempool_create(name, n, elt_size, cache_size, sizeof(priv),
				 pool_init, &priv, mbuf_init, &priv, socket_id, 0);
}

void
sl_mbuf_attach(struct sl_mbuf *mi, struct sl_mbuf *m)
{
	struct sl_mbuf *md = sl_mbuf_is_indirect(m) ? m->direct : m;

	/* The caller holds a reference to m, hence md stays alive. */
	sl_mbuf_refcnt_update(md, 1);
	mi->direct = md;
	mi->buf_addr = m->buf_addr;
	mi->buf_iova = m->buf_iova;
	mi->buf_len = m->buf_len;
	mi->data_off = m->data_off;
	mi->data_len = m->data_len;
	mi->pkt_len = m->data_len;
	mi->next = NULL;
	mi->nb_segs = 1;
	mi->port = m->port;
	mi->vlan_tci = m->vlan_tci;
	mi->vlan_tci_outer = m->vlan_tci_outer;
	mi->tx_offload = m->tx_offload;
	mi->hash = m->hash;
	mi->packet_type = m->packet_type;
	mi->timestamp = m->timestamp;
	/* The external buffer stays the direct mbuf's (see sl_mbuf.h). */
	mi->ol_flags = (m->ol_flags & ~SL_MBUF_F_EXTERNAL) | SL_MBUF_F_INDIRECT;
}

/* Point @p m back at its own buffer, empty, with no buffer flags. */
static void
own_buffer_back(struct sl_mbuf *m)
{
	set_own_buffer(m, m->priv_size, sl_mbuf_data_room_size(m->pool));
	m->data_off = (uint16_t)SL_MIN((uint16_t)SL_PKTMBUF_HEADROOM, m->buf_len);
	m->data_len = 0;
	m->ol_flags = 0;
	m->direct = NULL;
}

/* Drop @p m's reference to its external buffer; the last one runs the
 * owner's callback.  Out of line and cold: the usual detach has no external
 * buffer and should not pay for the callback's register saves. */
static __sl_noinline __sl_cold void
extbuf_detach(struct sl_mbuf *m)
{
	struct sl_mbuf_ext_shared_info *s = m->shinfo;
	void *addr = m->buf_addr;

	own_buffer_back(m);
	if (sl_mbuf_ext_refcnt_update(s, -1) == 0)
		s->free_cb(addr, s->fcb_opaque);
}

/* The direct mbuf @p md, whose last reference is gone, goes home (and
 * gives up its external buffer, if it has one).  Out of line so that the
 * usual detach, where the direct mbuf lives on, saves no registers for the
 * mempool put inlined here. */
static __sl_noinline void
direct_home(struct sl_mbuf *md)
{
	if (md->ol_flags & SL_MBUF_F_EXTERNAL)
		extbuf_detach(md);
	md->next = NULL;
	md->nb_segs = 1;
	sl_mbuf_refcnt_set(md, 1);
	sl_mempool_put(md->pool, md);
}

void
sl_mbuf_detach_(struct sl_mbuf *mi)
{
	struct sl_mbuf *md = mi->direct;

	if (mi->ol_flags & SL_MBUF_F_EXTERNAL) {
		extbuf_detach(mi);
		return;
	}
	own_buffer_back(mi);
	if (sl_mbuf_refcnt_update(md, -1) == 0)
		direct_home(md);
}

struct sl_mbuf *
sl_mbuf_clone(struct sl_mbuf *m, struct sl_mempool *mp)
{
	struct sl_mbuf *head = NULL, **link = &head, *seg, *mi;

	if (m == NULL || mp == NULL) {
		errno = EINVAL;
		return NULL;
	}
	for (seg = m; seg != NULL; seg = seg->next) {
		mi = sl_mbuf_alloc(mp);
		if (mi == NULL) {
			/* Undo: every clone made so far drops its reference. */
			sl_mbuf_free(head);
			errno = ENOENT;
			return NULL;
		}
		sl_mbuf_attach(mi, seg);
		*link = mi;
		link = &mi->next;
	}
	head->pkt_len = m->pkt_len;
	head->nb_segs = m->nb_segs;
	return head;
}

void
sl_mbuf_free_bulk(struct sl_mbuf **mbufs, unsigned n)
{
	void *pending[FREE_BULK_BATCH];
	struct sl_mempool *pool = NULL;
	unsigned np = 0, i;

	for (i = 0; i < n; i++) {
		struct sl_mbuf *seg = mbufs[i], *next;

		for (; seg != NULL; seg = next) {
			next = seg->next;
			seg = sl_mbuf_prefree_seg(seg);
			if (seg == NULL)
				continue;
			if (seg->pool != pool || np == FREE_BULK_BATCH) {
				if (np != 0)
					sl_mempool_put_bulk(pool, pending, np);
				np = 0;
				pool = seg->pool;
			}
			pending[np++] = seg;
		}
	}
	if (np != 0)
		sl_mempool_put_bulk(pool, pending, np);
}

const void *
sl_mbuf_read_(const struct sl_mbuf *m, uint32_t off, uint32_t len, void *buf)
{
	const struct sl_mbuf *seg = m;
	char *dst = buf;

	if ((uint64_t)off + len > m->pkt_len) {
		errno = EINVAL;
		return NULL;
	}
	while (off >= seg->data_len && seg->next != NULL) {
		off -= seg->data_len;
		seg = seg->next;
	}
	if ((uint64_t)off + len <= seg->data_len)
		return sl_mbuf_mtod_offset(seg, const char *, off);

	while (len != 0 && seg != NULL) {
		uint32_t chunk = SL_MIN(len, (uint32_t)seg->data_len - off);

		memcpy(dst, sl_mbuf_mtod_offset(seg, const char *, off), chunk);
		dst += chunk;
		len -= chunk;
		off = 0;
		seg = seg->next;
	}
	if (len != 0) {
		/* pkt_len promised more than the chain holds. */
		errno = EINVAL;
		return NULL;
	}
	return buf;
}

static int
check_seg(const struct sl_mbuf *m)
{
	if (m->pool == NULL) {
		SL_LOG(ERR, MBUF, "mbuf %p: pool is NULL", (const void *)m);
		return -EINVAL;
	}
	if (sl_mempool_get_header((void *)(uintptr_t)m)->mp != m->pool) {
		SL_LOG(ERR, MBUF, "mbuf %p: not an object of its pool '%s'",
		       (const void *)m, m->pool->name);
		return -EINVAL;
	}
	if (sl_mbuf_refcnt_read(m) == 0) {
		SL_LOG(ERR, MBUF, "mbuf %p: refcnt is 0 (used after free?)", (const void *)m);
		return -EINVAL;
	}
	if (sl_mbuf_is_indirect(m) && sl_mbuf_is_external(m)) {
		SL_LOG(ERR, MBUF, "mbuf %p: both indirect and external", (const void *)m);
		return -EINVAL;
	}
	if (sl_mbuf_is_external(m) && m->shinfo == NULL) {
		SL_LOG(ERR, MBUF, "mbuf %p: external without shared info", (const void *)m);
		return -EINVAL;
	}
	if (!sl_mbuf_is_indirect(m) && !sl_mbuf_is_external(m) &&
	    m->buf_addr != (const char *)m + sizeof(*m) + m->priv_size) {
		SL_LOG(ERR, MBUF, "mbuf %p: buf_addr %p is not its own buffer %p",
		       (const void *)m, m->buf_addr,
		       (const void *)((const char *)m + sizeof(*m) + m->priv_size));
		return -EINVAL;
	}
	if (sl_mbuf_is_indirect(m) && m->direct == NULL) {
		SL_LOG(ERR, MBUF, "mbuf %p: indirect without a direct mbuf", (const void *)m);
		return -EINVAL;
	}
	if ((uint32_t)m->data_off + m->data_len > m->buf_len) {
		SL_LOG(ERR, MBUF, "mbuf %p: data_off %u + data_len %u > buf_len %u",
		       (const void *)m, m->data_off, m->data_len, m->buf_len);
		return -EINVAL;
	}
	return 0;
}

int
sl_mbuf_sanity_check(const struct sl_mbuf *m, int is_header)
{
	const struct sl_mbuf *seg;
	uint64_t len = 0;
	uint32_t nb = 0;
	int rc;

	if (m == NULL) {
		SL_LOG(ERR, MBUF, "mbuf sanity check: mbuf is NULL");
		return -EINVAL;
	}
	if (!is_header)
		return check_seg(m);
	for (seg = m; seg != NULL; seg = seg->next) {
		rc = check_seg(seg);
		if (rc < 0)
			return rc;
		len += seg->data_len;
		if (++nb > SL_MBUF_MAX_NB_SEGS) {
			SL_LOG(ERR, MBUF, "mbuf %p: chain longer than %u segments (loop?)",
			       (const void *)m, SL_MBUF_MAX_NB_SEGS);
			return -EINVAL;
		}
	}
	if (nb != m->nb_segs) {
		SL_LOG(ERR, MBUF, "mbuf %p: nb_segs %u but the chain has %u segments",
		       (const void *)m, m->nb_segs, nb);
		return -EINVAL;
	}
	if (len != m->pkt_len) {
		SL_LOG(ERR, MBUF, "mbuf %p: pkt_len %u but the segments hold %" PRIu64 " bytes",
		       (const void *)m, m->pkt_len, len);
		return -EINVAL;
	}
	return 0;
}

void
sl_mbuf_dump(FILE *f, const struct sl_mbuf *m, unsigned dump_len)
{
	const struct sl_mbuf *seg;
	unsigned done = 0;

	if (f == NULL || m == NULL)
		return;
	fprintf(f, "mbuf %p: pool=%s buf_addr=%p buf_iova=0x%" PRIx64 " buf_len=%u\n",
		(const void *)m, m->pool != NULL ? m->pool->name : "(none)",
		m->buf_addr, m->buf_iova, m->buf_len);
	fprintf(f, "  pkt_len=%u nb_segs=%u refcnt=%u port=%u ol_flags=0x%" PRIx64
		" packet_type=0x%x\n", m->pkt_len, m->nb_segs, sl_mbuf_refcnt_read(m),
		m->port, m->ol_flags, m->packet_type);
	fprintf(f, "  vlan_tci=0x%x rss=0x%x l2_len=%u l3_len=%u l4_len=%u\n",
		m->vlan_tci, m->hash.rss, (unsigned)m->l2_len, (unsigned)m->l3_len,
		(unsigned)m->l4_len);
	for (seg = m; seg != NULL; seg = seg->next) {
		const uint8_t *p = sl_mbuf_mtod(seg, const uint8_t *);
		unsigned i, n = SL_MIN((unsigned)seg->data_len, dump_len - done);

		fprintf(f, "  segment %p: data_off=%u data_len=%u%s\n", (const void *)seg,
			seg->data_off, seg->data_len,
			sl_mbuf_is_indirect(seg) ? " (indirect)" : "");
		for (i = 0; i < n; i++)
			fprintf(f, "%s%02x%s", i % 16 == 0 ? "    " : "", p[i],
				i % 16 == 15 || i + 1 == n ? "\n" : " ");
		done += n;
		if (done >= dump_len)
			break;
	}
}
