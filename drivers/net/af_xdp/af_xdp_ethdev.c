/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp: a port on an existing Linux network interface through AF_XDP
 * sockets (one per queue), with the RX mempool's memory as the UMEM.
 *
 *   --vdev net_af_xdp0,iface=IF[,start_queue=Q][,queue_count=N]
 *          [,busy_budget=B][,xdp_prog=PATH][,force_copy=1]
 *
 * Spec: Linux Documentation/networking/af_xdp.rst and <linux/if_xdp.h>
 * (kernel 6.x); libxdp 1.3 <xdp/xsk.h> (rings, UMEM and socket set-up);
 * libbpf 1.1 (map, program and bpf_link); Documentation/bpf/map_xskmap.rst.
 * The memory layout is described in af_xdp_ethdev.h, the user guide is
 * doc/drivers/af_xdp.md.
 *
 * Life cycle:
 *  - probe: checks the interface exists, has the queues asked for and has
 *    no XDP program yet; creates the XSKMAP and loads the program that
 *    redirects each queue's packets to its socket (built in, or xdp_prog=);
 *  - queue set-up records the ring sizes and the mempool;
 *  - start: registers the UMEM(s), creates one socket per queue, fills the
 *    fill rings, puts the sockets in the map and attaches the program with
 *    a bpf_link, so the kernel detaches it when the last fd goes, even if
 *    the process is killed;
 *  - stop: detaches the program, takes every mbuf back, closes the sockets
 *    and unregisters the UMEM.  A stopped port holds no mbuf and leaves the
 *    interface to the kernel stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "af_xdp_ethdev.h"
#include "sl_bus_vdev.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"
#include "sl_netif.h"
#include "sl_mempool.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69 /* asm-generic/socket.h, Linux 5.11 */
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

#define AFX_DEFAULT_DESC 1024
#define AFX_MAX_DESC 8192
/* Busy-poll time per recvfrom(): DPDK and the kernel's xdpsock sample use 20 us. */
#define AFX_BUSY_POLL_US 20
/* How long stop waits for the kernel to complete TX descriptors it took. */
#define AFX_TX_DRAIN_MS 200
/* How long a socket bind retries a queue still held by our own closed socket. */
#define AFX_BUSY_RETRIES 100
#define AFX_BUSY_RETRY_US 10000
/* Map name a user program must define (as DPDK's net_af_xdp expects). */
#define AFX_MAP_NAME "xsks_map"

#define AFX_KEY_IFACE "iface"
#define AFX_KEY_START_QUEUE "start_queue"
#define AFX_KEY_QUEUE_COUNT "queue_count"
#define AFX_KEY_BUSY_BUDGET "busy_budget"
#define AFX_KEY_XDP_PROG "xdp_prog"
#define AFX_KEY_FORCE_COPY "force_copy"

static const char *const afx_valid_keys[] = {
	AFX_KEY_IFACE, AFX_KEY_START_QUEUE, AFX_KEY_QUEUE_COUNT, AFX_KEY_BUSY_BUDGET,
	AFX_KEY_XDP_PROG, AFX_KEY_FORCE_COPY, NULL,
};

struct afx_private {
	char iface[IFNAMSIZ];
	char xdp_prog[256];
	unsigned int ifindex;
	int ctl_fd;                /* AF_PACKET: ioctls and PACKET_MR_PROMISC/ALLMULTI */
	uint32_t start_queue;
	uint32_t queue_count;
	uint32_t busy_budget;      /* 0: no busy polling */
	bool force_copy;
	int map_fd;                /* XSKMAP, keyed by interface queue */
	int prog_fd;
	int link_fd;               /* bpf_link while started, else -1 */
	struct bpf_object *obj;    /* xdp_prog=: the loaded object */
	bool zero_copy;            /* what the kernel chose at the last start */
	struct afx_umem umems[AFX_MAX_QUEUES];
	unsigned int nb_umems;
	uint32_t rx_desc[AFX_MAX_QUEUES];
	uint32_t tx_desc[AFX_MAX_QUEUES];
	uint64_t kstats_closed[6]; /* XDP_STATISTICS of sockets closed since the last reset */
};

/* ---- libbpf / libxdp messages into the log ---- */

static int
afx_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	SL_LOG(DEBUG, NET_AF_XDP, "libbpf: %s", buf);
	return 0;
}

static int
afx_libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	if (level == LIBXDP_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	SL_LOG(DEBUG, NET_AF_XDP, "libxdp: %s", buf);
	return 0;
}

/* ---- the built-in XDP program ---- */

/* One eBPF instruction (linux/bpf.h, struct bpf_insn). */
static struct bpf_insn
afx_insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = imm };
}

/*
 * return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
 * A queue without a socket in the map (or a port's queue not started)
 * passes its packets to the kernel stack (the low bits of the flags are
 * the action when the lookup fails: Documentation/bpf/map_xskmap.rst).
 */
static int
afx_prog_load_builtin(const char *port, int map_fd, int *prog_fd)
{
	struct bpf_insn insns[] = {
		/* r2 = *(u32 *)(r1 + offsetof(struct xdp_md, rx_queue_index)) */
		afx_insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1,
			 (int16_t)offsetof(struct xdp_md, rx_queue_index), 0),
		/* r1 = map (64-bit immediate, two slots) */
		afx_insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
		afx_insn(0, 0, 0, 0, 0),
		afx_insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, XDP_PASS),
		afx_insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map),
		afx_insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	char log[1024] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 0);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "sluice_xsk", "Dual BSD/GPL", insns,
			       SL_DIM(insns), &opts);

	if (fd < 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: loading the XDP redirect program: %s%s%s", port,
		       strerror(-fd), log[0] ? "; verifier: " : "", log);
		return fd;
	}
	*prog_fd = fd;
	return 0;
}

