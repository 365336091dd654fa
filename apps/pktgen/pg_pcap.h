/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --pcap: replay a capture's frames.  The file is read once with libpcap
 * (every pcap and pcapng flavour it knows) into one block of memory, so
 * that sending is a copy per frame, with no file I/O on the lcore.
 */
#ifndef PG_PCAP_H
#define PG_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "sl_mbuf.h"

#define PG_PCAP_MAX_BYTES (UINT64_C(1) << 30) /* frames held in memory, at most */
#define PG_PCAP_MAX_FRAMES (1u << 24)

struct pg_pcap {
	uint32_t nb;          /* frames */
	uint16_t max_len;     /* longest frame */
	uint64_t bytes;       /* of all frames, one pass */
	uint64_t loop_ns;     /* one pass as recorded: last - first + the mean gap */
	uint64_t *off;        /* frame i: data + off[i], len[i] bytes, */
	uint16_t *len;
	uint64_t *ts_ns;      /* recorded ts_ns[i] after the first frame */
	uint8_t *data;
};

/**
 * Load every frame of the Ethernet capture @p path.  Frames must be whole
 * (not cut by a snap length), 14..@p max_len bytes.
 * @return 0, or -ENOENT (cannot open), -EINVAL (not a capture, corrupt,
 *   not Ethernet, empty, a cut or oversized frame), -E2BIG (above
 *   PG_PCAP_MAX_BYTES or PG_PCAP_MAX_FRAMES), -ENOMEM; each with a message
 *   in @p err.  On error nothing stays allocated.
 */
int pg_pcap_load(struct pg_pcap *p, const char *path, uint16_t max_len, char *err, size_t len);

/** Free what pg_pcap_load() allocated; @p p may be zeroed or loaded. */
void pg_pcap_free(struct pg_pcap *p);

/**
 * Fill @p n mbufs (with room for max_len bytes; straight from the pool:
 * initialised here, pg_mbuf_tx_init()) with frames @p first,
 * @p first + 1, ... of the file, looping.  @return the bytes copied.
 */
uint64_t pg_pcap_build(const struct pg_pcap *p, uint64_t first, struct sl_mbuf **pkts, uint16_t n);

#endif /* PG_PCAP_H */
