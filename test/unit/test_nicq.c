/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive filters that net_e1000 and net_igb share in sl_nicq
 * (drivers/net/common), on a register block in memory (no device): every
 * promiscuous / all-multicast combination sets exactly its RCTL filter bits
 * and leaves every other bit of the register, and every other register, as
 * it was.  The VM tests (test/vm/e1000, test/vm/igb) run the same code on
 * QEMU's devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sl_test.h"

#include "sl_nicq.h"

#define FILTERS (SL_NICQ_RCTL_UPE | SL_NICQ_RCTL_MPE | SL_NICQ_RCTL_BAM)

static uint32_t
rctl_after(uint32_t before, int promisc, int allmulti)
{
	uint32_t bar[(SL_NICQ_RCTL + 8) / 4];

	memset(bar, 0x5a, sizeof(bar));
	bar[SL_NICQ_RCTL / 4] = before;
	sl_nicq_rctl_filters_set((uint8_t *)bar, promisc, allmulti);
	/* The neighbours are untouched. */
	assert_int_equal(bar[SL_NICQ_RCTL / 4 - 1], 0x5a5a5a5a);
	assert_int_equal(bar[SL_NICQ_RCTL / 4 + 1], 0x5a5a5a5a);
	return bar[SL_NICQ_RCTL / 4];
}

static void
test_filter_bits(void **state)
{
	/* The bits of both datasheets: UPE 3, MPE 4, BAM 15 at 0x00100. */
	(void)state;
	assert_int_equal(SL_NICQ_RCTL, 0x100);
	assert_int_equal(SL_NICQ_RCTL_UPE, 0x8);
	assert_int_equal(SL_NICQ_RCTL_MPE, 0x10);
	assert_int_equal(SL_NICQ_RCTL_BAM, 0x8000);

	assert_int_equal(sl_nicq_rctl_filters(0, 0), SL_NICQ_RCTL_BAM);
	assert_int_equal(sl_nicq_rctl_filters(0, 1), SL_NICQ_RCTL_BAM | SL_NICQ_RCTL_MPE);
	assert_int_equal(sl_nicq_rctl_filters(1, 0), FILTERS);
	assert_int_equal(sl_nicq_rctl_filters(1, 1), FILTERS);
}

static void
test_filters_set(void **state)
{
	(void)state;
	for (int promisc = 0; promisc < 2; promisc++) {
		for (int allmulti = 0; allmulti < 2; allmulti++) {
			uint32_t want = sl_nicq_rctl_filters(promisc, allmulti);

			/* From all ones and from all zeros: the filter bits are
			 * exactly the wanted ones, the rest is kept. */
			assert_int_equal(rctl_after(0xffffffffu, promisc, allmulti),
					 ~FILTERS | want);
			assert_int_equal(rctl_after(0, promisc, allmulti), want);
		}
	}
	/* Leaving promiscuous mode with all-multicast on keeps MPE only. */
	assert_int_equal(rctl_after(FILTERS | 0x2, 0, 1), SL_NICQ_RCTL_BAM | SL_NICQ_RCTL_MPE | 0x2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_bits),
		cmocka_unit_test(test_filters_set),
	};

	return sl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