/* xdp_prog=PATH: an object with one XDP program and an XSKMAP named xsks_map. */
static int
afx_prog_load_file(const char *port, struct afx_private *p)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	int ret;

	p->obj = bpf_object__open_file(p->xdp_prog, NULL);
	if (p->obj == NULL) {
		char why[128];

		ret = -errno;
		libbpf_strerror(ret, why, sizeof(why));
		SL_LOG(ERR, NET_AF_XDP, "%s: xdp_prog=%s: cannot open it as a BPF object (%s); "
		       "give an ELF file built with 'clang -target bpf -O2 -c'", port, p->xdp_prog,
		       why);
		/* libbpf's own codes (LIBBPF_ERRNO__*) are no errno: bad file. */
		return ret < -4000 ? -EINVAL : ret;
	}
	map = bpf_object__find_map_by_name(p->obj, AFX_MAP_NAME);
	prog = bpf_object__next_program(p->obj, NULL);
	if (map == NULL || bpf_map__type(map) != BPF_MAP_TYPE_XSKMAP || prog == NULL) {
		SL_LOG(ERR, NET_AF_XDP, "%s: xdp_prog=%s: needs an XDP program and a "
		       "BPF_MAP_TYPE_XSKMAP map named '%s' keyed by queue index", port,
		       p->xdp_prog, AFX_MAP_NAME);
		ret = -EINVAL;
		goto fail;
	}
	bpf_program__set_type(prog, BPF_PROG_TYPE_XDP);
	ret = bpf_object__load(p->obj);
	if (ret < 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: xdp_prog=%s: the kernel refused to load it (%s); "
		       "run with --log-level=net_af_xdp:debug for the verifier's messages", port,
		       p->xdp_prog, strerror(-ret));
		goto fail;
	}
	if (bpf_map__max_entries(map) < p->start_queue + p->queue_count) {
		SL_LOG(ERR, NET_AF_XDP, "%s: xdp_prog=%s: map %s has %u entries, queues up to %u "
		       "need %u: raise max_entries", port, p->xdp_prog, AFX_MAP_NAME,
		       bpf_map__max_entries(map), p->start_queue + p->queue_count - 1,
		       p->start_queue + p->queue_count);
		ret = -EINVAL;
		goto fail;
	}
	p->map_fd = bpf_map__fd(map);
	p->prog_fd = bpf_program__fd(prog);
	return 0;

fail:
	bpf_object__close(p->obj);
	p->obj = NULL;
	return ret;
}

static const char *
afx_perm_hint(int err)
{
	return err == EPERM || err == EACCES ?
		       ": it needs CAP_BPF, CAP_NET_ADMIN and CAP_NET_RAW; run as root or grant them "
		       "with 'setcap cap_bpf,cap_net_admin,cap_net_raw,cap_ipc_lock+ep <program>'" :
		       "";
}

/* Create the XSKMAP and load the program (probe). */
static int
afx_prog_setup(const char *port, struct afx_private *p)
{
	int ret;

	if (p->xdp_prog[0] != '\0')
		return afx_prog_load_file(port, p);
	p->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "sluice_xsks", sizeof(int), sizeof(int),
				   p->start_queue + p->queue_count, NULL);
	if (p->map_fd < 0) {
		ret = p->map_fd;
		SL_LOG(ERR, NET_AF_XDP, "%s: creating the XSKMAP was refused (%s)%s", port,
		       strerror(-ret), afx_perm_hint(-ret));
		p->map_fd = -1;
		return ret;
	}
	ret = afx_prog_load_builtin(port, p->map_fd, &p->prog_fd);
	if (ret < 0) {
		close(p->map_fd);
		p->map_fd = -1;
	}
	return ret;
}

static void
afx_prog_free(struct afx_private *p)
{
	if (p->obj != NULL) {
		bpf_object__close(p->obj); /* closes its map and program fds */
		p->obj = NULL;
	} else {
		if (p->prog_fd >= 0)
			close(p->prog_fd);
		if (p->map_fd >= 0)
			close(p->map_fd);
	}
	p->prog_fd = -1;
	p->map_fd = -1;
}

/* The error a user sees when another program holds the interface. */
static int
afx_check_no_prog(const char *port, const struct afx_private *p)
{
	uint32_t id = 0;
	int ret = bpf_xdp_query_id((int)p->ifindex, 0, &id);

	if (ret < 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: asking the kernel which XDP program %s has: %s%s", port,
		       p->iface, strerror(-ret), afx_perm_hint(-ret));
		return ret;
	}
	if (id != 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: interface %s already has an XDP program attached "
		       "(id %u): see it with 'ip link show dev %s' or 'xdp-loader status %s'; "
		       "detach it ('ip link set dev %s xdp off') if nothing needs it, or stop the "
		       "application that owns it", port, p->iface, id, p->iface, p->iface,
		       p->iface);
		return -EBUSY;
	}
	return 0;
}

/* ---- interface ---- */

/* The interface control of drivers/net/common (sl_netif.h) for this port. */
static struct sl_netif_ctl
afx_ctl(const struct afx_private *p, const char *port)
{
	return (struct sl_netif_ctl){ .log = "NET_AF_XDP", .port = port, .fd = p->ctl_fd,
				      .ifindex = p->ifindex, .iface = p->iface };
}

static int
afx_ioctl(const struct afx_private *p, const char *port, unsigned long req,
	  const char *reqname, struct ifreq *ifr)
{
	struct sl_netif_ctl c = afx_ctl(p, port);

	return sl_netif_ioctl(&c, req, reqname, ifr);
}

/* RX queues the interface has (ethtool channels); 1 if the driver does not say. */
static uint32_t
afx_iface_queues(const struct afx_private *p)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->iface);
	ifr.ifr_data = (void *)&ch;
	if (ioctl(p->ctl_fd, SIOCETHTOOL, &ifr) < 0)
		return 1;
	return SL_MAX(ch.rx_count, ch.combined_count) ? ch.rx_count + ch.combined_count : 1;
}

