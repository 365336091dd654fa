#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-pktgen end to end on cross-connected net_ring pairs: exact counts,
no loss, no leak when sending on one port of a pair and receiving on the
same port, drops/copies/swaps injected on a ring port (net_ring's test
aids) each counted as what they are, rate strings, the catch-up cap after a stall (SIGSTOP), flows and
sizes, --json FILE / --csv FILE, the live view on a terminal and off it
(quiet unless --live),
several streams at once, the RFC 2544 search against a ring port that
drops above a set rate (net_ring's max_pps= test aid), send-only streams
(--rx-port=none), pcap replay (frames checked byte for byte in
net_pcap's TX file), size sweeps, per-flow counts, bad options (exit 2)."""
import csv
import json
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import Failure, check, eal_args, main, run  # noqa: E402
from pcaplib import make_packets, read_pcap, write_pcap  # noqa: E402

APP = sys.argv[1]
RING_PAIR = ("net_ring0", "net_ring1,peer=net_ring0")
TWO_PAIRS = RING_PAIR + ("net_ring2", "net_ring3,peer=net_ring2")
LIVE = "port 0->1  tx"


def cmd(tag, opts, vdevs=RING_PAIR):
    return [APP] + eal_args(tag, vdevs) + ["--log-level=warning", "--"] + opts


def json_run(tag, opts, vdevs=RING_PAIR):
    r = run(cmd(tag, opts + ["--json", "--stats-period=0"], vdevs))
    check(r.returncode == 0, "exit code %d" % r.returncode, r.stdout + r.stderr)
    check("leaked" not in r.stderr, "no leak", r.stderr)
    try:
        return json.loads(r.stdout)
    except ValueError:
        raise Failure("stdout is not one JSON object: %r" % r.stdout[:300])


def test_count_exact_no_loss():
    d = json_run("cnt", ["--count=200000", "--size=128"])
    p = d["ports"][0]
    check(p["port"] == 0 and p["rx_port"] == 1, "one stream 0 -> 1 %r" % p)
    check(p["tx_packets"] == 200000 and p["rx_packets"] == 200000, "all received %r" % p)
    check(p["lost"] == 0 and p["reordered"] == 0 and p["duplicates"] == 0 and d["foreign"] == 0,
          "clean %r" % d)
    check(p["tx_bytes"] == 200000 * 128 == p["rx_bytes"], "bytes %r" % p)
    check(d["tx_packets"] == p["tx_packets"] and d["duration_s"] > 0, "totals %r" % d)
    lat = p["latency_ns"]
    check(lat["count"] == 200000, "every packet's latency recorded %r" % lat)
    check(0 < lat["min"] <= lat["p50"] <= lat["p99"] <= lat["p999"] <= lat["max"]
          and lat["min"] <= lat["mean"] <= lat["max"], "latency ordered %r" % lat)


def test_same_port_no_leak():
    # Sent on port 0, whose peer (port 1) is never polled: the packets sit in
    # port 1's ring.  Closing every port frees them; all are reported lost.
    r = run(cmd("same", ["--tx-port=0", "--rx-port=0", "--count=1000", "--json",
                         "--stats-period=0"]))
    check(r.returncode == 0, "exit code %d" % r.returncode, r.stdout + r.stderr)
    check("leaked" not in r.stderr, "no mbuf leaked", r.stderr)
    p = json.loads(r.stdout)["ports"][0]
    check(p["tx_packets"] == 1000 and p["rx_packets"] == 0 and p["lost"] == 1000,
          "all sent, none received, all lost %r" % p)


def test_tx_only():
    # --rx-port=none: nothing received or counted as lost; the frames wait in
    # port 1's ring (never polled, 1024 slots) and are freed when it is closed.
    d = json_run("txo", ["--rx-port=none", "--count=1000", "--size=100"])
    p = d["ports"][0]
    check(p["port"] == 0 and p["rx_port"] is None, "send only %r" % p)
    check(p["tx_packets"] == 1000 and p["tx_bytes"] == 1000 * 100 and p["tx_dropped"] == 0,
          "all sent %r" % p)
    check(p["rx_packets"] == 0 and p["lost"] == 0 and d["lost"] == 0 and
          p["latency_ns"]["count"] == 0, "no receive accounting %r" % d)
    check(all(x["lost"] == 0 and x["rx_pps"] == 0 for x in p["series"]), "series %r" % p["series"])
    # Into net_null at max rate (the TX-only benchmark), and --ports with none.
    d = json_run("txon", ["--ports=0:none,1:none", "--duration=1"], ("net_null0", "net_null1"))
    check([(p["port"], p["rx_port"]) for p in d["ports"]] == [(0, None), (1, None)] and
          all(p["tx_packets"] > 1000 and p["lost"] == 0 for p in d["ports"]),
          "two send-only streams into net_null %r" % d["ports"])
    r = run(cmd("txot", ["--rx-port=none", "--count=1000", "--stats-period=0"]))
    check(r.returncode == 0 and "received  not counted (--rx-port=none)" in r.stdout and
          "port 0 (send only)" in r.stdout, "final report says so", r.stdout + r.stderr)


TMP = tempfile.mkdtemp(prefix="pktgen-test-")
PCAP_IN = os.path.join(TMP, "in.pcap")
PCAP_PKTS = make_packets(40, 13, lens=(60, 64, 100, 511, 1514, 3000, 9000, 14))
write_pcap(PCAP_IN, PCAP_PKTS)
with open(os.path.join(TMP, "corrupt.pcap"), "wb") as _f:
    _f.write(open(PCAP_IN, "rb").read()[:20000])  # cut inside a record
with open(os.path.join(TMP, "snap.pcap"), "wb") as _f:  # captured with -s 64
    _f.write(open(PCAP_IN, "rb").read()[:24] + struct.pack("<IIII", 1, 0, 64, 1514) + bytes(64))


def test_pcap_replay():
    frames = [d for _, d in PCAP_PKTS]
    nbytes = sum(len(d) for d in frames)
    # Over a ring pair, three passes: every frame arrives (counted as foreign:
    # replayed frames carry no trailer), with every byte.
    d = json_run("pcap", ["--pcap", PCAP_IN, "--pcap-loop=3"])
    p = d["ports"][0]
    check(p["tx_packets"] == 120 and p["tx_bytes"] == 3 * nbytes and p["tx_dropped"] == 0,
          "3 x 40 frames sent %r" % p)
    check(d["foreign"] == 120 and d["foreign_bytes"] == 3 * nbytes and d["lost"] == 0,
          "3 x 40 frames received %r" % d)
    check(d["pcap"] == {"file": PCAP_IN, "frames": 40, "bytes": nbytes, "loops": 3,
                        "timing": "rate"}, "pcap in JSON %r" % d.get("pcap"))
    # Into net_pcap's TX file: byte-identical, in order, twice.
    out = os.path.join(TMP, "out.pcap")
    d = json_run("pcapw", ["--rx-port=none", "--pcap=" + PCAP_IN, "--pcap-loop=2"],
                 ("net_pcap0,tx_pcap=" + out,))
    got = [data for _, wire, data in read_pcap(out)[1]]
    check(len(got) == 80, "80 frames written, got %d" % len(got))
    for i, g in enumerate(got):
        if g != frames[i % 40]:
            raise Failure("frame %d differs from the file's frame %d (len %d vs %d)" %
                          (i, i % 40, len(g), len(frames[i % 40])))
    # A rate: 20 kpps -> 40 frames take ~2 ms; as recorded they take the
    # file's span (40 gaps of 1..5 ms).
    span = (PCAP_PKTS[-1][0] - PCAP_PKTS[0][0]) / 1e9
    d = json_run("pcapr", ["--pcap=" + PCAP_IN, "--pcap-timing=recorded"])
    check(d["tx_packets"] == 40 and d["foreign"] == 40, "one pass %r" % d)
    check(span * 0.99 <= d["duration_s"] <= span + 0.5,
          "as recorded: %.3f s for a %.3f s capture" % (d["duration_s"], span))
    d = json_run("pcapq", ["--pcap=" + PCAP_IN, "--rate=200", "--pcap-loop=inf", "--count=50"])
    check(d["tx_packets"] == 50 and d["foreign"] == 50 and 0.2 <= d["duration_s"] <= 0.35,
          "--count caps an endless replay at 200 pps (%d in %.3f s)" % (d["tx_packets"],
                                                                     d["duration_s"]))


def test_size_sweep():
    d = json_run("sweep", ["--size=sweep:64-1518:500", "--count=3000", "--latency"])
    sw = d["sweep"]
    check([x["size"] for x in sw] == [64, 564, 1064], "sizes 64, 564, 1064 (1564 > 1518) %r" % sw)
    for x in sw:
        check(x["tx_packets"] == 3000 and x["rx_packets"] == 3000 and x["lost"] == 0 and
              x["duplicates"] == 0 and 0 < x["latency_ns"]["min"] <= x["latency_ns"]["p99"],
              "each size sent and received in full %r" % x)
    p = d["ports"][0]
    check(p["tx_bytes"] == 3000 * 1064 and p["tx_packets"] == 3000,
          "the stream's own counters are the last size's %r" % p)


def test_per_flow_counts():
    # Six incrementing flows, sizes 64..100 incrementing (packet k is
    # 64 + k mod 37 bytes), every 101st packet dropped on the ring: each
    # flow's packets and bytes are what the sequence numbers predict.
    flows = ["--flows=src-port=1000-1002,dst-ip=10.0.0.1-10.0.0.2", "--count=1000",
             "--size=64-100"]
    d = json_run("flow", flows, ("net_ring0,drop_every=101", "net_ring1,peer=net_ring0"))
    fl = d["ports"][0]["flows"]
    check(len(fl) == 6, "six flows %r" % fl)
    for i, f in enumerate(fl):
        tx = len([k for k in range(1000) if k % 6 == i])
        rx = len([k for k in range(1000) if k % 6 == i and (k + 1) % 101])
        check(f["flow"] == i and f["tx_packets"] == tx and f["rx_packets"] == rx,
              "flow %d: tx %d rx %d expected, got %r" % (i, tx, rx, f))
        txb = sum(64 + k % 37 for k in range(1000) if k % 6 == i)
        rxb = sum(64 + k % 37 for k in range(1000) if k % 6 == i and (k + 1) % 101)
        check(f["tx_bytes"] == txb and f["rx_bytes"] == rxb,
              "flow %d: tx %d rx %d bytes expected, got %r" % (i, txb, rxb, f))
    check(sum(f["tx_packets"] - f["rx_packets"] for f in fl) == d["ports"][0]["lost"] == 9,
          "per-flow losses add up to the stream's %r" % fl)
    check(sum(f["tx_bytes"] for f in fl) == d["ports"][0]["tx_bytes"] and
          sum(f["rx_bytes"] for f in fl) == d["ports"][0]["rx_bytes"],
          "per-flow bytes add up to the stream's %r" % d["ports"][0]["tx_bytes"])
    # The fields named for each flow are those its packets carry: the same
    # run into net_pcap's TX file, packet k being flow k mod 6.
    out = os.path.join(TMP, "flows.pcap")
    run(cmd("flowc", flows + ["--rx-port=none", "--stats-period=0"], ("net_pcap0,tx_pcap=" + out,)))
    pkts = [data for _, _, data in read_pcap(out)[1]]
    check(len(pkts) == 1000, "1000 frames captured, got %d" % len(pkts))
    check([len(x) for x in pkts] == [64 + k % 37 for k in range(1000)], "captured sizes")
    for k, data in enumerate(pkts[:12]):
        f = fl[k % 6]
        got = ("%d.%d.%d.%d" % tuple(data[26:30]), "%d.%d.%d.%d" % tuple(data[30:34]),
               struct.unpack(">H", data[34:36])[0], struct.unpack(">H", data[36:38])[0])
        check(got == (f["src_ip"], f["dst_ip"], f["src_port"], f["dst_port"]),
              "packet %d carries flow %d's fields: %r vs %r" % (k, k % 6, got, f))
    # A random field gives no per-flow counts.
    d = json_run("flowr", ["--flows=src-port=1000-1002:random", "--count=100"])
    check("flows" not in d["ports"][0], "no per-flow counts for random flows")


def expected_faults(count, drop, dup, swap):
    """What net_ring's drop_every/dup_every/swap_every do to packets 0..count-1
    (sl_eth_ring.h), and what an exact receiver counts: (received, lost,
    reordered, duplicates)."""
    out, held = [], None
    for seq in range(count):
        k = seq + 1
        if k % drop == 0:
            continue
        if k % swap == 0 and held is None:
            held = seq
            continue
        out.append(seq)
        if k % dup == 0:
            out.append(seq)
        if held is not None:
            out.append(held)
            held = None
    seen, top, reord, dups = set(), -1, 0, 0
    for q in out:
        if q in seen:
            dups += 1
        elif q < top:
            reord += 1
        seen.add(q)
        top = max(top, q)
    return len(out), count - len(seen), reord, dups


def test_faults_counted():
    # A ring port that drops every 101st packet, sends every 211th twice and
    # holds every 97th back behind the next one (net_ring test aids).  Before
    # issue 13 pktgen counted the copies as reorders, so they hid as many
    # losses: it said lost 52, reordered 149 here.
    want = expected_faults(10000, 101, 211, 97)
    check(want == (9948, 99, 102, 47), "the fault model itself %r" % (want,))
    d = json_run("faults", ["--count=10000", "--rate=100kpps"],
                 vdevs=("net_ring0,drop_every=101,dup_every=211,swap_every=97",
                        "net_ring1,peer=net_ring0"))
    p = d["ports"][0]
    got = (p["rx_packets"], p["lost"], p["reordered"], p["duplicates"])
    check(p["tx_packets"] == 10000 and got == want,
          "received, lost, reordered, duplicates %r, want %r" % (got, want))


def test_rate_error_split():
    # Port 1 is never polled (--rx-port=none): its 1024-slot ring fills and
    # the port refuses the rest.  The shortfall is the port's, not the
    # pacing's: rate_error_pct says so, and its parts add up.
    d = json_run("split", ["--rx-port=none", "--rate=100kpps", "--duration=1"])
    p = d["ports"][0]
    e = p["rate_error_pct"]
    check(p["tx_packets"] == 1024 and p["tx_dropped"] > 10000, "the ring took 1024 %r" % p)
    check(e["refused"] < -90 and abs(e["sent"] - e["refused"] - e["behind"] - e["pacing"]) < 1e-3
          and abs(e["pacing"]) < 0.01, "refused by the port, parts add up %r" % e)
    r = run(cmd("splitt", ["--rx-port=none", "--rate=100kpps", "--duration=1", "--stats-period=0"]))
    check("refused by the port -9" in r.stdout, "the report splits the error", r.stdout + r.stderr)
    # Received normally: nothing refused; the error is the lcore's or the
    # pacing's, within the goal's 0.5 % between them on an idle enough CPU.
    d = json_run("split2", ["--rate=100kpps", "--duration=1"])
    e = d["ports"][0]["rate_error_pct"]
    check(e["refused"] == 0 and abs(e["pacing"]) < 0.01 and
          abs(e["sent"] - e["behind"] - e["pacing"]) < 1e-3, "clean run %r" % e)
    # Not paced (--rate=max): no split.
    d = json_run("split3", ["--count=1000"])
    check("rate_error_pct" not in d["ports"][0], "no split at --rate=max %r" % d["ports"][0])


def test_refused_retried_at_max():
    # Port 1's ring holds 32 packets and pktgen sends bursts of 64: at
    # --rate=max the port refuses half of each burst, and the lcore's own
    # receive drains it.  The refused packets are held and offered again
    # (in order) at the next poll: every one of --count arrives, none is
    # dropped, lost or reordered.  (Before issue 13's change they were
    # dropped: tx_dropped about half, and fewer received.)
    small = ("net_ring0", "net_ring1,peer=net_ring0,size=32")
    d = json_run("retry", ["--count=20000", "--burst=64"], small)
    p = d["ports"][0]
    check(p["tx_packets"] == 20000 and p["rx_packets"] == 20000 and p["tx_dropped"] == 0 and
          p["lost"] == 0 and p["reordered"] == 0 and p["duplicates"] == 0,
          "all sent once, in order %r" % p)
    check(p["tx_retried"] >= 20000 // 64, "refused halves retried %r" % p)
    check("rate_error_pct" not in p, "no split at --rate=max %r" % p)
    # Paced: a refused packet's slot has passed; it is dropped and counted
    # as refused (rate_error_pct.refused), never sent late.
    # (Port 1 not polled: its ring takes 32, the port refuses the rest.)
    d = json_run("retryp", ["--rx-port=none", "--rate=100kpps", "--duration=0.5"], small)
    p = d["ports"][0]
    check(p["tx_packets"] == 32 and p["tx_retried"] == 0 and p["tx_dropped"] > 1000 and
          p["rate_error_pct"]["refused"] < -90, "paced: dropped, counted as refused %r" % p)
    # A port that never drains (port 1 is not polled): after PG_RETRY_MS
    # (100 ms) without progress the held packets are dropped and so is the
    # rest, at once: the --count run ends.
    t0 = time.monotonic()
    d = json_run("retrys", ["--rx-port=none", "--count=2000"], small)
    took = time.monotonic() - t0
    p = d["ports"][0]
    check(p["tx_packets"] == 32 and p["tx_dropped"] == 2000 - 32 and p["tx_retried"] == 32,
          "stuck port: 32 taken, one burst's refused half held, then dropped %r" % p)
    check(took < 30, "the run ended (%.1f s)" % took)


def test_rate_limit():
    # Full catch-up, so that a loaded machine's stalls do not lower the rate.
    d = json_run("rate", ["--rate=200000", "--duration=1", "--max-burst-catchup=0"])
    p = d["ports"][0]
    # Never faster than asked; under load it may fall behind a little.
    check(p["tx_pps"] <= 200000 * 1.02, "rate not exceeded: %r" % p["tx_pps"])
    check(p["tx_pps"] >= 200000 * 0.5, "rate roughly met: %r" % p["tx_pps"])
    check(p["lost"] == 0, "no loss at a low rate %r" % p)


def test_rate_strings():
    # 50 Mbit/s of 128-byte frames at layer 1: 128 + 24 bytes per frame.
    for rate, extra, pps in (("50mbps", [], 50e6 / (152 * 8)),
                             ("50mbps", ["--rate-l2"], 50e6 / (132 * 8)),
                             ("1%", [], 10e9 * 0.01 / (152 * 8)),   # net_ring says 10G
                             ("20kpps", [], 20000)):
        d = json_run("rs", ["--rate=" + rate, "--size=128", "--count=2000"] + extra)
        got = d["ports"][0]["rate_pps"]
        check(abs(got - pps) < 0.5, "--rate=%s %s: %.1f pps, want %.1f" % (rate, extra, got, pps))


def test_bit_rates_sent():
    # The bit rate the pacer runs at, not only the one resolved: 2 s at
    # 50 Mbit/s of 128-byte frames counted at layer 1 (152 bytes on the
    # wire each), at layer 2 (--rate-l2: 132 bytes), and 1 % of net_ring's
    # 10 Gbit/s: the packets sent (or refused) and those still owed at the deadline (a
    # loaded machine may deschedule the lcore at the end; how close the
    # sending itself holds the rate is test/bench/pktgen-rate-accuracy's
    # business) make the asked bits within 1 %.  A user IMIX (3 x 100,
    # 1 x 300) sends exactly its bytes.
    for rate, extra, wire in (("50mbps", [], 152), ("50mbps", ["--rate-l2"], 132),
                              ("1%", [], 152)):
        d = json_run("bits", ["--rate=" + rate, "--size=128", "--duration=2"] + extra)
        p = d["ports"][0]
        want = 100e6 if rate == "1%" else 50e6
        # (Packets the port refused, its ring full while the lcore was
        # away, were sent at the rate too.)
        got = (p["tx_packets"] + p["tx_dropped"] + p["tx_owed"]) * wire * 8 / d["duration_s"]
        check(abs(got - want) <= want * 0.01, "--rate=%s %s: %.3f Mbit/s sent or owed, want %.0f"
              % (rate, extra, got / 1e6, want / 1e6))
        check(p["tx_skipped"] == 0, "nothing skipped %r" % p["tx_skipped"])
        if not extra:
            # tx_mbps counts layer 1 (the FCS, preamble and gap included).
            check(abs(p["tx_mbps"] * 1e6 - p["tx_pps"] * 152 * 8) <= 1e3,
                  "tx_mbps (L1) %r" % p["tx_mbps"])
    d = json_run("umix", ["--size=imix:100x3,300x1", "--count=4000", "--rate=200kpps"])
    p = d["ports"][0]
    check(p["tx_packets"] == p["rx_packets"] == 4000 and p["tx_bytes"] == 1000 * 600 == p["rx_bytes"],
          "user IMIX bytes %r" % {k: p[k] for k in ("tx_packets", "tx_bytes", "rx_bytes")})


def stall_run(tag, extra):
    """100 kpps for 3 s with the process stopped for 0.6 s in the middle."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.json")
        p = subprocess.Popen(cmd(tag, ["--rate=100kpps", "--duration=3", "--live",
                                       "--json", path] + extra),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        # Stop it 1.2 s into sending: after its first live line (1 s in),
        # not a fixed time after the start, which a loaded machine's
        # start-up (seconds, at times) would swallow.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and LIVE not in (p.stdout.readline() or LIVE):
            pass
        time.sleep(0.2)
        p.send_signal(signal.SIGSTOP)
        time.sleep(0.6)
        p.send_signal(signal.SIGCONT)
        out, err = p.communicate(timeout=30)
        check(p.returncode == 0, "exit code %r" % p.returncode, out + err)
        with open(path) as f:
            return json.load(f)["ports"][0]


def test_catchup_cap():
    # Default: the 0.6 s stall's 60000 packets are owed, not skipped, and
    # repaid at no more than 10x the rate: the run's 300000 slots are all
    # sent or, if a loaded machine stalls the lcore again near the end,
    # still owed at the deadline (within 1 %: the lcore starts a little
    # after main), and no whole second runs above 10x.
    p = stall_run("cap", [])
    check(p["tx_skipped"] == 0, "nothing skipped below --skip-after %r" % p["tx_skipped"])
    check(abs(p["tx_packets"] + p["tx_owed"] - 300000) <= 3000,
          "every slot sent or owed: sent %r, owed at the end %r" % (p["tx_packets"], p["tx_owed"]))
    # (The main thread, stopped too, samples the stall and the first of the
    # catch-up in one interval; the last, partial interval is too short to
    # judge.)
    worst = max(s["tx_pps"] for s in p["series"][:-1])
    check(worst <= 100000 * 10 * 1.03, "catch-up at most 10x: worst second %.0f pps" % worst)
    # --catchup-peak=1.25: the debt is repaid at 125 kpps at most, so by the
    # end about half of it is still owed (more on a loaded machine, whose
    # own stalls add debt); no second runs above 1.25x.
    p = stall_run("peak", ["--catchup-peak=1.25"])
    worst = max(s["tx_pps"] for s in p["series"][:-1])
    check(worst <= 100000 * 1.25 * 1.03, "peak 1.25x held: worst second %.0f pps" % worst)
    check(p["tx_packets"] <= 300000 - 15000, "debt repaid slowly %r" % p)
    # --skip-after=100ms: the slots more than 100 ms late are skipped.
    p = stall_run("skip", ["--skip-after=100ms"])
    check(p["tx_skipped"] >= 40000, "stall slots skipped %r" % p["tx_skipped"])
    check(abs(p["tx_packets"] + p["tx_skipped"] + p["tx_owed"] - 300000) <= 3000,
          "slots add up %r" % p)
    # --max-burst-catchup=0: the old behaviour, every packet owed is sent.
    p = stall_run("nocap", ["--max-burst-catchup=0"])
    check(p["tx_skipped"] == 0 and p["tx_packets"] >= 300000 * 0.99,
          "nothing skipped, the stall made up %r" % p)


def test_sizes_flows_json_csv():
    with tempfile.TemporaryDirectory() as tmp:
        js, cs = os.path.join(tmp, "r.json"), os.path.join(tmp, "r.csv")
        r = run(cmd("files", ["--rate=200kpps", "--duration=2.5", "--size=imix", "--latency",
                              "--flows=src-ip=10.0.0.1-10.0.0.50,dst-port=1000-1099:random",
                              "--json", js, "--csv=" + cs]))
        check(r.returncode == 0 and "leaked" not in r.stderr, "exit code %d" % r.returncode,
              r.stdout + r.stderr)
        check("---- sluice-pktgen: port 0 -> port 1" in r.stdout and "p99.9" in r.stdout,
              "text report on stdout with --json FILE", r.stdout)
        with open(js) as f:
            d = json.load(f)
        p = d["ports"][0]
        check(p["lost"] == 0 and p["duplicates"] == 0 and p["rx_packets"] == p["tx_packets"],
              "clean %r" % p)
        # IMIX mean is (7*60 + 4*590 + 1514) / 12 bytes.
        mean = p["tx_bytes"] / p["tx_packets"]
        check(abs(mean - 4294 / 12) < 2, "IMIX mean size %.1f" % mean)
        check(len(p["series"]) >= 2 and all(k in p["series"][0] for k in
              ("t", "tx_pps", "rx_pps", "lost", "p99_ns")), "series %r" % p["series"][:1])
        check(sum(1 for s in p["series"] if s["tx_pps"] > 0) >= 2, "series has traffic")
        check(p["latency_ns"]["histogram"] and sum(c for _, _, c in p["latency_ns"]["histogram"])
              == p["latency_ns"]["count"], "histogram adds up")
        with open(cs) as f:
            rows = list(csv.DictReader(f))
        check(len(rows) == len(p["series"]) and rows[0]["port"] == "0", "CSV rows %r" % rows[:1])


def test_two_streams():
    d = json_run("two", ["--ports=0:1,2:3", "--count=50000"], vdevs=TWO_PAIRS)
    check([p["port"] for p in d["ports"]] == [0, 2] and [p["rx_port"] for p in d["ports"]] == [1, 3],
          "two streams %r" % d["ports"])
    for p in d["ports"]:
        check(p["tx_packets"] == p["rx_packets"] == 50000 and p["lost"] == 0, "stream %r" % p)
    check(d["tx_packets"] == 100000, "totals %r" % d)


def test_rfc2544():
    # net_ring0's TX lets 20000 packets/s through and drops the rest (the
    # max_pps= test aid): the search must find 20000 within its resolution,
    # less what a loaded machine's stalls cost.  The result is the rate the
    # best passing trial really offered.  The default catch-up cap (10 ms)
    # keeps catch-up bursts inside the policer's 20 ms depth.
    with tempfile.TemporaryDirectory() as tmp:
        js = os.path.join(tmp, "rfc.json")
        cs = os.path.join(tmp, "rfc.csv")
        r = run(cmd("rfc", ["--rfc2544", "--rate=100kpps", "--rfc2544-sizes=64,1514", "--trial=1",
                            "--resolution=1", "--json", js, "--csv=" + cs],
                    vdevs=("net_ring0,max_pps=20000", "net_ring1,peer=net_ring0")), timeout=120)
        check(r.returncode == 0 and "leaked" not in r.stderr, "exit code %d" % r.returncode,
              r.stdout + r.stderr)
        check("RFC 2544 throughput" in r.stdout, "table printed", r.stdout)
        with open(js) as f:
            res = json.load(f)["rfc2544"]["results"]
        with open(cs) as f:
            rows = list(csv.DictReader(f))
    check(len(rows) == sum(len(x["trials"]) for x in res) and rows[0]["size"] == "64",
          "one CSV row per trial %r" % rows[:2])
    check([x["size"] for x in res] == [64, 1514], "one result per size %r" % res)
    for x in res:
        check(20000 * 0.85 <= x["throughput_pps"] <= 20000 * 1.02,
              "%d bytes: found %.0f pps, policer at 20000" % (x["size"], x["throughput_pps"]), r.stdout)
        t = x["trials"]
        check(not t[0]["pass"] and t[0]["rate_pps"] == 100000 and t[0]["lost"] > 0,
              "the upper bound fails %r" % t[0])
        best = [y for y in t if y["pass"] and y["rate_pps"] == x["rate_pps"]
                and y["offered_pps"] == x["throughput_pps"]]
        check(best and best[0]["lost"] == 0 and best[0]["latency_ns"]["p50"] > 0,
              "the result is a passing trial with latency %r" % t)
        check(all(y["lost"] > 0 for y in t if not y["pass"]), "failures lost packets %r" % t)


def test_rfc2544_default_sizes():
    # Without --rfc2544-sizes: RFC 2544 §9.1's 64..1518-byte frames, which
    # are 60..1514 without the FCS; with IPv6 only those that hold its
    # headers and the trailer (78 bytes).  One quick trial per size: no
    # policer, and a 50 % resolution stops at the first pass.
    for extra, want in (([], [60, 124, 252, 508, 1020, 1276, 1514]),
                        (["--ipv6"], [124, 252, 508, 1020, 1276, 1514])):
        d = json_run("rfcs", ["--rfc2544", "--rate=10kpps", "--trial=0.1", "--resolution=50"]
                     + extra)
        got = [x["size"] for x in d["rfc2544"]["results"]]
        check(got == want, "%s: sizes %r, want %r" % (extra, got, want))
        check(all(x["throughput_pps"] > 0 for x in d["rfc2544"]["results"]),
              "every size passed its trial %r" % d["rfc2544"]["results"])
    # The smallest Ethernet frame is sent and received whole.
    d = json_run("s60", ["--size=60", "--count=5000", "--rate=100kpps"])
    p = d["ports"][0]
    check(p["tx_packets"] == p["rx_packets"] == 5000 and p["rx_bytes"] == 5000 * 60
          and p["lost"] == 0, "60-byte frames %r" % {k: p[k] for k in ("tx_packets", "rx_packets",
                                                                       "rx_bytes", "lost")})


def test_live_quiet_not_a_tty():
    # stdout a pipe: no live line in 2.5 s (2 periods), only the final report.
    r = run(cmd("quiet", ["--rate=100000", "--duration=2.5"]))
    check(r.returncode == 0, "exit code %d" % r.returncode, r.stdout + r.stderr)
    check(LIVE not in r.stdout + r.stderr, "no live line when stdout is not a terminal",
          r.stdout + r.stderr)
    check("sluice-pktgen: port 0 -> port 1" in r.stdout and "lost 0" in r.stdout,
          "the final report", r.stdout + r.stderr)
    # --json on stdout: the live view would go to stderr, a pipe here too.
    r = run(cmd("quietj", ["--rate=100000", "--duration=2.5", "--json"]))
    check(r.returncode == 0 and LIVE not in r.stdout + r.stderr and
          json.loads(r.stdout)["ports"][0]["tx_packets"] > 0 and
          len(json.loads(r.stdout)["ports"][0]["series"]) >= 2,
          "--json: no live line, the series still sampled", r.stdout + r.stderr)


def test_live_forced_not_a_tty():
    p = subprocess.Popen(cmd("live", ["--rate=100000", "--no-live", "--live"]), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Interrupt once the first live line is out (not after a fixed sleep: on a
    # loaded machine start-up can take longer, and the signal would then
    # arrive before the handler is installed).
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        seen.append(line)
        if LIVE in line:
            break
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=20)
    out = "".join(seen) + out
    check(p.returncode == 0, "exit code after SIGINT %r" % p.returncode, out)
    check(out.count(LIVE) >= 1 and "Mbit/s" in out and "p99" in out, "live statistics", out)
    check("\033[" not in out, "no terminal control codes off a terminal", out)
    check("Signal 2 received" in out and "lost 0" in out, "final statistics", out)


def pty_run(tag, opts):
    """Run pktgen on a pseudo-terminal; returns (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(APP, cmd(tag, opts))
    buf = b""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            buf += data
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), buf.decode(errors="replace")


def test_live_tty():
    # 4.5 s: at least two redraws even when a loaded machine delays main.
    rc, out = pty_run("tty", ["--rate=100000", "--duration=4.5"])
    check(rc == 0, "exit code", out)
    # The line is redrawn in place: cursor up, carriage return, clear line.
    check(out.count("\r\033[K" + LIVE) >= 2 and "\033[1A" in out, "refreshing line", out)
    # --no-live: none even on a terminal.
    rc, out = pty_run("ttyq", ["--rate=100000", "--duration=2.5", "--no-live"])
    check(rc == 0 and LIVE not in out and "sluice-pktgen: port 0 -> port 1" in out,
          "--no-live on a terminal: report only", out)


def test_help():
    r = run([APP, "--help"])
    check(r.returncode == 0 and "EAL options" in r.stdout and "--tx-port=N" in r.stdout
          and "--max-burst-catchup" in r.stdout and "failed" not in r.stdout + r.stderr,
          "sluice-pktgen --help prints EAL and app options and exits 0", r.stdout + r.stderr)


def test_bad_options():
    for opts, needle in ((["--size=20"], "below the 60-byte minimum"),
                         (["--size=59"], "below the 60-byte minimum"),
                         (["--size=64-10000"], "above 9000"),
                         (["--size=1518-64"], "runs backwards"),
                         (["--size=imix:64x0"], "imix:60x7"),
                         (["--rate=fast"], "not a rate"),
                         (["--rate=10mbit"], "unknown unit 'mbit'"),
                         (["--rate=150%"], "more than 100%"),
                         (["--rate=20gbps"], "above port 0's 10 Gbps line rate"),
                         (["--flows=src-ip=10.0.0.9-10.0.0.1"], "runs backwards"),
                         (["--flows=src-port=1-70000"], "src-port"),
                         (["--dst-mac=02:00:00:00:01"], "MAC address"),
                         (["--max-burst-catchup=5s"], "--max-burst-catchup"),
                         (["--catchup-peak=1"], "--catchup-peak"),
                         (["--catchup-peak=fast"], "--catchup-peak"),
                         (["--skip-after=2h"], "--skip-after"),
                         (["--skip-after=-1s"], "--skip-after"),
                         (["--ports=0:1,0:1"], "sends two streams"),
                         (["--latency", "--no-latency"], "contradict"),
                         (["--rfc2544=100"], "0 <= LOSS < 100"),
                         (["--rfc2544", "--count=5"], "drop --count"),
                         (["--rfc2544-sizes=64,20"], "comma-separated"),
                         (["--rfc2544", "--rx-port=none"], "not none"),
                         (["--rx-port=nothing"], "or none (send only)"),
                         (["--pcap=" + TMP + "/missing.pcap"], "No such file"),
                         (["--pcap=" + TMP + "/corrupt.pcap"], "corrupt after frame"),
                         (["--pcap=" + APP], "unknown file format"),
                         (["--pcap=" + TMP + "/snap.pcap"], "holds 64 of its 1514 bytes"),
                         (["--pcap=" + PCAP_IN, "--size=128"], "drop --size"),
                         (["--pcap=" + PCAP_IN, "--pcap-timing=recorded", "--rate=1mpps"],
                          "drop --rate=1mpps"),
                         (["--pcap=" + PCAP_IN, "--pcap-loop=0"], "or inf"),
                         (["--pcap-loop=2"], "need --pcap=FILE"),
                         (["--size=sweep:64-1518"], "sweep:LO-HI:STEP"),
                         (["--size=sweep:1518-64:10"], "sweep:LO-HI:STEP"),
                         (["--size=sweep:64-9000:1"], "give a larger STEP"),
                         (["--size=sweep:64-1518:100", "--rfc2544"], "drop --size"),
                         (["--ipv6", "--size=sweep:64-1518:100"], "below the 78-byte minimum"),
                         (["--size=sweep:64-1518:100", "--rate=12mpps"], "at 164-byte frames"),
                         (["--ports=0:nonex"], "TX:RX"),
                         (["--trial=0"], "0.1..3600 seconds"),
                         (["--json", "/nonexistent/dir/r.json"], "cannot write --json file"),
                         (["--csv=/nonexistent/dir/r.csv"], "cannot write --csv file"),
                         (["--ipv6", "--size=64"], "below the 78-byte minimum"),
                         (["--ipv6", "--flows=src-ip=10.0.0.1-10.0.0.2"], "only src-port"),
                         (["--vlan=5000"], "0..4095"),
                         (["--proto=sctp"], "need udp or tcp"),
                         (["--tx-port=5"], "port 5 does not exist"),
                         (["--bogus"], "unknown option")):
        r = run(cmd("bad", opts))
        check(r.returncode == 2, "%s: exit 2, got %d" % (opts, r.returncode), r.stderr)
        check(needle in r.stderr, "%s: %r in message" % (opts, needle), r.stderr)
        check("leaked" not in r.stderr, "%s: nothing leaked" % opts, r.stderr)


if __name__ == "__main__":
    rc = (main([test_count_exact_no_loss, test_same_port_no_leak, test_tx_only,
                   test_pcap_replay, test_size_sweep, test_per_flow_counts, test_faults_counted,
                   test_rate_limit, test_rate_error_split, test_refused_retried_at_max,
                   test_rate_strings, test_bit_rates_sent, test_catchup_cap, test_sizes_flows_json_csv,
                   test_two_streams, test_rfc2544, test_rfc2544_default_sizes, test_live_quiet_not_a_tty,
                   test_live_forced_not_a_tty, test_live_tty, test_help,
                   test_bad_options]))
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(rc)
