#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Kernel tools' traffic through sluice-testpmd, checked with tcpdump.

    ns A: a0 <--veth--> d0  ns D  d1 <--veth--> b0 :ns B
                        sluice-testpmd (io mode), ports 0 (d0) and 1 (d1)

What a user does first: real tools on both sides of testpmd, nothing of ours
making the traffic or reading it back.
  - ping -c 20 -s 56 and -s 1400 from A to B: every reply comes back, and the
    ICMP echo requests and replies tcpdump captures on B's side are byte for
    byte the ones it captures on A's side (both directions cross testpmd).
  - A plain UDP sender in A (kernel sockets, checksums on; TX checksum
    offload off on a0, the step doc/drivers/af_packet.md gives) to a socket
    in B: every datagram arrives, and the frames tcpdump captures leaving a0
    and arriving on b0 are identical.
  - tcpreplay of a pcap this test writes (a few hundred frames: IPv4 UDP/TCP/
    ICMP, IPv6 UDP, ARP, 802.1Q, an experimental EtherType; 42 to 1514 bytes)
    out of a0: tcpdump on b0 captures exactly the file's frames, in order,
    bit for bit.
  - Counters: testpmd's rx of one port = tx + dropped of the other, and the
    kernel's veth counters of a0/b0 agree with testpmd's.
Once with two net_af_packet ports, once with two net_af_xdp ports.

Usage: test_kernel_traffic.py SLUICE_TESTPMD   (exit 77 when not root, when
ping, tcpdump, tcpreplay or ethtool is missing, or the build has no
net_af_xdp)
"""
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pcaplib  # noqa: E402
import sockpkt_lib as sp  # noqa: E402
from tplib import Failure, check, main  # noqa: E402

APP = None
NPING = 20
NREPLAY = 300
NUDP = 60
ADDR_A, ADDR_B = "198.18.77.1", "198.18.77.2"
REPLAY_SRC = "02:aa:00:00:00:01"   # source MAC of every replayed frame
TOOLS = {"ping": "iputils-ping", "tcpdump": "tcpdump", "tcpreplay": "tcpreplay",
         "ethtool": "ethtool"}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(proto, src, dst, payload, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto,
                      0, bytes(src), bytes(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def l4_v4(proto, src, dst, seg):
    """seg with its checksum (at offset 6 for UDP, 16 for TCP) filled in."""
    off = 6 if proto == 17 else 16
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, proto, len(seg))
    c = csum(pseudo + seg) or (0xffff if proto == 17 else 0)
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]


def replay_frames(n, seed):
    """n frames of varied protocols and sizes (42..1514 bytes), each unique.
    Unicast ones go to a MAC no interface here has, the broadcast ARP asks for
    addresses nobody here has: B's kernel answers none of them."""
    rnd = random.Random(seed)
    dst, src = bytes.fromhex("02aa00000002"), sp.mac_bytes(REPLAY_SRC)
    s4, d4 = [198, 51, 100, 1], [198, 51, 100, 2]
    sizes = [42, 60, 64, 65, 128, 300, 511, 576, 1000, 1400, 1513, 1514]
    out = []
    for i in range(n):
        size = sizes[i % len(sizes)]
        kind = i % 7
        tag = struct.pack("!I", i)

        def fill(k):
            return tag + bytes(rnd.getrandbits(8) for _ in range(max(0, k - 4)))
        if kind == 0:    # IPv4 UDP
            body = fill(size - 42)
            seg = struct.pack("!HHHH", 1024 + i, 9, 8 + len(body), 0) + body
            f = dst + src + b"\x08\x00" + ipv4(17, s4, d4, l4_v4(17, s4, d4, seg), i)
        elif kind == 1:  # IPv4 TCP with ACK|PSH
            body = fill(size - 54)
            seg = struct.pack("!HHIIBBHHH", 40000 + i, 80, i * 1000, 7, 0x50, 0x18, 65535, 0,
                              0) + body
            f = dst + src + b"\x08\x00" + ipv4(6, s4, d4, l4_v4(6, s4, d4, seg), i)
        elif kind == 2:  # IPv4 ICMP echo request
            body = fill(size - 42)
            icmp = struct.pack("!BBHHH", 8, 0, 0, 0x1234, i) + body
            icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
            f = dst + src + b"\x08\x00" + ipv4(1, s4, d4, icmp, i)
        elif kind == 3:  # IPv6 UDP (no checksum check by anyone: not for B)
            body = fill(max(0, size - 62))
            seg = struct.pack("!HHHH", 2000 + i, 9, 8 + len(body), 0x1111) + body
            f = dst + src + b"\x86\xdd" + struct.pack("!IHBB", 0x60000000, len(seg), 17, 64) + \
                bytes.fromhex("20010db8000000000000000000000001") + \
                bytes.fromhex("20010db8000000000000000000000002") + seg
        elif kind == 4:  # ARP request for an address nobody here has
            f = b"\xff" * 6 + src + b"\x08\x06" + struct.pack(
                "!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src, bytes(s4), b"\0" * 6,
                bytes([198, 51, 100, 10 + i % 200]))
            if size > len(f):
                f += fill(size - len(f))
        elif kind == 5:  # 802.1Q, priority 3, VLAN 100+i, IPv4 UDP inside
            body = fill(max(0, size - 46))
            seg = struct.pack("!HHHH", 3000 + i, 9, 8 + len(body), 0) + body
            f = dst + src + struct.pack("!HH", 0x8100, 3 << 13 | (100 + i % 3000)) + \
                b"\x08\x00" + ipv4(17, s4, d4, l4_v4(17, s4, d4, seg), i)
        else:            # IEEE 802 local experimental EtherType, raw bytes
            f = dst + src + struct.pack("!H", sp.ETH_P_TEST) + fill(size - 14)
        out.append(f)
    return out