static int
afx_link_update(struct sl_eth_dev *dev, int wait __sl_unused)
{
	struct sl_netif_ctl c = afx_ctl(dev->data.dev_private, dev->data.name);
	struct sl_eth_link link;
	int ret = sl_netif_link_get(&c, &link);

	if (ret < 0)
		return ret;
	sl_eth_linkstatus_set(dev, &link);
	return 0;
}

/* ---- UMEM ---- */

/* Bytes from the start of an mbuf to its data room. */
static uint32_t
afx_hdr_len(struct sl_mempool *mp)
{
	return (uint32_t)sizeof(struct sl_mbuf) + sl_mbuf_priv_size(mp);
}

/* Longest frame the kernel may write into an mbuf of @p mp. */
static uint32_t
afx_frame_room(struct sl_mempool *mp)
{
	uint32_t room = sl_mbuf_data_room_size(mp);
	uint32_t need = SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM;

	return room > need ? room - need : 0;
}

/* Check a pool can be a UMEM (see af_xdp_ethdev.h) and register it. */
static int
afx_umem_create(const char *port, struct sl_mempool *mp, uint32_t fill_size,
		uint32_t comp_size, struct afx_umem *u)
{
	long page = sysconf(_SC_PAGESIZE);
	const struct sl_mempool_memchunk *c = mp->chunks;
	uint32_t hdr = afx_hdr_len(mp);
	struct xsk_umem_config cfg = {
		/* The first socket's rings; later sockets bring their own. */
		.fill_size = fill_size,
		.comp_size = comp_size,
		/* The kernel's frame size: from the chunk (mbuf) start to the end
		 * of its data room. */
		.frame_size = hdr + sl_mbuf_data_room_size(mp),
		.frame_headroom = hdr + SL_PKTMBUF_HEADROOM,
		.flags = XDP_UMEM_UNALIGNED_CHUNK_FLAG,
	};
	uintptr_t start, end;
	int ret;

	if (c == NULL || c->next != NULL) {
		SL_LOG(ERR, NET_AF_XDP, "%s: mempool '%s' is in %s memory blocks; its memory "
		       "becomes the UMEM, which must be one block: create it with fewer mbufs or "
		       "reserve more hugepage memory so one block holds it", port, mp->name,
		       c == NULL ? "no" : "several");
		return -EINVAL;
	}
	if (afx_frame_room(mp) < SL_ETHER_MIN_MTU + SL_ETHER_HDR_LEN ||
	    cfg.frame_size > (uint32_t)page) {
		SL_LOG(ERR, NET_AF_XDP, "%s: mempool '%s' has %u-byte data rooms: an AF_XDP "
		       "frame needs %u bytes of headroom (%u for mbufs, %u for XDP) and the "
		       "mbuf must fit in a %ld-byte page; create the pool with a data room "
		       "between %u and %u", port, mp->name, sl_mbuf_data_room_size(mp),
		       SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM, SL_PKTMBUF_HEADROOM,
		       XDP_PACKET_HEADROOM, page,
		       SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM + SL_ETHER_MAX_LEN,
		       (uint32_t)page - hdr);
		return -EINVAL;
	}
	/* The kernel pins whole pages: register from the page the pool's
	 * block starts in to the page it ends in (af_xdp.rst, "XDP_UMEM_REG
	 * setsockopt"; libxdp also creates the fill and completion rings,
	 * "XDP_{RX|TX|UMEM_FILL|UMEM_COMPLETION}_RING setsockopts"). */
	start = (uintptr_t)c->addr & ~((uintptr_t)page - 1);
	end = SL_ALIGN_CEIL((uintptr_t)c->addr + c->len, (uintptr_t)page);
	memset(u, 0, sizeof(*u));
	u->base = (uint8_t *)start;
	u->len = end - start;
	u->mp = mp;
	ret = xsk_umem__create(&u->umem, u->base, u->len, &u->fq0, &u->cq0, &cfg);
	if (ret < 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: registering mempool '%s' (%zu bytes) as a UMEM: "
		       "%s%s%s", port, mp->name, u->len, strerror(-ret), afx_perm_hint(-ret),
		       -ret == ENOBUFS || -ret == ENOMEM ?
		       " (without CAP_IPC_LOCK the UMEM counts against 'ulimit -l')" : "");
		u->umem = NULL;
		return ret;
	}
	return 0;
}

static struct afx_umem *
afx_umem_get(const char *port, struct afx_private *p, struct sl_mempool *mp, uint32_t fill_size,
	     uint32_t comp_size, int *ret)
{
	for (unsigned int i = 0; i < p->nb_umems; i++)
		if (p->umems[i].mp == mp)
			return &p->umems[i];
	*ret = afx_umem_create(port, mp, fill_size, comp_size, &p->umems[p->nb_umems]);
	if (*ret < 0)
		return NULL;
	return &p->umems[p->nb_umems++];
}

/* ---- sockets ---- */

static uint32_t
afx_pow2(uint32_t v)
{
	uint32_t r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

static int
afx_setsockopt(const char *port, int fd, int opt, const char *name, int val)
{
	if (setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val)) < 0) {
		int err = errno;

		SL_LOG(ERR, NET_AF_XDP, "%s: setsockopt(%s=%d): %s%s", port, name, val,
		       strerror(err), err == EPERM ? " (it needs CAP_NET_ADMIN)" : "");
		return -err;
	}
	return 0;
}

