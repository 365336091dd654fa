#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-launch on the host (no module needed): every refusal that comes
before a node is opened says what is wrong and how to fix it, exits 1 and
never runs the program.  The full path (nodes, SET_DOMAIN, privilege drop,
testpmd as uid 1000) is tested in the e1000 guest suite, section 7."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import check, main, run  # noqa: E402

LAUNCH = sys.argv[1]
MARK = "/tmp/sluice-launch-cli-ran.%d" % os.getpid()
PROG = ["--", "/bin/sh", "-c", "touch " + MARK]
SYSFS = "/sys/bus/pci/devices"


def refused(args, needle, pre=()):
    if os.path.exists(MARK):
        os.unlink(MARK)
    r = run(list(pre) + [LAUNCH] + args)
    out = r.stdout + r.stderr
    check(r.returncode == 1, "exit 1 for %s (got %d)" % (args, r.returncode), out)
    check(needle in r.stderr, "message %r for %s" % (needle, args), out)
    check(not os.path.exists(MARK), "the program ran for %s" % args, out)


def unbound_device():
    """A host PCI device not bound to sluice-pci (there is no module here)."""
    for d in sorted(os.listdir(SYSFS)):
        drv = os.path.join(SYSFS, d, "driver")
        if not os.path.exists(drv) or os.path.basename(os.readlink(drv)) != "sluice-pci":
            return d, (os.path.basename(os.readlink(drv)) if os.path.exists(drv) else None)
    return None, None


def test_options():
    refused([], "--user is required")
    refused(["--user", "nobody"] + PROG, "no --device given")
    refused(["--user", "nobody", "--device", "0000:00:04.0"], "no program to run")
    refused(["--user", "nobody", "--device", "0000:00:99.0"] + PROG,
            "invalid value '0000:00:99.0' for --device: expected a PCI address")
    refused(["--user", "nobody", "--device", "00:04.0", "--device", "0000:00:04.0"] + PROG,
            "--device 0000:00:04.0 given twice")
    refused(["--user", "nobody", "--memlock", "12Q", "--device", "0000:00:04.0"] + PROG,
            "invalid value '12Q' for --memlock")
    refused(["--user", "nobody", "--frobnicate"] + PROG, "unknown option '--frobnicate'")
    refused(["--user"], "option '--user' needs a value")


def test_users():
    if os.geteuid() != 0:
        print("SKIP test_users: not root")
        return
    refused(["--user", "root", "--device", "0000:00:04.0"] + PROG, "--user root is root")
    refused(["--user", "0", "--device", "0000:00:04.0"] + PROG, "--user 0 is root")
    refused(["--user", "no-such-user-x", "--device", "0000:00:04.0"] + PROG,
            "--user no-such-user-x: no such user")
    refused(["--user", "nobody", "--group", "root", "--device", "0000:00:04.0"] + PROG,
            "--group root is root's group 0")
    refused(["--user", "4000000", "--device", "0000:00:04.0"] + PROG,
            "uid 4000000 has no passwd entry, so it has no primary group: give --group")
    # not root: refused before anything is opened
    refused(["--user", "nobody", "--device", "0000:00:04.0"] + PROG, "must run as root",
            pre=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])


def test_devices():
    if os.geteuid() != 0:
        print("SKIP test_devices: not root")
        return
    missing = "0000:7e:1d.5"
    check(not os.path.exists(os.path.join(SYSFS, missing)), "%s exists here" % missing)
    refused(["--user", "nobody", "--device", missing] + PROG,
            "--device %s: no such PCI device" % missing)
    dev, drv = unbound_device()
    if dev is None:
        print("SKIP unbound device: no PCI device on this machine")
        return
    refused(["--user", "nobody", "--device", dev] + PROG,
            "--device %s is %s, not sluice-pci: bind it first with sluice-devbind "
            "--bind=sluice-pci %s" % (dev, "bound to " + drv if drv else
                                      "not bound to any driver", dev))


if __name__ == "__main__":
    rc = main([test_options, test_users, test_devices])
    # the root-only parts were skipped: a skip, not a pass
    sys.exit(77 if rc == 0 and os.geteuid() != 0 else rc)
