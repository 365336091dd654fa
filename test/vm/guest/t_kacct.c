/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * t_kacct.c - pinned memory: who pays, and what a MAP holds while it pins.
 *
 * memchain:   RLIMIT_MEMLOCK binds the user, not the process: a chain of
 *             forking and exiting processes sharing one domain fd cannot pin
 *             more than the limit in total, and the charge comes back on
 *             UNMAP and on domain teardown after the payers are gone.
 * pinlock:    MAP pins without the domain lock: while one MAP pins 256 MiB,
 *             GET_STATS, another MAP and UNSET_DOMAIN go through; of
 *             overlapping MAPs exactly one succeeds and the loser gives its
 *             pins back.
 * faultsweep: debugfs fail_nth makes the Nth fault point of MAP,
 *             SET_DOMAIN, SET_IRQS and close fail, for N = 1, 2, ...: every
 *             call fails cleanly with ENOMEM or succeeds, nothing stays
 *             pinned, the device stays usable, the kernel does not complain.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmtest.h"

#define PG 4096UL

/* ---- memchain ---- */

#define LIMIT_PAGES 16
#define GENERATIONS 4

/*
 * The generations: each maps up to LIMIT_PAGES single pages, reports how
 * many went in, forks the next generation and exits, leaving its pins in
 * the domain.
 */
static void chain(int dom, int wfd)
{
	for (int gen = 0; gen < GENERATIONS; gen++) {
		uint8_t *buf = alloc_pages(LIMIT_PAGES * PG);
		uint8_t n = 0;

		for (int k = 0; buf && k < LIMIT_PAGES; k++)
			if (!dom_map(dom, buf + k * PG, 0x10000000 + gen * 0x100000 + k * PG, PG,
				     SLUICE_MAP_READ | SLUICE_MAP_WRITE))
				n++;
		if (write(wfd, &n, 1) != 1)
			_exit(3);
		if (gen + 1 == GENERATIONS || fork() != 0)
			_exit(0);	/* the parent goes; the child is the next generation */
	}
	_exit(0);
}

/* A fresh uid-nobody process with the limit: how many of 2 * limit pages it maps at iova. */
static int nobody_maps(int dom, uint64_t iova)
{
	int p[2];
	pid_t pid;
	uint8_t n = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { LIMIT_PAGES * PG, LIMIT_PAGES * PG };
		uint8_t *buf = alloc_pages(2 * LIMIT_PAGES * PG);

		close(p[0]);
		if (!buf || setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(65534) || setuid(65534))
			_exit(10);
		for (int k = 0; k < 2 * LIMIT_PAGES; k++)
			if (!dom_map(dom, buf + k * PG, iova + k * PG, PG, SLUICE_MAP_READ))
				n++;
		_exit(write(p[1], &n, 1) == 1 ? 0 : 3);
	}
	close(p[1]);
	if (read(p[0], &n, 1) != 1)
		n = 255;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return n;
}