/* Create queue @p q's socket (dev_start). */
static int
afx_socket_create(struct sl_eth_dev *dev, uint16_t q)
{
	struct afx_private *p = dev->data.dev_private;
	const char *port = dev->data.name;
	struct afx_rxq *rxq = dev->data.rx_queues[q];
	struct afx_txq *txq = q < dev->data.nb_tx_queues ? dev->data.tx_queues[q] : NULL;
	uint32_t ifq = p->start_queue + q;
	struct xsk_socket_config cfg = {
		.rx_size = p->rx_desc[q],
		.tx_size = txq != NULL ? p->tx_desc[q] : 0,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = (uint16_t)(XDP_USE_NEED_WAKEUP | (p->force_copy ? XDP_COPY : 0)),
	};
	struct xdp_options opts;
	socklen_t optlen = sizeof(opts);
	struct afx_umem *u;
	int ret = 0;

	u = afx_umem_get(port, p, rxq->mp, p->rx_desc[q],
			 txq != NULL ? p->tx_desc[q] : p->rx_desc[q], &ret);
	if (u == NULL)
		return ret;
	/* The first socket on a UMEM uses its rings; the others bind with
	 * XDP_SHARED_UMEM and rings of their own (af_xdp.rst, "XDP_SHARED_UMEM
	 * bind flag").  Copy or zero-copy is the kernel's choice unless
	 * force_copy ("XDP_COPY and XDP_ZEROCOPY bind flags"). */
	for (int tries = 0;; tries++) {
		if (!u->rings0_taken) {
			rxq->fq = &u->fq0;
			ret = xsk_socket__create(&rxq->xsk, p->iface, ifq, u->umem, &rxq->rx,
						 txq != NULL ? &txq->tx : NULL, &cfg);
			if (ret == 0)
				u->rings0_taken = true;
		} else {
			rxq->fq = &rxq->fq_own;
			ret = xsk_socket__create_shared(&rxq->xsk, p->iface, ifq, u->umem,
							&rxq->rx, txq != NULL ? &txq->tx : NULL,
							&rxq->fq_own, &rxq->cq_own, &cfg);
		}
		/* The kernel frees a closed socket's hold on the queue in a
		 * deferred work item (net/xdp/xsk_buff_pool.c), so a restart
		 * right after a stop may find the queue busy for a moment. */
		if (ret != -EBUSY || tries == AFX_BUSY_RETRIES)
			break;
		usleep(AFX_BUSY_RETRY_US);
	}
	if (ret < 0) {
		int err = -ret;

		rxq->xsk = NULL;
		if (err == EBUSY)
			SL_LOG(ERR, NET_AF_XDP, "%s: queue %u of %s is in use by another AF_XDP "
			       "socket (another application, or a port with an overlapping "
			       "start_queue/queue_count)", port, ifq, p->iface);
		else if (err == EINVAL && ifq >= afx_iface_queues(p))
			SL_LOG(ERR, NET_AF_XDP, "%s: %s has no queue %u; see its queues with "
			       "'ethtool -l %s'", port, p->iface, ifq, p->iface);
		else if (err == EOPNOTSUPP && !p->force_copy)
			SL_LOG(ERR, NET_AF_XDP, "%s: binding an AF_XDP socket to %s queue %u: %s; "
			       "try force_copy=1", port, p->iface, ifq, strerror(err));
		else
			SL_LOG(ERR, NET_AF_XDP, "%s: creating the AF_XDP socket of %s queue %u: %s%s",
			       port, p->iface, ifq, strerror(err), afx_perm_hint(err));
		goto fail_umem;
	}
	u->users++;
	rxq->umem = u;
	rxq->fd = xsk_socket__fd(rxq->xsk);
	rxq->base = u->base;
	rxq->hdr_len = (uint16_t)afx_hdr_len(rxq->mp);
	memset(&rxq->kstats_base, 0, sizeof(rxq->kstats_base));
	if (txq != NULL) {
		txq->rxq = rxq;
		txq->cq = rxq->fq == &u->fq0 ? &u->cq0 : &rxq->cq_own;
		txq->base = u->base;
		txq->mp = rxq->mp;
		txq->fd = rxq->fd;
		txq->max_len = sl_mbuf_data_room_size(rxq->mp) - SL_PKTMBUF_HEADROOM;
		txq->completed = __atomic_load_n(&txq->stats.cnt.pkts, __ATOMIC_RELAXED);
	}
	if (p->busy_budget != 0) {
		/* Preferred busy polling (Linux 5.11; Documentation/networking/
		 * napi.rst, busy polling): the application's recvfrom()/sendto()
		 * runs the driver's NAPI loop, interrupts stay off. */
		ret = afx_setsockopt(port, rxq->fd, SO_PREFER_BUSY_POLL, "SO_PREFER_BUSY_POLL", 1);
		if (ret == 0)
			ret = afx_setsockopt(port, rxq->fd, SO_BUSY_POLL, "SO_BUSY_POLL",
					     AFX_BUSY_POLL_US);
		if (ret == 0)
			ret = afx_setsockopt(port, rxq->fd, SO_BUSY_POLL_BUDGET,
					     "SO_BUSY_POLL_BUDGET", (int)p->busy_budget);
		if (ret < 0)
			goto fail_sock;
		rxq->kick = true;
	}
	/* af_xdp.rst, "XDP_OPTIONS getsockopt": did the kernel give zero-copy? */
	if (getsockopt(rxq->fd, SOL_XDP, XDP_OPTIONS, &opts, &optlen) == 0)
		p->zero_copy = (opts.flags & XDP_OPTIONS_ZEROCOPY) != 0;
	afx_fill(rxq);
	/* map_xskmap.rst: key = the interface queue, value = the socket. */
	ret = xsk_socket__update_xskmap(rxq->xsk, p->map_fd);
	if (ret < 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: adding the socket of queue %u to the XSKMAP: %s", port,
		       ifq, strerror(-ret));
		goto fail_sock;
	}
	return 0;

fail_sock:
	afx_rxq_drain(rxq);
	xsk_socket__delete(rxq->xsk);
	rxq->xsk = NULL;
	u->users--;
	rxq->umem = NULL;
	if (rxq->fq == &u->fq0)
		u->rings0_taken = false;