class Capture:
    """tcpdump on an interface in a namespace, writing a pcap file.  Names
    end in .pcap: Debian's AppArmor profile of tcpdump lets it write those
    anywhere."""

    def __init__(self, ns, ifname, path, flt, direction=None):
        self.path = path
        # Immediate mode makes libpcap use TPACKET_V2 slots of the snapshot
        # length: -s 0 (256 KiB slots) would leave 8 slots in the default
        # 2 MiB buffer.  2 KiB slots hold any frame here (stop() checks that
        # none was cut), and 16 MiB hold every frame of a run.
        argv = ["ip", "netns", "exec", ns, "tcpdump", "-i", ifname, "-w", path, "-U",
                "--immediate-mode", "-s", "2048", "-B", "16384", "-n", "-Z", "root"]
        if direction:
            argv += ["-Q", direction]
        argv += flt.split()
        self.errf = tempfile.TemporaryFile(mode="w+")
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=self.errf, text=True)
        end = time.time() + 20
        while time.time() < end:
            if "listening on" in self.err():
                return
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        raise Failure("tcpdump on %s did not start: %s" % (ifname, self.err()))

    def err(self):
        self.errf.seek(0)
        return self.errf.read()

    def count(self):
        """Complete records in the file so far (-U writes each at once)."""
        try:
            with open(self.path, "rb") as f:
                buf = f.read()
        except FileNotFoundError:
            return 0
        off, n = 24, 0
        while off + 16 <= len(buf):
            cap = struct.unpack_from("<I", buf, off + 8)[0]
            if off + 16 + cap > len(buf):
                break
            off, n = off + 16 + cap, n + 1
        return n

    def stop(self, expect):
        """Waits (on a loaded machine frames may still be crossing testpmd)
        until @expect frames are in the file or 20 s passed, then a little
        longer for any extra frame, and stops tcpdump; returns the captured
        frames (bytes), checking that tcpdump dropped none and cut none."""
        end = time.time() + 20
        while self.count() < expect and time.time() < end and self.p.poll() is None:
            time.sleep(0.05)
        time.sleep(0.3)
        self.p.send_signal(signal.SIGINT)
        try:
            self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Failure("tcpdump did not stop on SIGINT")
        err = self.err()
        check(re.search(r"^0 packets dropped by kernel$", err, re.M) is not None,
              "tcpdump dropped frames", err)
        m = re.search(r"^(\d+) packets? captured\n(\d+) packets? received by filter$", err,
                      re.M)
        check(m is not None and m.group(1) == m.group(2),
              "tcpdump stopped before writing every frame it received", err)
        _hdr, recs = pcaplib.read_pcap(self.path)
        for i, (_ts, wire, data) in enumerate(recs):
            check(wire == len(data), "%s: frame %d cut to %d of %d bytes" %
                  (self.path, i, len(data), wire))
        return [data for _ts, _wire, data in recs]

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def topology(net):
    a, d, b = net.ns("a"), net.ns("d"), net.ns("b")
    t = net.tag
    n = {"a0": t + "a0", "d0": t + "d0", "d1": t + "d1", "b0": t + "b0"}
    net.veth(a, n["a0"], d, n["d0"])
    net.veth(d, n["d1"], b, n["b0"])
    sp.sh("ip", "-n", a, "addr", "add", ADDR_A + "/24", "dev", n["a0"])
    sp.sh("ip", "-n", b, "addr", "add", ADDR_B + "/24", "dev", n["b0"])
    sp.pin_neighbours(a, n["a0"], ADDR_A, b, n["b0"], ADDR_B)
    return a, d, b, n


