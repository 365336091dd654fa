/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif: a port whose far end is another process (another Sluice
 * application, DPDK's net_memif, VPP or libmemif) through shared memory.
 *
 *   --vdev net_memif0,role=server|client,socket=/path.sock[,socket-abstract=yes]
 *          [,id=N][,rsize=LOG2][,bsize=BYTES][,qpairs=N][,secret=STRING]
 *          [,mac=xx:xx:xx:xx:xx:xx]
 *
 * Spec: the memif protocol 2.0 (DPDK doc/guides/nics/memif.rst, libmemif
 * docs), see memif_proto.h.  User guide: doc/drivers/memif.md.
 *
 * Roles.  The server listens on the UNIX socket (bound at probe, so a path
 * in use is an error at start-up); the client connects to it and owns the
 * memory: one memfd region holding its rings and then every buffer.  The
 * handshake (memif.rst "Connection establishment"): server HELLO; client
 * INIT (version, id, secret), ADD_REGION (memfd), ADD_RING per ring
 * (eventfd), CONNECT; the server ACKs each and answers CONNECT with
 * CONNECTED.  Either side may send DISCONNECT with a reason and close.
 *
 * A control thread per started port runs the socket: it accepts (server)
 * or connects (client, retried every 250 ms), runs the handshake, sets the
 * link up, then waits for the peer to leave: link down, rings unmapped
 * (see memif_ethdev.h for how that is safe against a running burst), and
 * it starts over, so a peer may restart at will.  Stopping the port sends
 * DISCONNECT and ends the thread.
 *
 * One server port per socket path: the id the client gives in INIT must be
 * the server's id=.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "memif_ethdev.h"
#include "sl_bus_vdev.h"
#include "sl_kvargs.h"
#include "sl_log.h"
#include "sl_malloc.h"
#include "sl_mbuf.h"

#define MEMIF_DEFAULT_SOCKET "/run/memif.sock"  /* DPDK's and VPP's default */
#define MEMIF_DEFAULT_LOG2_RING 10
#define MEMIF_DEFAULT_BSIZE 2048
#define MEMIF_MIN_BSIZE 64
#define MEMIF_MAX_BSIZE 65535
#define MEMIF_MAX_MTU (65535 - SL_ETHER_HDR_LEN - SL_VLAN_HLEN)
#define MEMIF_APP_NAME "sluice"
#define MEMIF_MSG_TIMEOUT_MS 2000  /* a handshake step the peer does not answer */
#define MEMIF_HELLO_TIMEOUT_MS 10000 /* a server probed but not started yet */
#define MEMIF_RETRY_MS 250         /* client: between connection attempts */

#define KEY_ROLE "role"
#define KEY_SOCKET "socket"
#define KEY_ID "id"
#define KEY_RSIZE "rsize"
#define KEY_BSIZE "bsize"
#define KEY_QPAIRS "qpairs"
#define KEY_SECRET "secret"
#define KEY_ABSTRACT "socket-abstract"
#define KEY_MAC "mac"

static const char *const memif_valid_keys[] = {
	KEY_ROLE, KEY_SOCKET, KEY_ABSTRACT, KEY_ID, KEY_RSIZE, KEY_BSIZE, KEY_QPAIRS, KEY_SECRET,
	KEY_MAC, NULL
};

/* A ring the client described with ADD_RING, mapped at CONNECT (server). */
struct memif_ring_desc {
	uint16_t region;
	uint32_t offset;
	uint8_t log2;
	int efd;
};

struct memif_private {
	struct sl_eth_dev *dev;
	bool client;
	char socket[sizeof(((struct sockaddr_un *)0)->sun_path) - 1];
	bool abstract;                 /* socket in the abstract namespace (no file) */
	uint32_t id;
	uint8_t log2_ring;
	uint32_t bsize;
	uint32_t qpairs;
	char secret[MEMIF_SECRET_LEN + 1];

	int listen_fd;                 /* server: bound at probe */
	int conn_fd;                   /* control connection, -1 when none */
	int wake_fd;                   /* eventfd: stop the control thread */
	pthread_t thread;
	bool thread_running;
	char last_err[160];            /* client: not repeated every retry */

	/* The connection's memory; the control thread's, see memif_ethdev.h. */
	struct memif_region regions[MEMIF_MAX_REGIONS];
	uint16_t nregions;
	struct memif_ring_desc s2m[MEMIF_MAX_QUEUES];
	struct memif_ring_desc m2s[MEMIF_MAX_QUEUES];
	uint16_t nb_s2m, nb_m2s;
	char peer_name[MEMIF_NAME_LEN + 1];
	uint64_t connects;             /* completed connections, for the log */
};

/* ---- control messages ---- */

static int
msg_send(int fd, const struct memif_msg *msg, int pass_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)(uintptr_t)msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (pass_fd >= 0) {
		struct cmsghdr *c;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof(*msg))
		return -errno ? -errno : -EIO;
	return 0;
}

/*
 * Wait up to @p timeout_ms (-1: for ever) for one message on the control
 * connection.  @param fd_out the descriptor that came with it, or -1.
 * @return 0; -ECANCELED the port is stopping; -ETIMEDOUT; -ECONNRESET the
 * peer closed; -EPROTO not one 128-byte message.
 */
static int
msg_recv(struct memif_private *priv, struct memif_msg *msg, int *fd_out, int timeout_ms)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(*msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd[2] = { { .fd = priv->conn_fd, .events = POLLIN },
				 { .fd = priv->wake_fd, .events = POLLIN } };
	struct cmsghdr *c;
	ssize_t r;
	int ret;

	*fd_out = -1;
	do {
		ret = poll(pfd, 2, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (pfd[1].revents != 0)
		return -ECANCELED;
	if (ret == 0)
		return -ETIMEDOUT;
	r = recvmsg(priv->conn_fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (r == 0 || (r < 0 && (errno == ECONNRESET || errno == EPIPE)))
		return -ECONNRESET;
	if (r < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			int fds[4];

			memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)SL_MIN(n, 4));
			for (int i = 0; i < SL_MIN(n, 4); i++) {
				if (*fd_out < 0)
					*fd_out = fds[i];
				else
					close(fds[i]); /* one descriptor per message at most */
			}
		}
	}
	if (r != (ssize_t)sizeof(*msg) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		if (*fd_out >= 0)
			close(*fd_out);
		*fd_out = -1;
		return -EPROTO;
	}
	return 0;
}