fail_umem:
	if (u->users == 0 && &p->umems[p->nb_umems - 1] == u) {
		xsk_umem__delete(u->umem);
		u->umem = NULL;
		p->nb_umems--;
	}
	return ret;
}

static void
afx_stats_add(uint64_t *acc, const struct xdp_statistics *s, const struct xdp_statistics *b)
{
	acc[0] += s->rx_dropped - b->rx_dropped;
	acc[1] += s->rx_invalid_descs - b->rx_invalid_descs;
	acc[2] += s->tx_invalid_descs - b->tx_invalid_descs;
	acc[3] += s->rx_ring_full - b->rx_ring_full;
	acc[4] += s->rx_fill_ring_empty_descs - b->rx_fill_ring_empty_descs;
	acc[5] += s->tx_ring_empty_descs - b->tx_ring_empty_descs;
}

/* af_xdp.rst, "XDP_STATISTICS getsockopt". */
static int
afx_xdp_stats(const struct afx_rxq *rxq, struct xdp_statistics *s)
{
	socklen_t len = sizeof(*s);

	memset(s, 0, sizeof(*s));
	return getsockopt(rxq->fd, SOL_XDP, XDP_STATISTICS, s, &len) == 0 ? 0 : -errno;
}

/* Close queue @p q's socket, every mbuf back in its pool (dev_stop). */
static void
afx_socket_close(struct sl_eth_dev *dev, uint16_t q)
{
	struct afx_private *p = dev->data.dev_private;
	struct afx_rxq *rxq = dev->data.rx_queues[q];
	struct afx_txq *txq = q < dev->data.nb_tx_queues ? dev->data.tx_queues[q] : NULL;
	struct xdp_statistics ks;
	struct afx_umem *u;

	if (rxq == NULL || rxq->xsk == NULL)
		return;
	u = rxq->umem;
	if (txq != NULL && txq->rxq == rxq) {
		/* Let the kernel finish what it took from the TX ring: its
		 * completions return those mbufs. */
		struct timespec t0, t;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			afx_tx_reclaim(txq);
			if (__atomic_load_n(&txq->stats.cnt.pkts, __ATOMIC_RELAXED) == txq->completed)
				break;
			(void)sendto(txq->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >
			    AFX_TX_DRAIN_MS) {
				SL_LOG(WARNING, NET_AF_XDP, "%s: queue %u: the kernel did not complete "
				       "%" PRIu64 " TX descriptors in %d ms; their mbufs are freed now",
				       dev->data.name, q,
				       __atomic_load_n(&txq->stats.cnt.pkts, __ATOMIC_RELAXED) - txq->completed,
				       AFX_TX_DRAIN_MS);
				break;
			}
			usleep(1000);
		}
		afx_txq_drain(txq);
		txq->rxq = NULL;
	}
	if (afx_xdp_stats(rxq, &ks) == 0)
		afx_stats_add(p->kstats_closed, &ks, &rxq->kstats_base);
	(void)bpf_map_delete_elem(p->map_fd, &(int){ (int)(p->start_queue + q) });
	afx_rxq_drain(rxq);
	xsk_socket__delete(rxq->xsk);
	rxq->xsk = NULL;
	rxq->umem = NULL;
	if (--u->users == 0) {
		(void)xsk_umem__delete(u->umem);
		u->umem = NULL;
		u->rings0_taken = false;
	}
}

/* ---- dev_ops ---- */

static int
afx_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct afx_private *p = dev->data.dev_private;
	long page = sysconf(_SC_PAGESIZE);

	info->driver_name = "net_af_xdp";
	info->if_index = p->ifindex;
	info->max_rx_queues = (uint16_t)p->queue_count;
	info->max_tx_queues = (uint16_t)p->queue_count;
	info->min_mtu = SL_ETHER_MIN_MTU;
	/* An mbuf (one UMEM chunk) fits in a page; the frame is what is left
	 * after the mbuf header, its headroom and XDP's. */
	info->max_mtu = (uint16_t)((uint32_t)page - sizeof(struct sl_mbuf) - SL_PKTMBUF_HEADROOM -
				   XDP_PACKET_HEADROOM - SL_ETHER_HDR_LEN - SL_VLAN_HLEN);
	info->max_rx_pktlen = (uint32_t)info->max_mtu + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	info->min_rx_bufsize = SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM + SL_ETHER_MAX_LEN;
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	/* Ring sizes are powers of two; others are rounded up. */
	info->rx_desc_lim = (struct sl_eth_desc_lim){ .nb_max = AFX_MAX_DESC, .nb_min = 64,
						      .nb_align = 1 };
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = AFX_DEFAULT_DESC;
	info->default_txportconf.ring_size = AFX_DEFAULT_DESC;
	info->speed_capa = SL_ETH_LINK_SPEED_AUTONEG;
	return 0;
}

static int
afx_configure(struct sl_eth_dev *dev)
{
	if (dev->data.nb_tx_queues > dev->data.nb_rx_queues) {
		SL_LOG(ERR, NET_AF_XDP, "%s: %u TX queues but %u RX queues: TX queue i sends "
		       "through RX queue i's AF_XDP socket; configure at least as many RX queues",
		       dev->data.name, dev->data.nb_tx_queues, dev->data.nb_rx_queues);
		return -EINVAL;
	}
	return 0;
}

static int afx_stop(struct sl_eth_dev *dev);

