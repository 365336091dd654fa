#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-testpmd with several queues, cores and RSS (issue 12): the
stream -> lcore mapping printed at start for several configurations
(dpdk-testpmd's order), two cores on two queues lose no counter updates,
RSS spreads flows over RX queues on a net_ring pair (one flow stays on one
queue), the interactive RSS and queue commands, and bad values give clear
errors."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import PtyApp, check, eal_args, main, run  # noqa: E402
from test_run import app, json_run  # noqa: E402  (same argv: the app's path)

APP = sys.argv[1]
RING_PAIR_2Q = ("net_ring0,queues=2", "net_ring1,queues=2,peer=net_ring0")


def mapping(text):
    """{lcore: [(rx_port, rx_queue, tx_port, tx_queue), ...]} from the start-up print."""
    cores, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"Logical Core (\d+) \(socket -?\d+\) forwards packets on (\d+) streams:", line)
        if m:
            cur = int(m.group(1))
            cores[cur] = []
            continue
        m = re.match(r"\s+RX P=(\d+)/Q=(\d+) -> TX P=(\d+)/Q=(\d+) peer=", line)
        if m and cur is not None:
            cores[cur].append(tuple(int(x) for x in m.groups()))
    return cores


def test_mapping_printed():
    # (options, lcores, expected mapping): queue-major streams split in
    # contiguous runs, the last lcores taking the extra streams.
    cases = [
        (["--nb-cores=2", "--rxq=2", "--txq=2"], "0@0,1@1,2@1",
         {1: [(0, 0, 1, 0), (1, 0, 0, 0)], 2: [(0, 1, 1, 1), (1, 1, 0, 1)]}),
        (["--nb-cores=4", "--rxq=3", "--txq=3"], "0@0,1@1,2@1,3@1,4@1",
         {1: [(0, 0, 1, 0)], 2: [(1, 0, 0, 0)],
          3: [(0, 1, 1, 1), (1, 1, 0, 1)], 4: [(0, 2, 1, 2), (1, 2, 0, 2)]}),
        (["--nb-cores=1", "--rxq=2", "--txq=4"], "0-1",
         {1: [(0, 0, 1, 0), (1, 0, 0, 0), (0, 1, 1, 1), (1, 1, 0, 1)]}),
        # More cores than streams: one stream, one core.
        (["--nb-cores=2", "--portlist=0", "--port-topology=loop"], "0@0,1@1,2@1",
         {1: [(0, 0, 0, 0)]}),
    ]
    for i, (opts, lcores, want) in enumerate(cases):
        doc, r = json_run("map%d" % i, opts + ["--duration=0.2"], lcores=lcores)
        got = mapping(r.stderr)
        check(got == want, "%s: mapping %r, expected %r" % (opts, got, want), r.stderr)
        streams = sorted((s["rx_port"], s["rx_queue"], s["tx_port"], s["tx_queue"])
                         for s in doc["streams"])
        check(streams == sorted(x for v in want.values() for x in v),
              "%s: JSON streams match the mapping" % opts, json.dumps(doc["streams"]))


def test_two_cores_two_queues_no_lost_updates():
    # Two forwarding lcores on two CPUs, two queues per port: each TX queue
    # has one writer, so the port counters equal the sums of the streams'.
    for tag, vdevs, extra in (("null", ("net_null0", "net_null1"), []),
                              ("ring", RING_PAIR_2Q, ["--tx-first"])):
        doc, r = json_run("cnt_" + tag, ["--nb-cores=2", "--rxq=2", "--txq=2",
                                         "--duration=0.5"] + extra, vdevs=vdevs,
                          lcores="0@0,1@0,2@1")
        check("4 stream(s), 2 core(s)" in r.stderr, "two cores, four streams", r.stderr)
        for p in doc["ports"]:
            tx = [s for s in doc["streams"] if s["tx_port"] == p["port"]]
            rx = [s for s in doc["streams"] if s["rx_port"] == p["port"]]
            check(p["tx_packets"] == sum(s["tx_packets"] for s in tx) > 0,
                  "%s port %d: tx_packets = sum of its streams'" % (tag, p["port"]),
                  json.dumps(doc))
            check(p["rx_packets"] == sum(s["rx_packets"] for s in rx) > 0,
                  "%s port %d: rx_packets = sum of its streams'" % (tag, p["port"]),
                  json.dumps(doc))


def test_rss_spreads_on_ring_pair():
    # flowgen sends 1024 flows (destination addresses): RSS on IP puts
    # packets on both RX queues of the receiving port.
    doc, r = json_run("rss_flowgen", ["--forward-mode=flowgen", "--rxq=2", "--txq=2",
                                      "--rss-ip", "--duration=0.4"], vdevs=RING_PAIR_2Q)
    for s in doc["streams"]:
        check(s["rx_packets"] > 0, "flowgen + RSS: RX queue %d of port %d receives"
              % (s["rx_queue"], s["rx_port"]), json.dumps(doc["streams"]))
    # io after a first burst from every stream: txonly's packets are one
    # flow, so RSS keeps them on one RX queue per port wherever they come
    # from (without RSS, TX queue q would feed RX queue q: both queues).
    for flag in ("--rss-ip", "--rss-udp"):
        doc, r = json_run("rss_one_flow", ["--forward-mode=io", "--tx-first", "--rxq=2",
                                           "--txq=2", flag, "--duration=0.4"],
                          vdevs=RING_PAIR_2Q)
        for p in (0, 1):
            got = [s["rx_packets"] for s in doc["streams"] if s["rx_port"] == p]
            check(len(got) == 2 and sorted(got)[0] == 0 and sorted(got)[1] > 0,
                  "%s: one flow lands on one RX queue of port %d: %r" % (flag, p, got),
                  json.dumps(doc["streams"]))


