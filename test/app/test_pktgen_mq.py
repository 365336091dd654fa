#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-pktgen --cores=N (issue 13): N worker lcores, each with its own TX
and RX queue of every port.  On a net_ring pair with two queues (software
RSS spreading 64 flows over the RX queues) every packet is counted once:
the port's figures are the sums of the queues', per-flow counts add up,
nothing is lost, reordered or duplicated; copies that come back on
another RX queue than their originals are each one duplicate (net_ring's
dup_next_queue= test aid); two streams on two cores each
count only their own packets.  Into net_null with two queues the TX counts
split exactly.  A size sweep, an RFC 2544 search and a paced rate with two
cores.
Bad combinations give clear errors (exit 2): too few queues, too few
lcores, --count below --cores, --pcap."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import Failure, check, eal_args, main, run  # noqa: E402

APP = sys.argv[1]
# Two CPUs: main and worker 1 share CPU 0, worker 2 has CPU 1.
LCORES = "0@0,1@0,2@1"
# 65536 slots: a receiver that loses its CPU for 100 ms drops nothing at 400 kpps.
RING_2Q = ("net_ring0,queues=2,size=65536", "net_ring1,queues=2,size=65536,peer=net_ring0")


def cmd(tag, opts, vdevs=RING_2Q, lcores=LCORES):
    return [APP] + eal_args(tag, vdevs, lcores) + ["--log-level=warning", "--"] + opts


def json_run(tag, opts, vdevs=RING_2Q):
    r = run(cmd(tag, opts + ["--json", "--stats-period=0"], vdevs))
    check(r.returncode == 0, "exit code %d" % r.returncode, r.stdout + r.stderr)
    check("leaked" not in r.stderr, "no leak", r.stderr)
    try:
        return json.loads(r.stdout), r
    except ValueError:
        raise Failure("stdout is not one JSON object: %r" % r.stdout[:300])


def test_two_queues_ring():
    d, r = json_run("ring", ["--cores=2", "--count=200000", "--rate=400kpps", "--latency",
                             "--flows=src-port=1000-1063"])
    p = d["ports"][0]
    qs = p["queues"]
    dump = json.dumps(p["queues"]) + " " + json.dumps({k: v for k, v in p.items()
                                                       if k not in ("series", "flows", "queues",
                                                                    "latency_ns")})
    check([(q["queue"], q["lcore"]) for q in qs] == [(0, 1), (1, 2)], "queue 0 on lcore 1, "
          "queue 1 on lcore 2", dump)
    # --count is shared out: each core sends half.
    check([q["tx_packets"] for q in qs] == [100000, 100000], "each core sent half", dump)
    check(p["tx_packets"] == sum(q["tx_packets"] for q in qs) == 200000, "tx = sum of queues", dump)
    check(p["rx_packets"] == sum(q["rx_packets"] for q in qs) == 200000, "rx = sum of queues", dump)
    # 64 flows hashed over two RX queues: both get a fair share.
    check(all(0.2 * 200000 < q["rx_packets"] < 0.8 * 200000 for q in qs),
          "RSS spread the flows over both RX queues", dump)
    check(p["lost"] == 0 and p["duplicates"] == 0 and p["reordered"] == 0 and d["foreign"] == 0,
          "nothing lost, duplicated, reordered or foreign", dump)
    check(p["tx_bytes"] == p["rx_bytes"] == 200000 * 64, "bytes", dump)
    check(p["latency_ns"]["count"] == 200000, "a latency per packet %r" % p["latency_ns"])
    check(d["tx_packets"] == 200000 and d["rx_packets"] == 200000, "run totals", dump)
    # Per flow: each core numbers its packets from 0 and cycles the 64
    # flows: 100000 = 1562 * 64 + 32, so flows 0-31 get 1563 from each
    # core, flows 32-63 1562.
    fl = p["flows"]
    check(len(fl) == 64 and all(f["tx_packets"] == f["rx_packets"] == (3126 if f["flow"] < 32
                                                                        else 3124) for f in fl),
          "every flow sent and received its share", json.dumps(fl[:3]))
    check([f["src_port"] for f in fl] == list(range(1000, 1064)), "flow ports", json.dumps(fl[:3]))
    check(all(f["tx_bytes"] == f["rx_bytes"] == 64 * f["tx_packets"] for f in fl),
          "per-flow bytes", json.dumps(fl[:3]))
    check("per core  queue 0 (lcore 1): sent 100000" in r.stderr, "report per core", r.stderr)


