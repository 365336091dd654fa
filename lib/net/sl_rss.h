/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Software receive side scaling: the Toeplitz hash and the header fields it
 * is computed over, for PMDs whose "hardware" has no RSS engine (net_ring)
 * and for applications that want to predict which queue a flow lands on.
 *
 * The hash is the one Microsoft's RSS specification defines ("Verifying the
 * RSS Hash Calculation", with its published key and test vectors): the
 * input bytes in network order, each set bit (most significant first)
 * XORing in the 32-bit window of the key that starts at that bit.  Input
 * order: source address, destination address, then for TCP/UDP source
 * port, destination port.
 */
#ifndef SL_RSS_H
#define SL_RSS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes in a Toeplitz key that covers the longest input (IPv6 + ports, 36 bytes). */
#define SL_RSS_KEY_LEN 40

/*
 * Hash types.  The values are those of SL_ETH_RSS_* in sl_ethdev.h (which
 * asserts it), so a port's rss_hf can be passed straight through.
 */
#define SL_RSS_HF_IPV4 (1ULL << 0)          /**< IPv4 addresses. */
#define SL_RSS_HF_IPV4_TCP (1ULL << 1)      /**< IPv4 addresses + TCP ports (not fragments). */
#define SL_RSS_HF_IPV4_UDP (1ULL << 2)      /**< IPv4 addresses + UDP ports (not fragments). */
#define SL_RSS_HF_IPV6 (1ULL << 3)          /**< IPv6 addresses. */
#define SL_RSS_HF_IPV6_TCP (1ULL << 4)      /**< IPv6 addresses + TCP ports. */
#define SL_RSS_HF_IPV6_UDP (1ULL << 5)      /**< IPv6 addresses + UDP ports. */
/** Every type sl_rss_hash_frame() understands. */
#define SL_RSS_HF_ALL (SL_RSS_HF_IPV4 | SL_RSS_HF_IPV4_TCP | SL_RSS_HF_IPV4_UDP | \
		       SL_RSS_HF_IPV6 | SL_RSS_HF_IPV6_TCP | SL_RSS_HF_IPV6_UDP)

/**
 * The key of Microsoft's RSS verification suite; drivers use it as their
 * default key, so the published vectors hold for a port left at defaults.
 */
extern const uint8_t sl_rss_default_key[SL_RSS_KEY_LEN];

/**
 * Toeplitz hash of @p len bytes (network order) under @p key.
 * @param input bytes to hash
 * @param len their number
 * @param key the hash key
 * @param key_len must be at least @p len + 4 (the window slides one bit per
 *                input bit and is 32 bits wide).
 * @return the hash; 0 when @p key_len is too short (an input the caller
 *         built wrongly, not a packet property).
 */
uint32_t sl_rss_toeplitz(const uint8_t *input, unsigned int len, const uint8_t *key,
			 unsigned int key_len);

/** Longest hash input: two IPv6 addresses and two ports. */
#define SL_RSS_TUPLE_MAX 36

/**
 * A key expanded for fast hashing: the hash contribution of every value of
 * every input nibble (4.5 KiB), so that hashing costs two table lookups
 * per input byte instead of eight shifts and XORs.  Build it with
 * sl_rss_table_init() whenever the key changes.
 */
struct sl_rss_table {
	uint32_t nib[SL_RSS_TUPLE_MAX * 2][16]; /**< [2 * byte + (low nibble)][value] */
};

/** Expand @p key (SL_RSS_KEY_LEN bytes) into @p t. */
void sl_rss_table_init(struct sl_rss_table *t, const uint8_t *key);

/**
 * The Toeplitz hash of @p len (at most SL_RSS_TUPLE_MAX) bytes with an
 * expanded key; equal to sl_rss_toeplitz() with the key the table was
 * built from.
 */
static inline uint32_t
sl_rss_toeplitz_table(const struct sl_rss_table *t, const uint8_t *input, unsigned int len)
{
	uint32_t hash = 0;

	for (unsigned int i = 0; i < len; i++)
		hash ^= t->nib[2 * i][input[i] >> 4] ^ t->nib[2 * i + 1][input[i] & 0x0f];
	return hash;
}

/**
 * Pick the hash input of an Ethernet frame as sl_rss_hash_frame() does.
 * @param frame an Ethernet frame
 * @param len its length in bytes
 * @param hf SL_ETH_RSS_* types enabled
 * @param tuple receives the input, SL_RSS_TUPLE_MAX bytes at most.
 * @return its length in bytes, 0 when no type in @p hf applies (the frame
 *         is not hashed).
 */
unsigned int sl_rss_frame_tuple(const void *frame, uint32_t len, uint64_t hf,
				uint8_t tuple[SL_RSS_TUPLE_MAX]);

/**
 * Hash an Ethernet frame (optionally with one 802.1Q/802.1ad tag) by the
 * types in @p hf: the most specific enabled type that matches the packet
 * is used (IPv4/UDP before IPv4), fragments and IPv6 with extension
 * headers hash on addresses only.  Truncated or unknown frames are not
 * hashed.
 *
 * @param frame   the frame's first bytes (contiguous).
 * @param len     bytes at @p frame.
 * @param hf      SL_RSS_HF_* set.
 * @param key     SL_RSS_KEY_LEN bytes.
 * @param[out] hash the hash, 0 when not hashed.
 * @return true if a type in @p hf matched and *hash is the Toeplitz hash;
 *         false otherwise (callers send such packets to RETA entry 0, as
 *         NICs do).
 */
bool sl_rss_hash_frame(const void *frame, uint32_t len, uint64_t hf, const uint8_t *key,
		       uint32_t *hash);

#ifdef __cplusplus
}
#endif

#endif /* SL_RSS_H */
