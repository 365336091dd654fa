/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Memory barriers and device register (MMIO) access for poll-mode drivers.
 *
 * Two kinds of ordering matter to a driver:
 *  - CPU to CPU through normal write-back memory (rings, shared state):
 *    the sl_smp_* barriers;
 *  - CPU to device: descriptors in write-back DMA memory versus a doorbell
 *    write to an uncached (UC) register BAR: the sl_io_* barriers, which
 *    sl_read*() and sl_write*() include.
 *
 * On x86 (TSO), loads are not reordered with older loads, stores are not
 * reordered with older stores, and UC accesses are not reordered with any
 * other memory access; only a store followed by a load to a different
 * location can pass.  So on x86 most of these are compiler barriers only:
 * the compiler, not the CPU, is what would reorder them.
 *
 * Register pointers are `volatile` only inside this header: drivers call
 * these helpers and never cast to volatile themselves.
 */
#ifndef SL_MMIO_H
#define SL_MMIO_H

#include <errno.h>
#include <stdint.h>

#include "sl_common.h"
#include "sl_cycles.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__x86_64__) || defined(__i386__)

/*
 * Full barrier between CPUs.  A locked read-modify-write on the stack
 * orders all earlier loads and stores with all later ones (the only x86
 * reordering, store->load, included) and is cheaper than MFENCE on current
 * cores.  It does not order non-temporal stores or WC memory: use sl_mb().
 */
static __sl_always_inline void
sl_smp_mb(void)
{
	__asm__ volatile("lock addl $0, -128(%%rsp)" ::: "memory", "cc");
}

/* TSO keeps stores in order and loads in order: only the compiler can
 * reorder, so a compiler barrier is enough. */
#define sl_smp_wmb() sl_compiler_barrier()
#define sl_smp_rmb() sl_compiler_barrier()

/*
 * Barriers for write-combining or non-temporal accesses (e.g. a WC-mapped
 * BAR): only these instructions drain/serialize WC buffers.
 */
#define sl_mb() __asm__ volatile("mfence" ::: "memory")
#define sl_wmb() __asm__ volatile("sfence" ::: "memory")
#define sl_rmb() __asm__ volatile("lfence" ::: "memory")

/*
 * Descriptor writes (WB memory) before a doorbell write (UC): x86 keeps
 * stores in order and UC stores are not reordered with older stores, so
 * the device sees the descriptors first.  A compiler barrier suffices.
 */
#define sl_io_wmb() sl_compiler_barrier()
/*
 * Register read (UC) before reads of DMA'd descriptors (WB): loads are not
 * reordered with older loads on x86, UC loads even less.  Compiler barrier.
 */
#define sl_io_rmb() sl_compiler_barrier()

#elif defined(__aarch64__)

/* Inner-shareable domain covers all CPUs. */
#define sl_smp_mb() __asm__ volatile("dmb ish" ::: "memory")
#define sl_smp_wmb() __asm__ volatile("dmb ishst" ::: "memory")
#define sl_smp_rmb() __asm__ volatile("dmb ishld" ::: "memory")
/* Full-system barriers, needed with devices and WC memory. */
#define sl_mb() __asm__ volatile("dsb sy" ::: "memory")
#define sl_wmb() __asm__ volatile("dsb st" ::: "memory")
#define sl_rmb() __asm__ volatile("dsb ld" ::: "memory")
/* The outer-shareable domain includes DMA masters: enough for doorbells. */
#define sl_io_wmb() __asm__ volatile("dmb oshst" ::: "memory")
#define sl_io_rmb() __asm__ volatile("dmb oshld" ::: "memory")

#else
#error "sl_mmio.h: unsupported architecture"
#endif

/*
 * Relaxed accessors: exactly one access of the given width, in program
 * order relative to other volatile accesses, no ordering against normal
 * memory.  Use them for several register writes in a row where only the
 * last one must be ordered after descriptor writes.
 */
/** Read 8 bits from register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline uint8_t
sl_read8_relaxed(const volatile void *addr)
{
	return *(const volatile uint8_t *)addr;
}

/** Read 16 bits from register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline uint16_t
sl_read16_relaxed(const volatile void *addr)
{
	return *(const volatile uint16_t *)addr;
}

/** Read 32 bits from register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline uint32_t
sl_read32_relaxed(const volatile void *addr)
{
	return *(const volatile uint32_t *)addr;
}

/** Read 64 bits from register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline uint64_t
sl_read64_relaxed(const volatile void *addr)
{
	return *(const volatile uint64_t *)addr;
}

/** Write @p value, 8 bits, to register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline void
sl_write8_relaxed(uint8_t value, volatile void *addr)
{
	*(volatile uint8_t *)addr = value;
}

/** Write @p value, 16 bits, to register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline void
sl_write16_relaxed(uint16_t value, volatile void *addr)
{
	*(volatile uint16_t *)addr = value;
}

/** Write @p value, 32 bits, to register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline void
sl_write32_relaxed(uint32_t value, volatile void *addr)
{
	*(volatile uint32_t *)addr = value;
}

/** Write @p value, 64 bits, to register @p addr (relaxed: no ordering against memory). */
static __sl_always_inline void
sl_write64_relaxed(uint64_t value, volatile void *addr)
{
	*(volatile uint64_t *)addr = value;
}

