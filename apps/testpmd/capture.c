/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture to pcap files: --pcap-dump and "capture start|stop", the
 * testpmd side of what dpdk-dumpcap does.
 *
 * What is captured: every packet a port receives, as the driver delivered
 * it, before the forwarding engine looks at it (an engine such as macswap
 * rewrites headers in place, so the copy is taken right after RX).
 *
 * Keeping the disk off the fast path:
 *
 *   forwarding lcores                         writer thread (one per capture)
 *   RX burst -> copy each packet into a   ->  full ring  -> pcap_dump() into a
 *               free record               <-  free ring  <-  1 MiB stdio buffer
 *
 * A forwarding lcore only copies bytes (up to the snap length) into records
 * it takes from the free ring and puts them on the full ring: no system
 * call, no lock, no allocation.  The writer thread, a pthread created by
 * the main lcore and so pinned where the EAL pinned it (the main lcore's
 * CPU, not a forwarding lcore's unless --lcores maps them together),
 * writes them with libpcap's buffered pcap_dump() and gives them back.  The trade-off: the copy costs the
 * forwarding lcore a memcpy per captured packet (a reference to the mbuf
 * would be cheaper, but the mbuf goes on to TX, which frees or rewrites
 * it); in exchange the disk's speed never stalls forwarding.  If the writer
 * falls behind, the free ring runs dry and packets are not captured:
 * forwarding goes on, and the drops are counted and reported at "capture
 * stop" and by "show capture".
 *
 * Attaching and detaching while forwarding runs: the per-port pointer
 * tp_captures[] is read once per RX burst.  "capture stop" clears it, then
 * waits until every forwarding lcore has finished two passes of its loop
 * (fwd_lcore.loops), after which none can still hold the old pointer, and
 * only then stops the writer and frees the capture.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_ether.h"
#include "sl_ring.h"
#include "testpmd.h"

#define CAP_RING_SLOTS 2048            /* records in flight per capture (slots - 1) */
#define CAP_WRITER_BURST 64
#define CAP_WRITER_IDLE_NS 200000      /* writer sleep when the ring is empty */
#define CAP_FILE_BUF (1u << 20)        /* stdio buffer of the output file */
#define NSEC_PER_SEC 1000000000ULL

/* One captured packet: header, then snaplen bytes. */
struct cap_rec {
	uint64_t ts_ns;
	uint32_t len;      /* on the wire */
	uint32_t caplen;   /* kept */
	uint8_t data[];
};

struct tp_capture {
	/* read-only while attached */
	struct sl_ring *free;   /* SP (writer) / MC (lcores) */
	struct sl_ring *full;   /* MP (lcores) / SC (writer) */
	uint32_t snaplen;
	/* lcores: relaxed atomic adds, once per burst */
	uint64_t captured __sl_cache_aligned;
	uint64_t dropped;
	/* writer thread */
	uint64_t written __sl_cache_aligned;
	uint64_t written_bytes;
	bool write_error;
	int write_errno;
	/* main lcore */
	bool stop __sl_cache_aligned;
	unsigned int nb_ports;
	unsigned int id;
	char path[1024];
	void *slab;
	pcap_t *dead;
	pcap_dumper_t *dumper;
	char *iobuf;
	pthread_t writer;
	bool writer_started;
};

struct tp_capture *tp_captures[SL_MAX_ETHPORTS];
uint32_t tp_capture_snaplen = TP_DEF_SNAPLEN;
static unsigned int cap_next_id;

/* ---- fast path (forwarding lcores) ---- */

void
tp_capture_burst(struct tp_capture *c, struct sl_mbuf **pkts, uint16_t n)
{
	struct cap_rec *recs[TP_MAX_BURST];
	uint64_t now_ns = 0;
	unsigned int got, i;

	got = sl_ring_dequeue_burst_mc(c->free, (void **)recs, n, NULL);
	if (sl_unlikely(got < n))
		__atomic_fetch_add(&c->dropped, n - got, __ATOMIC_RELAXED);
	for (i = 0; i < got; i++) {
		const struct sl_mbuf *m = pkts[i];
		struct cap_rec *r = recs[i];
		const void *src;

		r->len = m->pkt_len;
		r->caplen = SL_MIN(m->pkt_len, c->snaplen);
		src = sl_mbuf_read(m, 0, r->caplen, r->data);
		if (src != r->data)
			memcpy(r->data, src, r->caplen);
		if (m->ol_flags & SL_MBUF_F_RX_TIMESTAMP) {
			r->ts_ns = m->timestamp; /* the driver's (net_pcap: the file's) */
		} else {
			if (now_ns == 0) {
				struct timespec t;

				clock_gettime(CLOCK_REALTIME, &t); /* vDSO: no system call */
				now_ns = (uint64_t)t.tv_sec * NSEC_PER_SEC + (uint64_t)t.tv_nsec;
			}
			r->ts_ns = now_ns;
		}
	}
	if (got != 0) {
		/* The full ring has a slot for every record: this cannot fail. */
		sl_ring_enqueue_burst_mp(c->full, (void *const *)recs, got, NULL);
		__atomic_fetch_add(&c->captured, got, __ATOMIC_RELAXED);
	}
}

/* ---- writer thread ---- */

static void *
cap_writer(void *arg)
{
	struct tp_capture *c = arg;
	struct cap_rec *recs[CAP_WRITER_BURST];
	FILE *f = pcap_dump_file(c->dumper);

	for (;;) {
		unsigned int n = sl_ring_dequeue_burst_sc(c->full, (void **)recs, CAP_WRITER_BURST,
							  NULL);

		if (n == 0) {
			/* Acquire: producers are gone once stop is seen (see top),
			 * so an empty ring then is empty for good. */
			if (__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE) && sl_ring_empty(c->full))
				break;
			nanosleep(&(struct timespec){ 0, CAP_WRITER_IDLE_NS }, NULL);
			continue;
		}
		for (unsigned int i = 0; i < n; i++) {
			struct pcap_pkthdr h;

			h.ts.tv_sec = (time_t)(recs[i]->ts_ns / NSEC_PER_SEC);
			h.ts.tv_usec = (suseconds_t)(recs[i]->ts_ns % NSEC_PER_SEC); /* ns: see open */
			h.caplen = recs[i]->caplen;
			h.len = recs[i]->len;
			pcap_dump((u_char *)c->dumper, &h, recs[i]->data);
			c->written_bytes += recs[i]->caplen;
		}
		__atomic_store_n(&c->written, c->written + n, __ATOMIC_RELAXED);
		if (ferror(f) && !c->write_error) {
			c->write_errno = errno;
			c->write_error = true;
		}
		sl_ring_enqueue_burst_sp(c->free, (void *const *)recs, n, NULL);
	}
	return NULL;
}

