#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of net_tap: packets testpmd writes reach the kernel stack,
and packets the kernel sends reach testpmd.

sluice-testpmd runs in namespace D with two net_tap ports; the test then
moves their TAP interfaces (the kernel side) into namespaces A and B and
gives them addresses:

    ns A: kernel stack, tapA <-fd-> port 0  testpmd (ns D)  port 1 <-fd-> tapB, kernel stack :ns B

A and B send raw frames (some VLAN-tagged) and UDP datagrams through their
kernel stacks (resolving each other with ARP through testpmd): every frame
the kernel of A sends must be read by port 0, forwarded and written by port 1
so that the kernel of B receives it bit-identical (io mode) or with only the
MACs rewritten (mac mode), the datagrams must reach B's UDP socket, and the
counters of testpmd and of the kernel's TAP interfaces must add up.  Then
bad arguments.

Usage: test_tap.py SLUICE_TESTPMD     (exit 77 when not root)
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sockpkt_lib as sp  # noqa: E402
from tplib import check, main  # noqa: E402

SCRIPT = os.path.join(HERE, "sockpkt_lib.py")
APP = None
NRAW = 300
NUDP = 40
# The ports' own MACs when mac= is not given: 02:'T':'A':'P':00:<port>.
PORT_MAC = ["02:54:41:50:00:00", "02:54:41:50:00:01"]


# The kernel sides get these MACs (the test sets them), so mac mode can name
# them in --eth-peer before the interfaces exist.
KERNEL_MAC = {"a": "02:00:5e:10:00:0a", "b": "02:00:5e:10:00:0b"}


def forward_run(mode, queues=1):
    net = sp.Netns("slt")
    tp = None
    try:
        a, d, b = net.ns("a"), net.ns("d"), net.ns("b")
        ta, tb = net.tag + "ta", net.tag + "tb"
        vd = ["net_tap0,iface=%s,queues=%d" % (ta, queues),
              "net_tap1,iface=%s,queues=%d" % (tb, queues)]
        opts = ["--forward-mode=" + mode, "--rxq=%d" % queues, "--txq=%d" % queues]
        if mode == "mac":
            opts += ["--eth-peer=0," + KERNEL_MAC["a"], "--eth-peer=1," + KERNEL_MAC["b"]]
        tp = sp.Testpmd(APP, d, "tap" + mode, vd, opts)
        tp.wait_started()
        for ns, ifname, addr, mac in ((a, ta, "198.18.77.1/24", KERNEL_MAC["a"]),
                                      (b, tb, "198.18.77.2/24", KERNEL_MAC["b"])):
            sp.sh("ip", "-n", d, "link", "set", ifname, "netns", ns)
            sp.sh("ip", "-n", ns, "link", "set", ifname, "address", mac)
            sp.sh("ip", "-n", ns, "addr", "add", addr, "dev", ifname)
            sp.sh("ip", "-n", ns, "link", "set", ifname, "up")
        ra, rb, k0, k1 = sp.exchange(SCRIPT, a, ta, b, tb, NRAW, NUDP)
        doc, _err = tp.stop()
    finally:
        if tp is not None:
            tp.kill()
        net.cleanup()
    sp.check_exchange(mode, ra, rb, {"b": (KERNEL_MAC["b"], PORT_MAC[1]),
                                     "a": (KERNEL_MAC["a"], PORT_MAC[0])},
                      NUDP, ordered=queues == 1)
    sp.check_accounting(doc, k0, k1, NRAW + NUDP)
    if queues > 1:
        used = {(s["rx_port"], s["rx_queue"]) for s in doc["streams"] if s["rx_packets"] > 0}
        check(len(used) == 2 * queues, "the kernel spread the flows over RX queues %s, not "
              "all %d" % (sorted(used), 2 * queues), str(doc))


def test_io_forward():
    forward_run("io")


def test_mac_forward():
    forward_run("mac")


def test_two_queues():
    forward_run("io", queues=2)


def expect_error(tag, vdevs, needles, opts=(), ns=None, user=None):
    argv = [APP] + sp.eal(tag, vdevs) + ["--", "--duration=1"] + list(opts)
    if user is not None:
        argv = ["setpriv", "--reuid=" + user, "--regid=nogroup", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all"] + argv
    if ns is not None:
        argv = ["ip", "netns", "exec", ns] + argv
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    out = r.stdout + r.stderr
    check(r.returncode != 0, "%s: must fail" % vdevs, out)
    for n in needles:
        check(n in out, "%s: %r in the message" % (vdevs, n), out)


def test_bad_arguments():
    net = sp.Netns("slu")
    try:
        d = net.ns("d")
        v = net.tag + "v0"
        net.veth(d, v, d, net.tag + "v1")
        expect_error("t1", ["net_tap0,iface=%s" % v], ["iface=" + v, "exists already",
                                                       "ip link del"], ns=d)
        expect_error("t2", ["net_tap0,queues=0"], ["'0'", "queues"], ns=d)
        expect_error("t3", ["net_tap0,queues=17"], ["queues", "16"], ns=d)
        expect_error("t4", ["net_tap0,mac=01:00:5e:00:00:01"], ["mac=01:00:5e:00:00:01",
                                                                 "unicast"], ns=d)
        expect_error("t5", ["net_tap0,iface=a/b"], ["iface=a/b", "not a valid"], ns=d)
        expect_error("t6", ["net_tap0,iface=waytoolonginterfacename"], ["iface"], ns=d)
        expect_error("t7", ["net_tap0,queues=2"], ["2 RX and 1 TX queues"],
                     opts=["--rxq=2", "--txq=1"], ns=d)
        expect_error("t8", ["net_tap0"], ["CAP_NET_ADMIN", "root"], ns=d, user="nobody")
        # Nothing is left behind by the failed probes.
        left = sp.sh("ip", "-n", d, "-o", "link", "show").stdout
        check("sltap" not in left and "tun" not in left, "TAP interfaces left behind", left)
    finally:
        net.cleanup()


if __name__ == "__main__":
    sp.skip_unless_root()
    APP = sys.argv[1]
    sys.exit(main([test_io_forward, test_mac_forward, test_two_queues, test_bad_arguments]))
