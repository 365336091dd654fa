/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Small definitions every Sluice file may use: alignment, branch hints,
 * compile-time checks.  Kept deliberately short; anything with state or
 * with a syscall belongs in its own header.
 */
#ifndef SL_COMMON_H
#define SL_COMMON_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_build_config.h"

#define SL_CACHE_LINE_MASK (SL_CACHE_LINE_SIZE - 1) /**< SL_CACHE_LINE_SIZE - 1: the offset bits within a line */

/** Align a type or variable on a cache line. */
#define __sl_cache_aligned __attribute__((aligned(SL_CACHE_LINE_SIZE)))
#define __sl_aligned(a) __attribute__((aligned(a))) /**< Align a type or variable on @p a bytes */
#define __sl_packed __attribute__((packed)) /**< No padding between members (wire formats) */
#define __sl_always_inline inline __attribute__((always_inline)) /**< Inline even when not optimising (fast-path helpers) */
#define __sl_noinline __attribute__((noinline)) /**< Never inline (keeps cold code out of a loop) */
#define __sl_unused __attribute__((unused)) /**< Unused parameter or variable: no warning */
#define __sl_cold __attribute__((cold)) /**< Rarely executed (error paths) */
#define __sl_format_printf(f, a) __attribute__((format(printf, f, a))) /**< printf-style checking: format is argument @p f, values start at @p a */

#define sl_likely(x) __builtin_expect(!!(x), 1) /**< Branch hint: @p x is usually true */
#define sl_unlikely(x) __builtin_expect(!!(x), 0) /**< Branch hint: @p x is usually false */

/** Number of elements of a true array (not a pointer). */
#define SL_DIM(a) (sizeof(a) / sizeof((a)[0]))

#define SL_MIN(a, b) ((a) < (b) ? (a) : (b)) /**< Smaller of @p a and @p b (each evaluated twice) */
#define SL_MAX(a, b) ((a) > (b) ? (a) : (b)) /**< Larger of @p a and @p b (each evaluated twice) */

/** Round @p v up/down to a multiple of @p align, which must be a power of two. */
#define SL_ALIGN_CEIL(v, align) \
	(((v) + ((__typeof__(v))(align) - 1)) & ~((__typeof__(v))(align) - 1))
#define SL_ALIGN_FLOOR(v, align) ((v) & ~((__typeof__(v))(align) - 1)) /**< Round @p v down to a multiple of @p align (a power of two) */
#define SL_IS_ALIGNED(v, align) ((((uintptr_t)(v)) & ((align) - 1)) == 0) /**< True if pointer or integer @p v is a multiple of @p align (a power of two) */

#define SL_PTR_ADD(p, off) ((void *)((uintptr_t)(p) + (off))) /**< Pointer @p p plus @p off bytes, as void * */
#define SL_PTR_SUB(p, off) ((void *)((uintptr_t)(p) - (off))) /**< Pointer @p p minus @p off bytes, as void * */
#define SL_PTR_DIFF(a, b) ((uintptr_t)(a) - (uintptr_t)(b)) /**< Bytes from pointer @p b up to pointer @p a */

/** The @p type that contains @p ptr as its @p member. */
#define sl_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/** @return non-zero if @p n is a power of two (0 is not). */
static inline int
sl_is_power_of_2(uint64_t n)
{
	return n && !(n & (n - 1));
}

/** @return the smallest power of two >= @p v (v must be <= 2^31). */
static inline uint32_t
sl_align32pow2(uint32_t v)
{
	if (v <= 1)
		return 1;
	return 1u << (32 - __builtin_clz(v - 1));
}

/** @return the smallest power of two >= @p v (v must be <= 2^63). */
static inline uint64_t
sl_align64pow2(uint64_t v)
{
	if (v <= 1)
		return 1;
	return 1ull << (64 - __builtin_clzll(v - 1));
}

/** Tell the CPU we are spinning (x86 PAUSE, arm YIELD). */
static __sl_always_inline void
sl_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

/** Stop the compiler from moving memory accesses across this point. */
#define sl_compiler_barrier() __asm__ volatile("" ::: "memory")

/** Prefetch for reading into all cache levels. */
#define sl_prefetch0(p) __builtin_prefetch((p), 0, 3)
/** Prefetch for writing. */
#define sl_prefetch_w(p) __builtin_prefetch((p), 1, 3)

#define SL_STR_(x) #x
#define SL_STR(x) SL_STR_(x) /**< Token @p x (after macro expansion) as a string literal */

/** Socket id meaning "any NUMA node". */
#define SL_SOCKET_ID_ANY (-1)

#endif /* SL_COMMON_H */
