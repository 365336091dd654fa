#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sluice-pktgen --plot on a net_ring pair: an SVG and a PNG of a run
(throughput over time, latency by percentile) and an SVG of an RFC 2544
search, each a valid file of its kind with the plot's titles and data; the
gnuplot script kept next to it holds the run's series; clear errors for an
unknown extension, for gnuplot missing from PATH, and for gnuplot failing.

Usage: test_pktgen_plot.py SLUICE_PKTGEN   (exit 77 when gnuplot is not
installed: Debian's gnuplot-nox)."""
import os
import shutil
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import check, eal_args, main, run  # noqa: E402

APP = sys.argv[1]
RING_PAIR = ("net_ring0", "net_ring1,peer=net_ring0")
TMP = tempfile.mkdtemp(prefix="pktgen-plot-")


def cmd(tag, opts, vdevs=RING_PAIR):
    return [APP] + eal_args(tag, vdevs) + ["--log-level=warning", "--"] + opts


def plot_run(tag, path, opts, vdevs=RING_PAIR, env=None):
    argv = cmd(tag, opts + ["--stats-period=0", "--plot=" + path], vdevs)
    if env is None:
        return run(argv, timeout=120)
    import subprocess
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120, env=env)


def gp_blocks(gp):
    """The data blocks ($name << EOD ... EOD) of a gnuplot script."""
    blocks, name = {}, None
    with open(gp) as f:
        for line in f:
            line = line.rstrip("\n")
            if name is None and line.endswith("<< EOD"):
                name, blocks[line.split()[0]] = line.split()[0], []
            elif line == "EOD":
                name = None
            elif name:
                blocks[name].append([float(x) for x in line.split()])
    return blocks


def test_svg_run():
    path = os.path.join(TMP, "run.svg")
    r = plot_run("svg", path, ["--rate=100kpps", "--duration=2.5", "--latency"])
    check(r.returncode == 0, "exit 0, got %d" % r.returncode, r.stdout + r.stderr)
    data = open(path, "rb").read()
    check(data.startswith(b"<?xml") and b"<svg" in data[:400] and data.rstrip().endswith(b"</svg>"),
          "an SVG document", data[:400])
    check(len(data) > 10000, "a plot, not an empty canvas: %d bytes" % len(data))
    for text in (b"Throughput (per second)", b"Latency by percentile", b"port 0->1 tx",
                 b"port 0->1 rx", b"99.9%"):
        check(text in data.replace(b"&gt;", b">"), "%r drawn" % text)
    b = gp_blocks(os.path.join(TMP, "run.gp"))
    tp, lat = b.get("$tp0", []), b.get("$lat0", [])
    check(len(tp) >= 2, "the series in the script: %r" % tp)
    # The run's rate in Mpps: over the run not above 0.1 (+3 %), near it in
    # some second (a loaded machine may stall the lcore for a while).  One
    # second may be above it: pktgen repays a stall's debt in the next one,
    # at up to --catchup-peak (10x) the rate, so a row is bounded by that.
    t_prev, sent = 0.0, 0.0
    for row in tp:
        sent += row[1] * (row[0] - t_prev)
        t_prev = row[0]
    check(sent / t_prev <= 0.103 and all(row[1] <= 1.0 and row[2] <= 1.0 for row in tp) and
          max(row[1] for row in tp) > 0.05, "the series is the run's rate in Mpps: %r" % tp)
    check(len(lat) >= 3 and all(lat[i][0] <= lat[i + 1][0] and lat[i][1] <= lat[i + 1][1]
                                for i in range(len(lat) - 1)),
          "latency by percentile rises: %r" % lat[:10])
    check(lat[-1][0] >= 1e5, "the last point is one in ~250000 packets: %r" % lat[-1])


def test_png_run():
    path = os.path.join(TMP, "run.png")
    r = plot_run("png", path, ["--rate=50kpps", "--count=60000"])
    check(r.returncode == 0, "exit 0, got %d" % r.returncode, r.stdout + r.stderr)
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "a PNG", data[:16])
    w, h = struct.unpack(">II", data[16:24])
    check((w, h) == (900, 760), "two panels, 900 x 760: %d x %d" % (w, h))
    check(len(data) > 10000, "a plot, not an empty canvas: %d bytes" % len(data))