int test_memchain(void)
{
	struct sluice_iommu_stats st;
	int dom = domain_open(), p[2], total = 0, gens = 0, n;
	long pinned0 = debugfs_pinned_pages();
	uint8_t c;
	pid_t pid;

	if (!tap_ok(dom >= 0 && !pipe(p), "open a domain"))
		return 1;
	tap_ok(pinned0 == 0, "debugfs pinned_pages is 0 before (%ld)", pinned0);

	/* The scenario: uid nobody, 16 pages, fork then exit, 4 generations. */
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { LIMIT_PAGES * PG, LIMIT_PAGES * PG };

		close(p[0]);
		if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(65534) || setuid(65534))
			_exit(10);
		chain(dom, p[1]);
	}
	close(p[1]);
	while (read(p[0], &c, 1) == 1) {	/* EOF: the last generation is gone */
		tap_diag("generation %d (uid nobody, RLIMIT_MEMLOCK %d pages) mapped %u pages",
			 gens, LIMIT_PAGES, c);
		total += c;
		gens++;
	}
	close(p[0]);
	waitpid(pid, NULL, 0);
	domain_stats(dom, &st);
	tap_ok(gens == GENERATIONS, "%d generations ran (%d)", GENERATIONS, gens);
	tap_ok(total == LIMIT_PAGES && st.pinned_pages == LIMIT_PAGES,
	       "a fork/exit chain of one user pins %d pages in total, the limit (mapped %d, "
	       "domain pins %llu)", LIMIT_PAGES, total, (unsigned long long)st.pinned_pages);
	tap_ok(debugfs_pinned_pages() == LIMIT_PAGES, "debugfs pinned_pages %d (%ld)",
	       LIMIT_PAGES, debugfs_pinned_pages());

	/* The payers are gone; the pins and the charge stay with the domain. */
	n = nobody_maps(dom, 0x20000000);
	tap_ok(n == 0, "a new process of the same user maps nothing while the chain's pins "
	       "exist (%d)", n);

	/* UNMAP by another user (root) returns the charge to the user that paid. */
	expect_ok(dom_unmap(dom, 0x10000000, 0x1000000), "root UNMAPs the chain's pages");
	n = nobody_maps(dom, 0x20000000);
	tap_ok(n == LIMIT_PAGES, "after UNMAP the user has its %d pages again (%d)",
	       LIMIT_PAGES, n);

	/* Domain teardown with the mapping process gone uncharges too. */
	close(dom);
	tap_ok(debugfs_pinned_pages() == 0, "close of the domain: debugfs pinned_pages 0 (%ld)",
	       debugfs_pinned_pages());
	dom = domain_open();
	n = nobody_maps(dom, 0x20000000);
	tap_ok(n == LIMIT_PAGES, "after the domain died the user has its %d pages again (%d)",
	       LIMIT_PAGES, n);
	close(dom);
	tap_ok(debugfs_pinned_pages() == 0, "at the end: debugfs pinned_pages 0 (%ld)",
	       debugfs_pinned_pages());
	return 0;
}

/* ---- pinlock ---- */

/*
 * A MAP that pins for a long time: 256 MiB of untouched anonymous memory,
 * every page faulted in and zeroed by the pin (a second or more in TCG).
 * (A userfaultfd would hold the fault for as long as we like, but 6.1's
 * FOLL_LONGTERM pin cannot wait for one: it gets SIGBUS, so MAP fails.)
 */
#define SLOW_PAGES 65536UL
#define SLOW_IOVA 0x40000000ULL

struct mapper {
	int dom;
	void *va;
	uint64_t iova, size;
	int ret, err;
	volatile int done;
	pthread_barrier_t *bar;
};