def test_two_streams_two_cores():
    # Two streams, two cores: four sub-streams (ids q * 2 + i), each counted
    # for its own stream only.
    vdevs = RING_2Q + ("net_ring2,queues=2,size=65536", "net_ring3,queues=2,size=65536,peer=net_ring2")
    d, _ = json_run("two", ["--cores=2", "--ports=0:1,2:3", "--count=40000", "--rate=100kpps",
                            "--flows=src-port=1000-1015"], vdevs=vdevs)
    for p in d["ports"]:
        qs = p["queues"]
        check([q["tx_packets"] for q in qs] == [20000, 20000] and p["tx_packets"] == 40000
              and p["rx_packets"] == sum(q["rx_packets"] for q in qs) == 40000 and p["lost"] == 0
              and p["duplicates"] == 0, "port %d: each core half, all back" % p["port"],
              json.dumps(qs))
    check(d["tx_packets"] == d["rx_packets"] == 80000 and d["foreign"] == 0, "totals",
          json.dumps({k: d[k] for k in ("tx_packets", "rx_packets", "foreign")}))


def test_rfc2544_two_cores():
    # The search with two cores against a ring port policed at 20000 pps
    # per TX queue (net_ring's max_pps= is per queue): the stream's rate,
    # both cores together, is what is searched, so it finds 40000.
    vdevs = ("net_ring0,queues=2,size=65536,max_pps=20000",
             "net_ring1,queues=2,size=65536,peer=net_ring0")
    d, _ = json_run("rfc", ["--cores=2", "--rfc2544", "--rate=80kpps", "--rfc2544-sizes=60",
                            "--trial=1", "--resolution=5", "--flows=src-port=1000-1015"],
                    vdevs=vdevs)
    # Two busy workers on a loaded 2-CPU machine may offer less than asked
    # (trials skip slots more than 10 ms late, and the result is what was
    # offered), so the bounds: above one queue's 20000 (both cores' traffic
    # counts), never above the two policers', and no trial passes above them.
    res = d["rfc2544"]["results"][0]
    check(20400 < res["throughput_pps"] <= 41600, "found %.0f pps for 2 x 20000 pps"
          % res["throughput_pps"], json.dumps(res))
    check(all(t["offered_pps"] <= 41600 for t in res["trials"] if t["pass"]),
          "no trial passes above the policers", json.dumps(res))


def test_two_queues_null():
    # Send only into net_null's two TX queues, as fast as the cores go.
    d, r = json_run("null", ["--cores=2", "--rx-port=none", "--count=100001"],
                    vdevs=("net_null0",))
    p = d["ports"][0]
    qs = p["queues"]
    check([q["tx_packets"] for q in qs] == [50001, 50000] and p["tx_packets"] == 100001,
          "100001 split 50001 + 50000", json.dumps(qs))
    check(p["rx_packets"] == 0 and p["lost"] == 0 and all(q["rx_packets"] == 0 for q in qs),
          "nothing received or lost", json.dumps(p["queues"]))


