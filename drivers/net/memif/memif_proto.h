/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared memory packet interface (memif) wire format: control messages
 * on the UNIX socket and the descriptor rings in shared memory.
 *
 * Spec: the memif protocol version 2.0 as described in DPDK's
 * doc/guides/nics/memif.rst ("Shared memory", "Connection establishment")
 * and libmemif's documentation (FD.io).  Read for facts only; these
 * definitions are written from those descriptions.  Every layout below is
 * checked with static_assert because another program (DPDK, VPP, libmemif)
 * reads the same bytes.
 *
 * Roles: the *client* (older name: slave) owns the memory: it creates the
 * regions (memfd, passed with SCM_RIGHTS) and the rings in them.  Ring
 * direction is named from the client: S2M rings carry client -> server
 * packets, M2S rings server -> client.
 */
#ifndef MEMIF_PROTO_H
#define MEMIF_PROTO_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* memif.rst "Connection establishment": version 2.0, major in the high byte. */
#define MEMIF_VERSION_MAJOR 2
#define MEMIF_VERSION_MINOR 0
#define MEMIF_VERSION ((MEMIF_VERSION_MAJOR << 8) | MEMIF_VERSION_MINOR)

/* Every ring starts with this value: a peer checks it before using a ring. */
#define MEMIF_COOKIE 0x3E31F20u

/* The protocol fixes the cache line at 64 bytes, whatever the build's. */
#define MEMIF_CACHELINE 64

#define MEMIF_NAME_LEN 32
#define MEMIF_SECRET_LEN 24
#define MEMIF_DISC_STRING_LEN 96
#define MEMIF_MSG_SIZE 128

/* Interface mode in the init message; only Ethernet frames are carried. */
#define MEMIF_MODE_ETHERNET 0

/* ---- control messages (SOCK_SEQPACKET, one 128-byte message per packet) ---- */

enum memif_msg_type {
	MEMIF_MSG_NONE = 0,
	MEMIF_MSG_ACK = 1,        /* client <- server: the last message is accepted */
	MEMIF_MSG_HELLO = 2,      /* server -> client, first message after accept */
	MEMIF_MSG_INIT = 3,       /* client -> server: version, id, secret, mode */
	MEMIF_MSG_ADD_REGION = 4, /* client -> server, memfd in SCM_RIGHTS */
	MEMIF_MSG_ADD_RING = 5,   /* client -> server, interrupt eventfd in SCM_RIGHTS */
	MEMIF_MSG_CONNECT = 6,    /* client -> server: all memory described */
	MEMIF_MSG_CONNECTED = 7,  /* server -> client: rings mapped, link up */
	MEMIF_MSG_DISCONNECT = 8, /* either way: reason, then the socket closes */
};

struct memif_msg_hello {
	uint8_t name[MEMIF_NAME_LEN];
	uint16_t min_version;
	uint16_t max_version;
	uint16_t max_region;         /* highest region index accepted */
	uint16_t max_m2s_ring;       /* highest M2S ring index accepted */
	uint16_t max_s2m_ring;       /* highest S2M ring index accepted */
	uint8_t max_log2_ring_size;
} __attribute__((packed));

struct memif_msg_init {
	uint16_t version;
	uint32_t id;                 /* selects the interface on the server's socket */
	uint8_t mode;                /* MEMIF_MODE_* */
	uint8_t secret[MEMIF_SECRET_LEN];
	uint8_t name[MEMIF_NAME_LEN];
} __attribute__((packed));

struct memif_msg_add_region {
	uint16_t index;
	uint32_t size;
} __attribute__((packed));

#define MEMIF_MSG_ADD_RING_FLAG_S2M 1u

struct memif_msg_add_ring {
	uint16_t flags;              /* MEMIF_MSG_ADD_RING_FLAG_* */
	uint16_t index;
	uint16_t region;
	uint32_t offset;             /* of the ring header in the region */
	uint8_t log2_ring_size;
	uint16_t private_hdr_size;   /* bytes before each buffer; 0 here */
} __attribute__((packed));