static int
afx_start(struct sl_eth_dev *dev)
{
	struct afx_private *p = dev->data.dev_private;
	const char *port = dev->data.name;
	uint16_t q;
	int ret;

	for (q = 0; q < dev->data.nb_rx_queues; q++)
		if (dev->data.rx_queues[q] == NULL) {
			SL_LOG(ERR, NET_AF_XDP, "%s: RX queue %u is not set up", port, q);
			return -EINVAL;
		}
	ret = afx_check_no_prog(port, p);
	if (ret < 0)
		return ret;
	for (q = 0; q < dev->data.nb_rx_queues; q++) {
		ret = afx_socket_create(dev, q);
		if (ret < 0)
			goto fail;
	}
	/* A link, not a netlink attach: the kernel detaches the program when
	 * its last fd closes, so a killed process leaves nothing behind.
	 * Flags 0: native (driver) mode where the driver has it, else generic. */
	p->link_fd = bpf_link_create(p->prog_fd, (int)p->ifindex, BPF_XDP, NULL);
	if (p->link_fd < 0) {
		ret = p->link_fd;
		p->link_fd = -1;
		if (ret == -EBUSY || ret == -EEXIST)
			(void)afx_check_no_prog(port, p); /* logs the command that shows it */
		else
			SL_LOG(ERR, NET_AF_XDP, "%s: attaching the XDP program to %s: %s%s", port,
			       p->iface, strerror(-ret), afx_perm_hint(-ret));
		goto fail;
	}
	SL_LOG(INFO, NET_AF_XDP, "%s: %u queue(s) on %s from queue %u, %s mode%s", port,
	       dev->data.nb_rx_queues, p->iface, p->start_queue,
	       p->zero_copy ? "zero-copy" : "copy",
	       p->busy_budget ? ", preferred busy polling" : "");
	return afx_link_update(dev, 0);

fail:
	afx_stop(dev);
	return ret;
}

static int
afx_stop(struct sl_eth_dev *dev)
{
	struct afx_private *p = dev->data.dev_private;

	if (p->link_fd >= 0) {
		close(p->link_fd); /* detaches the program: traffic goes back to the stack */
		p->link_fd = -1;
	}
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++)
		afx_socket_close(dev, q);
	p->nb_umems = 0;
	if (afx_link_update(dev, 0) < 0) {
		struct sl_eth_link down = { .link_speed = SL_ETH_SPEED_NUM_NONE,
					    .link_duplex = SL_ETH_LINK_FULL_DUPLEX };

		sl_eth_linkstatus_set(dev, &down);
	}
	return 0;
}

static int
afx_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc, int socket_id,
		   const struct sl_eth_rxconf *conf __sl_unused, struct sl_mempool *mp)
{
	struct afx_private *p = dev->data.dev_private;
	uint32_t frame = dev->data.mtu + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	struct afx_rxq *rxq;

	if (afx_frame_room(mp) < frame) {
		SL_LOG(ERR, NET_AF_XDP, "%s: mempool '%s' holds frames up to %u bytes after the "
		       "%u bytes of mbuf and XDP headroom; MTU %u needs %u: create the pool with "
		       "a data room of at least %u", dev->data.name, mp->name, afx_frame_room(mp),
		       SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM, dev->data.mtu, frame,
		       frame + SL_PKTMBUF_HEADROOM + XDP_PACKET_HEADROOM);
		return -EINVAL;
	}
	rxq = sl_zmalloc_socket("afx_rxq", sizeof(*rxq), SL_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->mp = mp;
	rxq->port_id = dev->data.port_id;
	rxq->queue_id = queue_id;
	rxq->fd = -1;
	p->rx_desc[queue_id] = afx_pow2(nb_desc);
	dev->data.rx_queues[queue_id] = rxq;
	return 0;
}

static int
afx_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc, int socket_id,
		   const struct sl_eth_txconf *conf __sl_unused)
{
	struct afx_private *p = dev->data.dev_private;
	struct afx_txq *txq;

	txq = sl_zmalloc_socket("afx_txq", sizeof(*txq), SL_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->queue_id = queue_id;
	txq->fd = -1;
	p->tx_desc[queue_id] = afx_pow2(nb_desc);
	dev->data.tx_queues[queue_id] = txq;
	return 0;
}

static void
afx_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	/* Sockets exist only while started; ethdev releases stopped queues. */
	sl_free(dev->data.rx_queues[queue_id]);
}

static void
afx_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.tx_queues[queue_id]);
}

static int
afx_close(struct sl_eth_dev *dev)
{
	struct afx_private *p = dev->data.dev_private;

	if (p != NULL) {
		afx_prog_free(p);
		close(p->ctl_fd); /* drops our promiscuous/allmulti memberships */
		sl_free(p);
		dev->data.dev_private = NULL;
	}
	return 0;
}

/* XDP_STATISTICS summed over the port's sockets since the last reset. */
static void
afx_kstats(struct sl_eth_dev *dev, uint64_t acc[6])
{
	struct afx_private *p = dev->data.dev_private;

	memcpy(acc, p->kstats_closed, sizeof(p->kstats_closed));
	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		const struct afx_rxq *rxq = dev->data.rx_queues[q];
		struct xdp_statistics s;

		if (rxq != NULL && rxq->xsk != NULL && afx_xdp_stats(rxq, &s) == 0)
			afx_stats_add(acc, &s, &rxq->kstats_base);
	}
}

static int
afx_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	uint64_t ks[6];

	(void)sl_eth_queue_stats_sum(dev, st, offsetof(struct afx_rxq, stats),
				     offsetof(struct afx_txq, stats));
	afx_kstats(dev, ks);
	/* Frames the kernel dropped for want of room (RX ring full, no fill
	 * buffer, frame too long) never reached us: imissed. */
	st->imissed += ks[0] + ks[3];
	st->ierrors += ks[1];
	st->oerrors += ks[2];
	return 0;
}

static int
afx_stats_reset(struct sl_eth_dev *dev)
{
	struct afx_private *p = dev->data.dev_private;

	for (uint16_t q = 0; q < dev->data.nb_rx_queues; q++) {
		struct afx_rxq *rxq = dev->data.rx_queues[q];

		if (rxq != NULL && rxq->xsk != NULL)
			(void)afx_xdp_stats(rxq, &rxq->kstats_base);
	}
	memset(p->kstats_closed, 0, sizeof(p->kstats_closed));
	return sl_eth_queue_stats_reset(dev, offsetof(struct afx_rxq, stats),
					offsetof(struct afx_txq, stats));
}

