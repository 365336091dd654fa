#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-testpmd without -i: option errors (exit 2), every forwarding mode
with --duration/--json, per-stream accounting, periodic statistics, clean
stop on SIGTERM and on Enter, and no leaked mbufs."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import Failure, check, eal_args, main, run  # noqa: E402

APP = sys.argv[1]
MODES = ["io", "mac", "macswap", "rxonly", "txonly", "flowgen", "csum", "icmpecho"]
RING_PAIR = ("net_ring0", "net_ring1,peer=net_ring0")


def app(tag, opts, vdevs=("net_null0", "net_null1"), lcores="0-1"):
    return [APP] + eal_args(tag, vdevs, lcores) + ["--"] + opts


def json_run(tag, opts, vdevs=("net_null0", "net_null1"), lcores="0-1"):
    r = run(app(tag, opts + ["--json"], vdevs, lcores))
    out = r.stdout + r.stderr
    check(r.returncode == 0, "exit code %d for %s" % (r.returncode, opts), out)
    check("leak" not in r.stderr, "mbuf leak reported", out)
    try:
        doc = json.loads(r.stdout)
    except ValueError as e:
        raise Failure("stdout is not one JSON object (%s): %r" % (e, r.stdout[:500]))
    for k in ("duration_s", "ports", "rx_pps", "tx_pps"):
        check(k in doc, "JSON key %s" % k, r.stdout)
    for p in doc["ports"]:
        for k in ("port", "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_missed",
                  "rx_nombuf", "tx_dropped"):
            check(k in p, "JSON port key %s" % k, r.stdout)
    for s in doc["streams"]:
        check(s["rx_packets"] + s["gen_packets"] ==
              s["tx_packets"] + s["tx_dropped"] + s["discarded"],
              "stream accounting rx+gen = tx+tx_dropped+discarded: %r" % s)
    check_rates(doc)
    return doc, r


def check_rates(doc):
    """The rates the benchmarks quote are the counts they come from over the
    time: rx_pps = sum of the ports' rx_packets / duration_s, within 1% (the
    JSON rounds the rate to 0.1 and the duration to 1 us), and likewise tx."""
    secs = doc["duration_s"]
    check(secs > 0, "duration_s %r > 0" % secs, json.dumps(doc))
    for rate, count in (("rx_pps", "rx_packets"), ("tx_pps", "tx_packets")):
        want = sum(p[count] for p in doc["ports"]) / secs
        got = doc[rate]
        check(abs(got - want) <= 0.01 * want + 0.1,
              "%s %r is sum(%s)/duration_s = %r within 1%%" % (rate, got, count, want),
              json.dumps(doc))


def expect_usage_error(tag, opts, *needles, vdevs=("net_null0", "net_null1")):
    r = run(app(tag, opts, vdevs))
    check(r.returncode == 2, "%s: exit code 2 expected, got %d" % (opts, r.returncode),
          r.stdout + r.stderr)
    for n in needles:
        check(n in r.stderr, "%s: %r in the message" % (opts, n), r.stderr)


def test_bad_options_exit_2():
    expect_usage_error("o1", ["--burst=0"], "'0'", "--burst", "1..512")
    expect_usage_error("o2", ["--forward-mode=warp"], "'warp'", "macswap")
    expect_usage_error("o3", ["--frobnicate"], "unknown option '--frobnicate'")
    expect_usage_error("o4", ["--nb-cores=3"], "--nb-cores=3", "1 worker lcore")
    expect_usage_error("o5", ["--portmask=0x4"], "Port 2", "does not exist")
    expect_usage_error("o6", ["--txpkts=20"], "first segment 20 bytes")
    expect_usage_error("o7", ["--eth-peer=0,zz:00"], "--eth-peer", "02:00:00:00:00:01")
    expect_usage_error("o8", ["--tx-ip=1.2.3"], "--tx-ip")
    expect_usage_error("o9", ["--rxd"], "needs a value")
    expect_usage_error("o10", ["--duration=-1"], "--duration")
    expect_usage_error("o11", [], "No ports", vdevs=())
    expect_usage_error("o12", ["--port-topology=ring"], "paired, chained, loop")
    expect_usage_error("o13", ["--total-num-mbufs=100", "--mbcache=0"],
                       "pool (100 mbufs) is too small for 1024 RX descriptors",
                       "bigger --total-num-mbufs")


