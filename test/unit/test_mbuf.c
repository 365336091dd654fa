/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/mbuf: pool creation and its bad inputs, the layout of a
 * fresh mbuf, allocation (single and bulk, exhaustion without leaks), frees
 * of single mbufs, chains and bulks (every segment back to its own pool),
 * the data helpers (mtod, iova, prepend/append/adj/trim, success and failure
 * leaving the mbuf untouched), chaining and its overflow, clones by
 * reference count (including a clone freed on another lcore), reads across
 * segments, reset, prefree_seg, attach, the sanity check and the dump.
 *
 * The EAL runs on lcores 0-1 with anonymous memory, so no root is needed.
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
#include "sl_lcore.h"
#include "sl_mbuf.h"
#include "sl_memory.h"
#include "sl_mempool.h"

#define NB_MBUF 127
#define CACHE 32
#define PRIV 16

static struct sl_mempool *pool;       /* default data room, priv PRIV, cached */
static struct sl_mempool *pool2;      /* small data room, no cache */
static struct sl_mempool *clone_pool; /* data room 0: for clones only */
static int eal_up;

static int
group_setup(void **state)
{
	char *argv[] = { "test_mbuf", "--no-huge", "-m", "128", "--file-prefix",
			 "test_mbuf", "-l", "0-1", NULL };
	int ret;

	(void)state;
	ret = sl_eal_init((int)SL_DIM(argv) - 1, argv);
	if (ret < 0) {
		fprintf(stderr, "sl_eal_init failed (%d): the group fails\n", ret);
		return -1;
	}
	eal_up = 1;
	pool = sl_mbuf_pool_create("mb_pool", NB_MBUF, CACHE, PRIV,
				   SL_MBUF_DEFAULT_BUF_SIZE, SL_SOCKET_ID_ANY);
	pool2 = sl_mbuf_pool_create("mb_pool2", 63, 0, 0, 256, SL_SOCKET_ID_ANY);
	clone_pool = sl_mbuf_pool_create("mb_clones", 31, 0, 0, 0, SL_SOCKET_ID_ANY);
	return pool == NULL || pool2 == NULL || clone_pool == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (!eal_up)
		return 0;
	/* -EBUSY here means a test leaked an mbuf. */
	assert_int_equal(sl_mempool_free(pool), 0);
	assert_int_equal(sl_mempool_free(pool2), 0);
	assert_int_equal(sl_mempool_free(clone_pool), 0);
	assert_int_equal(sl_eal_cleanup(), 0);
	return 0;
}

/* Every test must leave every pool as it found it: all mbufs free. */
static void
assert_no_leak(void)
{
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	assert_int_equal(sl_mempool_in_use_count(pool2), 0);
	assert_int_equal(sl_mempool_in_use_count(clone_pool), 0);
	assert_int_equal(sl_mempool_audit(pool), 0);
	assert_int_equal(sl_mempool_audit(pool2), 0);
	assert_int_equal(sl_mempool_audit(clone_pool), 0);
}

/* Allocate an mbuf holding @p len bytes of (seed + i). */
static struct sl_mbuf *
alloc_filled(struct sl_mempool *mp, uint16_t len, uint8_t seed)
{
	struct sl_mbuf *m = sl_mbuf_alloc(mp);
	char *p;

	assert_non_null(m);
	p = sl_mbuf_append(m, len);
	/* not assert_non_null(): cmocka's failure longjmps but is not declared
	 * noreturn, and gcc -O3 would warn of the loop's stores through null */
	if (p == NULL) {
		fail_msg("sl_mbuf_append(%u) gave no room", len);
		return m;
	}
	for (uint16_t i = 0; i < len; i++)
		p[i] = (char)(seed + i);
	return m;
}

/*
 * Allocate @p n mbufs in bulks of at most 16.  A bulk larger than the pool's
 * cache size bypasses the lcore cache and goes to the ring alone, which may
 * hold fewer than the free mbufs (some sit in the cache), so large bulks are
 * not used where the pool is not known to be all in the ring.
 */
static void
alloc_all(struct sl_mempool *mp, struct sl_mbuf **m, unsigned n)
{
	for (unsigned got = 0; got < n; got += SL_MIN(16u, n - got))
		assert_int_equal(sl_mbuf_alloc_bulk(mp, m + got, SL_MIN(16u, n - got)), 0);
}

/* The state of a freshly allocated mbuf of pool @p mp. */
static void
assert_fresh(const struct sl_mbuf *m, struct sl_mempool *mp)
{
	uint16_t priv = sl_mbuf_priv_size(mp), room = sl_mbuf_data_room_size(mp);

	assert_ptr_equal(m->pool, mp);
	assert_ptr_equal(sl_mempool_from_obj((void *)(uintptr_t)m), mp);
	assert_int_equal(m->priv_size, priv);
	assert_ptr_equal(m->buf_addr, (const char *)m + sizeof(*m) + priv);
	assert_int_equal(m->buf_len, room);
	if (sl_mempool_virt2iova(m) != SL_BAD_IOVA)
		assert_true(m->buf_iova == sl_mempool_virt2iova(m) + sizeof(*m) + priv);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	assert_int_equal(m->nb_segs, 1);
	assert_null(m->next);
	assert_int_equal(m->port, SL_MBUF_PORT_INVALID);
	assert_true(m->ol_flags == 0);
	assert_int_equal(m->packet_type, 0);
	assert_int_equal(m->pkt_len, 0);
	assert_int_equal(m->data_len, 0);
	assert_int_equal(m->vlan_tci, 0);
	assert_int_equal(m->vlan_tci_outer, 0);
	assert_true(m->tx_offload == 0);
	assert_int_equal(m->hash.rss, 0);
	assert_int_equal(m->hash.user, 0);
	assert_true(m->timestamp == 0);
	assert_true(m->dynfield[0] == 0 && m->dynfield[1] == 0);
	assert_int_equal(m->data_off, SL_MIN(SL_PKTMBUF_HEADROOM, room));
	assert_int_equal(sl_mbuf_headroom(m), SL_MIN(SL_PKTMBUF_HEADROOM, room));
	assert_int_equal(sl_mbuf_tailroom(m), room - SL_MIN(SL_PKTMBUF_HEADROOM, room));
	assert_false(sl_mbuf_is_indirect(m));
	assert_true(sl_mbuf_is_contiguous(m));
	assert_int_equal(sl_mbuf_sanity_check(m, 1), 0);
}

