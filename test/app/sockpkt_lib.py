# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for the socket-PMD tests (test_af_packet.py, test_tap.py): network
namespaces and veth pairs that the test creates and always removes, and a
"peer" that runs inside a namespace, sends distinct frames and captures what
arrives, with VLAN tags put back from PACKET_AUXDATA so that captured frames
are the bytes that were on the wire."""
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import Failure  # noqa: E402

ETH_P_ALL = 0x0003
ETH_P_TEST = 0x88B5          # IEEE 802 local experimental ethertype
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
SO_NO_CHECK = 11
UDP_PORT = 9999
UDP_FLOWS = 16
# Frame lengths (no FCS) the raw senders cycle through, minimum to MTU.
RAW_SIZES = [60, 64, 65, 128, 511, 1000, 1514]


def skip_unless_root():
    """Exit 77 (skipped) with the reason when the test cannot run here."""
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespaces, veth pairs and AF_PACKET sockets)")
        sys.exit(77)
    for tool in ("ip",):
        if subprocess.run(["which", tool], stdout=subprocess.DEVNULL).returncode != 0:
            print("SKIP: '%s' (iproute2) is not installed" % tool)
            sys.exit(77)


def sh(*argv, check=True):
    r = subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        raise Failure("%s failed (%d): %s" % (" ".join(argv), r.returncode, r.stderr))
    return r


class Netns:
    """Namespaces and veth pairs with names unique to this process; cleanup()
    deletes them (deleting a namespace deletes the veths inside it)."""

    def __init__(self, tag):
        self.tag = "%s%d" % (tag, os.getpid() % 100000)
        self.namespaces = []

    def ns(self, suffix):
        name = self.tag + suffix
        sh("ip", "netns", "add", name)
        self.namespaces.append(name)
        # No IPv6: its router and neighbour solicitations would be extra
        # packets in counters that must add up exactly.
        for key in ("all", "default"):
            sh("ip", "netns", "exec", name, "sysctl", "-qw",
               "net.ipv6.conf.%s.disable_ipv6=1" % key)
        sh("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def veth(self, ns1, if1, ns2, if2):
        """A veth pair with end if1 in ns1 and if2 in ns2, both up."""
        sh("ip", "link", "add", if1, "netns", ns1, "type", "veth", "peer", "name", if2,
           "netns", ns2)
        sh("ip", "-n", ns1, "link", "set", if1, "up")
        sh("ip", "-n", ns2, "link", "set", if2, "up")

    def cleanup(self):
        for name in reversed(self.namespaces):
            sh("ip", "netns", "del", name, check=False)
        self.namespaces = []


def link_mac(ns, ifname):
    doc = json.loads(sh("ip", "-n", ns, "-j", "link", "show", "dev", ifname).stdout)
    return doc[0]["address"]


def link_counters(ns, ifname):
    """(rx_packets, tx_packets) of an interface, from the kernel."""
    doc = json.loads(sh("ip", "-n", ns, "-j", "-s", "link", "show", "dev", ifname).stdout)
    st = doc[0]["stats64"]
    return st["rx"]["packets"], st["tx"]["packets"]


def pin_neighbours(a, a_if, addr_a, b, b_if, addr_b):
    """Permanent ARP entries for A and B towards each other.  A dynamic entry
    goes stale and the kernel sends a unicast ARP probe when it next uses it,
    up to 5 s later (delay_first_probe_time): one landed between the last
    counter snapshot and testpmd's stop in a CI run, so port 0 counted a
    frame A's counters did not (402 against 401)."""
    for ns, ifname, addr, peer_ns, peer_if in ((a, a_if, addr_b, b, b_if),
                                                (b, b_if, addr_a, a, a_if)):
        sh("ip", "-n", ns, "neigh", "replace", addr, "lladdr", link_mac(peer_ns, peer_if),
           "dev", ifname, "nud", "permanent")


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def raw_frames(role, dst, src, count, seed):
    """count distinct test frames from dst/src MACs (bytes); every 5th carries an
    802.1Q tag, every 11th is 802.1ad, so tag stripping and re-insertion is
    exercised.  The payload starts with role and sequence number."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        size = RAW_SIZES[i % len(RAW_SIZES)]
        hdr = dst + src
        if i % 11 == 3:
            hdr += struct.pack("!HH", 0x88A8, 100 + i)
        elif i % 5 == 2:
            hdr += struct.pack("!HH", 0x8100, (i % 8) << 13 | (10 + i))
        hdr += struct.pack("!H", ETH_P_TEST)
        body = role.encode() + struct.pack("!I", i)
        body += bytes(rnd.getrandbits(8) for _ in range(max(0, size - len(hdr) - len(body))))
        out.append(hdr + body)
    return out


def is_test_frame(f):
    et = struct.unpack("!H", f[12:14])[0]
    if et in (0x8100, 0x88A8):
        et = struct.unpack("!H", f[16:18])[0]
    return et == ETH_P_TEST


def is_udp_test_frame(f):
    if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17:
        return False
    ihl = (f[14] & 0xF) * 4
    return struct.unpack("!H", f[14 + ihl + 2:14 + ihl + 4])[0] == UDP_PORT


def recv_frame(s):
    """One frame with its VLAN tag put back; returns (pkttype, bytes)."""
    data, anc, _flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(20))
    for level, typ, cdata in anc:
        if level == SOL_PACKET and typ == PACKET_AUXDATA and len(cdata) >= 20:
            status, _l, _s, _m, _n, tci, tpid = struct.unpack("IIIHHHH", cdata[:20])
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return addr[2], data


def peer_main(argv):
    """Run inside a namespace: `peer IFACE ROLE DST_MAC NRAW NUDP PEER_IP SECONDS`.
    Prints 'ready' once capturing, waits for a line on stdin, sends NRAW raw
    frames and NUDP UDP datagrams (to PEER_IP, through the kernel stack), keeps
    capturing for SECONDS and prints one JSON object."""
    iface, role, dst_mac, nraw, nudp, peer_ip, secs = argv
    nraw, nudp, secs = int(nraw), int(nudp), float(secs)
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    cap.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    cap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    cap.bind((iface, ETH_P_ALL))
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((iface, 0))
    src = tx.getsockname()[4]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", UDP_PORT))
    udp.setblocking(False)
    # Senders on UDP_FLOWS source ports: distinct flows, so a fanout hash
    # spreads them over queues.  No UDP checksum: a veth's checksum offload
    # would leave a partial sum in the frame, which only the kernel that made
    # it can finish.
    senders = []
    for k in range(UDP_FLOWS):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
        u.bind(("0.0.0.0", UDP_PORT + 1 + k))
        senders.append(u)
    print("ready", flush=True)
    sys.stdin.readline()

    frames = raw_frames(role, mac_bytes(dst_mac), src, nraw, hash(role) & 0xffff)
    rnd = random.Random(len(role) * 7919)
    payloads = [(role + ":%d:" % i).encode() + bytes(rnd.getrandbits(8) for _ in range(
        (i * 97) % 1400)) for i in range(nudp)]
    res = {"sent_raw": [f.hex() for f in frames], "rx_raw": [], "tx_udp": [], "rx_udp": [],
           "udp_sent": [p.hex() for p in payloads], "udp_recv": []}

    def drain(timeout):
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                return
            r, _, _ = select.select([cap, udp], [], [], left)
            if cap in r:
                ptype, f = recv_frame(cap)
                if ptype == PACKET_OUTGOING:
                    if is_udp_test_frame(f):
                        res["tx_udp"].append(f.hex())
                elif is_test_frame(f):
                    res["rx_raw"].append(f.hex())
                elif is_udp_test_frame(f):
                    res["rx_udp"].append(f.hex())
            if udp in r:
                res["udp_recv"].append(udp.recv(65536).hex())

    for i, f in enumerate(frames):
        tx.send(f)
        if i % 16 == 15:
            drain(0.002)  # pace: a veth queue holds a few hundred frames
    for i, p in enumerate(payloads):
        senders[i % UDP_FLOWS].sendto(p, (peer_ip, UDP_PORT))
        drain(0.002)
    drain(secs)
    print(json.dumps(res), flush=True)


class Peer:
    """A peer_main process in a namespace."""

    def __init__(self, script, ns, iface, role, dst_mac, nraw, nudp, peer_ip, secs):
        self.p = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable, script, "peer", iface, role, dst_mac,
             str(nraw), str(nudp), peer_ip, str(secs)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_ready(self):
        line = self.p.stdout.readline()
        if line.strip() != "ready":
            raise Failure("peer did not start: %r %s" % (line, self.p.stderr.read()))

    def go(self):
        self.p.stdin.write("go\n")
        self.p.stdin.flush()

    def result(self, timeout=60):
        out, err = self.p.communicate(timeout=timeout)
        if self.p.returncode != 0:
            raise Failure("peer failed (%d): %s" % (self.p.returncode, err))
        return json.loads(out)

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()



def eal(tag, vdevs, lcores="0-1"):
    args = ["--no-huge", "-m", "256", "-l", lcores, "--file-prefix",
            "sock_%s_%d" % (tag, os.getpid())]
    for v in vdevs:
        args += ["--vdev", v]
    return args


def check(cond, what, output=""):
    if not cond:
        raise Failure(what + ("\n--- output ---\n" + output[-3000:] if output else ""))


class Testpmd:
    """sluice-testpmd --json in namespace @ns, stopped by Enter on stdin."""

    def __init__(self, app, ns, tag, vdevs, opts):
        import tempfile
        self.out = tempfile.TemporaryFile(mode="w+")
        self.err = tempfile.TemporaryFile(mode="w+")
        argv = ["ip", "netns", "exec", ns, app] + eal(tag, vdevs) + ["--", "--json"] + opts
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
        raise Failure("testpmd did not start forwarding\n" + self.stderr()[-3000:])

    def stop(self):
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


def check_exchange(mode, ra, rb, rewrite, nudp, ordered=True):
    """Check what peers A and B sent arrived at the other bit-identical (io) or
    with dst/src MACs rewritten (mac).  rewrite[d] = (dst_mac, src_mac) that
    mac mode writes into frames towards d ('a' or 'b')."""
    def expect(frames, d):
        if mode == "io":
            return frames
        dst, src = rewrite[d]
        return [(mac_bytes(dst) + mac_bytes(src)).hex() + f[24:] for f in frames]

    for src, dst, d in ((ra, rb, "b"), (rb, ra, "a")):
        sent = expect(src["sent_raw"], d)
        got = dst["rx_raw"]
        if not ordered:  # flows spread over queues: order across queues is not kept
            sent, got = sorted(sent), sorted(got)
        check(len(got) == len(sent), "towards %s: %d of %d raw frames arrived" %
              (d, len(got), len(sent)))
        for i, (s, g) in enumerate(zip(sent, got)):
            check(s == g, "towards %s: raw frame %d differs:\n sent %s\n got  %s" % (d, i, s, g))
        sent_udp = expect(src["tx_udp"], d)
        check(sorted(sent_udp) == sorted(dst["rx_udp"]),
              "towards %s: UDP frames sent (%d) and received (%d) differ" %
              (d, len(sent_udp), len(dst["rx_udp"])))
        check(sorted(src["udp_sent"]) == sorted(dst["udp_recv"]),
              "towards %s: %d of %d UDP datagrams reached the far socket" %
              (d, len(dst["udp_recv"]), len(src["udp_sent"])))
        check(len(src["tx_udp"]) == nudp, "the kernel sent %d of %d datagrams" %
              (len(src["tx_udp"]), nudp))


def check_accounting(doc, k0, k1, nmin):
    """testpmd: rx of one port = tx + dropped of the other; the kernel's
    counters of a0/b0 (k0 before, k1 after the exchange) agree."""
    p = {x["port"]: x for x in doc["ports"]}
    for rx, tx in ((0, 1), (1, 0)):
        check(p[rx]["rx_packets"] == p[tx]["tx_packets"] + p[tx]["tx_dropped"],
              "port %d rx %d != port %d tx %d + dropped %d" % (
                  rx, p[rx]["rx_packets"], tx, p[tx]["tx_packets"], p[tx]["tx_dropped"]),
              str(doc))
    a_rx, a_tx = (k1["a"][i] - k0["a"][i] for i in (0, 1))
    b_rx, b_tx = (k1["b"][i] - k0["b"][i] for i in (0, 1))
    check(a_tx == p[0]["rx_packets"] + p[0]["rx_missed"],
          "kernel: A sent %d, port 0 received %d + missed %d" %
          (a_tx, p[0]["rx_packets"], p[0]["rx_missed"]), str(doc))
    check(b_rx == p[1]["tx_packets"], "kernel: B received %d, port 1 sent %d" %
          (b_rx, p[1]["tx_packets"]), str(doc))
    check(b_tx == p[1]["rx_packets"] + p[1]["rx_missed"],
          "kernel: B sent %d, port 1 received %d + missed %d" %
          (b_tx, p[1]["rx_packets"], p[1]["rx_missed"]), str(doc))
    check(a_rx == p[0]["tx_packets"], "kernel: A received %d, port 0 sent %d" %
          (a_rx, p[0]["tx_packets"]), str(doc))
    check(p[0]["rx_packets"] >= nmin and p[1]["rx_packets"] >= nmin,
          "ports received only %d and %d packets" % (p[0]["rx_packets"], p[1]["rx_packets"]))
    return p


def exchange(script, a, a_if, b, b_if, nraw, nudp):
    """Run peers in A and B at once; returns (result A, result B, kernel
    counters before, after)."""
    mac_a, mac_b = link_mac(a, a_if), link_mac(b, b_if)
    pin_neighbours(a, a_if, "198.18.77.1", b, b_if, "198.18.77.2")
    pa = Peer(script, a, a_if, "A", mac_b, nraw, nudp, "198.18.77.2", 2)
    pb = Peer(script, b, b_if, "B", mac_a, nraw, nudp, "198.18.77.1", 2)
    try:
        pa.wait_ready()
        pb.wait_ready()
        k0 = {"a": link_counters(a, a_if), "b": link_counters(b, b_if)}
        pa.go()
        pb.go()
        ra, rb = pa.result(), pb.result()
        k1 = {"a": link_counters(a, a_if), "b": link_counters(b, b_if)}
    finally:
        pa.kill()
        pb.kill()
    return ra, rb, k0, k1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "peer":
        peer_main(sys.argv[2:])
        sys.exit(0)
    sys.exit("usage: sockpkt_lib.py peer IFACE ROLE DST_MAC NRAW NUDP PEER_IP SECONDS")