def test_dup_other_queue():
    # One flow: RSS puts every original on one RX queue, H.  net_ring copies
    # every 100th packet of each TX queue q onto RX queue q + 1 mod 2
    # (dup_every=100,dup_next_queue=1), so TX queue H's copies come back on
    # the other queue, received by the worker that neither sent nor received
    # their originals.  Each copy is one duplicate, wherever it lands.
    vdevs = ("net_ring0,queues=2,size=65536,dup_every=100,dup_next_queue=1",
             "net_ring1,queues=2,size=65536,peer=net_ring0")
    d, _ = json_run("dupq", ["--cores=2", "--count=20000", "--rate=100kpps"], vdevs=vdevs)
    p = d["ports"][0]
    qs = p["queues"]
    dump = json.dumps(qs) + " " + json.dumps({k: p[k] for k in ("tx_packets", "rx_packets",
                                                                "lost", "duplicates",
                                                                "reordered")})
    check(p["tx_packets"] == 20000 and p["rx_packets"] == 20200, "200 copies received", dump)
    check(sorted(q["rx_packets"] for q in qs) == [100, 20100],
          "one queue got the originals and 100 copies, the other only 100 copies", dump)
    check(p["duplicates"] == 200 and p["lost"] == 0 and p["reordered"] == 0,
          "every copy one duplicate, nothing lost or reordered", dump)
    # A bad combination is refused by the port.
    r = run(cmd("dupqbad", ["--count=10"], ("net_ring0,dup_next_queue=1",
                                           "net_ring1,peer=net_ring0")))
    check(r.returncode != 0 and "dup_next_queue=1 needs dup_every=N and queues=2" in r.stderr,
          "dup_next_queue without queues refused", r.stderr)


def test_rate_two_cores():
    # 200 kpps per stream: 100 kpps per core, the stream's rate is the sum.
    d, _ = json_run("rate", ["--cores=2", "--rate=200kpps", "--duration=2",
                             "--flows=src-port=1000-1063"])
    p = d["ports"][0]
    check(p["rate_pps"] == 200000, "asked rate %r" % p["rate_pps"])
    check(abs(p["tx_pps"] - 200000) <= 200000 * 0.03, "tx %.0f pps within 3 %%" % p["tx_pps"])
    check(all(abs(q["tx_packets"] - p["tx_packets"] / 2) <= p["tx_packets"] * 0.03
              for q in p["queues"]), "each core half the packets", json.dumps(p["queues"]))
    check(p["lost"] == 0, "no loss %r" % p["lost"])


def test_sweep_two_cores():
    d, _ = json_run("sweep", ["--cores=2", "--size=sweep:64-564:500", "--count=20000",
                              "--rate=200kpps", "--flows=src-port=1000-1063"])
    got = [(x["size"], x["tx_packets"], x["rx_packets"], x["lost"]) for x in d["sweep"]]
    check(got == [(64, 20000, 20000, 0), (564, 20000, 20000, 0)], "each size in full %r" % got)


def test_bad():
    for tag, opts, vdevs, lcores, needle in (
            ("q1", ["--cores=2"], ("net_ring0", "net_ring1,peer=net_ring0"), LCORES,
             "--vdev net_ring0,queues=2"),
            ("lc", ["--cores=3"], RING_2Q, LCORES, "3 worker lcore(s) needed"),
            ("cnt", ["--cores=2", "--count=1"], RING_2Q, LCORES, "below --cores=2"),
            ("c0", ["--cores=0"], RING_2Q, LCORES, "need 1..16 worker lcores"),
            ("c17", ["--cores=17"], RING_2Q, LCORES, "need 1..16 worker lcores"),
            ("pcap", ["--cores=2", "--pcap=/nonexistent.pcap"], RING_2Q, LCORES,
             "drop --cores=2")):
        r = run(cmd("bad" + tag, opts, vdevs, lcores))
        check(r.returncode == 2, "%s: exit 2, got %d" % (opts, r.returncode), r.stderr)
        check(needle in r.stderr, "%s: %r in message" % (opts, needle), r.stderr)
        check("leaked" not in r.stderr, "%s: nothing leaked" % opts, r.stderr)


if __name__ == "__main__":
    sys.exit(main([test_two_queues_ring, test_two_streams_two_cores, test_two_queues_null,
                   test_dup_other_queue, test_rate_two_cores, test_sweep_two_cores, test_rfc2544_two_cores, test_bad]))