/*
 * Ordered accessors.  A read is followed by sl_io_rmb() so that memory the
 * register read reports as ready (e.g. a head index) is read afterwards.
 * A write is preceded by sl_io_wmb() so that everything written before
 * (descriptors, buffers) is visible to the device before the register
 * write that tells it to look.
 */
/** Read 8 bits from register @p addr (then sl_io_rmb()). */
static __sl_always_inline uint8_t
sl_read8(const volatile void *addr)
{
	uint8_t v = sl_read8_relaxed(addr);

	sl_io_rmb();
	return v;
}

/** Read 16 bits from register @p addr (then sl_io_rmb()). */
static __sl_always_inline uint16_t
sl_read16(const volatile void *addr)
{
	uint16_t v = sl_read16_relaxed(addr);

	sl_io_rmb();
	return v;
}

/** Read 32 bits from register @p addr (then sl_io_rmb()). */
static __sl_always_inline uint32_t
sl_read32(const volatile void *addr)
{
	uint32_t v = sl_read32_relaxed(addr);

	sl_io_rmb();
	return v;
}

/** Read 64 bits from register @p addr (then sl_io_rmb()). */
static __sl_always_inline uint64_t
sl_read64(const volatile void *addr)
{
	uint64_t v = sl_read64_relaxed(addr);

	sl_io_rmb();
	return v;
}

/** Write @p value, 8 bits, to register @p addr (after sl_io_wmb()). */
static __sl_always_inline void
sl_write8(uint8_t value, volatile void *addr)
{
	sl_io_wmb();
	sl_write8_relaxed(value, addr);
}

/** Write @p value, 16 bits, to register @p addr (after sl_io_wmb()). */
static __sl_always_inline void
sl_write16(uint16_t value, volatile void *addr)
{
	sl_io_wmb();
	sl_write16_relaxed(value, addr);
}

/** Write @p value, 32 bits, to register @p addr (after sl_io_wmb()). */
static __sl_always_inline void
sl_write32(uint32_t value, volatile void *addr)
{
	sl_io_wmb();
	sl_write32_relaxed(value, addr);
}

/** Write @p value, 64 bits, to register @p addr (after sl_io_wmb()). */
static __sl_always_inline void
sl_write64(uint64_t value, volatile void *addr)
{
	sl_io_wmb();
	sl_write64_relaxed(value, addr);
}

/*
 * Wait until (register & mask) == value.  Reads at least once, then polls
 * with PAUSE between reads until timeout_us has passed on the TSC.  For
 * init-time waits (reset done, link up), never for the per-packet path.
 */
#define SL_POLL_BODY_(readfn, addr, mask, value, timeout_us)                   \
	do {                                                                   \
		uint64_t deadline_ = sl_rdtsc() + sl_us_to_tsc(timeout_us);    \
		for (;;) {                                                     \
			if ((readfn(addr) & (mask)) == (value))                \
				return 0;                                      \
			if (sl_rdtsc() > deadline_)                            \
				break;                                         \
			sl_pause();                                            \
		}                                                              \
		/* One last read: the deadline may have passed while this   \
		 * thread was descheduled, not because the device is slow. */ \
		return (readfn(addr) & (mask)) == (value) ? 0 : -ETIMEDOUT;    \
	} while (0)

/**
 * Poll a 32-bit register until (value & @p mask) == @p value.
 *
 * @return 0 once it matches, -ETIMEDOUT after @p timeout_us microseconds.
 */
static inline int
sl_poll32(const volatile void *addr, uint32_t mask, uint32_t value, uint64_t timeout_us)
{
	SL_POLL_BODY_(sl_read32, addr, mask, value, timeout_us);
}

/** 16-bit sl_poll32(). */
static inline int
sl_poll16(const volatile void *addr, uint16_t mask, uint16_t value, uint64_t timeout_us)
{
	SL_POLL_BODY_(sl_read16, addr, mask, value, timeout_us);
}

/** 8-bit sl_poll32(). */
static inline int
sl_poll8(const volatile void *addr, uint8_t mask, uint8_t value, uint64_t timeout_us)
{
	SL_POLL_BODY_(sl_read8, addr, mask, value, timeout_us);
}

/** 64-bit sl_poll32(). */
static inline int
sl_poll64(const volatile void *addr, uint64_t mask, uint64_t value, uint64_t timeout_us)
{
	SL_POLL_BODY_(sl_read64, addr, mask, value, timeout_us);
}

#ifdef __cplusplus
}
#endif

#endif /* SL_MMIO_H */