/* ---- control (main lcore) ---- */

static void
cap_destroy(struct tp_capture *c)
{
	if (c->dumper != NULL)
		pcap_dump_close(c->dumper); /* fclose: flushes the buffer */
	if (c->dead != NULL)
		pcap_close(c->dead);
	free(c->iobuf);
	sl_ring_free(c->free);
	sl_ring_free(c->full);
	free(c->slab);
	free(c);
}

/* Create a capture writing to @p path and start its writer. */
static struct tp_capture *
cap_create(const char *path)
{
	char name[32];
	size_t rec_size;
	struct tp_capture *c;
	FILE *f;
	int rc;

	if (strlen(path) >= sizeof(c->path)) {
		fprintf(stderr, "Capture file name too long (%zu characters, at most %zu)\n",
			strlen(path), sizeof(c->path) - 1);
		return NULL;
	}
	c = aligned_alloc(SL_CACHE_LINE_SIZE, SL_ALIGN_CEIL(sizeof(*c), SL_CACHE_LINE_SIZE));
	if (c == NULL)
		goto nomem;
	memset(c, 0, sizeof(*c));
	c->id = cap_next_id++;
	c->snaplen = tp_capture_snaplen;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(name, sizeof(name), "tp_cap_free_%u", c->id);
	c->free = sl_ring_create(name, CAP_RING_SLOTS, SL_SOCKET_ID_ANY, SL_RING_F_SP_ENQ);
	snprintf(name, sizeof(name), "tp_cap_full_%u", c->id);
	c->full = sl_ring_create(name, CAP_RING_SLOTS, SL_SOCKET_ID_ANY, SL_RING_F_SC_DEQ);
	rec_size = SL_ALIGN_CEIL(sizeof(struct cap_rec) + c->snaplen, 64);
	c->slab = malloc(rec_size * (CAP_RING_SLOTS - 1));
	c->iobuf = malloc(CAP_FILE_BUF);
	if (c->free == NULL || c->full == NULL || c->slab == NULL || c->iobuf == NULL)
		goto nomem;
	for (unsigned int i = 0; i < CAP_RING_SLOTS - 1; i++) {
		void *r = (char *)c->slab + rec_size * i;

		sl_ring_enqueue_burst_sp(c->free, &r, 1, NULL);
	}
	/* Open the file ourselves to give it a big buffer before the header is
	 * written; nanosecond precision writes the 0xa1b23c4d magic. */
	f = fopen(path, "wb");
	if (f == NULL) {
		fprintf(stderr, "Cannot create capture file '%s': %s; check that the directory "
			"exists and is writable\n", path, strerror(errno));
		cap_destroy(c);
		return NULL;
	}
	setvbuf(f, c->iobuf, _IOFBF, CAP_FILE_BUF);
	c->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, (int)c->snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (c->dead == NULL) {
		fclose(f);
		goto nomem;
	}
	c->dumper = pcap_dump_fopen(c->dead, f);
	if (c->dumper == NULL) {
		fprintf(stderr, "Cannot write capture file '%s': %s\n", path, pcap_geterr(c->dead));
		fclose(f);
		cap_destroy(c);
		return NULL;
	}
	rc = pthread_create(&c->writer, NULL, cap_writer, c);
	if (rc != 0) {
		fprintf(stderr, "Cannot start the capture writer thread: %s\n", strerror(rc));
		cap_destroy(c);
		return NULL;
	}
	pthread_setname_np(c->writer, "tp-capture");
	c->writer_started = true;
	return c;

nomem:
	fprintf(stderr, "Out of memory for a capture of %u records of %u bytes; lower "
		"--pcap-snaplen\n", CAP_RING_SLOTS - 1, tp_capture_snaplen);
	if (c != NULL)
		cap_destroy(c);
	return NULL;
}

