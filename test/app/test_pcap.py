#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""net_pcap and testpmd capture, end to end through sluice-testpmd:

 - pcap (and pcapng) in -> io forwarding -> pcap out is the input byte for
   byte, timestamps to the nanosecond; tshark reads the output and sees the
   same times and lengths;
 - infinite_rx loops the file with increasing timestamps;
 - --pcap-dump of a ring port: tshark counts what testpmd says it wrote, and
   written + not captured = what the port received;
 - --pcap-dump of a pcap port: the capture is the input file's packets;
 - capture start/stop/show through the interactive prompt (a pty), with
   its errors; "set verbose" prints each received packet with its timestamp;
 - bad files stop testpmd with exit status 2 and a message naming the file.

Every file we write is read by tshark (Debian's tshark package)."""
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import PtyApp, check, eal_args, main, run  # noqa: E402
import pcaplib  # noqa: E402

APP = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="sl_test_pcap_app_")


def path(name):
    return os.path.join(TMP, name)


def testpmd(tag, vdevs, opts, timeout=60):
    r = run([APP] + eal_args(tag, vdevs) + ["--"] + opts, timeout=timeout)
    return r, r.stdout + r.stderr


def tshark_matches(out_path, pkts):
    """tshark reads @out_path and sees exactly @pkts' times and lengths."""
    got = pcaplib.tshark_fields(out_path)
    want = [(pcaplib.epoch_str(ts), len(d), len(d)) for ts, d in pkts]
    check(len(got) == len(want), "tshark sees %d packets in %s, want %d" %
          (len(got), out_path, len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        check(g == w, "tshark, packet %d of %s: %r, want %r" % (i + 1, out_path, g, w))


def test_forward_roundtrip():
    pkts = pcaplib.make_packets(300, 1)
    pcaplib.write_pcap(path("in.pcap"), pkts)
    # Two ports, paired: port 0 reads the file, port 1 writes what port 0
    # received (io forwarding), port 1 receives nothing.
    r, out = testpmd("pcaprt", ("net_pcap0,rx_pcap=%s" % path("in.pcap"),
                                "net_pcap1,tx_pcap=%s" % path("out.pcap")),
                     ["--forward-mode=io", "--duration=1"])
    check(r.returncode == 0, "exit %d" % r.returncode, out)
    check("All" in out and "mbufs returned" in out, "mbufs all returned", out)
    with open(path("in.pcap"), "rb") as a, open(path("out.pcap"), "rb") as b:
        check(a.read() == b.read(), "out.pcap is not in.pcap byte for byte", out)
    tshark_matches(path("out.pcap"), pkts)


def test_pcapng_and_usec_input():
    pkts = pcaplib.make_packets(100, 2)
    pcaplib.write_pcap(path("in2.pcap"), pkts)
    # editcap (from tshark's wireshark-common... or ours): pcapng via tshark itself.
    r = run(["tshark", "-n", "-r", path("in2.pcap"), "-F", "pcapng", "-w", path("in2.pcapng")])
    check(r.returncode == 0, "tshark could not write pcapng", r.stderr)
    r, out = testpmd("pcapng", ("net_pcap0,rx_pcap=%s" % path("in2.pcapng"),
                                "net_pcap1,tx_pcap=%s" % path("out2.pcap")),
                     ["--duration=1"])
    check(r.returncode == 0, "exit %d" % r.returncode, out)
    check("[pcapng]" in out, "pcapng input detected", out)
    with open(path("in2.pcap"), "rb") as a, open(path("out2.pcap"), "rb") as b:
        check(a.read() == b.read(), "pcapng -> pcap differs from the pcap input", out)
    # Microsecond input: same packets, times in whole microseconds.
    pcaplib.write_pcap(path("in_us.pcap"), pkts, nano=False)
    r, out = testpmd("pcapus", ("net_pcap0,rx_pcap=%s" % path("in_us.pcap"),
                                "net_pcap1,tx_pcap=%s" % path("out_us.pcap")),
                     ["--duration=1"])
    check(r.returncode == 0, "exit %d" % r.returncode, out)
    tshark_matches(path("out_us.pcap"), [(ts // 1000 * 1000, d) for ts, d in pkts])


def test_infinite_rx():
    pkts = pcaplib.make_packets(5, 3, lens=(64, 1514))
    pcaplib.write_pcap(path("five.pcap"), pkts)
    # A loaded machine may give the forwarding lcore almost no CPU in a short
    # run: lengthen the run (not the check) until it had time to loop.  The
    # output grows at the port's rate, so the runs stay short.
    for duration in ("0.1", "0.2", "0.4"):
        r, out = testpmd("pcapinf", ("net_pcap0,rx_pcap=%s,infinite_rx=1" % path("five.pcap"),
                                     "net_pcap1,tx_pcap=%s" % path("loop.pcap")),
                         ["--duration=" + duration])
        check(r.returncode == 0, "exit %d" % r.returncode, out)
        _, got = pcaplib.read_pcap(path("loop.pcap"))
        if len(got) > 50:
            break
    check(len(got) > 50, "only %d packets from a looped 5-packet file" % len(got), out)
    period = pkts[-1][0] - pkts[0][0] + (pkts[-1][0] - pkts[-2][0])
    for i, (ts, wire, data) in enumerate(got):
        want_ts, want = pkts[i % 5]
        check(data == want and wire == len(want), "looped packet %d differs" % i)
        check(ts == want_ts + (i // 5) * period, "looped packet %d: time %d, want %d" %
              (i, ts, want_ts + (i // 5) * period))
    check(len(pcaplib.tshark_fields(path("loop.pcap"))) == len(got), "tshark count")


def port_rx(out, port):
    m = re.search(r"Forward statistics for port %d\s+-+\s+RX-packets: (\d+)" % port, out)
    check(m is not None, "no forward statistics for port %d" % port, out)
    return int(m.group(1))


def capture_counts(out, name):
    m = re.search(r"Capture to %s stopped: (\d+) packets \((\d+) bytes\) written, (\d+) not "
                  r"captured" % re.escape(name), out)
    check(m is not None, "no capture report for %s" % name, out)
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def test_pcap_dump_ring():
    cap = path("ring0.pcap")
    r, out = testpmd("pcapdump", ("net_ring0", "net_ring1,peer=net_ring0"),
                     ["--forward-mode=io", "--tx-first", "--duration=0.2",
                      "--pcap-dump=0:" + cap, "--pcap-snaplen=100", "--txpkts=128"])
    check(r.returncode == 0, "exit %d" % r.returncode, out)
    written, nbytes, dropped = capture_counts(out, cap)
    check(written > 0, "nothing captured", out)
    check(written + dropped == port_rx(out, 0),
          "written %d + not captured %d != port 0 RX %d" % (written, dropped, port_rx(out, 0)),
          out)
    fields = pcaplib.tshark_fields(cap)
    check(len(fields) == written, "tshark sees %d packets, testpmd wrote %d" %
          (len(fields), written), out)
    check(all(f[1] == 128 and f[2] == 100 for f in fields), "lengths: want 128 on the wire, "
          "100 captured: %r" % fields[:3])
    check(nbytes == 100 * written, "bytes %d != 100 x %d" % (nbytes, written), out)
    hdr, recs = pcaplib.read_pcap(cap)
    check(hdr == (pcaplib.NANO_MAGIC, 100, 1), "header %r" % (hdr,))
    check(all(t > 1.6e18 for t, _, _ in recs), "timestamps are not the current time")


def test_pcap_dump_pcap_port():
    pkts = pcaplib.make_packets(200, 4)
    pcaplib.write_pcap(path("in4.pcap"), pkts)
    cap = path("cap4.pcap")
    r, out = testpmd("pcapdump2", ("net_pcap0,rx_pcap=%s" % path("in4.pcap"),
                                   "net_pcap1,tx_pcap=%s" % path("out4.pcap")),
                     ["--duration=1", "--pcap-dump=" + cap])
    check(r.returncode == 0, "exit %d" % r.returncode, out)
    check("Capturing what all 2 ports receive" in out, "all ports captured", out)
    written, _, dropped = capture_counts(out, cap)
    check((written, dropped) == (200, 0), "wrote %d, dropped %d" % (written, dropped), out)
    tshark_matches(cap, pkts)
    _, got = pcaplib.read_pcap(cap)
    check([(t, d) for t, _, d in got] == pkts, "captured packets differ from the input")


def test_capture_cli():
    pkts = pcaplib.make_packets(7, 5, lens=(64, 200))
    pcaplib.write_pcap(path("seven.pcap"), pkts)
    cap = path("cli.pcap")
    app = PtyApp([APP] + eal_args("pcapcli", ("net_pcap0,rx_pcap=%s,infinite_rx=1" %
                                              path("seven.pcap"),
                                              "net_pcap1,tx_pcap=%s" % path("cliout.pcap")))
                 + ["--", "-i"])
    app.expect(r"testpmd> ", 30)
    app.cmd("show capture", r"No capture running")
    app.cmd("capture stop", r"No capture running")
    app.cmd("capture start 9 " + cap, r"Invalid port '9'")
    app.cmd("capture start 0 %s/no/such/dir/x.pcap" % TMP, r"Cannot create capture file")
    app.cmd("capture start 0", r"incomplete, expected <file>")
    app.cmd("capture start 0 " + cap, r"Capturing what port 0 receives to")
    app.cmd("capture start 0 " + cap, r"already captured")
    app.cmd("start", r"Start io forwarding")
    time.sleep(0.5)
    m = app.cmd("show capture", r"Port 0 -> \S+: (\d+) captured")
    check(int(m.group(1)) > 0, "nothing captured yet", app.buf)
    # Stopped while forwarding runs: the lcores let go of it first.
    m = app.cmd("capture stop 0", r"Capture to \S+ stopped: (\d+) packets \((\d+) bytes\) "
                r"written, (\d+) not captured")
    written = int(m.group(1))
    app.cmd("capture stop 1", r"Port 1 is not being captured")
    app.cmd("stop", r"Accumulated")
    app.send("quit\r")
    check(app.wait() == 0, "testpmd exit status", app.buf)
    check("still in use" not in app.buf, "mbuf leak", app.buf)
    _, got = pcaplib.read_pcap(cap)
    check(len(got) == written and written > 0, "%d packets in the file, %d reported" %
          (len(got), written))
    # Packets the writer had no room for are missing (counted), so check
    # each captured packet against the file by its sequence number.
    for i, (_, _, d) in enumerate(got):
        seq = int.from_bytes(d[14:16], "big")
        check(seq < 7 and d == pkts[seq][1], "captured packet %d is none of the file's" % i)
    check(len(pcaplib.tshark_fields(cap)) == written, "tshark count")


def test_verbose():
    pkts = pcaplib.make_packets(3, 7, lens=(64, 3000))
    pcaplib.write_pcap(path("three.pcap"), pkts)
    app = PtyApp([APP] + eal_args("pcapverb", ("net_pcap0,rx_pcap=%s" % path("three.pcap"),
                                               "net_pcap1,tx_pcap=%s" % path("v.pcap")))
                 + ["--", "-i"])
    app.expect(r"testpmd> ", 30)
    app.cmd("set verbose 7", r"Invalid verbose level '7'")
    app.cmd("set verbose 1", r"Change verbose level from 0 to 1")
    app.send("start\r")
    app.expect(r"port 0/queue 0: received 3 packets")
    for ts, d in pkts:
        app.expect(r"src=02:00:00:00:00:02 - dst=02:00:00:00:00:01 - type=0x88b5 - "
                   r"length=%d - nb_segs=\d+ - timestamp=%s" % (len(d), re.escape(
                       pcaplib.epoch_str(ts))))
    app.cmd("stop", r"Accumulated")
    check(re.search(r"queue \d+: sent", app.buf) is None, "level 1 printed sent packets",
          app.buf)
    app.send("quit\r")
    check(app.wait() == 0, "testpmd exit status", app.buf)


def test_bad_files():
    with open(path("bad.pcap"), "wb") as f:
        f.write(b"not a pcap file, just text")
    pkts = pcaplib.make_packets(3, 6)
    pcaplib.write_pcap(path("ok.pcap"), pkts)
    with open(path("ok.pcap"), "rb") as f:
        data = f.read()
    with open(path("cut.pcap"), "wb") as f:
        f.write(data[:-5])
    cases = [
        ("rx_pcap=%s" % path("nope.pcap"), "nope.pcap: cannot open: No such file"),
        ("rx_pcap=%s" % path("bad.pcap"), "bad.pcap: not a readable pcap or pcapng file"),
        ("rx_pcap=%s" % path("cut.pcap"), "cut.pcap: record 3 at byte offset %d is corrupt "
         "or truncated" % (24 + 32 + len(pkts[0][1]) + len(pkts[1][1]))),
        ("tx_pcap=%s/none/x.pcap" % TMP, "cannot create the file"),
    ]
    for args, msg in cases:
        r, out = testpmd("pcapbad", ("net_pcap0," + args,), ["--duration=0.2"])
        check(r.returncode == 2, "exit %d for %s, want 2" % (r.returncode, args), out)
        check(msg in out, "message %r for %s" % (msg, args), out)
    r, out = testpmd("pcapbad2", ("net_null0",), ["--pcap-dump=" + path("none/x.pcap"),
                                                  "--duration=0.2"])
    check(r.returncode == 2 and "Cannot create capture file" in out,
          "--pcap-dump to a missing directory: exit %d" % r.returncode, out)
    r, out = testpmd("pcapbad3", ("net_null0",), ["--pcap-dump=0:a.pcap", "--pcap-dump=b.pcap"])
    check(r.returncode == 2 and "captured by an earlier --pcap-dump" in out,
          "two dumps of port 0: exit %d" % r.returncode, out)
    r, out = testpmd("pcapbad4", ("net_null0",), ["--pcap-dump=5:a.pcap", "--duration=0.2"])
    check(r.returncode == 2 and "port 5 does not exist" in out,
          "--pcap-dump of a missing port: exit %d" % r.returncode, out)


if __name__ == "__main__":
    if not pcaplib.have_tshark():
        print("SKIP: tshark is not installed (.ci/install-deps installs it)")
        sys.exit(77)
    rc = main([test_forward_roundtrip, test_pcapng_and_usec_input, test_infinite_rx,
               test_pcap_dump_ring, test_pcap_dump_pcap_port, test_capture_cli,
               test_verbose, test_bad_files])
    if rc == 0:
        import shutil
        shutil.rmtree(TMP, ignore_errors=True)
    else:
        print("files kept in", TMP)
    sys.exit(rc)