def test_help():
    r = run(app("help", ["--help"]))
    check(r.returncode == 0 and "--forward-mode=MODE" in r.stdout and "--json" in r.stdout,
          "--help prints the usage and exits 0", r.stdout + r.stderr)
    # --help among the EAL options, as a new user types it first.
    r = run([APP, "--help"])
    check(r.returncode == 0 and "EAL options" in r.stdout and "--forward-mode=MODE" in r.stdout
          and "failed" not in r.stdout + r.stderr,
          "sluice-testpmd --help prints EAL and app options and exits 0", r.stdout + r.stderr)


def test_every_mode_json():
    for mode in MODES:
        doc, _ = json_run("m_" + mode, ["--forward-mode=" + mode, "--duration=0.5"])
        check(0.4 < doc["duration_s"] < 2.0, "%s duration %r" % (mode, doc["duration_s"]))
        ports = doc["ports"]
        check(len(ports) == 2, "%s: two ports" % mode)
        if mode in ("txonly", "flowgen"):
            check(all(p["tx_packets"] > 0 for p in ports), "%s transmits" % mode)
        else:
            check(all(p["rx_packets"] > 0 for p in ports), "%s receives" % mode)
        if mode in ("io", "mac", "macswap", "csum"):
            # Paired: everything received on one port is sent (or
            # dropped) on the other.
            s = doc["streams"]
            check(all(x["tx_packets"] > 0 and x["discarded"] == 0 for x in s),
                  "%s forwards everything" % mode, json.dumps(doc))
        if mode in ("rxonly", "icmpecho"):
            check(all(p["tx_packets"] == 0 for p in ports), "%s sends nothing on null" % mode)
        # check_rates() tied the rates to the counts; a mode that moves
        # packets must also report a rate that says so.
        if mode in ("txonly", "flowgen"):
            check(doc["tx_pps"] > 0, "%s: tx_pps %r > 0" % (mode, doc["tx_pps"]))
        else:
            check(doc["rx_pps"] > 0, "%s: rx_pps %r > 0" % (mode, doc["rx_pps"]))


def test_ring_pair_txonly_and_io():
    # txonly on a ring pair: what port 0 sends, port 1 receives (and back).
    doc, _ = json_run("ring_tx", ["--forward-mode=txonly", "--txpkts=64,36", "--duration=0.5"],
                      vdevs=RING_PAIR)
    p0, p1 = doc["ports"]
    check(p0["tx_packets"] > 0 and p1["tx_packets"] > 0, "txonly sends", json.dumps(doc))
    check(p0["tx_bytes"] == 100 * p0["tx_packets"], "100-byte packets: %r" % p0)
    # io with a first burst: packets loop between the two ring ports.
    doc, _ = json_run("ring_io", ["--forward-mode=io", "--tx-first", "--duration=0.5"],
                      vdevs=RING_PAIR)
    check(all(p["rx_packets"] > 1000 for p in doc["ports"]), "packets circulate",
          json.dumps(doc))