/* Wait until no forwarding lcore can still use a pointer cleared before. */
static void
cap_quiesce(void)
{
	uint64_t seen[SL_MAX_LCORE];

	if (!fwd_running)
		return;
	for (unsigned int l = 0; l < nb_fwd_lcores; l++)
		seen[l] = __atomic_load_n(&fwd_lcores[l].loops, __ATOMIC_ACQUIRE);
	for (unsigned int l = 0; l < nb_fwd_lcores; l++) {
		/* Two increments: the pass that was running when the pointer
		 * was cleared has ended, and a whole pass without it has. */
		while (__atomic_load_n(&fwd_lcores[l].loops, __ATOMIC_ACQUIRE) < seen[l] + 2)
			usleep(100);
	}
}

static void
cap_report(const struct tp_capture *c, const char *what)
{
	uint64_t dropped = __atomic_load_n(&c->dropped, __ATOMIC_RELAXED);

	fprintf(tp_out, "Capture to %s %s: %" PRIu64 " packets (%" PRIu64 " bytes) written, %"
		PRIu64 " not captured%s\n", c->path, what,
		__atomic_load_n(&c->written, __ATOMIC_RELAXED), c->written_bytes, dropped,
		dropped ? " (the writer fell behind: write to a faster disk or lower "
			  "--pcap-snaplen)" : "");
}

/* Stop the writer, close the file and free @p c (no port points at it). */
static int
cap_finish(struct tp_capture *c)
{
	int rc = 0;

	__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
	if (c->writer_started)
		pthread_join(c->writer, NULL);
	if (pcap_dump_flush(c->dumper) < 0 || c->write_error) {
		fprintf(stderr, "Writing capture file '%s' failed: %s; the file is incomplete "
			"(free disk space and capture again)\n", c->path,
			strerror(c->write_errno ? c->write_errno : errno));
		rc = -EIO;
	}
	cap_report(c, "stopped");
	cap_destroy(c);
	return rc;
}

int
tp_capture_start(int port, const char *path)
{
	struct tp_capture *c;
	uint16_t p;

	if (port >= 0 && tp_captures[port] != NULL) {
		fprintf(stderr, "Port %d is already captured to %s: run 'capture stop %d' first\n",
			port, tp_captures[port]->path, port);
		return -EBUSY;
	}
	if (port < 0) {
		SL_ETH_FOREACH_DEV(p) {
			if (!ports[p].closed && tp_captures[p] != NULL) {
				fprintf(stderr, "Port %u is already captured to %s: run 'capture "
					"stop' first\n", p, tp_captures[p]->path);
				return -EBUSY;
			}
		}
	}
	c = cap_create(path);
	if (c == NULL)
		return -EINVAL;
	SL_ETH_FOREACH_DEV(p) {
		if (ports[p].closed || (port >= 0 && p != port))
			continue;
		c->nb_ports++;
		/* Release: the lcore that sees the pointer sees the capture. */
		__atomic_store_n(&tp_captures[p], c, __ATOMIC_RELEASE);
	}
	if (c->nb_ports == 0) {
		fprintf(stderr, "No open port to capture\n");
		cap_finish(c);
		return -ENODEV;
	}
	if (port >= 0)
		fprintf(tp_out, "Capturing what port %d receives to %s (pcap, nanosecond "
			"timestamps, snaplen %u)\n", port, path, c->snaplen);
	else
		fprintf(tp_out, "Capturing what all %u ports receive to %s (pcap, nanosecond "
			"timestamps, snaplen %u)\n", c->nb_ports, path, c->snaplen);
	return 0;
}

