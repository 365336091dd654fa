/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * File descriptors handed over by a privileged launcher (sluice-launch).
 *
 * sluice-launch runs as root: it opens the sluice domain device and the
 * device nodes, attaches the devices to the domain, drops every privilege
 * and execs the application with those fds open.  The EAL then takes them
 * over instead of opening /dev/sluice/ nodes itself, so the application
 * needs no privilege and no access to the nodes.
 *
 * The fds reach the EAL in one of two ways (the options win when both are
 * present; the variable is then ignored):
 *  - EAL options `--domain-fd N` and `--device-fd BDF=N` (repeatable);
 *  - the environment variable SLUICE_LAUNCH_FDS, which sluice-launch sets:
 *
 *        SLUICE_LAUNCH_FDS=domain=3,0000:00:04.0=4,0000:00:05.0=5
 *
 *    a comma-separated list of KEY=FD items, no spaces; KEY is "domain"
 *    (exactly once when any device is listed) or a PCI address
 *    (dddd:bb:dd.f or bb:dd.f, each at most once); FD is a decimal fd
 *    number >= 0.
 *
 * Every fd is checked before use (sl_launch_fd_check_domain(),
 * sl_launch_fd_check_device()).  Once taken over, the fds are marked
 * close-on-exec so that programs the application starts do not inherit
 * device access.
 */
#ifndef SL_LAUNCH_H
#define SL_LAUNCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Environment variable read by the EAL and set by sluice-launch. */
#define SL_LAUNCH_ENV "SLUICE_LAUNCH_FDS"
/** Most device fds one launch can hand over. */
#define SL_LAUNCH_MAX_DEVICES 32
/** Room for "dddd:bb:dd.f" and its NUL. */
#define SL_LAUNCH_NAME_LEN 16

/** A set of handed-over fds. */
struct sl_launch_fds {
	int domain_fd;               /**< -1 if none */
	unsigned int nb_devices; /**< entries used in dev[] */
	struct {
		char name[SL_LAUNCH_NAME_LEN]; /**< canonical "dddd:bb:dd.f" */
		int fd;
	} dev[SL_LAUNCH_MAX_DEVICES]; /**< PCI device nodes handed over */
};

/** Empty set: no domain, no device. */
void sl_launch_fds_init(struct sl_launch_fds *fds);

/**
 * Add the domain fd from the decimal string @p arg.  @p what names the
 * source in error messages ("--domain-fd", "SLUICE_LAUNCH_FDS").
 * @return 0, -EINVAL (not a number >= 0 and < INT_MAX, or a domain fd was
 *         already given).
 */
int sl_launch_fds_set_domain(struct sl_launch_fds *fds, const char *arg, const char *what);

/**
 * Add a device fd from "BDF=N".
 * @return 0, -EINVAL (syntax, bad PCI address, address or fd given twice),
 *         -E2BIG (more than SL_LAUNCH_MAX_DEVICES devices).
 */
int sl_launch_fds_add_device(struct sl_launch_fds *fds, const char *arg, const char *what);

/**
 * Parse the SLUICE_LAUNCH_FDS format (see the file comment) into @p fds,
 * which is reset first.  Structural checks only: the fds are not touched.
 * @return 0, -EINVAL, -E2BIG; the error is logged, naming the bad item.
 */
int sl_launch_fds_parse(const char *spec, struct sl_launch_fds *fds);

/**
 * Write @p fds in the SLUICE_LAUNCH_FDS format.
 * @return the length written, or -ENOSPC if @p len is too small.
 */
int sl_launch_fds_format(const struct sl_launch_fds *fds, char *buf, size_t len);

/**
 * Check that @p fd is an open, read-write fd of the sluice domain device
 * (/dev/sluice/iommu) of a module speaking this library's API version.
 * @return 0, or -EBADF (not open, or not read-write), -ENOTTY (not a
 *         character device, or another character device), -ENOTSUP (API
 *         version); the error is logged naming @p what, the fd and the fix.
 */
int sl_launch_fd_check_domain(int fd, const char *what);

/**
 * Check that @p fd is an open, read-write fd of the sluice device node of
 * PCI device @p name, and that the device behind it (GET_INFO: vendor,
 * device, IOMMU group) is the one sysfs shows at @p name.
 * @return 0, or -EBADF, -ENOTTY (not a sluice device node, or the node of
 *         another device), -EIO (GET_INFO disagrees with sysfs); logged as
 *         for sl_launch_fd_check_domain().
 */
int sl_launch_fd_check_device(int fd, const char *name, const char *what);

#ifdef __cplusplus
}
#endif

#endif /* SL_LAUNCH_H */