static const char *const afx_xstat_names[] = {
	"rx_xdp_dropped", "rx_xdp_invalid_descs", "tx_xdp_invalid_descs",
	"rx_xdp_ring_full", "rx_xdp_fill_ring_empty", "tx_xdp_ring_empty",
};

static int
afx_xstats_get_names(struct sl_eth_dev *dev __sl_unused, struct sl_eth_xstat_name *names,
		     unsigned int size)
{
	unsigned int n = SL_DIM(afx_xstat_names);

	if (names != NULL && size >= n)
		for (unsigned int i = 0; i < n; i++)
			snprintf(names[i].name, sizeof(names[i].name), "%s", afx_xstat_names[i]);
	return (int)n;
}

static int
afx_xstats_get(struct sl_eth_dev *dev, struct sl_eth_xstat *xs, unsigned int size)
{
	unsigned int n = SL_DIM(afx_xstat_names);
	uint64_t ks[6];

	static_assert(SL_DIM(afx_xstat_names) == SL_DIM(ks), "one name per XDP counter");
	if (xs != NULL && size >= n) {
		afx_kstats(dev, ks);
		for (unsigned int i = 0; i < n; i++)
			xs[i] = (struct sl_eth_xstat){ .id = i, .value = ks[i] };
	}
	return (int)n;
}

static int
afx_membership(struct sl_eth_dev *dev, unsigned short type, bool on, const char *what)
{
	struct sl_netif_ctl c = afx_ctl(dev->data.dev_private, dev->data.name);

	return sl_netif_membership(&c, type, on, what);
}

static int
afx_promisc_enable(struct sl_eth_dev *dev)
{
	return afx_membership(dev, PACKET_MR_PROMISC, true, "promiscuous");
}

static int
afx_promisc_disable(struct sl_eth_dev *dev)
{
	return afx_membership(dev, PACKET_MR_PROMISC, false, "promiscuous");
}

static int
afx_allmulti_enable(struct sl_eth_dev *dev)
{
	return afx_membership(dev, PACKET_MR_ALLMULTI, true, "all-multicast");
}

static int
afx_allmulti_disable(struct sl_eth_dev *dev)
{
	return afx_membership(dev, PACKET_MR_ALLMULTI, false, "all-multicast");
}

static int
afx_mtu_set(struct sl_eth_dev *dev, uint16_t mtu)
{
	struct sl_netif_ctl c = afx_ctl(dev->data.dev_private, dev->data.name);

	return sl_netif_mtu_set(&c, mtu);
}

static int
afx_mac_addr_set(struct sl_eth_dev *dev, const struct sl_ether_addr *mac)
{
	struct sl_netif_ctl c = afx_ctl(dev->data.dev_private, dev->data.name);

	return sl_netif_mac_set(&c, mac);
}

static const struct sl_eth_dev_ops afx_ops = {
	.dev_infos_get = afx_infos_get,
	.dev_configure = afx_configure,
	.dev_start = afx_start,
	.dev_stop = afx_stop,
	.dev_close = afx_close,
	.link_update = afx_link_update,
	.stats_get = afx_stats_get,
	.stats_reset = afx_stats_reset,
	.xstats_get = afx_xstats_get,
	.xstats_get_names = afx_xstats_get_names,
	.promiscuous_enable = afx_promisc_enable,
	.promiscuous_disable = afx_promisc_disable,
	.allmulticast_enable = afx_allmulti_enable,
	.allmulticast_disable = afx_allmulti_disable,
	.mtu_set = afx_mtu_set,
	.mac_addr_set = afx_mac_addr_set,
	.rx_queue_setup = afx_rx_queue_setup,
	.tx_queue_setup = afx_tx_queue_setup,
	.rx_queue_release = afx_rx_queue_release,
	.tx_queue_release = afx_tx_queue_release,
};

/* ---- vdev probe / remove ---- */

static int
afx_get_u32(struct sl_kvargs *kv, const char *key, uint64_t min, uint64_t max, uint32_t *out)
{
	uint64_t v;
	int ret = sl_kvargs_get_uint(kv, key, min, max, &v);

	if (ret == 0)
		*out = (uint32_t)v;
	return ret == -ENOENT ? 0 : ret;
}