/* Copy @p src into a fixed message field, NUL-terminated, cut if longer. */
static void
put_name(uint8_t *dst, size_t size, const char *src)
{
	size_t len = SL_MIN(strlen(src), size - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/*
 * The socket's address.  An abstract name is a byte string whose length is
 * the address length: like DPDK's memif (checked in /proc/net/unix) we use
 * the name without padding, so both ends meet.
 */
static socklen_t
memif_sockaddr(const struct memif_private *priv, struct sockaddr_un *sa)
{
	size_t len = strlen(priv->socket);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!priv->abstract) {
		memcpy(sa->sun_path, priv->socket, len);
		return sizeof(*sa);
	}
	memcpy(sa->sun_path + 1, priv->socket, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

static void
msg_disconnect(int fd, const char *reason)
{
	struct memif_msg m;

	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_DISCONNECT;
	m.disconnect.code = 1;
	put_name(m.disconnect.string, sizeof(m.disconnect.string), reason);
	(void)msg_send(fd, &m, -1);
}

static void
copy_name(char *dst, size_t size, const uint8_t *src, size_t n)
{
	size_t len = strnlen((const char *)src, n);

	len = SL_MIN(len, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ---- connection state ---- */

static struct memif_queue *
queue_of(struct sl_eth_dev *dev, bool rx, uint16_t i)
{
	if (rx)
		return i < dev->data.nb_rx_queues ? dev->data.rx_queues[i] : NULL;
	return i < dev->data.nb_tx_queues ? dev->data.tx_queues[i] : NULL;
}

/* Take every queue off the rings: after this no burst touches the mapping. */
static void
queues_quiesce(struct sl_eth_dev *dev)
{
	for (int rx = 0; rx < 2; rx++) {
		uint16_t n = rx ? dev->data.nb_rx_queues : dev->data.nb_tx_queues;

		for (uint16_t i = 0; i < n; i++) {
			struct memif_queue *q = queue_of(dev, rx, i);

			if (q == NULL)
				continue;
			__atomic_store_n(&q->ready, 0, __ATOMIC_RELAXED);
			/* Full fence: ready is clear before busy is read (memif_ethdev.h). */
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			while (__atomic_load_n(&q->busy, __ATOMIC_ACQUIRE))
				sl_pause(); /* a burst is short and never blocks */
			q->ring = NULL;
			q->kick_fd = -1;
		}
	}
}

static void
link_set(struct sl_eth_dev *dev, bool up)
{
	struct sl_eth_link link = { .link_speed = up ? SL_ETH_SPEED_NUM_10G : SL_ETH_SPEED_NUM_NONE,
				    .link_duplex = SL_ETH_LINK_FULL_DUPLEX,
				    .link_autoneg = SL_ETH_LINK_FIXED,
				    .link_status = up ? SL_ETH_LINK_UP : SL_ETH_LINK_DOWN };

	sl_eth_linkstatus_set(dev, &link);
}

/* Drop the connection and its memory; @p reason (may be NULL) goes to the peer. */
static void
conn_close(struct memif_private *priv, const char *reason)
{
	link_set(priv->dev, false);
	queues_quiesce(priv->dev);
	if (priv->conn_fd >= 0) {
		if (reason != NULL)
			msg_disconnect(priv->conn_fd, reason);
		close(priv->conn_fd);
		priv->conn_fd = -1;
	}
	for (uint16_t i = 0; i < priv->nregions; i++) {
		struct memif_region *r = &priv->regions[i];

		if (r->addr != NULL)
			munmap(r->addr, r->size);
		if (r->fd >= 0)
			close(r->fd);
	}
	memset(priv->regions, 0, sizeof(priv->regions));
	priv->nregions = 0;
	for (uint16_t i = 0; i < MEMIF_MAX_QUEUES; i++) {
		if (i < priv->nb_s2m && priv->s2m[i].efd >= 0)
			close(priv->s2m[i].efd);
		if (i < priv->nb_m2s && priv->m2s[i].efd >= 0)
			close(priv->m2s[i].efd);
		priv->s2m[i].efd = -1;
		priv->m2s[i].efd = -1;
	}
	priv->nb_s2m = 0;
	priv->nb_m2s = 0;
}

/*
 * Point queue @p q at ring @p rd (mapped) and open it to the bursts.
 * @return 0, or -EPROTO with @p why filled when the ring is not valid.
 */
static int
queue_attach(struct memif_private *priv, struct memif_queue *q, const struct memif_ring_desc *rd,
	     bool we_consume, char *why, size_t whylen)
{
	const struct memif_region *r;
	uint64_t bytes = sizeof(struct memif_ring) + ((uint64_t)sizeof(struct memif_desc) << rd->log2);
	struct memif_ring *ring;

	if (q == NULL)
		return 0; /* queue not set up: ethdev refuses to start then, see dev_start */
	if (rd->region >= priv->nregions) {
		snprintf(why, whylen, "ring in region %u, only %u region(s) given", rd->region,
			 priv->nregions);
		return -EPROTO;
	}
	r = &priv->regions[rd->region];
	if (rd->offset % 8 != 0 || rd->offset + bytes > r->size) {
		snprintf(why, whylen, "ring at offset %u (%" PRIu64 " bytes) outside region %u "
			 "(%" PRIu64 " bytes)", rd->offset, bytes, rd->region, r->size);
		return -EPROTO;
	}
	ring = (struct memif_ring *)(void *)(r->addr + rd->offset);
	if (ring->cookie != MEMIF_COOKIE) {
		snprintf(why, whylen, "ring cookie 0x%x, expected 0x%x", ring->cookie, MEMIF_COOKIE);
		return -EPROTO;
	}
	q->ring = ring;
	q->regions = priv->regions;
	q->nregions = priv->nregions;
	q->mask = (uint16_t)((1u << rd->log2) - 1);
	q->log2 = rd->log2;
	q->client = priv->client;
	q->kick_fd = rd->efd;
	if (we_consume) {
		/* We poll: the producer need not kick us. */
		__atomic_or_fetch(&ring->flags, MEMIF_RING_FLAG_MASK_INT, __ATOMIC_RELAXED);
		/* The consumer's index: everything before it is consumed. */
		q->last = ring->tail;
	}
	return 0;
}

static void
queues_open(struct sl_eth_dev *dev)
{
	for (int rx = 0; rx < 2; rx++) {
		uint16_t n = rx ? dev->data.nb_rx_queues : dev->data.nb_tx_queues;

		for (uint16_t i = 0; i < n; i++) {
			struct memif_queue *q = queue_of(dev, rx, i);

			/* Release: the queue fields are set before a burst sees ready. */
			if (q != NULL && q->ring != NULL)
				__atomic_store_n(&q->ready, 1, __ATOMIC_RELEASE);
		}
	}
}

/* ---- client ---- */

/* Log a client-side failure once until a different one happens. */
static void
client_err(struct memif_private *priv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
client_err(struct memif_private *priv, const char *fmt, ...)
{
	char buf[sizeof(priv->last_err)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, priv->last_err) == 0)
		return;
	snprintf(priv->last_err, sizeof(priv->last_err), "%s", buf);
	SL_LOG(ERR, NET_MEMIF, "%s: %s", priv->dev->data.name, buf);
}

/* Wait for the server's ACK (or its DISCONNECT, logged). */
static int
client_expect(struct memif_private *priv, uint16_t type, struct memif_msg *msg, const char *step)
{
	int fd, ret = msg_recv(priv, msg, &fd, type == MEMIF_MSG_HELLO ? MEMIF_HELLO_TIMEOUT_MS :
					       MEMIF_MSG_TIMEOUT_MS);

	if (fd >= 0)
		close(fd);
	if (ret == -ECANCELED)
		return ret;
	if (ret == -ECONNRESET && type == MEMIF_MSG_HELLO)
		return ret; /* the server closed its socket as we came: wait for the next */
	if (ret < 0) {
		client_err(priv, "server on %s: no answer to %s (%s)", priv->socket, step,
			   strerror(-ret));
		return ret;
	}
	if (msg->type == MEMIF_MSG_DISCONNECT) {
		char why[MEMIF_DISC_STRING_LEN + 1];

		copy_name(why, sizeof(why), msg->disconnect.string, sizeof(msg->disconnect.string));
		client_err(priv, "server on %s refused the connection at %s: %s", priv->socket,
			   step, why);
		return -ECONNREFUSED;
	}
	if (msg->type != type) {
		client_err(priv, "server on %s: message type %u in answer to %s, expected %u",
			   priv->socket, msg->type, step, type);
		return -EPROTO;
	}
	return 0;
}

static uint64_t
ring_bytes(uint8_t log2)
{
	return sizeof(struct memif_ring) + ((uint64_t)sizeof(struct memif_desc) << log2);
}

/* Total region size for @p nrings rings: rings, then the buffers, 64-aligned. */
static uint64_t
client_region_size(const struct memif_private *priv, uint32_t nrings, uint64_t *buf_start)
{
	uint64_t rings = SL_ALIGN_CEIL(ring_bytes(priv->log2_ring) * nrings, 64);

	*buf_start = rings;
	return rings + ((uint64_t)nrings << priv->log2_ring) * priv->bsize;
}

/* Make the region and the rings; the client's side of ADD_REGION/ADD_RING. */
static int
client_make_memory(struct memif_private *priv)
{
	struct sl_eth_dev *dev = priv->dev;
	uint32_t nrings = (uint32_t)dev->data.nb_tx_queues + dev->data.nb_rx_queues;
	uint64_t buf_start, size = client_region_size(priv, nrings, &buf_start);
	struct memif_region *r = &priv->regions[0];
	int fd;

	fd = memfd_create("memif region 0", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		int err = errno;

		client_err(priv, "memfd_create: %s", strerror(err));
		return -err;
	}
	if (ftruncate(fd, (off_t)size) < 0) {
		int err = errno;

		client_err(priv, "ftruncate(memfd, %" PRIu64 "): %s", size, strerror(err));
		close(fd);
		return -err;
	}
	/* The server maps the whole size: it must never shrink under it. */
	(void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK);
	r->addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->addr == MAP_FAILED) {
		int err = errno;

		r->addr = NULL;
		client_err(priv, "mmap of a %" PRIu64 "-byte region: %s", size, strerror(err));
		close(fd);
		return -err;
	}
	r->fd = fd;
	r->size = size;
	priv->nregions = 1;

	/* S2M rings first (our TX), then M2S (our RX), as DPDK lays them out. */
	priv->nb_s2m = dev->data.nb_tx_queues;
	priv->nb_m2s = dev->data.nb_rx_queues;
	for (uint32_t i = 0; i < nrings; i++) {
		bool s2m = i < priv->nb_s2m;
		struct memif_ring_desc *rd = s2m ? &priv->s2m[i] : &priv->m2s[i - priv->nb_s2m];
		struct memif_ring *ring;

		rd->region = 0;
		rd->offset = (uint32_t)(ring_bytes(priv->log2_ring) * i);
		rd->log2 = priv->log2_ring;
		rd->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (rd->efd < 0) {
			int err = errno;

			client_err(priv, "eventfd: %s", strerror(err));
			return -err;
		}
		ring = (struct memif_ring *)(void *)(r->addr + rd->offset);
		ring->cookie = MEMIF_COOKIE;
		ring->head = 0;
		ring->tail = 0;
		/* M2S: we consume and poll; S2M: the server sets its own flag. */
		ring->flags = s2m ? 0 : MEMIF_RING_FLAG_MASK_INT;
	}
	for (uint32_t i = 0; i < nrings; i++) {
		bool s2m = i < priv->nb_s2m;
		struct memif_queue *q = queue_of(dev, !s2m, (uint16_t)(s2m ? i : i - priv->nb_s2m));

		if (q == NULL)
			continue;
		q->bsize = priv->bsize;
		q->buf_base = buf_start + ((uint64_t)i << priv->log2_ring) * priv->bsize;
	}
	return 0;
}

/* One connection attempt: connect, handshake, map.  0 = connected. */
static int
client_connect(struct memif_private *priv)
{
	struct sl_eth_dev *dev = priv->dev;
	struct sockaddr_un sa;
	socklen_t salen = memif_sockaddr(priv, &sa);
	char why[128];
	struct memif_msg m;
	int ret;

	/* Non-blocking: a server whose backlog is full must not hold up stop. */
	priv->conn_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (priv->conn_fd < 0) {
		ret = -errno;
		client_err(priv, "socket(AF_UNIX): %s", strerror(-ret));
		return ret;
	}
	if (connect(priv->conn_fd, (struct sockaddr *)&sa, salen) < 0) {
		ret = -errno;
		if (ret == -ENOENT || ret == -ECONNREFUSED || ret == -EAGAIN) {
			if (priv->last_err[0] != 'w')
				SL_LOG(INFO, NET_MEMIF, "%s: waiting for a memif server on %s",
				       dev->data.name, priv->socket);
			snprintf(priv->last_err, sizeof(priv->last_err), "waiting");
		} else {
			client_err(priv, "connect to %s: %s", priv->socket, strerror(-ret));
		}
		goto fail;
	}

	/* memif.rst "Connection establishment": the server speaks first. */
	ret = client_expect(priv, MEMIF_MSG_HELLO, &m, "hello");
	if (ret < 0)
		goto fail;
	if (m.hello.min_version > MEMIF_VERSION || m.hello.max_version < MEMIF_VERSION) {
		client_err(priv, "server on %s speaks memif %u.%u..%u.%u, we speak %u.%u",
			   priv->socket, m.hello.min_version >> 8, m.hello.min_version & 0xff,
			   m.hello.max_version >> 8, m.hello.max_version & 0xff,
			   MEMIF_VERSION_MAJOR, MEMIF_VERSION_MINOR);
		ret = -EPROTO;
		goto fail_disc;
	}
	/* max_*_ring are the highest ring index the server accepts. */
	if (dev->data.nb_tx_queues > m.hello.max_s2m_ring + 1u ||
	    dev->data.nb_rx_queues > m.hello.max_m2s_ring + 1u) {
		client_err(priv, "server on %s takes at most %u TX and %u RX queue(s), this port "
			   "has %u and %u: configure fewer queues or give the server more "
			   "(qpairs=)", priv->socket, m.hello.max_s2m_ring + 1u,
			   m.hello.max_m2s_ring + 1u, dev->data.nb_tx_queues, dev->data.nb_rx_queues);
		ret = -EINVAL;
		goto fail_disc;
	}
	if (priv->log2_ring > m.hello.max_log2_ring_size) {
		client_err(priv, "server on %s takes rings of at most 2^%u descriptors: rsize=%u is "
			   "too big; use rsize=%u or less", priv->socket, m.hello.max_log2_ring_size,
			   priv->log2_ring, m.hello.max_log2_ring_size);
		ret = -EINVAL;
		goto fail_disc;
	}

	/* memif.rst: INIT names the interface (id) and proves the secret. */
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_INIT;
	m.init.version = MEMIF_VERSION;
	m.init.id = priv->id;
	m.init.mode = MEMIF_MODE_ETHERNET;
	memcpy(m.init.secret, priv->secret, strlen(priv->secret));
	put_name(m.init.name, sizeof(m.init.name), MEMIF_APP_NAME);
	ret = msg_send(priv->conn_fd, &m, -1);
	if (ret == 0)
		ret = client_expect(priv, MEMIF_MSG_ACK, &m, "init");
	if (ret < 0)
		goto fail;

	/* memif.rst "Shared memory": the client owns regions and rings. */
	ret = client_make_memory(priv);
	if (ret < 0)
		goto fail_disc;
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_ADD_REGION;
	m.add_region.index = 0;
	m.add_region.size = (uint32_t)priv->regions[0].size;
	ret = msg_send(priv->conn_fd, &m, priv->regions[0].fd);
	if (ret == 0)
		ret = client_expect(priv, MEMIF_MSG_ACK, &m, "add region");
	if (ret < 0)
		goto fail;
	for (uint16_t i = 0; i < priv->nb_s2m + priv->nb_m2s; i++) {
		bool s2m = i < priv->nb_s2m;
		uint16_t idx = (uint16_t)(s2m ? i : i - priv->nb_s2m);
		const struct memif_ring_desc *rd = s2m ? &priv->s2m[idx] : &priv->m2s[idx];

		memset(&m, 0, sizeof(m));
		m.type = MEMIF_MSG_ADD_RING;
		m.add_ring.flags = s2m ? MEMIF_MSG_ADD_RING_FLAG_S2M : 0;
		m.add_ring.index = idx;
		m.add_ring.region = rd->region;
		m.add_ring.offset = rd->offset;
		m.add_ring.log2_ring_size = rd->log2;
		ret = msg_send(priv->conn_fd, &m, rd->efd);
		if (ret == 0)
			ret = client_expect(priv, MEMIF_MSG_ACK, &m, "add ring");
		if (ret < 0)
			goto fail;
	}
	/* Attach before CONNECT: the server may send as soon as it answers. */
	for (uint16_t i = 0; i < priv->nb_s2m; i++) {
		ret = queue_attach(priv, queue_of(dev, false, i), &priv->s2m[i], false, why,
				   sizeof(why));
		if (ret < 0)
			goto fail;
	}
	for (uint16_t i = 0; i < priv->nb_m2s; i++) {
		struct memif_queue *q = queue_of(dev, true, i);

		ret = queue_attach(priv, q, &priv->m2s[i], true, why, sizeof(why));
		if (ret < 0)
			goto fail;
		memif_rx_ring_fill(q); /* every buffer to the server */
	}
	/* memif.rst: CONNECT ends the description; CONNECTED means mapped. */
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_CONNECT;
	put_name(m.connect.if_name, sizeof(m.connect.if_name), dev->data.name);
	ret = msg_send(priv->conn_fd, &m, -1);
	if (ret == 0)
		ret = client_expect(priv, MEMIF_MSG_CONNECTED, &m, "connect");
	if (ret < 0)
		goto fail;
	copy_name(priv->peer_name, sizeof(priv->peer_name), m.connected.if_name,
		  sizeof(m.connected.if_name));
	priv->last_err[0] = '\0';
	return 0;

fail_disc:
	msg_disconnect(priv->conn_fd, priv->last_err);
fail:
	conn_close(priv, NULL);
	return ret;
}

/* ---- server ---- */

/* Refuse the client with @p reason (logged, sent) and drop the connection. */
static int
server_refuse(struct memif_private *priv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
server_refuse(struct memif_private *priv, const char *fmt, ...)
{
	char buf[MEMIF_DISC_STRING_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	SL_LOG(ERR, NET_MEMIF, "%s: refused a client on %s: %s", priv->dev->data.name,
	       priv->socket, buf);
	conn_close(priv, buf);
	return -EPROTO;
}

static int
send_type(struct memif_private *priv, uint16_t type)
{
	struct memif_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	if (type == MEMIF_MSG_CONNECTED)
		put_name(m.connected.if_name, sizeof(m.connected.if_name), priv->dev->data.name);
	return msg_send(priv->conn_fd, &m, -1);
}

static int
server_map_region(struct memif_private *priv, const struct memif_msg_add_region *ar, int fd)
{
	struct memif_region *r;
	struct stat st;

	if (fd < 0)
		return server_refuse(priv, "add region %u without a file descriptor", ar->index);
	if (ar->index != priv->nregions || ar->index >= MEMIF_MAX_REGIONS) {
		close(fd);
		return server_refuse(priv, "region index %u out of order or above %u", ar->index,
				     MEMIF_MAX_REGIONS - 1);
	}
	/* Mapping beyond the file's end would give SIGBUS on first touch. */
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size < ar->size || ar->size == 0) {
		close(fd);
		return server_refuse(priv, "region %u: size %u larger than its file", ar->index,
				     ar->size);
	}
	r = &priv->regions[priv->nregions];
	r->addr = mmap(NULL, ar->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		close(fd);
		return server_refuse(priv, "region %u: mmap: %s", ar->index, strerror(errno));
	}
	r->fd = fd;
	r->size = ar->size;
	priv->nregions++;
	return 0;
}

static int
server_add_ring(struct memif_private *priv, const struct memif_msg_add_ring *ar, int fd)
{
	struct sl_eth_dev *dev = priv->dev;
	bool s2m = ar->flags & MEMIF_MSG_ADD_RING_FLAG_S2M;
	/* S2M rings feed our RX queues, M2S rings our TX queues. */
	uint16_t nq = s2m ? dev->data.nb_rx_queues : dev->data.nb_tx_queues;
	uint16_t *count = s2m ? &priv->nb_s2m : &priv->nb_m2s;
	struct memif_ring_desc *rd;

	if (ar->index >= nq || ar->index != *count) {
		if (fd >= 0)
			close(fd);
		return server_refuse(priv, "%s ring %u: this server has %u %s queue(s)",
				     s2m ? "S2M" : "M2S", ar->index, nq, s2m ? "RX" : "TX");
	}
	if (ar->log2_ring_size < MEMIF_MIN_LOG2_RING || ar->log2_ring_size > MEMIF_MAX_LOG2_RING) {
		if (fd >= 0)
			close(fd);
		return server_refuse(priv, "ring size 2^%u outside 2^%u..2^%u", ar->log2_ring_size,
				     MEMIF_MIN_LOG2_RING, MEMIF_MAX_LOG2_RING);
	}
	if (ar->private_hdr_size != 0) {
		if (fd >= 0)
			close(fd);
		return server_refuse(priv, "private header size %u not supported (0 only)",
				     ar->private_hdr_size);
	}
	rd = s2m ? &priv->s2m[ar->index] : &priv->m2s[ar->index];
	rd->region = ar->region;
	rd->offset = ar->offset;
	rd->log2 = ar->log2_ring_size;
	rd->efd = fd;
	(*count)++;
	return 0;
}

/* Handshake with a client just accepted on priv->conn_fd.  0 = connected. */
static int
server_handshake(struct memif_private *priv)
{
	struct sl_eth_dev *dev = priv->dev;
	struct memif_msg m;
	char why[128];
	int fd, ret;

	/* memif.rst "Connection establishment": HELLO on accept, then an
	 * ACK for each client message up to CONNECT. */
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_HELLO;
	put_name(m.hello.name, sizeof(m.hello.name), MEMIF_APP_NAME);
	m.hello.min_version = MEMIF_VERSION;
	m.hello.max_version = MEMIF_VERSION;
	m.hello.max_region = MEMIF_MAX_REGIONS - 1;
	/* Highest index, so one less than the queue count (at least 1 queue). */
	m.hello.max_s2m_ring = (uint16_t)(SL_MAX(dev->data.nb_rx_queues, 1) - 1);
	m.hello.max_m2s_ring = (uint16_t)(SL_MAX(dev->data.nb_tx_queues, 1) - 1);
	m.hello.max_log2_ring_size = MEMIF_MAX_LOG2_RING;
	ret = msg_send(priv->conn_fd, &m, -1);
	if (ret < 0)
		goto fail;

	for (bool init_done = false;;) {
		ret = msg_recv(priv, &m, &fd, MEMIF_MSG_TIMEOUT_MS);
		if (ret == -ECANCELED)
			goto fail;
		if (ret < 0) {
			SL_LOG(WARNING, NET_MEMIF, "%s: client on %s left during the handshake (%s)",
			       dev->data.name, priv->socket, strerror(-ret));
			goto fail;
		}
		if (!init_done && m.type != MEMIF_MSG_INIT) {
			if (fd >= 0)
				close(fd);
			return server_refuse(priv, "message %u before init", m.type);
		}
		switch (m.type) {
		case MEMIF_MSG_INIT: {
			char secret[MEMIF_SECRET_LEN + 1];

			if (fd >= 0)
				close(fd);
			if (init_done)
				return server_refuse(priv, "second init");
			if (m.init.version != MEMIF_VERSION)
				return server_refuse(priv, "version %u.%u, this server speaks %u.%u",
						     m.init.version >> 8, m.init.version & 0xff,
						     MEMIF_VERSION_MAJOR, MEMIF_VERSION_MINOR);
			if (m.init.id != priv->id)
				return server_refuse(priv, "no interface with id %u here (id=%u)",
						     m.init.id, priv->id);
			if (m.init.mode != MEMIF_MODE_ETHERNET)
				return server_refuse(priv, "mode %u, only ethernet (0)", m.init.mode);
			copy_name(secret, sizeof(secret), m.init.secret, sizeof(m.init.secret));
			if (strcmp(secret, priv->secret) != 0)
				return server_refuse(priv, "secret does not match");
			copy_name(priv->peer_name, sizeof(priv->peer_name), m.init.name,
				  sizeof(m.init.name));
			init_done = true;
			break;
		}
		case MEMIF_MSG_ADD_REGION:
			ret = server_map_region(priv, &m.add_region, fd);
			if (ret < 0)
				return ret;
			break;
		case MEMIF_MSG_ADD_RING:
			ret = server_add_ring(priv, &m.add_ring, fd);
			if (ret < 0)
				return ret;
			break;
		case MEMIF_MSG_CONNECT:
			if (fd >= 0)
				close(fd);
			for (uint16_t i = 0; i < priv->nb_s2m; i++)
				if (queue_attach(priv, queue_of(dev, true, i), &priv->s2m[i], true,
						 why, sizeof(why)) < 0)
					return server_refuse(priv, "S2M ring %u: %s", i, why);
			for (uint16_t i = 0; i < priv->nb_m2s; i++)
				if (queue_attach(priv, queue_of(dev, false, i), &priv->m2s[i], false,
						 why, sizeof(why)) < 0)
					return server_refuse(priv, "M2S ring %u: %s", i, why);
			ret = send_type(priv, MEMIF_MSG_CONNECTED);
			if (ret < 0)
				goto fail;
			return 0;
		case MEMIF_MSG_DISCONNECT:
			if (fd >= 0)
				close(fd);
			copy_name(why, sizeof(why), m.disconnect.string, sizeof(m.disconnect.string));
			SL_LOG(ERR, NET_MEMIF, "%s: client on %s gave up: %s", dev->data.name,
			       priv->socket, why);
			ret = -ECONNRESET;
			goto fail;
		default:
			if (fd >= 0)
				close(fd);
			return server_refuse(priv, "unexpected message type %u", m.type);
		}
		ret = send_type(priv, MEMIF_MSG_ACK);
		if (ret < 0)
			goto fail;
	}
fail:
	conn_close(priv, NULL);
	return ret;
}

/* ---- control thread ---- */

/* Connected: wait for the peer to leave or the port to stop. */
static int
conn_watch(struct memif_private *priv)
{
	struct sl_eth_dev *dev = priv->dev;
	struct memif_msg m;
	int fd, ret;

	for (;;) {
		struct pollfd pfd[3] = { { .fd = priv->conn_fd, .events = POLLIN },
					 { .fd = priv->wake_fd, .events = POLLIN },
					 { .fd = priv->client ? -1 : priv->listen_fd,
					   .events = POLLIN } };

		if (poll(pfd, 3, -1) < 0 && errno != EINTR)
			return -errno;
		if (pfd[2].revents != 0 && pfd[0].revents == 0 && pfd[1].revents == 0) {
			/* Another client while one is connected: refuse it now
			 * rather than leave it waiting in the backlog. */
			int extra = accept4(priv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

			if (extra >= 0) {
				msg_disconnect(extra, "interface already connected");
				close(extra);
			}
			continue;
		}
		if (pfd[0].revents == 0 && pfd[1].revents == 0)
			continue;
		ret = msg_recv(priv, &m, &fd, 0);
		if (fd >= 0)
			close(fd);
		if (ret == -ECANCELED)
			return ret;
		if (ret == -ETIMEDOUT)
			continue;
		if (ret == 0 && m.type == MEMIF_MSG_DISCONNECT) {
			char why[MEMIF_DISC_STRING_LEN + 1];

			copy_name(why, sizeof(why), m.disconnect.string,
				  sizeof(m.disconnect.string));
			SL_LOG(INFO, NET_MEMIF, "%s: peer disconnected: %s", dev->data.name, why);
			conn_close(priv, NULL);
			return 0;
		}
		if (ret < 0) {
			SL_LOG(INFO, NET_MEMIF, "%s: peer %s gone (%s): link down", dev->data.name,
			       priv->peer_name, ret == -ECONNRESET ? "socket closed" : strerror(-ret));
			conn_close(priv, NULL);
			return 0;
		}
		/* Any other message once connected is ignored, as the spec allows. */
	}
}

static void
connected(struct memif_private *priv)
{
	priv->connects++;
	queues_open(priv->dev);
	link_set(priv->dev, true);
	SL_LOG(INFO, NET_MEMIF, "%s: connected to %s '%s' on %s: link up", priv->dev->data.name,
	       priv->client ? "server" : "client", priv->peer_name, priv->socket);
}

static void *
memif_thread(void *arg)
{
	struct memif_private *priv = arg;
	struct pollfd pfd[2] = { { .fd = priv->client ? -1 : priv->listen_fd, .events = POLLIN },
				 { .fd = priv->wake_fd, .events = POLLIN } };
	int ret;

	for (;;) {
		if (priv->client) {
			if (client_connect(priv) == 0) {
				connected(priv);
				if (conn_watch(priv) == -ECANCELED)
					break;
				continue; /* reconnect at once: the server may be back already */
			}
		} else {
			ret = poll(pfd, 2, -1);
			if (ret < 0 && errno != EINTR)
				break;
			if (pfd[1].revents != 0)
				break;
			if (pfd[0].revents == 0)
				continue;
			priv->conn_fd = accept4(priv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (priv->conn_fd < 0)
				continue;
			ret = server_handshake(priv);
			if (ret == -ECANCELED)
				break;
			if (ret == 0) {
				connected(priv);
				if (conn_watch(priv) == -ECANCELED)
					break;
			}
			continue;
		}
		/* Client not connected: try again later unless stopped. */
		pfd[0].fd = -1;
		if (poll(&pfd[1], 1, MEMIF_RETRY_MS) > 0)
			break;
	}
	conn_close(priv, "interface stopped");
	return NULL;
}

/* ---- dev_ops ---- */

static int
memif_infos_get(struct sl_eth_dev *dev, struct sl_eth_dev_info *info)
{
	struct memif_private *priv = dev->data.dev_private;

	info->driver_name = "net_memif";
	info->max_rx_queues = (uint16_t)priv->qpairs;
	info->max_tx_queues = (uint16_t)priv->qpairs;
	info->min_mtu = SL_ETHER_MIN_MTU;
	info->max_mtu = MEMIF_MAX_MTU;
	info->max_rx_pktlen = MEMIF_MAX_MTU + SL_ETHER_HDR_LEN + SL_VLAN_HLEN;
	info->min_rx_bufsize = 0; /* long packets are received into chains */
	info->tx_offload_capa = SL_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = SL_ETH_LINK_SPEED_10G;
	return 0;
}

static int
memif_configure(struct sl_eth_dev *dev)
{
	struct memif_private *priv = dev->data.dev_private;
	uint64_t start, size;

	if (!priv->client)
		return 0;
	size = client_region_size(priv, (uint32_t)dev->data.nb_rx_queues + dev->data.nb_tx_queues,
				  &start);
	if (size > UINT32_MAX) {
		SL_LOG(ERR, NET_MEMIF, "%s: %u+%u rings of 2^%u buffers of %u bytes need a "
		       "%" PRIu64 "-byte region, above the protocol's 4 GiB: lower rsize= or "
		       "bsize=", dev->data.name, dev->data.nb_rx_queues, dev->data.nb_tx_queues,
		       priv->log2_ring, priv->bsize, size);
		return -EINVAL;
	}
	return 0;
}

static int
memif_link_update(struct sl_eth_dev *dev __sl_unused, int wait __sl_unused)
{
	return 0; /* the control thread keeps dev_link current */
}

static int
memif_start(struct sl_eth_dev *dev)
{
	struct memif_private *priv = dev->data.dev_private;
	int ret;

	priv->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (priv->wake_fd < 0)
		return -errno;
	priv->last_err[0] = '\0';
	ret = pthread_create(&priv->thread, NULL, memif_thread, priv);
	if (ret != 0) {
		SL_LOG(ERR, NET_MEMIF, "%s: cannot start the control thread: %s", dev->data.name,
		       strerror(ret));
		close(priv->wake_fd);
		priv->wake_fd = -1;
		return -ret;
	}
	priv->thread_running = true;
	link_set(dev, false);
	return 0;
}

static void
thread_stop(struct memif_private *priv)
{
	uint64_t one = 1;

	if (!priv->thread_running)
		return;
	(void)!write(priv->wake_fd, &one, sizeof(one));
	pthread_join(priv->thread, NULL);
	priv->thread_running = false;
	close(priv->wake_fd);
	priv->wake_fd = -1;
}

static int
memif_stop(struct sl_eth_dev *dev)
{
	thread_stop(dev->data.dev_private);
	link_set(dev, false);
	return 0;
}

static void
memif_private_free(struct memif_private *priv)
{
	thread_stop(priv);
	if (priv->listen_fd >= 0) {
		close(priv->listen_fd);
		if (!priv->abstract)
			unlink(priv->socket);
	}
	sl_free(priv);
}

static int
memif_close(struct sl_eth_dev *dev)
{
	if (dev->data.dev_private != NULL) {
		memif_private_free(dev->data.dev_private);
		dev->data.dev_private = NULL;
	}
	return 0;
}

static int
memif_stats_get(struct sl_eth_dev *dev, struct sl_eth_stats *st)
{
	return sl_eth_queue_stats_sum(dev, st, offsetof(struct memif_queue, stats),
				      offsetof(struct memif_queue, stats));
}

static int
memif_stats_reset(struct sl_eth_dev *dev)
{
	return sl_eth_queue_stats_reset(dev, offsetof(struct memif_queue, stats),
					offsetof(struct memif_queue, stats));
}

/* A point-to-point link: every packet the peer sends is for us. */
static int
memif_accept(struct sl_eth_dev *dev __sl_unused)
{
	return 0;
}

static int
memif_mac_addr_set(struct sl_eth_dev *dev __sl_unused, const struct sl_ether_addr *mac __sl_unused)
{
	return 0;
}

static int
memif_mtu_set(struct sl_eth_dev *dev __sl_unused, uint16_t mtu __sl_unused)
{
	return 0; /* packets span descriptors: any MTU in range fits */
}

static struct memif_queue *
queue_new(struct sl_eth_dev *dev, uint16_t queue_id, int socket_id)
{
	struct memif_queue *q = sl_zmalloc_socket("memif_queue", sizeof(*q), SL_CACHE_LINE_SIZE,
						  socket_id);

	if (q == NULL)
		return NULL;
	q->port_id = dev->data.port_id;
	q->queue_id = queue_id;
	q->kick_fd = -1;
	return q;
}

static int
memif_rx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		     int socket_id, const struct sl_eth_rxconf *conf __sl_unused,
		     struct sl_mempool *mp)
{
	struct memif_queue *q = queue_new(dev, queue_id, socket_id);

	if (q == NULL)
		return -ENOMEM;
	q->mp = mp;
	dev->data.rx_queues[queue_id] = q;
	return 0;
}

static int
memif_tx_queue_setup(struct sl_eth_dev *dev, uint16_t queue_id, uint16_t nb_desc __sl_unused,
		     int socket_id, const struct sl_eth_txconf *conf __sl_unused)
{
	struct memif_queue *q = queue_new(dev, queue_id, socket_id);

	if (q == NULL)
		return -ENOMEM;
	dev->data.tx_queues[queue_id] = q;
	return 0;
}

/* Queues hold no mbufs (copy mode): freeing the struct is all. */
static void
memif_rx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.rx_queues[queue_id]);
}

static void
memif_tx_queue_release(struct sl_eth_dev *dev, uint16_t queue_id)
{
	sl_free(dev->data.tx_queues[queue_id]);
}

static const struct sl_eth_dev_ops memif_ops = {
	.dev_infos_get = memif_infos_get,
	.dev_configure = memif_configure,
	.dev_start = memif_start,
	.dev_stop = memif_stop,
	.dev_close = memif_close,
	.link_update = memif_link_update,
	.stats_get = memif_stats_get,
	.stats_reset = memif_stats_reset,
	.promiscuous_enable = memif_accept,
	.promiscuous_disable = memif_accept,
	.allmulticast_enable = memif_accept,
	.allmulticast_disable = memif_accept,
	.mac_addr_set = memif_mac_addr_set,
	.mtu_set = memif_mtu_set,
	.rx_queue_setup = memif_rx_queue_setup,
	.tx_queue_setup = memif_tx_queue_setup,
	.rx_queue_release = memif_rx_queue_release,
	.tx_queue_release = memif_tx_queue_release,
};

/* ---- vdev probe / remove ---- */

/* Server: bind and listen on the socket path, refusing one in use. */
static int
server_listen(struct memif_private *priv, const char *port)
{
	struct sockaddr_un sa;
	socklen_t salen = memif_sockaddr(priv, &sa);
	struct stat st;
	int fd, err;

	if (!priv->abstract && lstat(priv->socket, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			SL_LOG(ERR, NET_MEMIF, "%s: socket=%s exists and is not a socket: remove it "
			       "or choose another path", port, priv->socket);
			return -EEXIST;
		}
		fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, salen) == 0) {
			close(fd);
			SL_LOG(ERR, NET_MEMIF, "%s: socket=%s is in use: another memif server "
			       "listens there; choose another path (or stop that server)", port,
			       priv->socket);
			return -EADDRINUSE;
		}
		close(fd);
		/* Nobody listens: a socket file left by a program that died. */
		if (unlink(priv->socket) < 0 && errno != ENOENT) {
			err = errno;
			SL_LOG(ERR, NET_MEMIF, "%s: cannot remove the stale socket %s: %s", port,
			       priv->socket, strerror(err));
			return -err;
		}
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, salen) < 0 || listen(fd, 8) < 0) {
		err = errno;
		if (err == EADDRINUSE && priv->abstract)
			SL_LOG(ERR, NET_MEMIF, "%s: abstract socket=%s is in use: another memif "
			       "server listens there; choose another name", port, priv->socket);
		else
			SL_LOG(ERR, NET_MEMIF, "%s: cannot listen on socket=%s: %s%s", port,
			       priv->socket, strerror(err), err == EACCES || err == ENOENT ?
			       "; choose a path in a directory you can write, e.g. "
			       "socket=/tmp/memif.sock" : "");
		close(fd);
		return -err;
	}
	priv->listen_fd = fd;
	return 0;
}

static int
memif_parse(struct memif_private *priv, struct sl_vdev_device *vdev, struct sl_ether_addr *mac,
	    bool *mac_given)
{
	const char *name = vdev->name;
	char role[16] = "server";
	uint64_t v;
	struct sl_kvargs *kv;
	int ret;

	kv = sl_kvargs_parse(name, vdev->args, memif_valid_keys);
	if (kv == NULL)
		return -errno;
	ret = sl_kvargs_get_string(kv, KEY_ROLE, role, sizeof(role));
	if (ret < 0 && ret != -ENOENT)
		goto out;
	if (strcmp(role, "server") == 0 || strcmp(role, "master") == 0) {
		priv->client = false;
	} else if (strcmp(role, "client") == 0 || strcmp(role, "slave") == 0) {
		priv->client = true;
	} else {
		SL_LOG(ERR, NET_MEMIF, "%s: role=%s: use role=server or role=client", name, role);
		ret = -EINVAL;
		goto out;
	}
	ret = sl_kvargs_get_string(kv, KEY_SOCKET, priv->socket, sizeof(priv->socket));
	if (ret == -EINVAL)
		SL_LOG(ERR, NET_MEMIF, "%s: socket= is empty: give a path, e.g. "
		       "socket=/tmp/memif.sock", name);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	ret = sl_kvargs_get_bool(kv, KEY_ABSTRACT, &priv->abstract);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	v = 0;
	ret = sl_kvargs_get_uint(kv, KEY_ID, 0, UINT32_MAX, &v);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	priv->id = (uint32_t)v;
	v = MEMIF_DEFAULT_LOG2_RING;
	ret = sl_kvargs_get_uint(kv, KEY_RSIZE, MEMIF_MIN_LOG2_RING, MEMIF_MAX_LOG2_RING, &v);
	if (ret == -ERANGE)
		SL_LOG(ERR, NET_MEMIF, "%s: rsize= is the log2 of the ring size: rsize=10 gives "
		       "1024 descriptors", name);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	priv->log2_ring = (uint8_t)v;
	v = MEMIF_DEFAULT_BSIZE;
	ret = sl_kvargs_get_uint(kv, KEY_BSIZE, MEMIF_MIN_BSIZE, MEMIF_MAX_BSIZE, &v);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	priv->bsize = (uint32_t)v;
	v = 1;
	ret = sl_kvargs_get_uint(kv, KEY_QPAIRS, 1, MEMIF_MAX_QUEUES, &v);
	if (ret < 0 && ret != -ENOENT)
		goto out;
	priv->qpairs = (uint32_t)v;
	ret = sl_kvargs_get_string(kv, KEY_SECRET, priv->secret, sizeof(priv->secret));
	if (ret < 0 && ret != -ENOENT)
		goto out;
	ret = sl_kvargs_get_mac(kv, KEY_MAC, mac->addr_bytes);
	if (ret == 0) {
		*mac_given = true;
		if (!sl_ether_addr_is_valid_assigned(mac)) {
			SL_LOG(ERR, NET_MEMIF, "%s: mac=%s is not a unicast address; use e.g. "
			       "02:00:00:00:00:01", name, sl_kvargs_get(kv, KEY_MAC));
			ret = -EINVAL;
			goto out;
		}
	}
	if (ret == -ENOENT)
		ret = 0;
out:
	sl_kvargs_free(kv);
	return ret;
}

static int
memif_probe(struct sl_vdev_device *vdev)
{
	struct sl_ether_addr mac;
	struct memif_private *priv;
	struct sl_eth_dev *dev = NULL;
	bool mac_given = false;
	int ret;

	priv = sl_zmalloc_socket("memif_private", sizeof(*priv), 0, vdev->socket_id);
	if (priv == NULL)
		return -ENOMEM;
	priv->listen_fd = -1;
	priv->conn_fd = -1;
	priv->wake_fd = -1;
	for (unsigned int i = 0; i < MEMIF_MAX_QUEUES; i++) {
		priv->s2m[i].efd = -1;
		priv->m2s[i].efd = -1;
	}
	snprintf(priv->socket, sizeof(priv->socket), "%s", MEMIF_DEFAULT_SOCKET);

	ret = memif_parse(priv, vdev, &mac, &mac_given);
	if (ret < 0)
		goto fail;
	if (!priv->client) {
		ret = server_listen(priv, vdev->name);
		if (ret < 0)
			goto fail;
	}

	dev = sl_eth_dev_allocate(vdev->name);
	if (dev == NULL) {
		ret = -errno;
		goto fail;
	}
	if (!mac_given) {
		/* Deterministic per port and role: the two ends differ. */
		static const struct sl_ether_addr base = { { 0x02, 'M', 'I', 'F', 0, 0 } };

		mac = base;
		mac.addr_bytes[4] = (uint8_t)((priv->client ? 0x80 : 0) | (dev->data.port_id >> 8));
		mac.addr_bytes[5] = (uint8_t)dev->data.port_id;
	}
	priv->dev = dev;
	dev->data.mac_addr = mac;
	dev->data.mtu = SL_ETHER_MTU;
	dev->data.dev_private = priv;
	dev->data.socket_id = vdev->socket_id;
	dev->dev_ops = &memif_ops;
	dev->device = vdev;
	dev->rx_pkt_burst = memif_rx;
	dev->tx_pkt_burst = memif_tx;
	link_set(dev, false);
	ret = sl_eth_dev_probing_finish(dev);
	if (ret < 0)
		goto fail_dev;
	SL_LOG(INFO, NET_MEMIF, "%s: port %u, memif %s id %u on %s, rings 2^%u x %u bytes",
	       vdev->name, dev->data.port_id, priv->client ? "client" : "server", priv->id,
	       priv->socket, priv->log2_ring, priv->bsize);
	return 0;

fail_dev:
	sl_eth_dev_release(dev);
fail:
	memif_private_free(priv);
	return ret;
}

static int
memif_remove(struct sl_vdev_device *vdev)
{
	struct sl_eth_dev *dev = sl_eth_dev_allocated(vdev->name);

	if (dev == NULL) /* the application closed the port already */
		return 0;
	return sl_eth_dev_close(dev->data.port_id);
}

static struct sl_vdev_driver memif_vdev_driver = {
	.param_help = "role=<server|client> socket=<path, default /run/memif.sock> "
		      "socket-abstract=<yes|no, default no> id=<0..2^32-1> "
		      "rsize=<log2 ring size 1..14, default 10> bsize=<buffer bytes 64..65535, "
		      "default 2048> qpairs=<1..16> secret=<string> mac=<xx:xx:xx:xx:xx:xx>",
	.probe = memif_probe,
	.remove = memif_remove,
};

SL_VDEV_DRIVER_REGISTER(net_memif, memif_vdev_driver);
