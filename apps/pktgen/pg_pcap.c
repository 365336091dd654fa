/* SPDX-License-Identifier: BSD-3-Clause */
/* --pcap: load a capture with libpcap and copy its frames into mbufs (see pg_pcap.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "pg_core.h"
#include "pg_pcap.h"

#define PG_PCAP_MIN_LEN 14 /* an Ethernet header */

void
pg_pcap_free(struct pg_pcap *p)
{
	free(p->off);
	free(p->len);
	free(p->ts_ns);
	free(p->data);
	memset(p, 0, sizeof(*p));
}

/* Grow the arrays to hold @p cap frames and @p dcap bytes. */
static int
grow(struct pg_pcap *p, uint32_t *cap, uint64_t *dcap, uint64_t need_bytes)
{
	if (p->nb == *cap) {
		uint32_t c = *cap ? *cap * 2 : 1024;
		uint64_t *off = realloc(p->off, c * sizeof(*off));
		uint16_t *len;
		uint64_t *ts;

		if (off == NULL)
			return -ENOMEM;
		p->off = off;
		len = realloc(p->len, c * sizeof(*len));
		if (len == NULL)
			return -ENOMEM;
		p->len = len;
		ts = realloc(p->ts_ns, c * sizeof(*ts));
		if (ts == NULL)
			return -ENOMEM;
		p->ts_ns = ts;
		*cap = c;
	}
	if (need_bytes > *dcap) {
		uint64_t c = *dcap ? *dcap : 1u << 20;
		uint8_t *d;

		while (c < need_bytes)
			c *= 2;
		d = realloc(p->data, c);
		if (d == NULL)
			return -ENOMEM;
		p->data = d;
		*dcap = c;
	}
	return 0;
}

int
pg_pcap_load(struct pg_pcap *p, const char *path, uint16_t max_len, char *err, size_t len)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const unsigned char *d;
	uint64_t first = 0, last = 0, dcap = 0;
	uint32_t cap = 0;
	pcap_t *pc;
	int rc = 0, r;

	memset(p, 0, sizeof(*p));
	pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (pc == NULL) {
		/* libpcap says which: no such file, or not a capture it knows. */
		snprintf(err, len, "cannot read it: %s", ebuf);
		return access(path, R_OK) == 0 ? -EINVAL : -ENOENT;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		snprintf(err, len, "link type %s, not Ethernet: only Ethernet captures can be sent",
			 pcap_datalink_val_to_name(pcap_datalink(pc)) ?: "unknown");
		rc = -EINVAL;
		goto out;
	}
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;

		if (h->caplen < h->len) {
			snprintf(err, len, "frame %u holds %u of its %u bytes (captured with a snap "
				 "length): capture again without one (tcpdump -s 0)", p->nb + 1,
				 h->caplen, h->len);
			rc = -EINVAL;
			goto out;
		}
		if (h->caplen < PG_PCAP_MIN_LEN || h->caplen > max_len) {
			snprintf(err, len, "frame %u is %u bytes: frames of %d..%u bytes can be sent",
				 p->nb + 1, h->caplen, PG_PCAP_MIN_LEN, max_len);
			rc = -EINVAL;
			goto out;
		}
		if (p->nb == PG_PCAP_MAX_FRAMES || p->bytes + h->caplen > PG_PCAP_MAX_BYTES) {
			snprintf(err, len, "more than %u frames or %llu MiB: cut it (editcap -r)",
				 PG_PCAP_MAX_FRAMES, (unsigned long long)(PG_PCAP_MAX_BYTES >> 20));
			rc = -E2BIG;
			goto out;
		}
		rc = grow(p, &cap, &dcap, p->bytes + h->caplen);
		if (rc < 0) {
			snprintf(err, len, "out of memory at frame %u", p->nb + 1);
			goto out;
		}
		if (p->nb == 0)
			first = ts;
		/* Out-of-order timestamps (merged captures) are sent at once. */
		last = ts > last ? ts : last;
		p->off[p->nb] = p->bytes;
		p->len[p->nb] = (uint16_t)h->caplen;
		p->ts_ns[p->nb] = ts > first ? ts - first : 0;
		if (p->nb && p->ts_ns[p->nb] < p->ts_ns[p->nb - 1])
			p->ts_ns[p->nb] = p->ts_ns[p->nb - 1];
		memcpy(p->data + p->bytes, d, h->caplen);
		p->bytes += h->caplen;
		if (h->caplen > p->max_len)
			p->max_len = (uint16_t)h->caplen;
		p->nb++;
	}
	if (r == PCAP_ERROR) {
		/* A record cut short or a bad block: the file is corrupt. */
		snprintf(err, len, "corrupt after frame %u: %s", p->nb, pcap_geterr(pc));
		rc = -EINVAL;
		goto out;
	}
	if (p->nb == 0) {
		snprintf(err, len, "it holds no frames");
		rc = -EINVAL;
		goto out;
	}
	/* A loop lasts the recording plus one mean gap, so the last frame and
	 * the first of the next pass are not sent at the same time. */
	p->loop_ns = (last - first) + (p->nb > 1 ? (last - first) / (p->nb - 1) : 1000000);
out:
	pcap_close(pc);
	if (rc < 0)
		pg_pcap_free(p);
	return rc;
}

uint64_t
pg_pcap_build(const struct pg_pcap *p, uint64_t first, struct sl_mbuf **pkts, uint16_t n)
{
	uint32_t k = (uint32_t)(first % p->nb);
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct sl_mbuf *m = pkts[i];
		uint16_t len = p->len[k];

		pg_mbuf_tx_init(m, len);
		memcpy(sl_mbuf_mtod(m, uint8_t *), p->data + p->off[k], len);
		bytes += len;
		if (++k == p->nb)
			k = 0;
	}
	return bytes;
}
