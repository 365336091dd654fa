/* SPDX-License-Identifier: BSD-3-Clause */
/* Stands in for a future libsluice.so.1 at link time only (its soname is
 * libsluice.so.1): a plugin linked with it needs an ABI this build lacks. */
int sl_fake_abi1(void);
int sl_fake_abi1(void) { return 1; }
