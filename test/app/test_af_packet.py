#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of net_af_packet on veth pairs in network namespaces.

    ns A: a0 <--veth--> d0  ns D  d1 <--veth--> b0 :ns B
                        sluice-testpmd, ports 0 (d0) and 1 (d1)

Both A and B send distinct raw frames (some with 802.1Q/802.1ad tags) and
UDP datagrams through their kernel stacks (which resolve each other with ARP
through testpmd).  Everything must arrive on the far side bit-identical (io
mode) or with only the MACs rewritten (mac mode), in order on one queue pair,
and the counters must add up: testpmd's rx = tx + dropped per direction, and
the kernel's veth counters agree with testpmd's.  Then bad arguments: each
must fail with a message that names the problem and its fix.

Usage: test_af_packet.py SLUICE_TESTPMD     (exit 77 when not root)
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sockpkt_lib as sp  # noqa: E402
from tplib import Failure, check, main  # noqa: E402

SCRIPT = os.path.join(HERE, "sockpkt_lib.py")
APP = None
NRAW = 300
NUDP = 40


def topology(net):
    a, d, b = net.ns("a"), net.ns("d"), net.ns("b")
    t = net.tag
    names = {"a0": t + "a0", "d0": t + "d0", "d1": t + "d1", "b0": t + "b0"}
    net.veth(a, names["a0"], d, names["d0"])
    net.veth(d, names["d1"], b, names["b0"])
    sp.sh("ip", "-n", a, "addr", "add", "198.18.77.1/24", "dev", names["a0"])
    sp.sh("ip", "-n", b, "addr", "add", "198.18.77.2/24", "dev", names["b0"])
    return a, d, b, names


def forward_run(mode, qpairs=1):
    net = sp.Netns("sla")
    tp = None
    try:
        a, d, b, n = topology(net)
        mac = {k: sp.link_mac(ns, n[k]) for k, ns in (("a0", a), ("d0", d), ("d1", d), ("b0", b))}
        opts = ["--forward-mode=" + mode]
        vd = ["net_af_packet0,iface=%s" % n["d0"], "net_af_packet1,iface=%s" % n["d1"]]
        if qpairs > 1:
            vd = [v + ",qpairs=%d" % qpairs for v in vd]
            opts += ["--rxq=%d" % qpairs, "--txq=%d" % qpairs]
        if mode == "mac":
            opts += ["--eth-peer=0," + mac["a0"], "--eth-peer=1," + mac["b0"]]
        tp = sp.Testpmd(APP, d, "afp" + mode, vd, opts)
        tp.wait_started()
        ra, rb, k0, k1 = sp.exchange(SCRIPT, a, n["a0"], b, n["b0"], NRAW, NUDP)
        doc, _err = tp.stop()
    finally:
        if tp is not None:
            tp.kill()
        net.cleanup()
    # mac mode: dst = the --eth-peer, src = the MAC of the port that sends.
    sp.check_exchange(mode, ra, rb, {"b": (mac["b0"], mac["d1"]), "a": (mac["a0"], mac["d0"])},
                      NUDP, ordered=qpairs == 1)
    sp.check_accounting(doc, k0, k1, NRAW + NUDP)
    if qpairs > 1:
        used = {(s["rx_port"], s["rx_queue"]) for s in doc["streams"] if s["rx_packets"] > 0}
        check(len(used) == 2 * qpairs, "fanout spread the flows over RX queues %s, not all %d"
              % (sorted(used), 2 * qpairs), str(doc))


def test_io_forward():
    forward_run("io")


def test_mac_forward():
    forward_run("mac")


def test_two_queue_pairs():
    forward_run("io", qpairs=2)


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
    net = sp.Netns("slb")
    try:
        d = net.ns("d")
        x = net.tag + "x0"
        net.veth(d, x, d, net.tag + "x1")
        expect_error("e1", ["net_af_packet0"], ["no interface given", "iface=<name>"], ns=d)
        expect_error("e2", ["net_af_packet0,iface=nosuch%d" % os.getpid()],
                     ["no such interface", "ip link"], ns=d)
        expect_error("e3", ["net_af_packet0,iface=%s,qpairs=0" % x], ["'0'", "qpairs"], ns=d)
        expect_error("e4", ["net_af_packet0,iface=%s,qpairs=17" % x], ["qpairs", "16"], ns=d)
        expect_error("e5", ["net_af_packet0,iface=%s,framesz=1000" % x],
                     ["framesz=1000", "multiple of 16", "framesz=1008"], ns=d)
        expect_error("e6", ["net_af_packet0,iface=%s,blocksz=5000" % x],
                     ["blocksz=5000", "page size"], ns=d)
        expect_error("e7", ["net_af_packet0,iface=%s,framecnt=100" % x],
                     ["framecnt=100", "framecnt=128"], ns=d)
        expect_error("e8", ["net_af_packet0,iface=%s,ifname=x" % x], ["ifname", "iface"], ns=d)
        expect_error("e9", ["net_af_packet0,iface=%s,framesz=abc" % x], ["'abc'", "framesz"],
                     ns=d)
        expect_error("e10", ["net_af_packet0,iface=%s" % x], ["2 RX / 2 TX queues", "at most 1"],
                     opts=["--rxq=2", "--txq=2"], ns=d)
        expect_error("e11", ["net_af_packet0,iface=%s" % x], ["CAP_NET_RAW", "root"], ns=d,
                     user="nobody")
    finally:
        net.cleanup()


if __name__ == "__main__":
    sp.skip_unless_root()
    APP = sys.argv[1]
    sys.exit(main([test_io_forward, test_mac_forward, test_two_queue_pairs, test_bad_arguments]))