def test_svg_rfc2544():
    path = os.path.join(TMP, "rfc.svg")
    r = plot_run("rfc", path, ["--rfc2544", "--rate=100kpps", "--trial=0.5", "--resolution=10",
                               "--rfc2544-sizes=64,512"],
                 vdevs=("net_ring0,max_pps=20000", "net_ring1,peer=net_ring0"))
    check(r.returncode == 0, "exit 0, got %d" % r.returncode, r.stdout + r.stderr)
    data = open(path, "rb").read()
    check(data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>") and len(data) > 10000,
          "an SVG plot (%d bytes)" % len(data), data[:300])
    check(b"Throughput by frame size" in data and b"Latency by frame size" in data and
          b"upper bound" in data, "both panels drawn")
    rows = gp_blocks(os.path.join(TMP, "rfc.gp"))["$sizes"]
    check([row[0] for row in rows] == [64, 512], "one point per size: %r" % rows)
    check(all(0.01 < row[1] < 0.03 and row[3] == 0.1 and 0 < row[4] <= row[6] for row in rows),
          "throughput near the 20 kpps policer, bound 0.1 Mpps, latency: %r" % rows)


def test_png_sweep():
    path = os.path.join(TMP, "sweep.png")
    r = plot_run("sweep", path, ["--size=sweep:64-1064:500", "--count=2000", "--rate=100kpps"])
    check(r.returncode == 0, "exit 0, got %d" % r.returncode, r.stdout + r.stderr)
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000, "a PNG plot", data[:16])
    rows = gp_blocks(os.path.join(TMP, "sweep.gp"))["$sizes"]
    check([row[0] for row in rows] == [64, 564, 1064], "one point per size: %r" % rows)
    check(all(row[3] == 0.1 and 0 < row[1] <= 0.1001 and 0 < row[2] <= 0.1001 for row in rows),
          "tx and rx at most the asked 0.1 Mpps: %r" % rows)


def test_errors():
    r = plot_run("ext", os.path.join(TMP, "run.pdf"), ["--count=10"])
    check(r.returncode == 2 and "must end in .svg or .png" in r.stderr and "run.pdf" in r.stderr,
          "unknown extension refused (exit %d)" % r.returncode, r.stderr)
    r = plot_run("dir", "/nonexistent/dir/run.svg", ["--count=10"])
    check(r.returncode == 2 and "cannot write in '/nonexistent/dir/'" in r.stderr,
          "an unwritable directory refused before the run (exit %d)" % r.returncode, r.stderr)
    # A sweep without latency draws only the throughput panel (gnuplot
    # refuses a panel of nothing but NaN).
    path = os.path.join(TMP, "nolat.svg")
    r = plot_run("nolat", path, ["--size=sweep:64-564:500", "--count=500", "--no-latency"])
    check(r.returncode == 0 and b"Latency" not in open(path, "rb").read(),
          "sweep without latency plotted (exit %d)" % r.returncode, r.stderr)
    # No gnuplot in PATH: refused before the run, nothing written.
    empty = os.path.join(TMP, "empty-bin")
    os.makedirs(empty, exist_ok=True)
    path = os.path.join(TMP, "none.svg")
    r = plot_run("nognuplot", path, ["--count=10"], env=dict(os.environ, PATH=empty))
    check(r.returncode == 2 and "gnuplot is not in PATH" in r.stderr and "gnuplot-nox" in r.stderr,
          "missing gnuplot is a clear error (exit %d)" % r.returncode, r.stderr)
    check(not os.path.exists(path), "no plot written")
    # A gnuplot that fails: the run's failure is reported, exit 1.
    bad = os.path.join(TMP, "bad-bin")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "gnuplot"), "w") as f:
        f.write("#!/bin/sh\necho 'gnuplot: broken' >&2\nexit 3\n")
    os.chmod(os.path.join(bad, "gnuplot"), 0o755)
    r = plot_run("badgnuplot", os.path.join(TMP, "bad.svg"), ["--count=10"],
                 env=dict(os.environ, PATH=bad + ":/usr/bin:/bin"))
    check(r.returncode == 1 and "gnuplot failed" in r.stderr and "status 3" in r.stderr
          and "gnuplot: broken" in r.stderr, "gnuplot's failure reported (exit %d)" % r.returncode,
          r.stderr)
    check("leaked" not in r.stderr, "nothing leaked", r.stderr)


if __name__ == "__main__":
    if shutil.which("gnuplot") is None:
        print("SKIP: gnuplot is not installed (Debian: gnuplot-nox)")
        sys.exit(77)
    try:
        rc = main([test_svg_run, test_png_run, test_svg_rfc2544, test_png_sweep, test_errors])
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(rc)