/* Scribble over every per-packet field. */
static void
dirty(struct sl_mbuf *m)
{
	m->data_off = 7;
	m->data_len = 9;
	m->pkt_len = 1234;
	m->port = 3;
	m->ol_flags = SL_MBUF_F_RX_VLAN | SL_MBUF_F_TX_IPV4;
	m->packet_type = SL_PTYPE_L2_ETHER | SL_PTYPE_L3_IPV4;
	m->vlan_tci = 0x123;
	m->vlan_tci_outer = 0x456;
	m->tx_offload = 0x1234567;
	m->hash.rss = 0xdeadbeef;
	m->hash.user = 42;
	m->timestamp = 99;
	m->dynfield[0] = 1;
	m->dynfield[1] = 2;
}

/* ---- pool creation --------------------------------------------------- */

static void
test_pool_create(void **state)
{
	(void)state;
	assert_int_equal(sl_mbuf_data_room_size(pool), SL_MBUF_DEFAULT_BUF_SIZE);
	assert_int_equal(sl_mbuf_priv_size(pool), PRIV);
	assert_int_equal(sl_mbuf_data_room_size(pool2), 256);
	assert_int_equal(sl_mbuf_priv_size(pool2), 0);
	assert_int_equal(sl_mbuf_data_room_size(clone_pool), 0);
	assert_ptr_equal(sl_mempool_lookup("mb_pool"), pool);
	assert_int_equal(sl_mempool_avail_count(pool), NB_MBUF);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);

	/* Every mbuf is initialised at creation, not only those allocated. */
	struct sl_mbuf *all[NB_MBUF];

	alloc_all(pool, all, NB_MBUF);
	for (unsigned i = 0; i < NB_MBUF; i++) {
		assert_fresh(all[i], pool);
		/* The data room is 8-byte aligned and inside the object. */
		assert_int_equal((uintptr_t)all[i]->buf_addr % SL_MBUF_PRIV_ALIGN, 0);
		for (unsigned j = 0; j < i; j++)
			assert_ptr_not_equal(all[i], all[j]);
	}
	sl_mbuf_free_bulk(all, NB_MBUF);
	assert_no_leak();
}