static void *mapper(void *a)
{
	struct mapper *m = a;

	if (m->bar)
		pthread_barrier_wait(m->bar);
	m->ret = dom_map(m->dom, m->va, m->iova, m->size, SLUICE_MAP_READ | SLUICE_MAP_WRITE);
	m->err = errno;
	m->done = 1;
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pinlock_slow(void)
{
	uint64_t len = SLOW_PAGES * PG;
	struct sluice_iommu_stats st;
	pthread_t ta;
	long pins0 = pins_outstanding();
	int dom = domain_open(), dev = device_open(topo.edu0), bad = 0, cret, cerr;
	uint8_t *region = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *small = alloc_pages(8 * PG);
	struct mapper a;
	double t0, t_pin = 0, t_b = 0, t_a;
	bool a_running_after_b;

	if (!tap_ok(region != MAP_FAILED && small && dom >= 0 && dev >= 0 &&
		    !set_domain(dev, dom), "setup: 256 MiB untouched, domain, edu0 attached"))
		return;

	/* A: the slow MAP. */
	a = (struct mapper){ .dom = dom, .va = region, .iova = SLOW_IOVA, .size = len };
	t0 = now_s();
	pthread_create(&ta, NULL, mapper, &a);
	while (!a.done && pins_outstanding() <= pins0)
		usleep(1000);
	t_pin = now_s() - t0;

	/*
	 * B (this thread), while A pins: stats, an unrelated MAP, a detach
	 * (what an unbind does), and a MAP overlapping A's range.
	 */
	t0 = now_s();
	if (domain_stats(dom, &st))
		bad |= 1;
	if (dom_map(dom, small, 0x50000000, 4 * PG, SLUICE_MAP_READ))
		bad |= 2;
	if (ioctl(dev, SLUICE_DEVICE_UNSET_DOMAIN))
		bad |= 4;
	cret = dom_map(dom, small + 4 * PG, SLOW_IOVA + 16 * PG, 4 * PG,
		       SLUICE_MAP_READ | SLUICE_MAP_WRITE);
	cerr = errno;
	a_running_after_b = !a.done;
	t_b = now_s() - t0;
	pthread_join(ta, NULL);
	t_a = now_s() - t0 + t_pin;
	tap_diag("slow MAP: pins seen after %.3f s, returned after %.3f s (%s); the other "
		 "calls took %.3f s", t_pin, t_a, a.ret ? strerrorname_np(a.err) : "ok", t_b);
	tap_ok(a_running_after_b && !bad,
	       "while a MAP pins 256 MiB: GET_STATS, another MAP, UNSET_DOMAIN and an "
	       "overlapping MAP complete before it returns (errors 0x%x, %.3f s vs %.3f s)",
	       bad, t_b, t_a);
	tap_ok((a.ret == 0) + (cret == 0) == 1 &&
	       (a.ret == 0 || a.err == EEXIST) && (cret == 0 || cerr == EEXIST),
	       "the slow MAP and the overlapping one: exactly one succeeds, the other EEXIST "
	       "(slow %s, overlapping %s)", a.ret ? strerrorname_np(a.err) : "ok",
	       cret ? strerrorname_np(cerr) : "ok");
	domain_stats(dom, &st);
	{
		uint64_t want = 4 + (a.ret == 0 ? SLOW_PAGES : 4);

		tap_ok(st.nr_mappings == 2 && st.pinned_pages == want &&
		       debugfs_pinned_pages() == (long)want &&
		       pins_outstanding() == pins0 + (long)want,
		       "the domain holds the winners only, the loser gave its pins back: %u "
		       "mappings, %llu pins, debugfs %ld, kernel +%ld (want 2, %llu)",
		       st.nr_mappings, (unsigned long long)st.pinned_pages,
		       debugfs_pinned_pages(), pins_outstanding() - pins0,
		       (unsigned long long)want);
	}
	close(dev);
	close(dom);
	munmap(region, len);
	munmap(small, 8 * PG);
	tap_ok(debugfs_pinned_pages() == 0 && pins_outstanding() == pins0,
	       "after close: nothing pinned (debugfs %ld)", debugfs_pinned_pages());
}

/* Two threads MAP the same IOVAs at the same moment, many times: one wins each round. */
static void pinlock_overlap(void)
{
	enum { ROUNDS = 200, NP = 8 };
	uint8_t *b0 = alloc_pages(NP * PG), *b1 = alloc_pages(NP * PG);
	int dom = domain_open(), bad = 0;
	pthread_barrier_t bar;

	pthread_barrier_init(&bar, NULL, 2);
	for (int i = 0; i < ROUNDS; i++) {
		struct mapper m[2] = {
			{ .dom = dom, .va = b0, .iova = 0x100000, .size = NP * PG, .bar = &bar },
			{ .dom = dom, .va = b1, .iova = 0x100000 + (i % NP) * PG, .size = NP * PG,
			  .bar = &bar },
		};
		struct sluice_iommu_stats st;
		pthread_t t[2];
		int wins;

		pthread_create(&t[0], NULL, mapper, &m[0]);
		pthread_create(&t[1], NULL, mapper, &m[1]);
		pthread_join(t[0], NULL);
		pthread_join(t[1], NULL);
		wins = (m[0].ret == 0) + (m[1].ret == 0);
		domain_stats(dom, &st);
		if (wins != 1 || (m[0].ret && m[0].err != EEXIST) ||
		    (m[1].ret && m[1].err != EEXIST) || st.pinned_pages != NP ||
		    debugfs_pinned_pages() != NP) {
			if (!bad++)
				tap_diag("round %d: %d wins (%s/%s), %llu pinned", i, wins,
					 strerrorname_np(m[0].err), strerrorname_np(m[1].err),
					 (unsigned long long)st.pinned_pages);
		}
		dom_unmap(dom, 0, 0x200000);
	}
	tap_ok(bad == 0, "%d rounds of two overlapping MAPs at once: exactly one wins, the "
	       "other is EEXIST and keeps no pin (%d bad rounds)", ROUNDS, bad);
	pthread_barrier_destroy(&bar);
	close(dom);
	munmap(b0, NP * PG);
	munmap(b1, NP * PG);
	tap_ok(debugfs_pinned_pages() == 0, "nothing pinned after the rounds (%ld)",
	       debugfs_pinned_pages());
}

int test_pinlock(void)
{
	if (pci_bind(topo.edu0, "sluice-pci")) {
		tap_ok(false, "bind edu0 to sluice-pci");
		return 1;
	}
	pinlock_slow();
	pinlock_overlap();
	return 0;
}

/* ---- faultsweep ---- */

#define SWEEP_MAX 400

struct sw {
	const char *addr;	/* device */
	unsigned int index;	/* SET_IRQS */
	unsigned int count;
	int dom, dev;
	int efd[8];
	uint8_t *buf;
};

enum sw_op { OP_MAP, OP_SET_DOMAIN, OP_SET_IRQS, OP_CLOSE };
static const char *const op_name[] = { "MAP", "SET_DOMAIN", "SET_IRQS", "close" };

/* Everything up to the call under test; false if it failed (no injection armed). */
static bool sw_setup(struct sw *s, enum sw_op op)
{
	s->dom = domain_open();
	s->dev = device_open(s->addr);
	s->buf = alloc_pages(8 * PG);
	for (unsigned int i = 0; i < s->count; i++)
		s->efd[i] = eventfd(0, EFD_CLOEXEC);
	if (s->dom < 0 || s->dev < 0 || !s->buf)
		return false;
	/* MAP: scattered pages, so several iommu_map() calls. */
	if (op != OP_MAP &&
	    dom_map(s->dom, s->buf, 0x100000, 8 * PG, SLUICE_MAP_READ | SLUICE_MAP_WRITE))
		return false;
	if (op != OP_SET_DOMAIN && set_domain(s->dev, s->dom))
		return false;
	if (op == OP_CLOSE &&
	    irqs_set(s->dev, SLUICE_IRQ_SET_EVENTFD, s->index, 0, s->count, s->efd))
		return false;
	return true;
}

static int sw_call(struct sw *s, enum sw_op op)
{
	switch (op) {
	case OP_MAP:
		return dom_map(s->dom, s->buf, 0x100000, 8 * PG,
			       SLUICE_MAP_READ | SLUICE_MAP_WRITE);
	case OP_SET_DOMAIN:
		return set_domain(s->dev, s->dom);
	case OP_SET_IRQS:
		return irqs_set(s->dev, SLUICE_IRQ_SET_EVENTFD, s->index, 0, s->count, s->efd);
	case OP_CLOSE:
		close(s->dev);
		close(s->dom);
		s->dev = s->dom = -1;
		return 0;
	}
	return -1;
}

/* After a failed call: nothing of it may remain, and it must work when retried. */
static bool sw_failed_clean(struct sw *s, enum sw_op op, char *why, size_t len)
{
	struct sluice_iommu_stats st;
	struct sluice_device_info di = { .argsz = sizeof(di) };

	switch (op) {
	case OP_MAP:
		domain_stats(s->dom, &st);
		if (st.nr_mappings || st.pinned_pages || st.locked_pages ||
		    debugfs_pinned_pages() != 0) {
			snprintf(why, len, "failed MAP left %u mappings, %llu pins, debugfs %ld",
				 st.nr_mappings, (unsigned long long)st.pinned_pages,
				 debugfs_pinned_pages());
			return false;
		}
		break;
	case OP_SET_DOMAIN:
		if (ioctl(s->dev, SLUICE_DEVICE_GET_INFO, &di) ||
		    (di.flags & SLUICE_DEVICE_FLAGS_DOMAIN_SET)) {
			snprintf(why, len, "failed SET_DOMAIN left the domain set");
			return false;
		}
		break;
	default:
		break;
	}
	if (sw_call(s, op)) {
		snprintf(why, len, "retry without injection failed: %s", strerrorname_np(errno));
		return false;
	}
	return true;
}

static void sw_cleanup(struct sw *s)
{
	if (s->dev >= 0)
		close(s->dev);
	if (s->dom >= 0)
		close(s->dom);
	for (unsigned int i = 0; i < s->count; i++)
		close(s->efd[i]);
	munmap(s->buf, 8 * PG);
}

static void sweep(const char *what, const char *addr, enum sw_op op, unsigned int index,
		  unsigned int count)
{
	int n, failed = 0, injected = 0, bad = 0, complaints0 = kernel_complaints();
	char why[160] = "";

	for (n = 1; n <= SWEEP_MAX; n++) {
		struct sw s = { .addr = addr, .index = index, .count = count };
		int ret, err, left;
		long pinned;

		if (!sw_setup(&s, op)) {
			snprintf(why, sizeof(why), "N=%d: setup failed: %s", n,
				 strerrorname_np(errno));
			bad++;
			sw_cleanup(&s);
			break;
		}
		fail_nth_arm(n);
		ret = sw_call(&s, op);
		err = errno;
		left = fail_nth_left();
		fail_nth_arm(0);
		if (left == 0)
			injected++;
		if (ret) {
			failed++;
			if (err != ENOMEM || left != 0) {
				snprintf(why, sizeof(why), "N=%d: %s failed with %s (injected: %s)",
					 n, op_name[op], strerrorname_np(err),
					 left == 0 ? "yes" : "no");
				bad++;
			} else if (!sw_failed_clean(&s, op, why, sizeof(why))) {
				bad++;
			}
		}
		sw_cleanup(&s);
		pinned = debugfs_pinned_pages();
		if (pinned != 0) {
			snprintf(why, sizeof(why), "N=%d: %ld pages pinned after close", n, pinned);
			bad++;
		}
		if (bad || (left > 0 && !ret))
			break;	/* done: the call ran every fault point without failing */
	}
	tap_ok(!bad && n <= SWEEP_MAX && kernel_complaints() == complaints0,
	       "fail_nth sweep of %s: N = 1..%d, %d injected, %d failed with ENOMEM; %s "
	       "(kernel complaints %d -> %d)", what, n, injected, failed,
	       bad ? why : "each failure clean, the last call ran with nothing injected, "
	       "pinned_pages 0 after each close", complaints0, kernel_complaints());
}

int test_faultsweep(void)
{
	struct sluice_irq_info ii = { .argsz = sizeof(ii), .index = SLUICE_PCI_MSIX_IRQ };
	unsigned int msix = 0;
	int dev;

	if (!tap_ok(fail_nth_left() == 0 && debugfs_pinned_pages() == 0,
		    "debugfs fail_nth and pinned_pages exist, disarmed and 0"))
		return 1;
	if (pci_bind(topo.edu0, "sluice-pci") || pci_bind(topo.e1000e, "sluice-pci")) {
		tap_ok(false, "bind edu0 and e1000e to sluice-pci");
		return 1;
	}
	/* e1000e's MSI-X vector count, read once with a domain set. */
	{
		int dom = domain_open();

		dev = device_open(topo.e1000e);
		if (dom >= 0 && dev >= 0 && !set_domain(dev, dom) &&
		    !ioctl(dev, SLUICE_DEVICE_GET_IRQ_INFO, &ii))
			msix = ii.count < 3 ? ii.count : 3;
		close(dev);
		close(dom);
	}

	sweep("MAP (edu0 attached)", topo.edu0, OP_MAP, 0, 0);
	sweep("SET_DOMAIN edu0", topo.edu0, OP_SET_DOMAIN, 0, 0);
	sweep("SET_DOMAIN e1000e", topo.e1000e, OP_SET_DOMAIN, 0, 0);
	sweep("SET_IRQS MSI edu0", topo.edu0, OP_SET_IRQS, SLUICE_PCI_MSI_IRQ, 1);
	if (msix)
		sweep("SET_IRQS MSI-X e1000e", topo.e1000e, OP_SET_IRQS, SLUICE_PCI_MSIX_IRQ, msix);
	else
		tap_ok(false, "e1000e reports MSI-X vectors");
	sweep("SET_IRQS INTx edu0", topo.edu0, OP_SET_IRQS, SLUICE_PCI_INTX_IRQ, 1);
	sweep("close e1000e (MSI-X, reset on release)", topo.e1000e, OP_CLOSE,
	      SLUICE_PCI_MSIX_IRQ, msix ? msix : 1);
	sweep("close edu0 (MSI)", topo.edu0, OP_CLOSE, SLUICE_PCI_MSI_IRQ, 1);
	tap_ok(debugfs_pinned_pages() == 0, "after the sweeps: debugfs pinned_pages 0 (%ld)",
	       debugfs_pinned_pages());
	return 0;
}
