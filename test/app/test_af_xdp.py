#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of net_af_xdp on veth pairs in network namespaces.

    ns A: a0 <--veth--> d0  ns D  d1 <--veth--> b0 :ns B
                        sluice-testpmd, ports 0 (d0) and 1 (d1)

As test_af_packet.py: A and B send distinct raw frames (some VLAN-tagged)
and UDP datagrams through their kernel stacks; everything must arrive on the
far side bit-identical (io mode) or with only the MACs rewritten (mac mode),
and the counters must add up (testpmd's rx = tx + dropped per direction, the
kernel's veth counters agree).  Runs: two af_xdp ports; af_xdp and
af_packet; two queues per port (veths made with 2 queues); copy mode forced;
busy polling.  After each run: no XDP program is left on d0/d1.  Then a
SIGKILLed testpmd must leave no program attached (bpf_link), and bad input
must fail with a message that names the problem and the fix.

Usage: test_af_xdp.py SLUICE_TESTPMD     (exit 77 when not root, or when the
build has no net_af_xdp because libxdp/libbpf were missing)
"""
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sockpkt_lib as sp  # noqa: E402
from tplib import Failure, check, main  # noqa: E402

SCRIPT = os.path.join(HERE, "sockpkt_lib.py")
APP = None
NRAW = 300
NUDP = 40


def topology(net, queues=1):
    a, d, b = net.ns("a"), net.ns("d"), net.ns("b")
    t = net.tag
    n = {"a0": t + "a0", "d0": t + "d0", "d1": t + "d1", "b0": t + "b0"}
    if queues == 1:
        net.veth(a, n["a0"], d, n["d0"])
        net.veth(d, n["d1"], b, n["b0"])
    else:
        for x, nx, y, ny in ((a, n["a0"], d, n["d0"]), (d, n["d1"], b, n["b0"])):
            q = ["numrxqueues", str(queues), "numtxqueues", str(queues)]
            sp.sh("ip", "link", "add", nx, "netns", x, *q, "type", "veth", "peer", "name", ny,
                  "netns", y, *q)
            sp.sh("ip", "-n", x, "link", "set", nx, "up")
            sp.sh("ip", "-n", y, "link", "set", ny, "up")
    sp.sh("ip", "-n", a, "addr", "add", "198.18.77.1/24", "dev", n["a0"])
    sp.sh("ip", "-n", b, "addr", "add", "198.18.77.2/24", "dev", n["b0"])
    return a, d, b, n


def xdp_attached(ns, ifname):
    """The 'prog/xdp' line of 'ip link show', or '' when none is attached."""
    out = sp.sh("ip", "-n", ns, "-d", "link", "show", "dev", ifname).stdout
    return " ".join(l.strip() for l in out.splitlines() if "xdp" in l and "prog/" in l)


def forward_run(mode, port1="xdp", queues=1, extra=""):
    net = sp.Netns("slx")
    tp = None
    try:
        a, d, b, n = topology(net, queues)
        mac = {k: sp.link_mac(ns, n[k]) for k, ns in (("a0", a), ("d0", d), ("d1", d), ("b0", b))}
        opts = ["--forward-mode=" + mode]
        vd = ["net_af_xdp0,iface=%s%s" % (n["d0"], extra)]
        vd.append("net_af_xdp1,iface=%s%s" % (n["d1"], extra) if port1 == "xdp" else
                  "net_af_packet1,iface=%s" % n["d1"])
        if queues > 1:
            vd = [v + (",queue_count=%d" % queues if "xdp" in v else ",qpairs=%d" % queues)
                  for v in vd]
            opts += ["--rxq=%d" % queues, "--txq=%d" % queues]
        if mode == "mac":
            opts += ["--eth-peer=0," + mac["a0"], "--eth-peer=1," + mac["b0"]]
        tp = sp.Testpmd(APP, d, "afx" + mode, vd, opts)
        tp.wait_started()
        for i in ("d0", "d1") if port1 == "xdp" else ("d0",):
            check(xdp_attached(d, n[i]) != "", "%s has our XDP program while forwarding" % i,
                  tp.stderr())
        ra, rb, k0, k1 = sp.exchange(SCRIPT, a, n["a0"], b, n["b0"], NRAW, NUDP)
        doc, err = tp.stop()
        for i in ("d0", "d1"):
            left = xdp_attached(d, n[i])
            check(left == "", "after testpmd exited %s still has an XDP program: %s" %
                  (i, left), err)
    finally:
        if tp is not None:
            tp.kill()
        net.cleanup()
    sp.check_exchange(mode, ra, rb, {"b": (mac["b0"], mac["d1"]), "a": (mac["a0"], mac["d0"])},
                      NUDP, ordered=queues == 1)
    sp.check_accounting(doc, k0, k1, NRAW + NUDP)
    if queues > 1 and port1 == "xdp":
        # The sender's TX queue picks the veth RX queue: flows spread over both.
        used = {(s["rx_port"], s["rx_queue"]) for s in doc["streams"] if s["rx_packets"] > 0}
        check(len(used) == 2 * queues, "flows reached RX queues %s, not all %d" %
              (sorted(used), 2 * queues), str(doc))


def test_io_forward():
    forward_run("io")


def test_mac_forward():
    forward_run("mac")


def test_af_xdp_to_af_packet():
    forward_run("io", port1="packet")


def test_two_queues():
    forward_run("io", queues=2)


def test_force_copy_busy_poll():
    forward_run("io", extra=",force_copy=1,busy_budget=64")


def test_sigkill_leaves_nothing():
    net = sp.Netns("slk")
    tp = None
    try:
        d = net.ns("d")
        x0, x1 = net.tag + "x0", net.tag + "x1"
        net.veth(d, x0, d, x1)
        tp = sp.Testpmd(APP, d, "kill", ["net_af_xdp0,iface=%s" % x0,
                                         "net_af_xdp1,iface=%s" % x1], [])
        tp.wait_started()
        check(xdp_attached(d, x0) != "", "x0 has our XDP program while forwarding")
        tp.p.send_signal(signal.SIGKILL)
        tp.p.wait()
        # The bpf_link goes when the killed process's fds are closed.
        end = time.time() + 5
        while time.time() < end and (xdp_attached(d, x0) or xdp_attached(d, x1)):
            time.sleep(0.1)
        check(xdp_attached(d, x0) == "" and xdp_attached(d, x1) == "",
              "after SIGKILL an XDP program is still attached: %s %s" %
              (xdp_attached(d, x0), xdp_attached(d, x1)))
    finally:
        if tp is not None:
            tp.kill()
        net.cleanup()


FILTER_PROG = r"""
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, int);
} xsks_map SEC(".maps");
/* Frames of the test ethertype to the port, everything else to the kernel. */
SEC("xdp")
int only_test_frames(struct xdp_md *ctx)
{
	unsigned char *d = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (d + 14 > end || d[12] != 0x88 || d[13] != 0xb5)
		return XDP_PASS;
	return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}