static void
test_pool_create_bad(void **state)
{
	char longname[SL_MEMPOOL_NAMESIZE + 8];

	(void)state;
	errno = 0;
	assert_null(sl_mbuf_pool_create("mb_bad", 63, 0, 7, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, EINVAL);
	assert_null(sl_mempool_lookup("mb_bad"));
	errno = 0;
	assert_null(sl_mbuf_pool_create("mb_bad", 63, 0, 4, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_mbuf_pool_create(NULL, 63, 0, 0, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_mbuf_pool_create("mb_bad", 0, 0, 0, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	/* A cache that could hoard the whole pool. */
	assert_null(sl_mbuf_pool_create("mb_bad", 63, 63, 0, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_mbuf_pool_create("mb_pool", 63, 0, 0, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, EEXIST);
	assert_ptr_equal(sl_mempool_lookup("mb_pool"), pool);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	errno = 0;
	assert_null(sl_mbuf_pool_create(longname, 63, 0, 0, 256, SL_SOCKET_ID_ANY));
	assert_int_equal(errno, ENAMETOOLONG);
	assert_null(sl_mempool_lookup("mb_bad"));

	/* The failures leaked nothing: the name is free and a pool works. */
	struct sl_mempool *mp = sl_mbuf_pool_create("mb_bad", 15, 0, 8, 100, SL_SOCKET_ID_ANY);

	assert_non_null(mp);
	struct sl_mbuf *m = sl_mbuf_alloc(mp);

	assert_non_null(m);
	/* Data room below the default headroom: headroom is the whole room. */
	assert_fresh(m, mp);
	assert_int_equal(sl_mbuf_headroom(m), 100);
	assert_int_equal(sl_mbuf_tailroom(m), 0);
	sl_mbuf_free(m);
	assert_int_equal(sl_mempool_free(mp), 0);
	assert_null(sl_mempool_lookup("mb_bad"));
}

/* ---- allocation -------------------------------------------------------- */

static void
test_alloc_resets(void **state)
{
	struct sl_mbuf *m, *b[8];

	(void)state;
	m = sl_mbuf_alloc(pool);
	assert_non_null(m);
	assert_fresh(m, pool);
	dirty(m);
	sl_mbuf_free(m);
	/* The lcore cache is LIFO: the same mbuf comes back, and reset. */
	assert_ptr_equal(sl_mbuf_alloc(pool), m);
	assert_fresh(m, pool);
	dirty(m);
	sl_mbuf_free(m);

	assert_int_equal(sl_mbuf_alloc_bulk(pool, b, 8), 0);
	for (unsigned i = 0; i < 8; i++) {
		assert_fresh(b[i], pool);
		dirty(b[i]);
	}
	sl_mbuf_free_bulk(b, 8);
	/* Not a multiple of the unroll factor of 4. */
	assert_int_equal(sl_mbuf_alloc_bulk(pool, b, 7), 0);
	for (unsigned i = 0; i < 7; i++)
		assert_fresh(b[i], pool);
	sl_mbuf_free_bulk(b, 7);
	assert_int_equal(sl_mbuf_alloc_bulk(pool, b, 0), 0);
	assert_no_leak();
}

static void
exhaust(struct sl_mempool *mp, unsigned n)
{
	struct sl_mbuf **all = calloc(n + 1, sizeof(*all));
	struct sl_mbuf *one[4];

	assert_non_null(all);
	/* More than the pool: nothing taken. */
	assert_int_equal(sl_mbuf_alloc_bulk(mp, all, n + 1), -ENOENT);
	assert_int_equal(sl_mempool_in_use_count(mp), 0);
	/* All but 2, then a bulk of 3 fails and takes nothing. */
	alloc_all(mp, all, n - 2);
	assert_int_equal(sl_mempool_in_use_count(mp), n - 2);
	assert_int_equal(sl_mbuf_alloc_bulk(mp, one, 3), -ENOENT);
	assert_int_equal(sl_mempool_in_use_count(mp), n - 2);
	assert_int_equal(sl_mbuf_alloc_bulk(mp, one, 2), 0);
	assert_int_equal(sl_mempool_in_use_count(mp), n);
	/* Empty: single and bulk allocation fail. */
	errno = 0;
	assert_null(sl_mbuf_alloc(mp));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sl_mbuf_alloc_bulk(mp, one, 1), -ENOENT);
	assert_int_equal(sl_mempool_in_use_count(mp), n);
	assert_int_equal(sl_mempool_avail_count(mp), 0);
	sl_mbuf_free_bulk(one, 2);
	sl_mbuf_free_bulk(all, n - 2);
	assert_int_equal(sl_mempool_in_use_count(mp), 0);
	/* And the pool is whole again. */
	alloc_all(mp, all, n);
	sl_mbuf_free_bulk(all, n);
	free(all);
}

static void
test_alloc_exhaustion(void **state)
{
	(void)state;
	exhaust(pool, NB_MBUF);  /* through the lcore cache */
	exhaust(pool2, 63);      /* straight from the ring */
	assert_no_leak();
}

/* ---- freeing ----------------------------------------------------------- */

static void
test_free_chain(void **state)
{
	struct sl_mbuf *m;

	(void)state;
	sl_mbuf_free(NULL);
	m = sl_mbuf_alloc(pool);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	sl_mbuf_free(m);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);

	/* A chain across two pools: every segment goes home. */
	struct sl_mbuf *h = alloc_filled(pool, 100, 0);
	struct sl_mbuf *s1 = alloc_filled(pool2, 50, 100);
	struct sl_mbuf *s2 = alloc_filled(pool, 10, 150);

	assert_int_equal(sl_mbuf_chain(h, s1), 0);
	assert_int_equal(sl_mbuf_chain(h, s2), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 2);
	assert_int_equal(sl_mempool_in_use_count(pool2), 1);
	sl_mbuf_free(h);
	assert_no_leak();
	/* The freed segments are in the free state when reallocated. */
	assert_int_equal(sl_mbuf_alloc_bulk(pool2, &m, 1), 0);
	assert_ptr_equal(m->pool, pool2);
	assert_null(m->next);
	assert_int_equal(m->nb_segs, 1);
	sl_mbuf_free(m);

	/* free_seg frees one segment only. */
	h = alloc_filled(pool, 10, 0);
	s1 = alloc_filled(pool, 10, 0);
	assert_int_equal(sl_mbuf_chain(h, s1), 0);
	h->next = NULL;
	h->nb_segs = 1;
	sl_mbuf_free_seg(h);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	sl_mbuf_free_seg(s1);
	assert_no_leak();
}

static void
test_free_bulk(void **state)
{
	struct sl_mbuf *pkts[150];
	unsigned n = 0;

	(void)state;
	sl_mbuf_free_bulk(pkts, 0);
	/* More than one batch (64), pools interleaved, NULLs and chains. */
	for (unsigned i = 0; i < 30; i++) {
		pkts[n++] = alloc_filled(pool, 20, (uint8_t)i);
		pkts[n++] = alloc_filled(pool2, 20, (uint8_t)i);
		pkts[n++] = NULL;
	}
	for (unsigned i = 0; i < 20; i++) {
		struct sl_mbuf *h = alloc_filled(i % 2 ? pool : pool2, 10, 0);

		assert_int_equal(sl_mbuf_chain(h, alloc_filled(pool2, 10, 0)), 0);
		assert_int_equal(sl_mbuf_chain(h, alloc_filled(pool, 10, 0)), 0);
		pkts[n++] = h;
	}
	assert_int_equal(sl_mempool_in_use_count(pool), 30 + 10 + 20);
	assert_int_equal(sl_mempool_in_use_count(pool2), 30 + 10 + 20);
	sl_mbuf_free_bulk(pkts, n);
	assert_no_leak();

	/* A whole pool's worth in one call. */
	alloc_all(pool, pkts, NB_MBUF);
	sl_mbuf_free_bulk(pkts, NB_MBUF);
	assert_no_leak();
}

/* ---- data access ------------------------------------------------------- */

static void
test_mtod_iova(void **state)
{
	struct sl_mbuf *m;

	(void)state;
	m = alloc_filled(pool, 64, 0x10);
	assert_ptr_equal(sl_mbuf_mtod(m, char *), (char *)m->buf_addr + SL_PKTMBUF_HEADROOM);
	assert_int_equal(*sl_mbuf_mtod(m, uint8_t *), 0x10);
	assert_ptr_equal(sl_mbuf_mtod_offset(m, char *, 5), sl_mbuf_mtod(m, char *) + 5);
	assert_int_equal(*sl_mbuf_mtod_offset(m, uint8_t *, 5), 0x15);
	assert_true(sl_mbuf_iova(m) == m->buf_iova + SL_PKTMBUF_HEADROOM);
	assert_true(sl_mbuf_iova_offset(m, 5) == sl_mbuf_iova(m) + 5);
	/* The IOVA is the one the EAL reports for the data's address. */
	assert_true(m->buf_iova != SL_BAD_IOVA);
	assert_true(sl_mbuf_iova(m) == sl_mem_virt2iova(sl_mbuf_mtod(m, void *)));
	assert_true(sl_mbuf_iova_offset(m, 33) ==
		    sl_mem_virt2iova(sl_mbuf_mtod_offset(m, void *, 33)));
	/* Both move with data_off. */
	assert_non_null(sl_mbuf_prepend(m, 14));
	assert_ptr_equal(sl_mbuf_mtod(m, char *), (char *)m->buf_addr + SL_PKTMBUF_HEADROOM - 14);
	assert_true(sl_mbuf_iova(m) == m->buf_iova + SL_PKTMBUF_HEADROOM - 14);
	sl_mbuf_free(m);
	assert_no_leak();
}

static void
test_prepend_append(void **state)
{
	struct sl_mbuf *m, snap;
	char *p;

	(void)state;
	m = sl_mbuf_alloc(pool);
	p = sl_mbuf_append(m, 100);
	assert_ptr_equal(p, sl_mbuf_mtod(m, char *));
	assert_int_equal(m->data_len, 100);
	assert_int_equal(m->pkt_len, 100);
	assert_int_equal(sl_mbuf_tailroom(m), SL_MBUF_DEFAULT_BUF_SIZE - SL_PKTMBUF_HEADROOM - 100);
	p = sl_mbuf_append(m, 20);
	assert_ptr_equal(p, sl_mbuf_mtod_offset(m, char *, 100));
	assert_int_equal(m->pkt_len, 120);

	p = sl_mbuf_prepend(m, 28);
	assert_ptr_equal(p, sl_mbuf_mtod(m, char *));
	assert_ptr_equal(p, (char *)m->buf_addr + SL_PKTMBUF_HEADROOM - 28);
	assert_int_equal(sl_mbuf_headroom(m), SL_PKTMBUF_HEADROOM - 28);
	assert_int_equal(m->data_len, 148);
	assert_int_equal(m->pkt_len, 148);

	/* Too much: NULL, ENOSPC and the mbuf untouched. */
	snap = *m;
	errno = 0;
	assert_null(sl_mbuf_prepend(m, SL_PKTMBUF_HEADROOM - 28 + 1));
	assert_int_equal(errno, ENOSPC);
	assert_memory_equal(&snap, m, sizeof(*m));
	errno = 0;
	assert_null(sl_mbuf_append(m, (uint16_t)(sl_mbuf_tailroom(m) + 1)));
	assert_int_equal(errno, ENOSPC);
	assert_memory_equal(&snap, m, sizeof(*m));
	/* Exactly all of it works. */
	assert_non_null(sl_mbuf_prepend(m, sl_mbuf_headroom(m)));
	assert_int_equal(sl_mbuf_headroom(m), 0);
	assert_ptr_equal(sl_mbuf_mtod(m, char *), m->buf_addr);
	assert_non_null(sl_mbuf_append(m, sl_mbuf_tailroom(m)));
	assert_int_equal(sl_mbuf_tailroom(m), 0);
	assert_int_equal(m->data_len, SL_MBUF_DEFAULT_BUF_SIZE);
	assert_int_equal(m->pkt_len, SL_MBUF_DEFAULT_BUF_SIZE);
	assert_int_equal(sl_mbuf_sanity_check(m, 1), 0);
	errno = 0;
	assert_null(sl_mbuf_append(m, 1));
	assert_int_equal(errno, ENOSPC);
	assert_null(sl_mbuf_prepend(m, 1));
	assert_non_null(sl_mbuf_append(m, 0));

	/* On a chain, append goes to the last segment, pkt_len to the head. */
	struct sl_mbuf *t = alloc_filled(pool2, 10, 0);
	uint16_t troom = sl_mbuf_tailroom(t);

	assert_int_equal(sl_mbuf_chain(m, t), 0);
	p = sl_mbuf_append(m, 6);
	assert_ptr_equal(p, sl_mbuf_mtod_offset(t, char *, 10));
	assert_int_equal(t->data_len, 16);
	assert_int_equal(sl_mbuf_tailroom(t), troom - 6);
	assert_int_equal(m->data_len, SL_MBUF_DEFAULT_BUF_SIZE);
	assert_int_equal(m->pkt_len, SL_MBUF_DEFAULT_BUF_SIZE + 16);
	assert_int_equal(sl_mbuf_sanity_check(m, 1), 0);
	snap = *m;
	struct sl_mbuf tsnap = *t;

	assert_null(sl_mbuf_append(m, (uint16_t)(troom - 6 + 1)));
	assert_memory_equal(&snap, m, sizeof(*m));
	assert_memory_equal(&tsnap, t, sizeof(*t));
	sl_mbuf_free(m);
	assert_no_leak();
}

static void
test_adj_trim(void **state)
{
	struct sl_mbuf *m, *t, snap, tsnap;
	char *p;

	(void)state;
	m = alloc_filled(pool, 100, 0);
	p = sl_mbuf_adj(m, 14);
	assert_ptr_equal(p, sl_mbuf_mtod(m, char *));
	assert_int_equal(*p, 14);
	assert_int_equal(sl_mbuf_headroom(m), SL_PKTMBUF_HEADROOM + 14);
	assert_int_equal(m->data_len, 86);
	assert_int_equal(m->pkt_len, 86);
	assert_int_equal(sl_mbuf_trim(m, 6), 0);
	assert_int_equal(m->data_len, 80);
	assert_int_equal(m->pkt_len, 80);
	assert_int_equal(*sl_mbuf_mtod_offset(m, char *, 79), 14 + 79);

	snap = *m;
	errno = 0;
	assert_null(sl_mbuf_adj(m, 81));
	assert_int_equal(errno, EINVAL);
	assert_memory_equal(&snap, m, sizeof(*m));
	assert_int_equal(sl_mbuf_trim(m, 81), -EINVAL);
	assert_memory_equal(&snap, m, sizeof(*m));

	/* On a chain: adj works on the first segment, trim on the last. */
	t = alloc_filled(pool2, 30, 0);
	assert_int_equal(sl_mbuf_chain(m, t), 0);
	assert_int_equal(m->pkt_len, 110);
	snap = *m;
	tsnap = *t;
	/* More than the first segment although less than the packet. */
	assert_null(sl_mbuf_adj(m, 81));
	assert_int_equal(sl_mbuf_trim(m, 31), -EINVAL);
	assert_memory_equal(&snap, m, sizeof(*m));
	assert_memory_equal(&tsnap, t, sizeof(*t));
	assert_int_equal(sl_mbuf_trim(m, 30), 0);
	assert_int_equal(t->data_len, 0);
	assert_int_equal(m->data_len, 80);
	assert_int_equal(m->pkt_len, 80);
	assert_non_null(sl_mbuf_adj(m, 80));
	assert_int_equal(m->data_len, 0);
	assert_int_equal(m->pkt_len, 0);
	assert_int_equal(sl_mbuf_sanity_check(m, 1), 0);
	sl_mbuf_free(m);
	assert_no_leak();
}

static void
test_chain(void **state)
{
	struct sl_mbuf *h, *a, *b, *c, snap_h, snap_b;

	(void)state;
	h = alloc_filled(pool, 10, 0);
	a = alloc_filled(pool, 20, 10);
	b = alloc_filled(pool2, 30, 30);
	c = alloc_filled(pool2, 40, 60);
	/* b+c first: chaining a multi-segment tail. */
	assert_int_equal(sl_mbuf_chain(b, c), 0);
	assert_int_equal(b->nb_segs, 2);
	assert_int_equal(b->pkt_len, 70);
	assert_int_equal(sl_mbuf_chain(h, a), 0);
	assert_int_equal(a->pkt_len, 20);
	assert_int_equal(sl_mbuf_chain(h, b), 0);
	assert_int_equal(h->nb_segs, 4);
	assert_int_equal(h->pkt_len, 100);
	/* The inner head's pkt_len is only its own data now. */
	assert_int_equal(b->pkt_len, 30);
	assert_ptr_equal(h->next, a);
	assert_ptr_equal(a->next, b);
	assert_ptr_equal(b->next, c);
	assert_null(c->next);
	assert_ptr_equal(sl_mbuf_lastseg(h), c);
	assert_ptr_equal(sl_mbuf_lastseg(c), c);
	assert_false(sl_mbuf_is_contiguous(h));
	assert_int_equal(sl_mbuf_sanity_check(h, 1), 0);
	for (unsigned i = 0; i < 100; i++) {
		uint8_t byte;

		assert_int_equal(*(const uint8_t *)sl_mbuf_read(h, i, 1, &byte), i);
	}

	/* Overflow: more than SL_MBUF_MAX_NB_SEGS segments; nothing changes. */
	struct sl_mbuf *t = alloc_filled(pool, 5, 0);

	h->nb_segs = SL_MBUF_MAX_NB_SEGS; /* pretend */
	snap_h = *h;
	snap_b = *t;
	assert_int_equal(sl_mbuf_chain(h, t), -EOVERFLOW);
	assert_memory_equal(&snap_h, h, sizeof(*h));
	assert_memory_equal(&snap_b, t, sizeof(*t));
	assert_null(c->next);
	h->nb_segs = 4;
	t->nb_segs = SL_MBUF_MAX_NB_SEGS - 4 + 1;
	assert_int_equal(sl_mbuf_chain(h, t), -EOVERFLOW);
	t->nb_segs = 1;
	/* Exactly the maximum is allowed. */
	h->nb_segs = SL_MBUF_MAX_NB_SEGS - 1;
	assert_int_equal(sl_mbuf_chain(h, t), 0);
	assert_int_equal(h->nb_segs, SL_MBUF_MAX_NB_SEGS);
	assert_ptr_equal(c->next, t);
	h->nb_segs = 5;
	assert_int_equal(h->pkt_len, 105);
	assert_int_equal(sl_mbuf_sanity_check(h, 1), 0);
	sl_mbuf_free(h);
	assert_no_leak();
}

static void
test_read(void **state)
{
	uint8_t buf[256];
	const uint8_t *p;
	struct sl_mbuf *h, *s;

	(void)state;
	h = alloc_filled(pool, 50, 0);
	s = alloc_filled(pool2, 60, 50);
	assert_int_equal(sl_mbuf_chain(h, s), 0);
	assert_int_equal(sl_mbuf_chain(h, alloc_filled(pool, 40, 110)), 0);

	/* Inside the first segment: a pointer into the mbuf, no copy. */
	memset(buf, 0xee, sizeof(buf));
	p = sl_mbuf_read(h, 10, 40, buf);
	assert_ptr_equal(p, sl_mbuf_mtod_offset(h, uint8_t *, 10));
	assert_int_equal(buf[0], 0xee);
	/* Inside the second segment: a pointer into it. */
	p = sl_mbuf_read(h, 55, 20, buf);
	assert_ptr_equal(p, sl_mbuf_mtod_offset(s, uint8_t *, 5));
	assert_int_equal(buf[0], 0xee);
	/* Across segments: copied into buf. */
	p = sl_mbuf_read(h, 45, 10, buf);
	assert_ptr_equal(p, buf);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(buf[i], 45 + i);
	/* The whole packet, across all three. */
	memset(buf, 0xee, sizeof(buf));
	p = sl_mbuf_read(h, 0, 150, buf);
	assert_ptr_equal(p, buf);
	for (unsigned i = 0; i < 150; i++)
		assert_int_equal(buf[i], i);
	assert_int_equal(buf[150], 0xee);
	/* Up to the last byte. */
	p = sl_mbuf_read(h, 149, 1, buf);
	assert_non_null(p);
	assert_int_equal(*p, 149);
	/* Beyond pkt_len: NULL with EINVAL, buf untouched. */
	memset(buf, 0xee, sizeof(buf));
	errno = 0;
	assert_null(sl_mbuf_read(h, 140, 11, buf));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_mbuf_read(h, 151, 0, buf));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(sl_mbuf_read(h, UINT32_MAX, 2, buf));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(buf[0], 0xee);
	sl_mbuf_free(h);
	assert_no_leak();
}

static void
test_reset(void **state)
{
	struct sl_mbuf *m;
	void *addr;
	sl_iova_t iova;

	(void)state;
	m = sl_mbuf_alloc(pool);
	addr = m->buf_addr;
	iova = m->buf_iova;
	dirty(m);
	sl_mbuf_reset(m);
	assert_fresh(m, pool);
	assert_ptr_equal(m->buf_addr, addr);
	assert_true(m->buf_iova == iova);
	/* refcnt is kept. */
	sl_mbuf_refcnt_set(m, 3);
	sl_mbuf_reset(m);
	assert_int_equal(sl_mbuf_refcnt_read(m), 3);
	sl_mbuf_refcnt_set(m, 1);
	sl_mbuf_free(m);
	assert_no_leak();
}

/* ---- reference counts and clones --------------------------------------- */

static void
test_refcnt(void **state)
{
	struct sl_mbuf *m;

	(void)state;
	m = sl_mbuf_alloc(pool);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	assert_int_equal(sl_mbuf_refcnt_update(m, 1), 2);
	assert_int_equal(sl_mbuf_refcnt_update(m, 3), 5);
	assert_int_equal(sl_mbuf_refcnt_update(m, -2), 3);
	assert_int_equal(sl_mbuf_refcnt_read(m), 3);
	sl_mbuf_refcnt_set(m, 2);
	assert_int_equal(sl_mbuf_refcnt_read(m), 2);

	/* Two references: the first free keeps it, the second returns it. */
	sl_mbuf_free(m);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	sl_mbuf_free(m);
	assert_int_equal(sl_mempool_in_use_count(pool), 0);
	/* Back in the free state. */
	assert_ptr_equal(sl_mbuf_alloc(pool), m);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);

	/* prefree_seg: NULL while references remain, then m itself. */
	sl_mbuf_refcnt_set(m, 2);
	assert_null(sl_mbuf_prefree_seg(m));
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	assert_ptr_equal(sl_mbuf_prefree_seg(m), m);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	sl_mempool_put(m->pool, m);

	/* prefree_seg leaves a chained segment in the free state. */
	struct sl_mbuf *h = alloc_filled(pool, 5, 0), *t = alloc_filled(pool, 5, 0);

	assert_int_equal(sl_mbuf_chain(h, t), 0);
	assert_ptr_equal(sl_mbuf_prefree_seg(h), h);
	assert_null(h->next);
	assert_int_equal(h->nb_segs, 1);
	sl_mempool_put(pool, h);
	sl_mbuf_free(t);
	assert_no_leak();
}

static void
check_clone_of(const struct sl_mbuf *c, const struct sl_mbuf *m)
{
	assert_true(sl_mbuf_is_indirect(c));
	assert_ptr_equal(c->pool, clone_pool);
	assert_ptr_equal(c->direct, sl_mbuf_is_indirect(m) ? m->direct : m);
	assert_ptr_equal(c->buf_addr, m->buf_addr);
	assert_true(c->buf_iova == m->buf_iova);
	assert_int_equal(c->buf_len, m->buf_len);
	assert_int_equal(c->data_off, m->data_off);
	assert_int_equal(c->data_len, m->data_len);
	assert_ptr_equal(sl_mbuf_mtod(c, char *), sl_mbuf_mtod(m, char *));
	assert_true(sl_mbuf_iova(c) == sl_mbuf_iova(m));
	assert_int_equal(c->port, m->port);
	assert_true(c->ol_flags == (m->ol_flags | SL_MBUF_F_INDIRECT));
	assert_int_equal(c->packet_type, m->packet_type);
	assert_int_equal(c->vlan_tci, m->vlan_tci);
	assert_int_equal(c->vlan_tci_outer, m->vlan_tci_outer);
	assert_true(c->tx_offload == m->tx_offload);
	assert_int_equal(c->hash.rss, m->hash.rss);
	assert_true(c->timestamp == m->timestamp);
	assert_int_equal(sl_mbuf_sanity_check(c, 0), 0);
}

static void
test_clone(void **state)
{
	struct sl_mbuf *m, *c, *c2;

	(void)state;
	m = alloc_filled(pool, 64, 1);
	m->port = 2;
	m->ol_flags = SL_MBUF_F_RX_RSS_HASH | SL_MBUF_F_RX_VLAN;
	m->packet_type = SL_PTYPE_L2_ETHER;
	m->vlan_tci = 7;
	m->hash.rss = 0xabcd;
	m->l2_len = 14;
	m->l3_len = 20;
	m->timestamp = 12345;

	c = sl_mbuf_clone(m, clone_pool);
	assert_non_null(c);
	check_clone_of(c, m);
	assert_int_equal(c->pkt_len, 64);
	assert_int_equal(c->nb_segs, 1);
	assert_int_equal(sl_mbuf_refcnt_read(m), 2);
	assert_int_equal(sl_mbuf_refcnt_read(c), 1);
	assert_int_equal(sl_mbuf_sanity_check(c, 1), 0);
	/* Shared data: a write through one is seen through the other. */
	*sl_mbuf_mtod(m, char *) = 'X';
	assert_int_equal(*sl_mbuf_mtod(c, char *), 'X');

	/* A clone of the clone references the direct mbuf. */
	c2 = sl_mbuf_clone(c, clone_pool);
	assert_non_null(c2);
	check_clone_of(c2, c);
	assert_ptr_equal(c2->direct, m);
	assert_int_equal(sl_mbuf_refcnt_read(m), 3);
	assert_int_equal(sl_mbuf_refcnt_read(c), 1);

	/* Freeing the original keeps the data for the clones. */
	sl_mbuf_free(m);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	assert_int_equal(sl_mbuf_refcnt_read(m), 2);
	assert_int_equal(*sl_mbuf_mtod(c2, char *), 'X');
	sl_mbuf_free(c2);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	assert_int_equal(sl_mempool_in_use_count(clone_pool), 1);
	/* The last reference returns the direct mbuf. */
	sl_mbuf_free(c);
	assert_no_leak();
	/* Both come back in the free state: direct, own buffer. */
	c = sl_mbuf_alloc(clone_pool);
	assert_fresh(c, clone_pool);
	assert_null(c->direct);
	sl_mbuf_free(c);
	m = sl_mbuf_alloc(pool);
	assert_fresh(m, pool);
	sl_mbuf_free(m);

	/* Clone freed first, original second. */
	m = alloc_filled(pool, 10, 0);
	c = sl_mbuf_clone(m, clone_pool);
	sl_mbuf_free(c);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	assert_int_equal(sl_mempool_in_use_count(clone_pool), 0);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	sl_mbuf_free(m);

	/* Bad arguments. */
	errno = 0;
	assert_null(sl_mbuf_clone(NULL, clone_pool));
	assert_int_equal(errno, EINVAL);
	m = sl_mbuf_alloc(pool);
	if (m == NULL) { /* as in alloc_filled(): gcc -O3 warns otherwise */
		fail_msg("sl_mbuf_alloc() gave NULL");
		return;
	}
	errno = 0;
	assert_null(sl_mbuf_clone(m, NULL));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(sl_mbuf_refcnt_read(m), 1);
	sl_mbuf_free(m);
	assert_no_leak();
}

static void
test_clone_chain(void **state)
{
	struct sl_mbuf *h, *segs[3], *c, *seg, *hold[31], snap;
	unsigned i;

	(void)state;
	h = segs[0] = alloc_filled(pool, 100, 0);
	segs[1] = alloc_filled(pool2, 100, 100);
	segs[2] = alloc_filled(pool, 56, 200);
	assert_int_equal(sl_mbuf_chain(h, segs[1]), 0);
	assert_int_equal(sl_mbuf_chain(h, segs[2]), 0);

	c = sl_mbuf_clone(h, clone_pool);
	assert_non_null(c);
	assert_int_equal(c->nb_segs, 3);
	assert_int_equal(c->pkt_len, 256);
	assert_int_equal(sl_mbuf_sanity_check(c, 1), 0);
	for (seg = c, i = 0; seg != NULL; seg = seg->next, i++) {
		check_clone_of(seg, segs[i]);
		assert_int_equal(sl_mbuf_refcnt_read(segs[i]), 2);
	}
	assert_int_equal(i, 3);
	uint8_t buf[256];
	const uint8_t *p = sl_mbuf_read(c, 0, 256, buf);

	for (i = 0; i < 256; i++)
		assert_int_equal(p[i], (uint8_t)i);

	/* Free in bulk: original first, then the clone. */
	sl_mbuf_free_bulk(&h, 1);
	assert_int_equal(sl_mempool_in_use_count(pool), 2);
	assert_int_equal(sl_mempool_in_use_count(pool2), 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(sl_mbuf_refcnt_read(segs[i]), 1);
	sl_mbuf_free_bulk(&c, 1);
	assert_no_leak();

	/* The clone pool runs out in the middle: nothing leaks, nothing changes. */
	h = segs[0] = alloc_filled(pool, 100, 0);
	segs[1] = alloc_filled(pool2, 100, 100);
	segs[2] = alloc_filled(pool, 56, 200);
	assert_int_equal(sl_mbuf_chain(h, segs[1]), 0);
	assert_int_equal(sl_mbuf_chain(h, segs[2]), 0);
	assert_int_equal(sl_mbuf_alloc_bulk(clone_pool, hold, 29), 0);
	snap = *h;
	errno = 0;
	assert_null(sl_mbuf_clone(h, clone_pool));
	assert_int_equal(errno, ENOENT);
	assert_memory_equal(&snap, h, sizeof(*h));
	assert_int_equal(sl_mempool_in_use_count(clone_pool), 29);
	for (i = 0; i < 3; i++)
		assert_int_equal(sl_mbuf_refcnt_read(segs[i]), 1);
	/* Empty clone pool. */
	assert_int_equal(sl_mbuf_alloc_bulk(clone_pool, hold + 29, 2), 0);
	errno = 0;
	assert_null(sl_mbuf_clone(h, clone_pool));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sl_mbuf_refcnt_read(h), 1);
	sl_mbuf_free_bulk(hold, 31);
	sl_mbuf_free(h);
	assert_no_leak();
}

static void
test_attach(void **state)
{
	struct sl_mbuf *m, *mi, *mi2;

	(void)state;
	m = alloc_filled(pool, 30, 0);
	m->vlan_tci = 9;
	mi = sl_mbuf_alloc(pool2);
	sl_mbuf_attach(mi, m);
	assert_true(sl_mbuf_is_indirect(mi));
	assert_ptr_equal(mi->direct, m);
	assert_ptr_equal(mi->buf_addr, m->buf_addr);
	assert_int_equal(mi->data_len, 30);
	assert_int_equal(mi->pkt_len, 30);
	assert_int_equal(mi->vlan_tci, 9);
	assert_int_equal(sl_mbuf_refcnt_read(m), 2);
	assert_int_equal(sl_mbuf_sanity_check(mi, 1), 0);
	/* Attaching to an indirect mbuf attaches to its direct one. */
	mi2 = sl_mbuf_alloc(pool2);
	sl_mbuf_attach(mi2, mi);
	assert_ptr_equal(mi2->direct, m);
	assert_int_equal(sl_mbuf_refcnt_read(m), 3);
	assert_int_equal(sl_mbuf_refcnt_read(mi), 1);

	sl_mbuf_free(m);
	sl_mbuf_free(mi);
	assert_int_equal(sl_mempool_in_use_count(pool), 1);
	assert_int_equal(sl_mempool_in_use_count(pool2), 1);
	/* Detached on free: mi is direct again with its own buffer. */
	assert_false(sl_mbuf_is_indirect(mi));
	assert_null(mi->direct);
	assert_ptr_equal(mi->buf_addr, (char *)mi + sizeof(*mi));
	assert_int_equal(mi->buf_len, 256);
	sl_mbuf_free(mi2);
	assert_no_leak();
}

/* The owner side of an external buffer: how often, and with what, its
 * free callback ran. */
struct ext_owner {
	struct sl_mbuf_ext_shared_info shinfo;
	unsigned int calls;
	void *last_addr;
};

static void
ext_free_cb(void *addr, void *opaque)
{
	struct ext_owner *o = opaque;

	o->calls++;
	o->last_addr = addr;
}

/* External buffers: attached mbufs share the owner's count, the last free
 * runs the callback once, and every mbuf goes home with its own buffer;
 * clones keep the buffer until they go too. */
static void
test_extbuf(void **state)
{
	static char buf[512];
	struct ext_owner o = { .shinfo = { .free_cb = ext_free_cb } };
	struct sl_mbuf *m1, *m2, *c;

	(void)state;
	o.shinfo.fcb_opaque = &o;
	memset(buf, 'e', sizeof(buf));
	m1 = sl_mbuf_alloc(pool2);
	m2 = sl_mbuf_alloc(pool2);
	assert_non_null(m1);
	assert_non_null(m2);
	/* Two mbufs on two halves of the buffer, plus the owner's reference. */
	sl_mbuf_ext_refcnt_set(&o.shinfo, 3);
	sl_mbuf_attach_extbuf(m1, buf, SL_BAD_IOVA, 256, &o.shinfo);
	sl_mbuf_attach_extbuf(m2, buf + 256, SL_BAD_IOVA, 256, &o.shinfo);
	m1->data_off = 10;
	m1->data_len = 100;
	m1->pkt_len = 100;
	m2->data_off = 0;
	m2->data_len = 256;
	m2->pkt_len = 256;
	assert_true(sl_mbuf_is_external(m1));
	assert_false(sl_mbuf_is_indirect(m1));
	assert_ptr_equal(sl_mbuf_mtod(m1, char *), buf + 10);
	assert_int_equal(sl_mbuf_tailroom(m1), 256 - 110);
	assert_int_equal(sl_mbuf_sanity_check(m1, 1), 0);
	/* A reset (by an application) keeps the buffer and the flag. */
	m2->ol_flags |= SL_MBUF_F_RX_VLAN;
	sl_mbuf_reset(m2);
	assert_true(sl_mbuf_is_external(m2));
	assert_ptr_equal(m2->buf_addr, buf + 256);
	m2->data_off = 0;
	m2->data_len = 256;
	m2->pkt_len = 256;

	/* A clone refers to m1, which keeps the buffer. */
	c = sl_mbuf_clone(m1, clone_pool);
	assert_non_null(c);
	assert_true(sl_mbuf_is_indirect(c));
	assert_false(sl_mbuf_is_external(c));
	assert_ptr_equal(c->direct, m1);
	assert_ptr_equal(sl_mbuf_mtod(c, char *), buf + 10);
	assert_int_equal(sl_mbuf_sanity_check(c, 1), 0);

	sl_mbuf_free(m1); /* the clone still holds it */
	assert_int_equal(sl_mbuf_ext_refcnt_read(&o.shinfo), 3);
	assert_int_equal(sl_mempool_in_use_count(pool2), 2);
	sl_mbuf_free(c);  /* m1 goes home and drops its buffer reference */
	assert_int_equal(sl_mbuf_ext_refcnt_read(&o.shinfo), 2);
	assert_int_equal(sl_mempool_in_use_count(pool2), 1);
	assert_false(sl_mbuf_is_external(m1));
	assert_ptr_equal(m1->buf_addr, (char *)m1 + sizeof(*m1));
	assert_int_equal(m1->buf_len, 256);
	/* free_bulk takes the same path. */
	sl_mbuf_free_bulk(&m2, 1);
	assert_int_equal(sl_mbuf_ext_refcnt_read(&o.shinfo), 1);
	assert_int_equal(o.calls, 0);
	/* The owner's reference is the last: the callback runs once. */
	assert_int_equal(sl_mbuf_ext_refcnt_update(&o.shinfo, -1), 0);
	assert_int_equal(o.calls, 0); /* the owner dropping its own runs nothing */

	/* Without an owner reference, the last mbuf's free runs the callback,
	 * with that mbuf's buffer address. */
	m1 = sl_mbuf_alloc(pool2);
	assert_non_null(m1);
	sl_mbuf_ext_refcnt_set(&o.shinfo, 1);
	sl_mbuf_attach_extbuf(m1, buf + 256, SL_BAD_IOVA, 256, &o.shinfo);
	sl_mbuf_free(m1);
	assert_int_equal(o.calls, 1);
	assert_ptr_equal(o.last_addr, buf + 256);
	assert_int_equal(sl_mbuf_ext_refcnt_read(&o.shinfo), 0);
	/* And it comes back fresh. */
	m1 = sl_mbuf_alloc(pool2);
	assert_fresh(m1, pool2);
	assert_null(m1->shinfo);
	sl_mbuf_free(m1);
	assert_no_leak();
}

struct remote_free {
	struct sl_mbuf *m;
	unsigned lcore;
};

static int
free_on_worker(void *arg)
{
	struct remote_free *rf = arg;

	rf->lcore = sl_lcore_id();
	sl_mbuf_free(rf->m);
	return 0;
}

/* A clone and its original freed on different lcores (and caches). */
static void
test_clone_other_lcore(void **state)
{
	struct remote_free rf;
	unsigned worker;

	(void)state;
	worker = sl_get_next_lcore((unsigned)-1, 1, 0);
	if (worker >= SL_MAX_LCORE)
		SL_TEST_SKIP("no worker lcore (one CPU only)");
	for (unsigned round = 0; round < 200; round++) {
		struct sl_mbuf *m = alloc_filled(pool, 60, (uint8_t)round);
		struct sl_mbuf *c = sl_mbuf_clone(m, clone_pool);

		assert_non_null(c);
		/* Alternate which side drops the last reference. */
		rf.m = round % 2 ? m : c;
		rf.lcore = UINT32_MAX;
		assert_int_equal(sl_eal_remote_launch(free_on_worker, &rf, worker), 0);
		assert_int_equal(sl_eal_wait_lcore(worker), 0);
		assert_int_equal(rf.lcore, worker);
		sl_mbuf_free(round % 2 ? c : m);
	}
	assert_no_leak();
}

/* ---- checks and dumps ---------------------------------------------------- */

static void
test_sanity_check(void **state)
{
	struct sl_mbuf *m, *t;
	void *saved;

	(void)state;
	assert_int_equal(sl_mbuf_sanity_check(NULL, 0), -EINVAL);
	assert_int_equal(sl_mbuf_sanity_check(NULL, 1), -EINVAL);
	m = alloc_filled(pool, 40, 0);
	t = alloc_filled(pool2, 40, 0);
	assert_int_equal(sl_mbuf_chain(m, t), 0);
	assert_int_equal(sl_mbuf_sanity_check(m, 1), 0);
	assert_int_equal(sl_mbuf_sanity_check(t, 0), 0);

	m->nb_segs = 3;
	assert_int_equal(sl_mbuf_sanity_check(m, 1), -EINVAL);
	assert_int_equal(sl_mbuf_sanity_check(m, 0), 0); /* segment checks only */
	m->nb_segs = 2;
	m->pkt_len = 81;
	assert_int_equal(sl_mbuf_sanity_check(m, 1), -EINVAL);
	m->pkt_len = 80;
	t->data_len = (uint16_t)(t->buf_len - t->data_off + 1);
	assert_int_equal(sl_mbuf_sanity_check(t, 0), -EINVAL);
	assert_int_equal(sl_mbuf_sanity_check(m, 1), -EINVAL); /* via the chain */
	t->data_len = 40;
	sl_mbuf_refcnt_set(t, 0);
	assert_int_equal(sl_mbuf_sanity_check(t, 0), -EINVAL);
	sl_mbuf_refcnt_set(t, 1);
	saved = m->buf_addr;
	m->buf_addr = (char *)saved + 8;
	assert_int_equal(sl_mbuf_sanity_check(m, 0), -EINVAL);
	m->buf_addr = saved;
	m->pool = NULL;
	assert_int_equal(sl_mbuf_sanity_check(m, 0), -EINVAL);
	m->pool = pool2; /* not its pool */
	assert_int_equal(sl_mbuf_sanity_check(m, 0), -EINVAL);
	m->pool = pool;
	m->ol_flags |= SL_MBUF_F_INDIRECT; /* indirect without a direct mbuf */
	assert_int_equal(sl_mbuf_sanity_check(m, 0), -EINVAL);
	m->ol_flags = 0;
	/* A loop in the chain is caught, not followed forever. */
	t->next = m;
	assert_int_equal(sl_mbuf_sanity_check(m, 1), -EINVAL);
	t->next = NULL;
	assert_int_equal(sl_mbuf_sanity_check(m, 1), 0);
	sl_mbuf_free(m);
	assert_no_leak();
}

static void
test_dump(void **state)
{
	struct sl_mbuf *m, *c;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	m = alloc_filled(pool, 20, 0xa0);
	assert_int_equal(sl_mbuf_chain(m, alloc_filled(pool2, 20, 0xb4)), 0);
	c = sl_mbuf_clone(m, clone_pool);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	sl_mbuf_dump(f, m, 24);
	sl_mbuf_dump(f, c, 0);
	sl_mbuf_dump(f, NULL, 10);
	sl_mbuf_dump(NULL, m, 10);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(out, "pool=mb_pool "));
	assert_non_null(strstr(out, "pkt_len=40 nb_segs=2 refcnt=2"));
	assert_non_null(strstr(out, "pool=mb_clones"));
	assert_non_null(strstr(out, "(indirect)"));
	/* 20 bytes of the first segment and 4 of the second, no more. */
	assert_non_null(strstr(out, "a0 a1 a2"));
	assert_non_null(strstr(out, "b4 b5 b6 b7\n"));
	/* Only the hex lines count: pointers and IOVAs may contain "b8". */
	for (char *line = out; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl = '\0';
		if (strncmp(line, "    ", 4) == 0)
			assert_null(strstr(line, "b8"));
		line = nl != NULL ? nl + 1 : NULL;
	}
	free(out);
	sl_mbuf_free(c);
	sl_mbuf_free(m);
	assert_no_leak();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_create),
		cmocka_unit_test(test_pool_create_bad),
		cmocka_unit_test(test_alloc_resets),
		cmocka_unit_test(test_alloc_exhaustion),
		cmocka_unit_test(test_free_chain),
		cmocka_unit_test(test_free_bulk),
		cmocka_unit_test(test_mtod_iova),
		cmocka_unit_test(test_prepend_append),
		cmocka_unit_test(test_adj_trim),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_refcnt),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_clone_chain),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_extbuf),
		cmocka_unit_test(test_clone_other_lcore),
		cmocka_unit_test(test_sanity_check),
		cmocka_unit_test(test_dump),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
