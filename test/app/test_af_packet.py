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
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sockpkt_lib as sp  # noqa: E402
from tplib import Failure, check, main  # noqa: E402

SCRIPT = os.path.join(HERE, "sockpkt_lib.py")
APP = None
NRAW = 300
NUDP = 40


def eal(tag, vdevs, lcores="0-1"):
    args = ["--no-huge", "-m", "256", "-l", lcores, "--file-prefix",
            "afp_%s_%d" % (tag, os.getpid())]
    for v in vdevs:
        args += ["--vdev", v]
    return args


class Testpmd:
    """sluice-testpmd --json in namespace @ns, stopped by Enter on stdin."""

    def __init__(self, ns, tag, vdevs, opts):
        self.out = tempfile.TemporaryFile(mode="w+")
        self.err = tempfile.TemporaryFile(mode="w+")
        argv = ["ip", "netns", "exec", ns, APP] + eal(tag, vdevs) + ["--", "--json"] + opts
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=self.out,
                                  stderr=self.err, text=True)

    def stderr(self):
        self.err.seek(0)
        return self.err.read()

    def wait_started(self, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if "Press enter to exit" in self.stderr():
                return
            if self.p.poll() is not None:
                break
            time.sleep(0.1)
        raise Failure("testpmd did not start forwarding", self.stderr())

    def stop(self):
        import json
        self.p.communicate("\n", timeout=30)
        self.out.seek(0)
        out = self.out.read()
        err = self.stderr()
        check(self.p.returncode == 0, "testpmd exit code %d" % self.p.returncode, out + err)
        check("leak" not in err, "testpmd reports leaked mbufs", err)
        return json.loads(out), err

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


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
    tp = pa = pb = None
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
        tp = Testpmd(d, mode, vd, opts)
        tp.wait_started()
        pa = sp.Peer(SCRIPT, a, n["a0"], "A", mac["b0"], NRAW, NUDP, "198.18.77.2", 2)
        pb = sp.Peer(SCRIPT, b, n["b0"], "B", mac["a0"], NRAW, NUDP, "198.18.77.1", 2)
        pa.wait_ready()
        pb.wait_ready()
        k0 = {"a0": sp.link_counters(a, n["a0"]), "b0": sp.link_counters(b, n["b0"])}
        pa.go()
        pb.go()
        ra, rb = pa.result(), pb.result()
        k1 = {"a0": sp.link_counters(a, n["a0"]), "b0": sp.link_counters(b, n["b0"])}
        doc, err = tp.stop()
    finally:
        for x in (tp, pa, pb):
            if x is not None:
                x.kill()
        net.cleanup()

    def expect(frames, dst_ifmac, via_mac):
        if mode == "io":
            return frames
        # mac mode: dst = the --eth-peer, src = the transmitting port's MAC.
        return [(sp.mac_bytes(dst_ifmac) + sp.mac_bytes(via_mac)).hex() + f[24:] for f in frames]

    for src, dst, via, dmac in ((ra, rb, "d1", mac["b0"]), (rb, ra, "d0", mac["a0"])):
        sent = expect(src["sent_raw"], dmac, mac[via])
        got = dst["rx_raw"]
        if qpairs > 1:  # flows spread over queues: order across queues is not kept
            sent, got = sorted(sent), sorted(got)
        check(len(got) == len(sent), "%s: %d of %d raw frames arrived" %
              (via, len(got), len(sent)))
        for i, (s, g) in enumerate(zip(sent, got)):
            check(s == g, "%s: raw frame %d differs:\n sent %s\n got  %s" % (via, i, s, g))
        sent_udp = expect(src["tx_udp"], dmac, mac[via])
        check(sorted(sent_udp) == sorted(dst["rx_udp"]),
              "%s: UDP frames sent (%d) and received (%d) differ" %
              (via, len(sent_udp), len(dst["rx_udp"])))
        check(sorted(src["udp_sent"]) == sorted(dst["udp_recv"]),
              "%s: %d of %d UDP datagrams reached the far socket" %
              (via, len(dst["udp_recv"]), len(src["udp_sent"])))
    check(len(ra["tx_udp"]) == NUDP, "A's kernel sent %d of %d datagrams" %
          (len(ra["tx_udp"]), NUDP))

    p = {x["port"]: x for x in doc["ports"]}
    for rx, tx in ((0, 1), (1, 0)):
        check(p[rx]["rx_packets"] == p[tx]["tx_packets"] + p[tx]["tx_dropped"],
              "port %d rx %d != port %d tx %d + dropped %d" % (
                  rx, p[rx]["rx_packets"], tx, p[tx]["tx_packets"], p[tx]["tx_dropped"]),
              str(doc))
    # The kernel's own counters: what a0 sent reached port 0 (received or
    # dropped by the kernel as rx_missed); what port 1 sent reached b0.
    a_tx = k1["a0"][1] - k0["a0"][1]
    b_rx = k1["b0"][0] - k0["b0"][0]
    b_tx = k1["b0"][1] - k0["b0"][1]
    a_rx = k1["a0"][0] - k0["a0"][0]
    check(a_tx == p[0]["rx_packets"] + p[0]["rx_missed"],
          "kernel: a0 sent %d, port 0 received %d + missed %d" %
          (a_tx, p[0]["rx_packets"], p[0]["rx_missed"]), str(doc))
    check(b_rx == p[1]["tx_packets"], "kernel: b0 received %d, port 1 sent %d" %
          (b_rx, p[1]["tx_packets"]), str(doc))
    check(b_tx == p[1]["rx_packets"] + p[1]["rx_missed"] and a_rx == p[0]["tx_packets"],
          "kernel counters B->A disagree with testpmd", str(doc))
    check(p[0]["rx_packets"] >= NRAW + NUDP, "port 0 received only %d" % p[0]["rx_packets"])
    if qpairs > 1:
        used = {s["rx_queue"] for s in doc["streams"] if s["rx_packets"] > 0}
        check(len(used) == qpairs, "fanout used RX queues %s of %d" % (sorted(used), qpairs),
              str(doc))


def test_io_forward():
    forward_run("io")


def test_mac_forward():
    forward_run("mac")


def test_two_queue_pairs():
    forward_run("io", qpairs=2)


def expect_error(tag, vdevs, needles, opts=(), ns=None, user=None):
    argv = [APP] + eal(tag, vdevs) + ["--", "--duration=1"] + list(opts)
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
