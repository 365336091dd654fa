#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""net_memif between processes, and the README demo built on it.

- demo: apps/memif-demo.sh (what apps/sluice-demo runs after building):
  sluice-pktgen -> sluice-testpmd -> sluice-pktgen in two processes; pktgen
  receives a nonzero number of packets on its RX port (they can only come
  through testpmd), prints live lines, testpmd forwarded them and returned
  every mbuf.
- reconnect: a testpmd whose memif clients outlive three pktgen runs in
  turn, the middle one killed with SIGKILL: each run connects (the one
  after the kill over the dead server's socket file) and the clean ones get
  their packets back (link down, link up).
- bad arguments and a socket path in use, through an application: exit
  status and a message naming the fix.

Usage: test_memif.py SLUICE_TESTPMD SLUICE_PKTGEN DEMO_SCRIPT BUILD_DIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import Failure, check, main, run  # noqa: E402

TESTPMD, PKTGEN, DEMO, BUILD = sys.argv[1:5]


def eal(tag, vdevs, lcores="0-1", main_lcore=None):
    args = ["-l", lcores, "--no-huge", "-m", "256",
            "--file-prefix", "memif_%s_%d" % (tag, os.getpid())]
    if main_lcore is not None:
        args += ["--main-lcore", str(main_lcore)]
    for v in vdevs:
        args += ["--vdev", v]
    return args


def memif_pair(role, d):
    return ["net_memif0,role=%s,socket=%s/a.sock" % (role, d),
            "net_memif1,role=%s,socket=%s/b.sock" % (role, d)]


def pktgen_json(r):
    out = r.stdout + r.stderr
    check(r.returncode == 0, "pktgen exit status %d" % r.returncode, out)
    check("leak" not in r.stderr, "pktgen reports a leak", out)
    try:
        doc = json.loads(r.stdout)
    except ValueError as e:
        raise Failure("pktgen stdout is not one JSON object (%s): %r" % (e, r.stdout[:800]))
    for k in ("tx_packets", "rx_packets"):
        check(k in doc, "pktgen JSON key %s" % k, r.stdout)
    return doc


def test_demo():
    env = dict(os.environ, PKTGEN_OPTS="--json")
    r = subprocess.run(["sh", DEMO, BUILD, "3", "200000"], env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    out = r.stdout + r.stderr
    doc = pktgen_json(r)
    check(doc["rx_packets"] > 0, "pktgen received nothing back through testpmd", out)
    check(doc["tx_packets"] > 0, "pktgen sent nothing", out)
    # Every packet back carried pktgen's magic and a sequence in order:
    # the bytes crossed both links and testpmd intact.
    check(doc.get("foreign", 0) == 0 and doc.get("reordered", 0) == 0,
          "foreign or reordered packets came back", r.stdout)
    # Live lines (stderr with --json) name the rate once per second.
    check(r.stderr.count("Mpps") >= 2, "live throughput lines", r.stderr)
    # testpmd's final report: it forwarded what pktgen received, no mbuf lost.
    fwd = [ln for ln in r.stderr.splitlines() if "Accumulated:" in ln]
    check(fwd, "testpmd final report in the demo output", out)
    rx_tp = int(fwd[-1].split("rx ")[1].split()[0])
    check(rx_tp >= doc["rx_packets"], "testpmd forwarded %d < pktgen received %d"
          % (rx_tp, doc["rx_packets"]), out)
    check("mbufs returned" in r.stderr, "testpmd mbuf accounting", out)
    check("leak" not in r.stderr, "leak reported", out)


def test_demo_live_view():
    # As the README runs it (no --json): live lines on stdout with packet
    # and bit rates and latency, once a second.
    r = subprocess.run(["sh", DEMO, BUILD, "3", "200000"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    out = r.stdout + r.stderr
    check(r.returncode == 0, "demo exit status %d" % r.returncode, out)
    live = [ln for ln in r.stdout.splitlines() if "Mpps" in ln and "Mbit/s" in ln and
            ("latency" in ln or "p99" in ln)]
    check(len(live) >= 2, "live lines with Mpps, Mbit/s and latency on stdout", out)
    bad = subprocess.run(["sh", DEMO, BUILD, "ten"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    check(bad.returncode == 2 and "'ten' is not a whole number" in bad.stderr,
          "bad SECONDS refused", bad.stdout + bad.stderr)


def test_reconnect_processes():
    d = tempfile.mkdtemp(prefix="sl-memif-")
    tp = subprocess.Popen([TESTPMD] + eal("tp", memif_pair("client", d), main_lcore=1) +
                          ["--", "--forward-mode=io", "--duration=60"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    docs = []
    try:
        for i in range(2):
            r = run([PKTGEN] + eal("pg%d" % i, memif_pair("server", d)) +
                    ["--", "--rate=100000", "--duration=2", "--json"], timeout=60)
            docs.append((pktgen_json(r), r.stdout + r.stderr))
            if i == 0:
                # A server that dies (SIGKILL: no DISCONNECT, its socket
                # files stay behind) between the two clean runs.
                k = subprocess.Popen([PKTGEN] + eal("pgk", memif_pair("server", d)) +
                                     ["--", "--rate=100000", "--duration=30"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
                time.sleep(2)
                k.kill()
                k.wait()
                check(os.path.exists(d + "/a.sock"), "a killed server leaves its socket file")
    finally:
        tp.send_signal(signal.SIGTERM)
        out, _ = tp.communicate(timeout=30)
        shutil.rmtree(d, ignore_errors=True)
    for i, (doc, pg_out) in enumerate(docs):
        check(doc["rx_packets"] > 0, "pktgen run %d got nothing back" % i,
              pg_out + "\n--- testpmd ---\n" + out)
        check("connected to client" in pg_out, "run %d: link up logged" % i, pg_out)
    check(tp.returncode == 0, "testpmd exit status %d" % tp.returncode, out)
    check(out.count("peer disconnected") >= 4, "testpmd saw both pktgen runs leave", out)
    check(out.count("gone (socket closed)") >= 2, "testpmd saw the killed server go", out)
    check(out.count("connected to server") >= 6, "testpmd reconnected each time", out)
    check("mbufs returned" in out, "testpmd mbuf accounting", out)


def test_bad_args():
    d = tempfile.mkdtemp(prefix="sl-memif-")
    try:
        cases = [
            ("net_memif0,role=boss", "role=server or role=client"),
            ("net_memif0,role=client,rsize=20", "rsize"),
            ("net_memif0,role=server,socket=%s/no/dir.sock" % d,
             "choose a path in a directory you can write"),
        ]
        for vdev, needle in cases:
            r = run([TESTPMD] + eal("bad", [vdev]) + ["--", "--duration=1"], timeout=60)
            out = r.stdout + r.stderr
            check(r.returncode != 0, "%s accepted" % vdev, out)
            check(needle in out, "message for %s lacks %r" % (vdev, needle), out)
        # A path another process serves is in use.
        pg = subprocess.Popen([PKTGEN] + eal("srv", memif_pair("server", d)) +
                              ["--", "--rate=1000", "--duration=20"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                if os.path.exists(d + "/a.sock"):
                    break
                time.sleep(0.05)
            r = run([TESTPMD] + eal("inuse", ["net_memif0,role=server,socket=%s/a.sock" % d]) +
                    ["--", "--duration=1"], timeout=60)
            out = r.stdout + r.stderr
            check(r.returncode != 0, "second server on a path in use accepted", out)
            check("is in use" in out, "message names the path in use", out)
        finally:
            pg.send_signal(signal.SIGTERM)
            pg.wait(timeout=30)
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main([test_bad_args, test_demo, test_demo_live_view, test_reconnect_processes]))