def test_topologies_and_queues():
    doc, _ = json_run("topo_loop", ["--port-topology=loop", "--duration=0.3"])
    for s in doc["streams"]:
        check(s["rx_port"] == s["tx_port"], "loop: rx port == tx port %r" % s)
    doc, _ = json_run("topo_chain", ["--port-topology=chained", "--duration=0.3"],
                      vdevs=("net_null0", "net_null1", "net_null2"))
    check([(s["rx_port"], s["tx_port"]) for s in doc["streams"]] == [(0, 1), (1, 2), (2, 0)],
          "chained streams", json.dumps(doc["streams"]))
    doc, _ = json_run("queues", ["--rxq=2", "--txq=2", "--portlist=1", "--duration=0.3"])
    check([(s["rx_port"], s["rx_queue"], s["tx_queue"]) for s in doc["streams"]] ==
          [(1, 0, 0), (1, 1, 1)], "two queues on port 1", json.dumps(doc["streams"]))
    doc, _ = json_run("nbports", ["--nb-ports=1", "--duration=0.3"])
    check(len(doc["ports"]) == 1, "--nb-ports=1")


def test_two_forwarding_cores():
    # Three lcores on two CPUs (lcore@cpu): two forwarding lcores, four
    # streams split two by two, each queue forwarded.
    doc, r = json_run("cores2", ["--nb-cores=2", "--rxq=2", "--txq=2", "--duration=0.5"],
                      lcores="0@0,1@1,2@1")
    check("4 stream(s), 2 core(s)" in r.stderr, "two cores, four streams", r.stderr)
    check(len(doc["streams"]) == 4 and all(s["tx_packets"] > 0 for s in doc["streams"]),
          "every stream forwards", json.dumps(doc["streams"]))


def test_tx_queue_never_shared():
    # More RX than TX queues on two forwarding cores: two streams on one
    # TX queue would race on it (lost counter updates, corrupted rings).
    # Streams are min(rxq, txq) per port, each on its own TX queue, and the
    # port's counters equal the sum of its streams'.
    doc, r = json_run("txshare", ["--nb-cores=2", "--rxq=2", "--txq=1", "--duration=0.5"],
                      vdevs=("net_null0",), lcores="0@0,1@0,2@1")
    streams = doc["streams"]
    pairs = [(s["tx_port"], s["tx_queue"]) for s in streams]
    check(len(pairs) == len(set(pairs)), "a TX queue is used by one stream only: %r" % pairs)
    check("queues 1..1 of RX are not used" in r.stderr, "the unused RX queue is reported",
          r.stderr)
    for p in doc["ports"]:
        mine = [s for s in streams if s["tx_port"] == p["port"]]
        check(p["tx_packets"] == sum(s["tx_packets"] for s in mine) and p["tx_packets"] > 0,
              "port %d tx_packets equals its streams' sum" % p["port"], json.dumps(doc))


def test_periodic_stats_and_sigterm():
    p = subprocess.Popen(app("period", ["--stats-period=1"]), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Wait for forwarding to start (slow under sanitizers), then 2.5 periods.
    line = ""
    while "Start io forwarding" not in line:
        line = p.stdout.readline()
        check(line != "", "app ended before forwarding started")
    time.sleep(2.5)
    p.send_signal(signal.SIGTERM)
    out, _ = p.communicate(timeout=20)
    check(p.returncode == 0, "SIGTERM exit code %r" % p.returncode, out)
    check(out.count("Rx-pps:") >= 4, "two periodic shows for two ports", out)
    check("Throughput (since last show, 1.0" in out, "rate over the last period", out)
    check("Signal 15 received" in out and "Forward statistics for port 0" in out,
          "final statistics after SIGTERM", out)
    check("mbufs returned to mb_pool_0" in out, "no leak", out)


def test_enter_stops():
    p = subprocess.Popen(app("enter", []), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)
    out, _ = p.communicate("\n", timeout=20)
    check(p.returncode == 0, "exit code after Enter: %r" % p.returncode, out)
    check("Press enter to exit" in out and "Accumulated" in out, "stats after Enter", out)


if __name__ == "__main__":
    sys.exit(main([test_bad_options_exit_2, test_help, test_every_mode_json, test_ring_pair_txonly_and_io,
                   test_topologies_and_queues, test_two_forwarding_cores, test_tx_queue_never_shared,
                   test_periodic_stats_and_sigterm, test_enter_stops]))
