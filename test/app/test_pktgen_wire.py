#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-pktgen's frames on a real wire, decoded by tshark.

    ns P: pgX <--veth--> pgY (same namespace)
          sluice-pktgen sends on pgX (net_af_packet); dumpcap captures on pgY

For each template (UDP/IPv4 with --dst-mac/--src-mac and an address range,
802.1Q + TCP/IPv4, QinQ + UDP/IPv6 with a size range, TCP/IPv6 in a user
IMIX with the payload pattern and trailer checked) the capture must hold
exactly the frames sent, and tshark must decode each one with the asked MACs,
tags, addresses, ports and lengths, and with valid IPv4, UDP and TCP
checksums.

Usage: test_pktgen_wire.py SLUICE_PKTGEN     (exit 77 when not root, or
without tshark/dumpcap)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sockpkt_lib as sp  # noqa: E402
from tplib import check, eal_args, main  # noqa: E402

APP = sys.argv[1] if len(sys.argv) > 1 else None
DST, SRC = "02:11:22:33:44:55", "02:aa:bb:cc:dd:ee"
N = 40
FIELDS = ["eth.dst", "eth.src", "vlan.id", "vlan.etype", "ip.src", "ip.dst", "ipv6.src",
          "ipv6.dst", "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport", "frame.len",
          "ip.checksum.status", "udp.checksum.status", "tcp.checksum.status", "eth.type", "ieee8021ad.id",
          "tcp.payload"]


def capture_run(opts):
    """Send N frames with pktgen @opts on one veth end, capture them on the other;
    returns one dict of tshark fields per frame."""
    net = sp.Netns("pgw")
    cap = None
    try:
        ns = net.ns("p")
        x, y = net.tag + "x", net.tag + "y"
        net.veth(ns, x, ns, y)
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "cap.pcapng")
            cap = subprocess.Popen(["ip", "netns", "exec", ns, "dumpcap", "-i", y, "-w", pcap,
                                    "-c", str(N), "-f", "ether src " + SRC],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # dumpcap says "Capturing on" once the socket is open.
            line, end = "", time.monotonic() + 20
            while "Capturing on" not in line and time.monotonic() < end:
                line = cap.stderr.readline()
                if not line and cap.poll() is not None:
                    break
            check("Capturing on" in line, "dumpcap started", line)
            r = subprocess.run(["ip", "netns", "exec", ns, APP] +
                               eal_args("w", ["net_af_packet0,iface=" + x]) +
                               ["--log-level=warning", "--", "--tx-port=0", "--rx-port=0",
                                "--count=%d" % N, "--rate=5kpps", "--stats-period=0",
                                "--dst-mac=" + DST, "--src-mac=" + SRC] + opts,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=60)
            check(r.returncode == 0 and "leaked" not in r.stderr, "pktgen %s: exit %d"
                  % (opts, r.returncode), r.stdout + r.stderr)
            cap.wait(timeout=20)
            out = subprocess.run(["tshark", "-r", pcap, "-o", "ip.check_checksum:TRUE",
                                  "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                                  "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                                  "-E", "aggregator=,"] +
                                 sum((["-e", f] for f in FIELDS), []),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 timeout=60)
            check(out.returncode == 0, "tshark decodes the capture", out.stderr)
            rows = [dict(zip(FIELDS, ln.split("|"))) for ln in out.stdout.splitlines()]
            check(len(rows) == N, "%d frames captured, want %d" % (len(rows), N), out.stdout)
            return rows
    finally:
        if cap and cap.poll() is None:
            cap.kill()
            cap.wait()
        net.cleanup()


def test_udp4_macs_flows():
    rows = capture_run(["--flows=src-ip=10.0.0.1-10.0.0.4,dst-port=5000-5001", "--size=100"])
    for i, f in enumerate(rows):
        check(f["eth.dst"] == DST and f["eth.src"] == SRC, "MACs %r" % f)
        check(f["ip.src"] == "10.0.0.%d" % (1 + i % 4) and f["ip.dst"] == "198.18.0.2",
              "frame %d addresses %r" % (i, f))
        check(f["udp.srcport"] == "9" and f["udp.dstport"] == str(5000 + (i // 4) % 2),
              "frame %d ports %r" % (i, f))
        check(f["frame.len"] == "100" and f["ip.checksum.status"] == "1",
              "length and IPv4 checksum %r" % f)
        check(f["vlan.id"] == "" and f["tcp.srcport"] == "", "no tag, no TCP %r" % f)


def test_vlan_tcp4():
    rows = capture_run(["--vlan=100", "--proto=tcp", "--tx-udp=1234,80", "--size=128"])
    for f in rows:
        check(f["vlan.id"] == "100" and f["tcp.srcport"] == "1234" and f["tcp.dstport"] == "80",
              "802.1Q 100, TCP 1234 -> 80 %r" % f)
        check(f["frame.len"] == "128" and f["ip.checksum.status"] == "1"
              and f["tcp.checksum.status"] == "1", "length and checksums %r" % f)


def test_qinq_udp6_sizes():
    rows = capture_run(["--vlan=300,400", "--ipv6", "--size=110-149"])
    lens = []
    for f in rows:
        check(f["ieee8021ad.id"] == "300" and f["vlan.id"] == "400"
              and f["eth.type"].startswith("0x88a8"), "802.1ad 300 then 802.1Q 400 %r" % f)
        check(f["ipv6.src"] == "2001:2::1" and f["ipv6.dst"] == "2001:2::2", "IPv6 %r" % f)
        check(f["udp.checksum.status"] == "1", "UDP/IPv6 checksum good %r" % f)
        lens.append(int(f["frame.len"]))
    check(lens == list(range(110, 150)), "sizes increment 110..149: %r" % lens)


def test_tcp6_user_imix_pattern():
    # A user IMIX (3 x 120, 1 x 200 bytes) of TCP over IPv6: every 4 frames
    # hold the mix (spread evenly, the same order each time), and each TCP
    # payload is pktgen's pattern (byte i
    # of the frame holds i mod 256) up to the 16-byte trailer, which starts
    # with the magic "SLP" + stream 0 (little endian).
    rows = capture_run(["--ipv6", "--proto=tcp", "--size=imix:120x3,200x1"])
    lens = [int(f["frame.len"]) for f in rows]
    check(sorted(lens[:4]) == [120, 120, 120, 200] and lens == lens[:4] * (N // 4),
          "user IMIX 3 x 120, 1 x 200 in every 4 frames %r" % lens)
    hdr = 14 + 40 + 20
    for f in rows:
        check(f["ipv6.src"] == "2001:2::1" and f["tcp.checksum.status"] == "1"
              and f["vlan.id"] == "", "TCP/IPv6, good checksum, untagged %r" % f)
        pay = bytes.fromhex(f["tcp.payload"].replace(":", ""))
        n = int(f["frame.len"])
        check(len(pay) == n - hdr, "payload length %d for a %d-byte frame" % (len(pay), n))
        check(pay[:n - hdr - 16] == bytes(i % 256 for i in range(hdr, n - 16)),
              "payload pattern %r" % pay[:16].hex())
        check(pay[n - hdr - 16:][:4] == bytes.fromhex("00504c53"), "trailer magic %r"
              % pay[-16:].hex())


if __name__ == "__main__":
    sp.skip_unless_root()
    for tool in ("tshark", "dumpcap"):
        if shutil.which(tool) is None:
            print("SKIP: %s is not installed (apt-get install tshark)" % tool)
            sys.exit(77)
    sys.exit(main([test_udp4_macs_flows, test_vlan_tcp4, test_qinq_udp6_sizes,
                   test_tcp6_user_imix_pattern]))