static int
afx_parse_args(struct sl_vdev_device *vdev, struct afx_private *p)
{
	uint32_t force_copy = 0;
	struct sl_kvargs *kv;
	int ret;

	kv = sl_kvargs_parse(vdev->name, vdev->args, afx_valid_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_string(kv, AFX_KEY_IFACE, p->iface, sizeof(p->iface));
	if (ret == -ENOENT || (ret == -EINVAL && sl_kvargs_has(kv, AFX_KEY_IFACE))) {
		SL_LOG(ERR, NET_AF_XDP, "%s: no interface given: add iface=<name>, e.g. "
		       "--vdev %s,iface=eth0 (list interfaces with 'ip link')", vdev->name,
		       vdev->name);
		ret = -EINVAL;
	}
	if (ret == 0)
		ret = afx_get_u32(kv, AFX_KEY_START_QUEUE, 0, 1023, &p->start_queue);
	if (ret == 0)
		ret = afx_get_u32(kv, AFX_KEY_QUEUE_COUNT, 1, AFX_MAX_QUEUES, &p->queue_count);
	if (ret == 0)
		ret = afx_get_u32(kv, AFX_KEY_BUSY_BUDGET, 0, 65535, &p->busy_budget);
	if (ret == 0)
		ret = afx_get_u32(kv, AFX_KEY_FORCE_COPY, 0, 1, &force_copy);
	if (ret == 0 && sl_kvargs_has(kv, AFX_KEY_XDP_PROG)) {
		ret = sl_kvargs_get_string(kv, AFX_KEY_XDP_PROG, p->xdp_prog, sizeof(p->xdp_prog));
		if (ret == 0 && access(p->xdp_prog, R_OK) != 0) {
			SL_LOG(ERR, NET_AF_XDP, "%s: xdp_prog=%s: %s; give the path of a readable "
			       "BPF object file", vdev->name, p->xdp_prog, strerror(errno));
			ret = -ENOENT;
		}
	}
	p->force_copy = force_copy != 0;
	sl_kvargs_free(kv);
	return ret;
}

static int
afx_probe(struct sl_vdev_device *vdev)
{
	struct afx_private cfg = {
		.queue_count = 1, .ctl_fd = -1, .map_fd = -1, .prog_fd = -1, .link_fd = -1,
	};
	struct afx_private *p;
	struct sl_eth_dev *dev;
	struct ifreq ifr;
	uint32_t nq;
	int ret;

	libbpf_set_print(afx_libbpf_print);
	libxdp_set_print(afx_libxdp_print);
	ret = afx_parse_args(vdev, &cfg);
	if (ret < 0)
		return ret;
	cfg.ifindex = if_nametoindex(cfg.iface);
	if (cfg.ifindex == 0) {
		SL_LOG(ERR, NET_AF_XDP, "%s: iface=%s: no such interface in this network "
		       "namespace (%s); list them with 'ip link'", vdev->name, cfg.iface,
		       strerror(errno));
		return -ENODEV;
	}
	cfg.ctl_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (cfg.ctl_fd < 0) {
		ret = -errno;
		SL_LOG(ERR, NET_AF_XDP, "%s: opening a control socket was refused (%s)%s",
		       vdev->name, strerror(-ret), afx_perm_hint(-ret));
		return ret;
	}
	/* AF_XDP itself needs CAP_NET_RAW: say so now, not at start. */
	ret = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (ret < 0) {
		ret = -errno;
		SL_LOG(ERR, NET_AF_XDP, "%s: socket(AF_XDP): %s%s", vdev->name, strerror(-ret),
		       -ret == EAFNOSUPPORT ? " (the kernel lacks CONFIG_XDP_SOCKETS)" :
		       afx_perm_hint(-ret));
		goto fail_fd;
	}
	close(ret);
	nq = afx_iface_queues(&cfg);
	if (cfg.start_queue + cfg.queue_count > nq) {
		SL_LOG(ERR, NET_AF_XDP, "%s: start_queue=%u queue_count=%u asks for queues up to "
		       "%u but %s has %u (see 'ethtool -l %s'); lower them, or give the "
		       "interface more queues (e.g. 'ethtool -L %s combined N', or a veth made "
		       "with numrxqueues N numtxqueues N)", vdev->name, cfg.start_queue,
		       cfg.queue_count, cfg.start_queue + cfg.queue_count - 1, cfg.iface, nq,
		       cfg.iface, cfg.iface);
		ret = -EINVAL;
		goto fail_fd;
	}
	memset(&ifr, 0, sizeof(ifr));
	ret = afx_ioctl(&cfg, vdev->name, SIOCGIFHWADDR, "SIOCGIFHWADDR", &ifr);
	if (ret < 0)
		goto fail_fd;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		SL_LOG(ERR, NET_AF_XDP, "%s: iface=%s is not an Ethernet interface (ARP hardware "
		       "type %u); use an Ethernet or veth interface", vdev->name, cfg.iface,
		       ifr.ifr_hwaddr.sa_family);
		ret = -EINVAL;
		goto fail_fd;
	}
	ret = afx_check_no_prog(vdev->name, &cfg);
	if (ret < 0)
		goto fail_fd;
	ret = afx_prog_setup(vdev->name, &cfg);
	if (ret < 0)
		goto fail_fd;

	dev = sl_eth_dev_allocate(vdev->name);
	if (dev == NULL) {
		ret = -errno;
		goto fail_prog;
	}
	memcpy(dev->data.mac_addr.addr_bytes, ifr.ifr_hwaddr.sa_data, SL_ETHER_ADDR_LEN);
	memset(&ifr, 0, sizeof(ifr));
	ret = afx_ioctl(&cfg, vdev->name, SIOCGIFMTU, "SIOCGIFMTU", &ifr);
	if (ret < 0)
		goto fail_dev;
	p = sl_zmalloc_socket("afx_private", sizeof(*p), 0, vdev->socket_id);
	if (p == NULL) {
		ret = -ENOMEM;
		goto fail_dev;
	}
	*p = cfg;
	dev->data.mtu = (uint16_t)ifr.ifr_mtu;
	dev->data.dev_private = p;
	dev->data.socket_id = vdev->socket_id;
	dev->dev_ops = &afx_ops;
	dev->device = vdev;
	dev->rx_pkt_burst = afx_rx;
	dev->tx_pkt_burst = afx_tx;
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		goto fail_priv;
	SL_LOG(INFO, NET_AF_XDP, "%s: port %u on %s (ifindex %u), queues %u..%u%s%s%s%s",
	       vdev->name, dev->data.port_id, p->iface, p->ifindex, p->start_queue,
	       p->start_queue + p->queue_count - 1, p->force_copy ? ", force_copy" : "",
	       p->busy_budget ? ", busy polling" : "", p->xdp_prog[0] ? ", xdp_prog=" : "",
	       p->xdp_prog);
	return 0;

fail_priv:
	sl_free(p);
fail_dev:
	sl_eth_dev_release(dev);
fail_prog:
	afx_prog_free(&cfg);
fail_fd:
	close(cfg.ctl_fd);
	return ret;
}

static int
afx_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver afx_vdev_driver = {
	.param_help = "iface=<name> start_queue=<n> queue_count=<1..16> busy_budget=<n> "
		      "xdp_prog=<path> force_copy=<0|1>",
	.probe = afx_probe,
	.remove = afx_remove,
};

SL_VDEV_DRIVER_REGISTER(net_af_xdp, afx_vdev_driver);