char _license[] SEC("license") = "GPL";
"""

SEND_RAW = r"""
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for i in range(int(sys.argv[2])):
    s.send(b"\x02\x00\x00\x00\x00\xbb\x02\x00\x00\x00\x00\xaa\x88\xb5" + bytes([i % 256]) * 60)
"""


def test_xdp_prog_file():
    """xdp_prog=: a user's program sends only test frames to the port; the
    kernel still answers ARP on the same interface."""
    obj = build_bpf(FILTER_PROG, "filter")
    if obj is None:
        print("note: no clang -target bpf here; xdp_prog= is not run")
        return
    net = sp.Netns("slp")
    tp = None
    try:
        d, p = net.ns("d"), net.ns("p")
        x, y = net.tag + "x0", net.tag + "y0"
        net.veth(d, x, p, y)
        sp.sh("ip", "-n", d, "addr", "add", "198.18.78.1/24", "dev", x)
        sp.sh("ip", "-n", p, "addr", "add", "198.18.78.2/24", "dev", y)
        tp = sp.Testpmd(APP, d, "prog", ["net_af_xdp0,iface=%s,xdp_prog=%s" % (x, obj)],
                        ["--forward-mode=rxonly"])
        tp.wait_started()
        # A UDP datagram makes p's kernel ARP for x; d's kernel answers only
        # if the ARP request took the program's XDP_PASS branch.
        sp.sh("ip", "netns", "exec", p, sys.executable, "-c",
              "import socket, time\nfor i in range(10):\n"
              "    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', "
              "('198.18.78.1', 9)); time.sleep(0.1)")
        neigh = sp.sh("ip", "-n", p, "neigh", "show", "198.18.78.1").stdout
        check(sp.link_mac(d, x) in neigh, "d's kernel did not answer ARP through the "
              "program's XDP_PASS branch: %r" % neigh, tp.stderr())
        sp.sh("ip", "netns", "exec", p, sys.executable, "-c", SEND_RAW, y, "100")
        time.sleep(0.5)
        doc, err = tp.stop()
        check("xdp_prog=" + obj in err, "probe logs the program", err)
        port = doc["ports"][0]
        check(port["rx_packets"] == 100, "the port got %d of the 100 test frames and "
              "nothing else (no ARP, no UDP)" % port["rx_packets"], str(doc))
        check(xdp_attached(d, x) == "", "the program is detached after exit")
    finally:
        if tp is not None:
            tp.kill()
        net.cleanup()


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
    net = sp.Netns("sly")
    try:
        d = net.ns("d")
        x = net.tag + "x0"
        net.veth(d, x, d, net.tag + "x1")
        expect_error("e1", ["net_af_xdp0"], ["no interface given", "iface=<name>"], ns=d)
        expect_error("e2", ["net_af_xdp0,iface=nosuch%d" % os.getpid()],
                     ["no such interface", "ip link"], ns=d)
        expect_error("e3", ["net_af_xdp0,iface=%s,start_queue=1" % x],
                     ["start_queue=1", "has 1", "ethtool -l %s" % x], ns=d)
        expect_error("e4", ["net_af_xdp0,iface=%s,queue_count=2" % x],
                     ["queue_count=2", "has 1", "numrxqueues"], ns=d)
        expect_error("e5", ["net_af_xdp0,iface=%s,queue_count=17" % x], ["queue_count", "16"],
                     ns=d)
        expect_error("e6", ["net_af_xdp0,iface=%s,xdp_prog=/nonexistent.o" % x],
                     ["xdp_prog=/nonexistent.o", "No such file"], ns=d)
        expect_error("e7", ["net_af_xdp0,iface=%s,force_copy=2" % x], ["force_copy"], ns=d)
        expect_error("e8", ["net_af_xdp0,iface=%s,ifname=x" % x], ["ifname", "iface"], ns=d)
        expect_error("e9", ["net_af_xdp0,iface=%s" % x], ["2 RX / 2 TX queues", "at most 1"],
                     opts=["--rxq=2", "--txq=2"], ns=d)
        expect_error("e10", ["net_af_xdp0,iface=%s" % x], ["CAP_NET_RAW", "root"], ns=d,
                     user="nobody")
        # Someone else's XDP program on the interface: a generic-mode XDP_PASS
        # program attached with ip, as a user would find it.
        prog = pass_prog()
        if prog is not None:
            sp.sh("ip", "-n", d, "link", "set", "dev", x, "xdpgeneric", "obj", prog, "sec",
                  "xdp")
            try:
                expect_error("e11", ["net_af_xdp0,iface=%s" % x],
                             ["already has an XDP program", "ip link show dev %s" % x,
                              "xdp-loader status %s" % x], ns=d)
            finally:
                sp.sh("ip", "-n", d, "link", "set", "dev", x, "xdpgeneric", "off")
        else:
            print("note: no clang -target bpf here; the 'program already attached' case "
                  "is not run")
    finally:
        net.cleanup()


def build_bpf(source, name):
    """Compile @source into a BPF object with clang, or None if clang cannot."""
    import tempfile
    dirn = tempfile.mkdtemp(prefix="slxdp")
    src, obj = os.path.join(dirn, name + ".c"), os.path.join(dirn, name + ".o")
    with open(src, "w") as f:
        f.write(source)
    r = subprocess.run(["clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                        "-c", src, "-o", obj], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return obj if r.returncode == 0 else None


def pass_prog():
    """A one-line XDP_PASS object, or None if clang cannot build it."""
    return build_bpf('__attribute__((section("xdp"), used)) int pass(void *ctx) { return 2; }\n'
                     'char _license[] __attribute__((section("license"), used)) = "GPL";\n',
                     "pass")


def skip_unless_af_xdp():
    r = subprocess.run([APP, "--no-huge", "-m", "64", "--file-prefix",
                        "sock_probe_%d" % os.getpid(), "--vdev", "net_af_xdp0", "--",
                        "--duration=1"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    if "no interface given" not in r.stdout + r.stderr:
        print("SKIP: this build has no net_af_xdp (libxdp-dev and libbpf-dev were missing "
              "at configure time)")
        sys.exit(77)


if __name__ == "__main__":
    sp.skip_unless_root()
    APP = sys.argv[1]
    skip_unless_af_xdp()
    tests = [test_io_forward, test_mac_forward, test_af_xdp_to_af_packet, test_two_queues,
             test_force_copy_busy_poll, test_sigkill_leaves_nothing, test_xdp_prog_file,
             test_bad_arguments]
    only = os.environ.get("AFX_ONLY")
    if only:
        tests = [t for t in tests if t.__name__ in only.split(",")]
    sys.exit(main(tests))
