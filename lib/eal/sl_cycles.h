/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Time stamp counter access and short delays.
 *
 * sl_rdtsc() is the cheapest clock there is (about 10-40 cycles) and is
 * what the fast path uses for timeouts and measurements.  Its frequency is
 * found once per process by sl_get_tsc_hz(): from CPUID leaves 0x15/0x16
 * when the CPU reports them (Intel), otherwise by calibrating against
 * CLOCK_MONOTONIC_RAW.  The TSC is assumed invariant (constant_tsc and
 * nonstop_tsc), which every x86 server of the last decade is.
 */
#ifndef SL_CYCLES_H
#define SL_CYCLES_H

#include <stdint.h>

#include "sl_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @return the current time stamp counter. Not ordered with other loads. */
static __sl_always_inline uint64_t
sl_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
#error "sl_rdtsc: unsupported architecture"
#endif
}

/**
 * @return the time stamp counter, read only after every earlier
 * instruction has completed (for measurements that must not start early).
 */
static __sl_always_inline uint64_t
sl_rdtsc_precise(void)
{
#if defined(__x86_64__) || defined(__i386__)
	/* LFENCE waits for all prior instructions to complete locally, so
	 * RDTSC cannot be executed ahead of the code being measured. */
	__builtin_ia32_lfence();
	return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
	/* ISB keeps the counter read from being speculated early. */
	__asm__ volatile("isb" ::: "memory");
	return sl_rdtsc();
#endif
}

/**
 * @return TSC ticks per second.  The first call determines it (up to about
 * 50 ms of calibration); later calls return the cached value.  Thread-safe,
 * usable before sl_eal_init().  Never 0.
 */
uint64_t sl_get_tsc_hz(void);

/**
 * @return how sl_get_tsc_hz() obtained its value: "cpuid-0x15",
 * "cpuid-0x16", "calibrated" or "cntfrq".
 */
const char *sl_get_tsc_source(void);

/** Busy-wait @p us microseconds on the TSC (keeps the core, no syscall). */
void sl_delay_us(unsigned int us);

/** Sleep @p us microseconds, giving the core away (nanosleep). */
void sl_delay_us_sleep(unsigned int us);

/** @return TSC ticks in @p us microseconds. */
static inline uint64_t
sl_us_to_tsc(uint64_t us)
{
	uint64_t hz = sl_get_tsc_hz();

	/* Split so that us * hz cannot overflow for any realistic timeout. */
	return (us / 1000000) * hz + (us % 1000000) * hz / 1000000;
}

#ifdef __cplusplus
}
#endif

#endif /* SL_CYCLES_H */