int
tp_capture_stop(int port)
{
	struct tp_capture *gone[SL_MAX_ETHPORTS];
	unsigned int nb_gone = 0;
	int rc = 0;
	uint16_t p;

	if (!tp_capture_active(port)) {
		if (port >= 0)
			fprintf(stderr, "Port %d is not being captured: 'show capture' lists the "
				"captures\n", port);
		else
			fprintf(stderr, "No capture running: start one with 'capture start "
				"<port>|all <file>'\n");
		return -EINVAL;
	}
	for (p = 0; p < SL_MAX_ETHPORTS; p++) {
		struct tp_capture *c = tp_captures[p];

		if (c == NULL || (port >= 0 && p != port))
			continue;
		__atomic_store_n(&tp_captures[p], NULL, __ATOMIC_RELEASE);
		if (--c->nb_ports == 0)
			gone[nb_gone++] = c;
	}
	cap_quiesce();
	for (unsigned int i = 0; i < nb_gone; i++)
		if (cap_finish(gone[i]) < 0)
			rc = -EIO;
	return rc;
}

bool
tp_capture_active(int port)
{
	if (port >= 0)
		return tp_captures[port] != NULL;
	for (unsigned int p = 0; p < SL_MAX_ETHPORTS; p++)
		if (tp_captures[p] != NULL)
			return true;
	return false;
}

void
tp_capture_show(void)
{
	bool any = false;

	for (unsigned int p = 0; p < SL_MAX_ETHPORTS; p++) {
		const struct tp_capture *c = tp_captures[p];

		if (c == NULL)
			continue;
		any = true;
		fprintf(tp_out, "Port %u -> %s: %" PRIu64 " captured, %" PRIu64 " written, %" PRIu64
			" not captured (writer behind)\n", p, c->path,
			__atomic_load_n(&c->captured, __ATOMIC_RELAXED),
			__atomic_load_n(&c->written, __ATOMIC_RELAXED),
			__atomic_load_n(&c->dropped, __ATOMIC_RELAXED));
	}
	if (!any)
		fprintf(tp_out, "No capture running: use 'capture start <port>|all <file>'\n");
}

/* ---- "set verbose" ---- */

unsigned int tp_verbose;

void
tp_set_verbose(unsigned int level)
{
	fprintf(tp_out, "Change verbose level from %u to %u\n", tp_verbose, level);
	__atomic_store_n(&tp_verbose, level, __ATOMIC_RELAXED);
}

void
tp_dump_burst(const char *what, uint16_t port, uint16_t queue, struct sl_mbuf **pkts,
	      uint16_t n)
{
	/* One burst stays together when several lcores print. */
	flockfile(tp_out);
	fprintf(tp_out, "port %u/queue %u: %s %u packets\n", port, queue, what, n);
	for (uint16_t i = 0; i < n; i++) {
		const struct sl_mbuf *m = pkts[i];
		char src[SL_ETHER_ADDR_FMT_SIZE] = "?", dst[SL_ETHER_ADDR_FMT_SIZE] = "?";
		struct sl_ether_hdr hbuf;
		const struct sl_ether_hdr *eh = m->pkt_len >= sizeof(hbuf) ?
			sl_mbuf_read(m, 0, sizeof(hbuf), &hbuf) : NULL;

		if (eh != NULL) {
			sl_ether_addr_format(src, sizeof(src), &eh->src_addr);
			sl_ether_addr_format(dst, sizeof(dst), &eh->dst_addr);
		}
		fprintf(tp_out, "  src=%s - dst=%s - type=0x%04x - length=%u - nb_segs=%u", src,
			dst, eh != NULL ? ntohs(eh->ether_type) : 0, m->pkt_len,
			m->nb_segs);
		if (m->ol_flags & SL_MBUF_F_RX_TIMESTAMP)
			fprintf(tp_out, " - timestamp=%" PRIu64 ".%09" PRIu64,
				(uint64_t)(m->timestamp / NSEC_PER_SEC),
				(uint64_t)(m->timestamp % NSEC_PER_SEC));
		fputc('\n', tp_out);
	}
	funlockfile(tp_out);
}