struct memif_msg_connect {
	uint8_t if_name[MEMIF_NAME_LEN];
} __attribute__((packed));

struct memif_msg_connected {
	uint8_t if_name[MEMIF_NAME_LEN];
} __attribute__((packed));

struct memif_msg_disconnect {
	uint32_t code;
	uint8_t string[MEMIF_DISC_STRING_LEN];
} __attribute__((packed));

struct memif_msg {
	uint16_t type;               /* enum memif_msg_type */
	union {
		struct memif_msg_hello hello;
		struct memif_msg_init init;
		struct memif_msg_add_region add_region;
		struct memif_msg_add_ring add_ring;
		struct memif_msg_connect connect;
		struct memif_msg_connected connected;
		struct memif_msg_disconnect disconnect;
		uint8_t raw[MEMIF_MSG_SIZE - 2];
	};
} __attribute__((packed));

static_assert(sizeof(struct memif_msg) == MEMIF_MSG_SIZE, "memif message is 128 bytes");
static_assert(offsetof(struct memif_msg, hello) == 2, "message body follows the type");
static_assert(sizeof(struct memif_msg_hello) == 43, "hello layout");
static_assert(offsetof(struct memif_msg_hello, max_log2_ring_size) == 42, "hello layout");
static_assert(sizeof(struct memif_msg_init) == 63, "init layout");
static_assert(offsetof(struct memif_msg_init, secret) == 7, "init layout");
static_assert(sizeof(struct memif_msg_add_region) == 6, "add_region layout");
static_assert(sizeof(struct memif_msg_add_ring) == 13, "add_ring layout");
static_assert(offsetof(struct memif_msg_add_ring, log2_ring_size) == 10, "add_ring layout");
static_assert(sizeof(struct memif_msg_disconnect) == 100, "disconnect layout");

/* ---- shared memory ---- */

#define MEMIF_DESC_FLAG_NEXT 1u      /* the packet continues in the next descriptor */

/* One buffer of a ring: 16 bytes. */
struct memif_desc {
	uint16_t flags;              /* MEMIF_DESC_FLAG_* */
	uint16_t region;             /* region holding the buffer */
	uint32_t length;             /* bytes in the buffer (or its capacity, see rxtx) */
	uint32_t offset;             /* of the buffer in the region */
	uint32_t metadata;
};

static_assert(sizeof(struct memif_desc) == 16, "descriptor is 16 bytes");
static_assert(offsetof(struct memif_desc, offset) == 8, "descriptor layout");

/* Ring flag: the consumer polls, the producer need not kick the eventfd. */
#define MEMIF_RING_FLAG_MASK_INT 1u

/*
 * A ring: the header, then 2^log2_ring_size descriptors.  head is written
 * only by the producer, tail only by the consumer; they sit on separate
 * cache lines so the two processes never bounce one line between cores
 * for both.  Indexes are free-running 16-bit counters (mask with size - 1).
 */
struct memif_ring {
	uint32_t cookie;             /* MEMIF_COOKIE */
	uint16_t flags;              /* MEMIF_RING_FLAG_*, written by the consumer */
	uint16_t head;               /* producer's index */
	uint8_t pad0[MEMIF_CACHELINE - 8];
	uint16_t tail;               /* consumer's index */
	uint8_t pad1[MEMIF_CACHELINE - 2];
	struct memif_desc desc[];
};

static_assert(offsetof(struct memif_ring, head) == 6, "ring head offset");
static_assert(offsetof(struct memif_ring, tail) == MEMIF_CACHELINE, "tail on its own line");
static_assert(offsetof(struct memif_ring, desc) == 2 * MEMIF_CACHELINE, "descriptors offset");

/* Ring sizes: 2^1 .. 2^14 descriptors (16-bit indexes need size <= 2^15). */
#define MEMIF_MIN_LOG2_RING 1
#define MEMIF_MAX_LOG2_RING 14

#endif /* MEMIF_PROTO_H */
