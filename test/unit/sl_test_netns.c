/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network namespace fixture of the socket-PMD tests (sl_test_netns.h).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_test_netns.h"

int
sl_test_run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fprintf(stderr, "'%s' failed (%d)\n", cmd, rc);
	return rc;
}

static void
sysctl_one(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return; /* no IPv6 in this kernel: nothing to silence */
	(void)fputs("1", f);
	(void)fclose(f);
}

int
sl_test_netns_enter(const char *if_a, const char *if_b, char *why, size_t why_len)
{
	char cmd[128];

	if (geteuid() != 0) {
		snprintf(why, why_len, "needs root (a network namespace, CAP_NET_ADMIN and "
			 "CAP_NET_RAW)");
		return -EPERM;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		int err = errno;

		snprintf(why, why_len, "unshare(CLONE_NEWNET): %s", strerror(err));
		return -err;
	}
	sysctl_one("/proc/sys/net/ipv6/conf/default/disable_ipv6");
	sysctl_one("/proc/sys/net/ipv6/conf/all/disable_ipv6");
	if (if_a == NULL)
		return 0;
	snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %s", if_a, if_b);
	if (sl_test_run(cmd) != 0)
		goto no_veth;
	snprintf(cmd, sizeof(cmd), "ip link set %s up && ip link set %s up", if_a, if_b);
	if (sl_test_run(cmd) != 0)
		goto no_veth;
	return 0;
no_veth:
	snprintf(why, why_len, "cannot create the veth pair %s/%s with 'ip'", if_a, if_b);
	return -ENODEV;
}
