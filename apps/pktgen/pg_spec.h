/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-pktgen's traffic specifications as the user writes them (rates,
 * frame sizes, flow ranges, MAC addresses) and the per-packet generators
 * they drive.  Parsers return 0 or -EINVAL with a one-line reason in @p err
 * that names an accepted example; they never print or exit.
 */
#ifndef PG_SPEC_H
#define PG_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ethernet per-frame overhead beyond the frame without FCS. */
#define PG_FCS_LEN 4
#define PG_L1_EXTRA (PG_FCS_LEN + 8 + 12) /* FCS, preamble + SFD, inter-frame gap */

enum pg_rate_kind { PG_RATE_MAX, PG_RATE_PPS, PG_RATE_BPS, PG_RATE_PCT };

struct pg_rate {
	enum pg_rate_kind kind;
	double value;            /* packets/s, bits/s or percent */
};

/**
 * Parse a rate: "max" (or "0"), packets per second ("1000000", "1mpps",
 * "250kpps", "1.5Mpps"), bits per second ("500mbps", "10gbps", "64kbps")
 * or percent of link speed ("40%").  Errors: -EINVAL.
 */
int pg_parse_rate(const char *s, struct pg_rate *r, char *err, size_t errlen);

/**
 * Packets per second for @p r with frames of @p mean_size bytes (without
 * FCS) on a link of @p link_mbps (0 = unknown).  Bits count layer 1
 * (preamble, FCS and gap included) unless @p l2 (FCS included only).
 * Returns 0 for max; -1 when a percentage needs an unknown link speed.
 */
double pg_rate_pps(const struct pg_rate *r, double mean_size, uint32_t link_mbps, bool l2);

/** Line rate in packets/s of @p mean_size frames on a @p link_mbps link. */
double pg_line_pps(double mean_size, uint32_t link_mbps);

enum pg_size_mode { PG_SIZE_FIXED, PG_SIZE_INC, PG_SIZE_RANDOM, PG_SIZE_MIX };

#define PG_MIX_MAX 1024 /* entries in an expanded mix */
#define PG_MIX_SIZES 16 /* distinct sizes in a user mix */

struct pg_size {
	enum pg_size_mode mode;
	uint16_t lo, hi;           /* FIXED: lo; INC/RANDOM: range; MIX: smallest/largest */
	uint16_t n;                /* MIX: entries in table */
	uint16_t table[PG_MIX_MAX];
};

/**
 * Parse frame sizes (bytes without FCS) each in [@p min, @p max]: "64",
 *  "64-1518" (incrementing), "64-1518:random", "imix" (7 x 60, 4 x 590,
 *  1 x 1514), "imix:60x7,590x4,1514x1".  Errors: -EINVAL.
 */
int pg_parse_size(const char *s, unsigned int min, unsigned int max, struct pg_size *z,
		  char *err, size_t errlen);

/** Mean frame size of @p z. */
double pg_size_mean(const struct pg_size *z);

/** One varying header field: values lo..hi, incrementing or random. */
struct pg_field {
	uint32_t lo, hi;
	bool random;
	uint32_t cur;              /* generator state: next value */
};

enum { PG_F_SRC_IP, PG_F_DST_IP, PG_F_SRC_PORT, PG_F_DST_PORT, PG_F_NUM };

struct pg_flows {
	struct pg_field f[PG_F_NUM]; /* host order; lo == hi: fixed */
	uint64_t count;             /* distinct flows: product of the range sizes */
};

/**
 * Parse flows into @p fl, whose fields already hold the fixed template
 * values: "N" (legacy: N UDP source ports from the template's) or a comma
 * list of FIELD=LO-HI[:random] with FIELD one of src-ip, dst-ip, src-port,
 * dst-port (e.g. "src-ip=10.0.0.1-10.0.0.254,dst-port=1000-1999:random").
 * Errors: -EINVAL.
 */
int pg_parse_flows(const char *s, struct pg_flows *fl, char *err, size_t errlen);

/** Parse "aa:bb:cc:dd:ee:ff" into @p mac.  Errors: -EINVAL. */
int pg_parse_mac(const char *s, uint8_t mac[6]);

/* ---- per-packet generators ---- */

/** xorshift64*: fast, good enough to spread sizes and addresses. */
static inline uint64_t
pg_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

/** Uniform in [0, n) without division (Lemire's multiply-shift). */
static inline uint32_t
pg_rand_below(uint64_t *state, uint64_t n)
{
	return (uint32_t)(((unsigned __int128)(pg_rand(state) >> 32) * n) >> 32);
}

/** Next frame size; @p idx is the generator's position, advanced. */
static inline uint16_t
pg_size_next(const struct pg_size *z, uint32_t *idx, uint64_t *rnd)
{
	uint16_t v;

	switch (z->mode) {
	case PG_SIZE_FIXED:
		return z->lo;
	case PG_SIZE_INC:
		v = (uint16_t)(z->lo + *idx);
		*idx = v >= z->hi ? 0 : *idx + 1;
		return v;
	case PG_SIZE_RANDOM:
		return (uint16_t)(z->lo + pg_rand_below(rnd, (uint64_t)z->hi - z->lo + 1));
	default:
		v = z->table[*idx];
		*idx = *idx + 1 >= z->n ? 0 : *idx + 1;
		return v;
	}
}

/**
 * Advance @p fl to the next flow like an odometer (incrementing fields
 * carry into the next one; random fields draw afresh).
 */
static inline void
pg_flows_next(struct pg_flows *fl, uint64_t *rnd)
{
	bool carry = true;

	for (int i = 0; i < PG_F_NUM; i++) {
		struct pg_field *f = &fl->f[i];

		if (f->lo == f->hi)
			continue;
		if (f->random) {
			f->cur = f->lo + pg_rand_below(rnd, (uint64_t)f->hi - f->lo + 1);
		} else if (carry) {
			if (f->cur == f->hi) {
				f->cur = f->lo;
			} else {
				f->cur++;
				carry = false;
			}
		}
	}
}

#endif /* PG_SPEC_H */