def icmp_echo(frames, typ):
    """The IPv4 ICMP frames of ICMP type @typ (8 request, 0 reply)."""
    out = []
    for f in frames:
        if len(f) >= 35 and f[12:14] == b"\x08\x00" and f[23] == 1:
            ihl = (f[14] & 0xF) * 4
            if f[14 + ihl] == typ:
                out.append(f)
    return out


def ping_run(a, b, n, size, tmp):
    cap_a = Capture(a, n["a0"], os.path.join(tmp, "ping%d-a.pcap" % size), "icmp")
    try:
        cap_b = Capture(b, n["b0"], os.path.join(tmp, "ping%d-b.pcap" % size), "icmp")
    except Failure:
        cap_a.kill()
        raise
    try:
        # -w: ping exits once NPING replies are in (up to 60 s), rather than
        # two round trips after the last request: a loaded machine may delay
        # a reply.  It then keeps sending until NPING replies are in, so it
        # may send a request or two more; every one must be answered.
        r = subprocess.run(["ip", "netns", "exec", a, "ping", "-n", "-c", str(NPING), "-s",
                            str(size), "-i", "0.05", "-w", "60", ADDR_B],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        m = re.search(r"(\d+) packets transmitted, (\d+) received", r.stdout)
        check(r.returncode == 0 and m is not None and int(m.group(2)) >= NPING,
              "ping -s %d: not every reply came back" % size, r.stdout)
        sent = int(m.group(1))
        fa, fb = cap_a.stop(2 * sent), cap_b.stop(2 * sent)
    finally:
        cap_a.kill()
        cap_b.kill()
    for typ, what, src, dst in ((8, "echo requests", fa, fb), (0, "echo replies", fb, fa)):
        s, g = icmp_echo(src, typ), icmp_echo(dst, typ)
        check(len(s) == sent, "ping -s %d: %d %s captured on the sending side, not %d" %
              (size, len(s), what, sent), r.stdout)
        check(len(g) == len(s), "ping -s %d: %d of %d %s captured on the far side" %
              (size, len(g), len(s), what), r.stdout)
        for i, (x, y) in enumerate(zip(s, g)):
            check(len(x) == size + 42, "ping -s %d: %s %d is %d bytes" % (size, what, i, len(x)))
            check(x == y, "ping -s %d: %s %d differs:\n sent %s\n got  %s" %
                  (size, what, i, x.hex(), y.hex()))


UDP_RECV = r"""
import json, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(20)
print("ready", flush=True)
got = []
try:
    while len(got) < int(sys.argv[2]):
        got.append(s.recv(65536).hex())
except socket.timeout:
    pass
print(json.dumps(got), flush=True)
"""

UDP_SEND = r"""
import socket, sys, time
dst, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
socks = []
for k in range(8):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", port + 1 + k))
    socks.append(u)
for i in range(n):
    size = 1 + (i * 131) % 1472
    socks[i % 8].sendto(bytes((i + j) % 251 for j in range(size)), (dst, port))
    time.sleep(0.002)
"""


def udp_payloads(n):
    return [bytes((i + j) % 251 for j in range(1 + (i * 131) % 1472)) for i in range(n)]


def udp_run(a, b, n, tmp):
    """A plain UDP sender in A (kernel sockets, checksums on) to a socket in
    B.  TX checksum offload is turned off on a0, as doc/drivers/af_packet.md
    tells users, so the frames leave with their checksums finished."""
    sp.sh("ip", "netns", "exec", a, "ethtool", "-K", n["a0"], "tx", "off")
    flt = "udp and port %d" % sp.UDP_PORT
    cap_a = Capture(a, n["a0"], os.path.join(tmp, "udp-a.pcap"), flt, direction="out")
    cap_b = rx = None
    try:
        cap_b = Capture(b, n["b0"], os.path.join(tmp, "udp-b.pcap"), flt, direction="in")
        rx = subprocess.Popen(["ip", "netns", "exec", b, sys.executable, "-c", UDP_RECV,
                               str(sp.UDP_PORT), str(NUDP)], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = rx.stdout.readline()
        check(line.strip() == "ready", "UDP receiver in B did not start: %r" % line)
        sp.sh("ip", "netns", "exec", a, sys.executable, "-c", UDP_SEND, ADDR_B,
              str(sp.UDP_PORT), str(NUDP))
        out, err = rx.communicate(timeout=60)
        check(rx.returncode == 0, "UDP receiver failed", err)
        fa, fb = cap_a.stop(NUDP), cap_b.stop(NUDP)
    finally:
        for c in (cap_a, cap_b):
            if c is not None:
                c.kill()
        if rx is not None and rx.poll() is None:
            rx.kill()
            rx.wait()
    check(len(fa) == NUDP, "%d UDP frames captured leaving a0, not %d" % (len(fa), NUDP))
    check(len(fb) == len(fa), "%d of %d UDP frames captured on b0" % (len(fb), len(fa)))
    for i, (x, y) in enumerate(zip(fa, fb)):
        check(x == y, "UDP frame %d differs:\n sent %s\n got  %s" % (i, x.hex(), y.hex()))
    got = [bytes.fromhex(h) for h in json.loads(out)]
    want = udp_payloads(NUDP)
    check(got == want, "B's socket received %d of %d datagrams (or changed ones): the "
          "checksums did not verify" % (len(got), NUDP))


def replay_run(a, b, n, tmp):
    frames = replay_frames(NREPLAY, 4242)
    path = os.path.join(tmp, "replay.pcap")
    pcaplib.write_pcap(path, [(pcaplib.T0 + i * 1000, f) for i, f in enumerate(frames)],
                       nano=False)
    # Only what arrives on b0 from the file's source MAC: A's kernel may send
    # a frame of its own meanwhile (an ARP probe confirming B after the UDP
    # run), which is not the file's.
    cap = Capture(b, n["b0"], os.path.join(tmp, "replay-b.pcap"), "ether src %s" % REPLAY_SRC,
                  direction="in")
    try:
        # 2000 frames/s: the veth queue (1000 frames) and the rings never fill.
        r = subprocess.run(["ip", "netns", "exec", a, "tcpreplay", "-i", n["a0"], "--pps=2000",
                            path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        check(r.returncode == 0, "tcpreplay failed", r.stdout)
        check("Successful packets:        %d" % NREPLAY in r.stdout and
              "Failed packets:            0" in r.stdout,
              "tcpreplay did not send all %d frames" % NREPLAY, r.stdout)
        got = cap.stop(NREPLAY)
    finally:
        cap.kill()
    check(len(got) == len(frames), "%d of the file's %d frames captured on b0" %
          (len(got), len(frames)))
    for i, (s, g) in enumerate(zip(frames, got)):
        check(s == g, "replayed frame %d differs:\n file %s\n got  %s" % (i, s.hex(), g.hex()))


def diagnostics(tp, a, d, b, n):
    """testpmd's port counters and the kernel's of all four veth ends (with
    their drops), to tell which hop lost a frame."""
    out = []
    try:
        doc, _err = tp.stop()
        out += [json.dumps(x) for x in doc["ports"]]
    except (Failure, ValueError, subprocess.TimeoutExpired) as e:
        out.append("testpmd: %s" % e)
    for ns, k in ((a, "a0"), (d, "d0"), (d, "d1"), (b, "b0")):
        out.append(sp.sh("ip", "-n", ns, "-s", "-s", "link", "show", "dev", n[k],
                         check=False).stdout)
    return "\n".join(out)


def run(driver):
    net = sp.Netns("slk")
    tmp = tempfile.mkdtemp(prefix="slkt")
    tp = None
    try:
        a, d, b, n = topology(net)
        vd = ["net_%s0,iface=%s" % (driver, n["d0"]), "net_%s1,iface=%s" % (driver, n["d1"])]
        if driver == "af_packet":
            # The TPACKET_V3 RX ring hands a block over when full or 1 ms
            # after its first frame: at ping/tcpreplay rates a block holds a
            # frame or two, so the default 32 blocks of 64 KiB hold ~32 ms of
            # traffic, and a poller that a loaded machine preempts longer
            # loses frames (counted in rx_missed; seen here under a CI run).
            # 4 KiB blocks: 512 blocks, the same 2 MiB, ~0.5 s of slack.
            vd = [v + ",blocksz=4096" for v in vd]
        tp = sp.Testpmd(APP, d, "kt" + driver, vd, ["--forward-mode=io"])
        tp.wait_started()
        k0 = {"a": sp.link_counters(a, n["a0"]), "b": sp.link_counters(b, n["b0"])}
        try:
            for size in (56, 1400):
                ping_run(a, b, n, size, tmp)
            udp_run(a, b, n, tmp)
            replay_run(a, b, n, tmp)
        except Failure as e:
            raise Failure("%s\n--- where frames went ---\n%s" % (e, diagnostics(tp, a, d, b, n)))
        k1 = {"a": sp.link_counters(a, n["a0"]), "b": sp.link_counters(b, n["b0"])}
        doc, _err = tp.stop()
    finally:
        if tp is not None:
            tp.kill()
        net.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    # Each way at least the pings; A to B also the replayed file.
    sp.check_accounting(doc, k0, k1, 2 * NPING)
    p = {x["port"]: x for x in doc["ports"]}
    check(p[0]["rx_packets"] >= 2 * NPING + NUDP + NREPLAY, "port 0 received only %d packets" %
          p[0]["rx_packets"], str(doc))


def test_af_packet():
    run("af_packet")


def test_af_xdp():
    run("af_xdp")


def skip_unless_ready():
    sp.skip_unless_root()
    for tool, pkg in TOOLS.items():
        if shutil.which(tool) is None:
            print("SKIP: '%s' is not installed (Debian package %s; .ci/install-deps "
                  "installs it)" % (tool, pkg))
            sys.exit(77)
    r = subprocess.run([APP, "--no-huge", "-m", "64", "--file-prefix",
                        "sock_probe_%d" % os.getpid(), "--vdev", "net_af_xdp0", "--",
                        "--duration=1"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    if "no interface given" not in r.stdout + r.stderr:
        print("SKIP: this build has no net_af_xdp (libxdp-dev and libbpf-dev were missing "
              "at configure time)")
        sys.exit(77)


if __name__ == "__main__":
    # meson's timeout sends SIGTERM: unwind through the finally blocks, which
    # delete the namespaces and stop testpmd and tcpdump.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    APP = sys.argv[1]
    skip_unless_ready()
    tests = [test_af_packet, test_af_xdp]
    only = os.environ.get("KT_ONLY")
    if only:
        tests = [t for t in tests if t.__name__ in only.split(",")]
    sys.exit(main(tests))
