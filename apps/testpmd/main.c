/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-testpmd entry point; everything else is in testpmd_core. */
#include "testpmd.h"

int
main(int argc, char **argv)
{
	return tp_main(argc, argv);
}
