/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TSC frequency.  Exact when the CPU tells it (CPUID leaf 0x15 on Intel
 * since Skylake: crystal clock times the TSC/crystal ratio, or leaf 0x16's
 * base frequency where the crystal is not enumerated); otherwise
 * measured against CLOCK_MONOTONIC_RAW, which the kernel derives from a
 * fixed hardware clock and NTP does not slew.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "sl_cycles.h"
#include "sl_log.h"
#include "eal_private.h"

/* Three windows of 20 ms; the median rejects one that was preempted. */
#define CALIB_WINDOW_NS 20000000ull
#define CALIB_ROUNDS 3

static pthread_once_t tsc_once = PTHREAD_ONCE_INIT;
static uint64_t tsc_hz;
static const char *tsc_source = "calibrated";

static uint64_t
mono_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__) || defined(__i386__)
static uint64_t
tsc_hz_from_cpuid(void)
{
	unsigned int eax, ebx, ecx, edx;

	unsigned int max = __get_cpuid_max(0, NULL);

	if (max < 0x15)
		return 0;
	__cpuid(0x15, eax, ebx, ecx, edx);
	/* EAX/EBX: TSC/crystal ratio; ECX: crystal Hz (0 if not enumerated). */
	if (eax == 0 || ebx == 0)
		return 0;
	if (ecx != 0) {
		tsc_source = "cpuid-0x15";
		return (uint64_t)ecx * ebx / eax;
	}
	/*
	 * Ratio known, crystal not (Skylake/Kaby Lake client parts): there the
	 * TSC runs at the processor base frequency, which leaf 0x16 gives in
	 * MHz (the same fallback Linux uses).  Never used on AMD, which has
	 * neither leaf.
	 */
	if (max < 0x16)
		return 0;
	__cpuid(0x16, eax, ebx, ecx, edx);
	if ((eax & 0xffff) == 0)
		return 0;
	tsc_source = "cpuid-0x16";
	return (uint64_t)(eax & 0xffff) * 1000000ull;
}
#endif

static uint64_t
tsc_hz_calibrate_once(void)
{
	uint64_t t0, t1, c0, c1;
	struct timespec req = {0, (long)CALIB_WINDOW_NS};

	/* Sample the pair back to back so the two reads describe one instant. */
	t0 = mono_raw_ns();
	c0 = sl_rdtsc_precise();
	nanosleep(&req, NULL);
	t1 = mono_raw_ns();
	c1 = sl_rdtsc_precise();
	if (t1 <= t0 || c1 <= c0)
		return 0;
	return (uint64_t)((unsigned __int128)(c1 - c0) * 1000000000ull / (t1 - t0));
}

static void
tsc_init_once(void)
{
	uint64_t r[CALIB_ROUNDS], tmp;

#if defined(__aarch64__)
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(tsc_hz));
	tsc_source = "cntfrq";
	if (tsc_hz)
		return;
#elif defined(__x86_64__) || defined(__i386__)
	tsc_hz = tsc_hz_from_cpuid();
	if (tsc_hz)
		return;
#endif
	for (int i = 0; i < CALIB_ROUNDS; i++)
		r[i] = tsc_hz_calibrate_once();
	for (int i = 0; i < CALIB_ROUNDS; i++)
		for (int j = i + 1; j < CALIB_ROUNDS; j++)
			if (r[j] < r[i]) {
				tmp = r[i];
				r[i] = r[j];
				r[j] = tmp;
			}
	tsc_hz = r[CALIB_ROUNDS / 2];
	tsc_source = "calibrated";
	if (tsc_hz == 0) {
		/* Cannot happen with a working TSC; keep callers from dividing by 0. */
		SL_LOG(WARNING, EAL, "TSC calibration failed; assuming 1 GHz");
		tsc_hz = 1000000000ull;
	}
}

uint64_t
sl_get_tsc_hz(void)
{
	pthread_once(&tsc_once, tsc_init_once);
	return tsc_hz;
}

const char *
sl_get_tsc_source(void)
{
	pthread_once(&tsc_once, tsc_init_once);
	return tsc_source;
}

void
eal_tsc_init(void)
{
	SL_LOG(DEBUG, EAL, "TSC frequency %llu Hz (%s)",
	       (unsigned long long)sl_get_tsc_hz(), sl_get_tsc_source());
}

void
sl_delay_us(unsigned int us)
{
	uint64_t start = sl_rdtsc();
	uint64_t ticks = sl_us_to_tsc(us);

	while (sl_rdtsc() - start < ticks)
		sl_pause();
}

void
sl_delay_us_sleep(unsigned int us)
{
	struct timespec req = {us / 1000000, (long)(us % 1000000) * 1000}, rem;

	while (nanosleep(&req, &rem) != 0 && errno == EINTR)
		req = rem;
}