def test_interactive_queues_and_rss():
    a = PtyApp([APP] + eal_args("mqcli", RING_PAIR_2Q, "0@0,1@1,2@1") + ["--", "-i"])
    a.expect(r"testpmd> ", 30)
    a.cmd("show port 0 rss-hash", r"RSS functions:\s+none")  # one queue: RSS off
    a.cmd("show port info 0", r"Supported RSS offload flow types: ipv4 ipv4-tcp ipv4-udp ipv6 "
          r"ipv6-tcp ipv6-udp\r?\nHash key size in bytes: 40\r?\nRedirection table size: 128")
    a.cmd("port config all rss udp", r"Port 0: RSS is off \(1 RX queue")
    a.cmd("port config all rxq 2", r"Port \d is started: run 'port stop all'")
    a.cmd("port stop all", r"")
    a.cmd("port config all rxq 2", r"rxq set to 2 for all ports")
    a.cmd("port config all txq 2", r"txq set to 2 for all ports")
    a.cmd("port config all rxq 0", r"Invalid number of queues 0: use 1..64")
    a.cmd("port start all", r"")
    a.cmd("show port 1 rss-hash", r"RSS functions:\s+ipv4-udp ipv6-udp")
    a.cmd("port 1 rxq 1 stop", r"Port 1 RX queue 1 stopped")
    a.cmd("port 1 rxq 1 start", r"Port 1 RX queue 1 started")
    a.cmd("port 1 txq 0 stop", r"Port 1 TX queue 0 stopped")
    a.cmd("port 1 txq 0 start", r"Port 1 TX queue 0 started")
    a.cmd("port 1 rxq 2 stop", r"RX queue 2 does not exist: the port has 2 \(0\.\.1\)")
    a.cmd("port 1 rxq one stop", r"Invalid queue 'one'")
    a.cmd("port config all rss ip", r"RSS hash types set to 'ip' for all ports")
    a.cmd("show port 1 rss-hash key", r"ipv4 ipv6\s+RSS key:\s+6D5A56DA255B0EC2")
    a.cmd("show port 0 rss reta", r"RETA of 128 entries.*\n\s+0:0\s+1:1\s+2:0")
    a.cmd("port config all rss tcp6", r"'tcp6' is not accepted.*ip\|udp\|tcp\|all\|none")
    a.cmd("show port 7 rss-hash", r"Invalid port '7'")
    a.cmd("set nbcore 2", r"Number of forwarding cores set to 2")
    a.cmd("set nbcore 0", r"[Ii]nvalid|must be|use")
    a.cmd("show config fwd", r"cores=2 - streams=4.*\r?\n.*Logical Core 1 .* 2 streams:\r?\n"
          r"\s+RX P=0/Q=0 -> TX P=1/Q=0.*\r?\n\s+RX P=1/Q=0 -> TX P=0/Q=0.*\r?\n"
          r".*Logical Core 2 .* 2 streams:\r?\n\s+RX P=0/Q=1 -> TX P=1/Q=1.*\r?\n"
          r"\s+RX P=1/Q=1 -> TX P=0/Q=1")
    a.send("quit\r")
    a.expect(r"All \d+ mbufs returned to mb_pool_0", 20)
    a.wait()


def test_bad_values():
    for opts, needle in ((["--rxq=0"], "--rxq"), (["--txq=65"], "1..64"),
                         (["--nb-cores=0"], "nb-cores"), (["--portmask=0"], "non-zero"),
                         (["--rss-tcp"], "unknown option")):
        r = run(app("bad", opts))
        check(r.returncode == 2 and needle in r.stderr,
              "%s: exit 2 and %r in the message" % (opts, needle), r.stderr)
    # More forwarding cores than the EAL has worker lcores.
    r = run(app("bad_cores", ["--nb-cores=3", "--duration=0.1"]))
    check(r.returncode == 2 and "--nb-cores=3 but the EAL has 1 worker" in r.stderr,
          "--nb-cores above the workers", r.stderr)
    # net_null has no RSS: several RX queues work without it, and say so.
    a = PtyApp([APP] + eal_args("nullrss") + ["--", "-i", "--rxq=2", "--txq=2"])
    a.expect(r"testpmd> ", 30)
    a.cmd("show port 0 rss-hash", r"net_null has no RSS")
    a.cmd("port 0 rxq 0 stop", r"net_null cannot start or stop single queues")
    a.cmd("show port info 1", r"Supported RSS offload flow types: none")
    a.cmd("port config all rss ip", r"Port 0: RSS is off \(2 RX queue\(s\), no RSS in the driver\)")
    a.send("quit\r")
    a.expect(r"All \d+ mbufs returned", 20)
    a.wait()


if __name__ == "__main__":
    sys.exit(main([test_mapping_printed, test_two_cores_two_queues_no_lost_updates,
                   test_rss_spreads_on_ring_pair, test_interactive_queues_and_rss,
                   test_bad_values]))
