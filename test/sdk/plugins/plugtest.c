/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A vdev driver built as a PMD plugin for test_plugin.c.  The same source
 * gives several plugins, each broken in one way (see meson.build):
 *   PLUG_NAME        the driver's name (a bare token);
 *   PLUG_ABI         ABI version in its marker (default: the real one);
 *   PLUG_NO_MARKER   no SL_PMD_PLUGIN() at all;
 *   PLUG_MISSING_SYM calls a function libsluice does not export;
 *   PLUG_FAKE_ABI1   calls into a (fake) libsluice.so.1.
 * The probe counts devices and records their arguments where the test can
 * read them (plugtest_probes, found with dlsym).
 */
#include <stdio.h>

#include "sl_bus_vdev.h"
#include "sl_eal.h"

#ifndef PLUG_NAME
#define PLUG_NAME net_plugtest
#endif

#if defined(PLUG_ABI)
__attribute__((visibility("default"))) const unsigned int sl_pmd_plugin_abi = PLUG_ABI;
#elif !defined(PLUG_NO_MARKER)
SL_PMD_PLUGIN();
#endif

#ifdef PLUG_MISSING_SYM
int sl_no_such_function(void);
#endif
#ifdef PLUG_FAKE_ABI1
int sl_fake_abi1(void);
#endif

__attribute__((visibility("default"))) unsigned int plugtest_probes;
__attribute__((visibility("default"))) char plugtest_args[64];

static int
plug_probe(struct sl_vdev_device *dev)
{
#ifdef PLUG_MISSING_SYM
	if (sl_no_such_function() < 0)
		return -1;
#endif
#ifdef PLUG_FAKE_ABI1
	if (sl_fake_abi1() < 0)
		return -1;
#endif
	plugtest_probes++;
	snprintf(plugtest_args, sizeof(plugtest_args), "%s", sl_vdev_device_args(dev));
	return 0;
}

static int
plug_remove(struct sl_vdev_device *dev)
{
	(void)dev;
	return 0;
}

static struct sl_vdev_driver plug_driver = {
	.param_help = "anything",
	.probe = plug_probe,
	.remove = plug_remove,
};

SL_VDEV_DRIVER_REGISTER(PLUG_NAME, plug_driver);
