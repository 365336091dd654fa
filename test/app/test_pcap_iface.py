#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of net_pcap on a live interface, over a veth pair between
two network namespaces the test creates and removes:

    ns B: peer (AF_PACKET) on vB <-veth-> vA : port 0 (iface=vA)  testpmd (ns A)
                                               port 1 (rx_pcap=in.pcap, tx_pcap=out.pcap)

io forwarding, paired ports: what the peer sends arrives on vA, port 0
receives it through libpcap and port 1 writes it to out.pcap; the packets of
in.pcap go the other way, injected on vA, and the peer captures them.

Checks: out.pcap holds exactly the peer's frames, bit-identical (VLAN tags
included), with capture times inside the run; the peer receives in.pcap's
frames once each and in order (port 0 does not receive its own injected
frames again); tshark reads out.pcap; testpmd's counters and the kernel's
veth counters agree.  Then the errors:
a missing interface, and no permission (run as 'nobody').

Usage: test_pcap_iface.py SLUICE_TESTPMD     (exit 77 when not root)
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pcaplib  # noqa: E402
import sockpkt_lib as sp  # noqa: E402
from tplib import check, main  # noqa: E402

SCRIPT = os.path.join(HERE, "sockpkt_lib.py")
APP = None
NRAW = 200
NIN = 50
TMP = None


def test_iface_both_ways():
    net = sp.Netns("slpc")
    tp = peer = None
    try:
        a, b = net.ns("a"), net.ns("b")
        va, vb = net.tag + "a", net.tag + "b"
        net.veth(a, va, b, vb)
        pkts = pcaplib.make_packets(NIN, 11, lens=(60, 64, 128, 511, 1000, 1514))
        inp, outp = os.path.join(TMP, "in.pcap"), os.path.join(TMP, "out.pcap")
        pcaplib.write_pcap(inp, pkts)
        # The peer captures from before testpmd starts, so it sees in.pcap's
        # frames, which port 1 reads at once.
        peer = sp.Peer(SCRIPT, b, vb, "pcap", sp.link_mac(a, va), NRAW, 0, "0.0.0.0", 1.5)
        peer.wait_ready()
        t_start = time.time_ns()
        tp = sp.Testpmd(APP, a, "pcapif", ["net_pcap0,iface=" + va,
                                           "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (inp, outp)],
                        ["--forward-mode=io"])
        tp.wait_started()
        peer.go()
        res = peer.result()
        doc, err = tp.stop()
        t_end = time.time_ns()
        ports = {p["port"]: p for p in doc["ports"]}

        # Peer -> vA -> port 0 -> port 1 -> out.pcap, bit-identical.
        _, got = pcaplib.read_pcap(outp)
        sent = [bytes.fromhex(h) for h in res["sent_raw"]]
        frames = [d for _, _, d in got]
        check(len(sent) == NRAW, "peer sent %d" % len(sent))
        check(frames == sent, "out.pcap holds %d frames, not the %d the peer sent in order "
              "(first difference at %s)" % (len(frames), len(sent), next(
                  (i for i, (x, y) in enumerate(zip(frames, sent)) if x != y),
                  min(len(frames), len(sent)))), err)
        for ts, wire, d in got:
            check(t_start <= ts <= t_end and wire == len(d),
                  "capture time %d outside the run [%d, %d]" % (ts, t_start, t_end))
        check(len(pcaplib.tshark_fields(outp)) == NRAW, "tshark count of out.pcap")
        check(ports[0]["rx_packets"] == NRAW, "port 0 received %d, want %d" %
              (ports[0]["rx_packets"], NRAW), err)
        check(ports[1]["tx_packets"] == NRAW, "port 1 wrote %d" % ports[1]["tx_packets"], err)

        # in.pcap -> port 1 -> port 0 -> vA -> peer, once each, in order.
        rx = [bytes.fromhex(h) for h in res["rx_raw"]]
        check(rx == [d for _, d in pkts], "peer received %d frames, not in.pcap's %d in "
              "order" % (len(rx), NIN), err)
        check(ports[1]["rx_packets"] == NIN and ports[0]["tx_packets"] == NIN,
              "in.pcap counters: port 1 rx %d, port 0 tx %d, want %d" %
              (ports[1]["rx_packets"], ports[0]["tx_packets"], NIN), err)
        # The kernel's counters agree (no IPv6, no addresses: the veths
        # carry the test's frames and nothing else).
        for ns, ifname, want in ((a, va, (NRAW, NIN)), (b, vb, (NIN, NRAW))):
            got_rx, got_tx = sp.link_counters(ns, ifname)
            check((got_rx, got_tx) == want, "%s: kernel counts rx %d tx %d, want %d %d" %
                  (ifname, got_rx, got_tx, want[0], want[1]))
    finally:
        if peer:
            peer.kill()
        if tp:
            tp.kill()
        net.cleanup()


def run_tp(argv, ns=None):
    pre = ["ip", "netns", "exec", ns] if ns else []
    return subprocess.run(pre + argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60)


def test_iface_errors():
    net = sp.Netns("slpe")
    try:
        a = net.ns("a")
        r = run_tp([APP] + sp.eal("pcapnoif", ["net_pcap0,iface=slpc_nosuch0"]) +
                   ["--", "--duration=0.1"], a)
        out = r.stdout + r.stderr
        check(r.returncode == 2, "missing interface: exit %d, want 2" % r.returncode, out)
        check("iface=slpc_nosuch0: no such interface; list them with 'ip link'" in out,
              "missing interface message", out)
        # No permission: the same program as 'nobody' on loopback.
        r = run_tp(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", APP] +
                   sp.eal("pcapnoperm", ["net_pcap0,iface=lo"]) + ["--", "--duration=0.1"],
                   a)
        out = r.stdout + r.stderr
        check(r.returncode == 2, "no permission: exit %d, want 2" % r.returncode, out)
        check("permission denied" in out and "CAP_NET_RAW" in out, "no-permission message",
              out)
    finally:
        net.cleanup()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "peer":
        sp.peer_main(sys.argv[2:])
        sys.exit(0)
    APP = sys.argv[1]
    sp.skip_unless_root()
    if not pcaplib.have_tshark():
        print("SKIP: tshark is not installed (.ci/install-deps installs it)")
        sys.exit(77)
    TMP = tempfile.mkdtemp(prefix="sl_test_pcap_iface_")
    rc = main([test_iface_both_ways, test_iface_errors])
    if rc == 0:
        import shutil
        shutil.rmtree(TMP, ignore_errors=True)
    else:
        print("files kept in", TMP)
    sys.exit(rc)
