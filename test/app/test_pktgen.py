#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-pktgen on a cross-connected net_ring pair: exact counts, no loss,
rate limiting, flows, live statistics, bad options (exit 2)."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import Failure, check, eal_args, main, run  # noqa: E402

APP = sys.argv[1]
RING_PAIR = ("net_ring0", "net_ring1,peer=net_ring0")


def cmd(tag, opts, vdevs=RING_PAIR):
    return [APP] + eal_args(tag, vdevs) + ["--"] + opts


def json_run(tag, opts):
    r = run(cmd(tag, opts + ["--json", "--stats-period=0"]))
    check(r.returncode == 0, "exit code %d" % r.returncode, r.stdout + r.stderr)
    check("leaked" not in r.stderr, "no leak", r.stderr)
    try:
        return json.loads(r.stdout)
    except ValueError:
        raise Failure("stdout is not one JSON object: %r" % r.stdout[:300])


def test_count_exact_no_loss():
    d = json_run("cnt", ["--count=200000", "--size=128"])
    check(d["tx_packets"] == 200000 and d["rx_packets"] == 200000, "all received %r" % d)
    check(d["lost"] == 0 and d["reordered"] == 0 and d["foreign"] == 0, "clean %r" % d)
    check(d["tx_bytes"] == 200000 * 128 == d["rx_bytes"], "bytes %r" % d)
    check(0 <= d["latency_us"]["min"] <= d["latency_us"]["avg"] <= d["latency_us"]["max"],
          "latency ordered %r" % d)


def test_rate_limit():
    d = json_run("rate", ["--rate=200000", "--duration=1"])
    # Never faster than asked; under load it may fall behind a little.
    check(d["tx_pps"] <= 200000 * 1.02, "rate not exceeded: %r" % d["tx_pps"])
    check(d["tx_pps"] >= 200000 * 0.5, "rate roughly met: %r" % d["tx_pps"])
    check(d["lost"] == 0, "no loss at a low rate %r" % d)


def test_live_stats_and_sigint():
    p = subprocess.Popen(cmd("live", ["--rate=100000"]), stdin=subprocess.DEVNULL,
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
        if "Mpps)   rx" in line:
            break
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=20)
    out = "".join(seen) + out
    check(p.returncode == 0, "exit code after SIGINT %r" % p.returncode, out)
    check(out.count("Mpps)   rx") >= 1, "live statistics", out)
    check("Signal 2 received" in out and "lost 0" in out, "final statistics", out)


def test_help():
    r = run([APP, "--help"])
    check(r.returncode == 0 and "EAL options" in r.stdout and "--tx-port=N" in r.stdout
          and "failed" not in r.stdout + r.stderr,
          "sluice-pktgen --help prints EAL and app options and exits 0", r.stdout + r.stderr)


def test_bad_options():
    for opts, needle in ((["--size=20"], "need 62..1514"), (["--rate=fast"], "--rate"),
                         (["--tx-port=5"], "port 5 does not exist"), (["--bogus"], "unknown option")):
        r = run(cmd("bad", opts))
        check(r.returncode == 2, "%s: exit 2, got %d" % (opts, r.returncode), r.stderr)
        check(needle in r.stderr, "%s: %r in message" % (opts, needle), r.stderr)


if __name__ == "__main__":
    sys.exit(main([test_count_exact_no_loss, test_rate_limit, test_live_stats_and_sigint,
                   test_help, test_bad_options]))
