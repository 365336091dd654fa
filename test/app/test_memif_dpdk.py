#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""net_memif against DPDK's net_memif (Debian's dpdk-testpmd, DPDK 22.11):
the two implementations of the protocol connect and carry traffic both
ways, in both roles.

- DPDK is the server: dpdk-testpmd forwards (io) between two memif servers;
  sluice-pktgen's two memif clients send through it and count what comes
  back.
- Sluice is the server: sluice-pktgen's two memif servers, dpdk-testpmd's
  two clients forward between them.

DPDK's memif uses an abstract socket by default, ours a path: the first
case uses DPDK's default (ours with socket-abstract=yes), the second a path
(DPDK's with socket-abstract=no).  Exits 77 (skipped) when
dpdk-testpmd is not installed (Debian package 'dpdk').

Usage: test_memif_dpdk.py SLUICE_PKTGEN
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
from tplib import Failure, check, main  # noqa: E402

PKTGEN = sys.argv[1]
DPDK = shutil.which("dpdk-testpmd")


def dpdk_testpmd(role, d, log, abstract=False):
    vdevs = []
    for i, s in enumerate(("a", "b")):
        vdevs += ["--vdev", "net_memif%d,role=%s,socket=%s/%s.sock%s"
                  % (i, role, d, s, "" if abstract else ",socket-abstract=no")]
    # Forwarding core on CPU 1; sluice-pktgen polls on CPU 0 (--main-lcore 1).
    argv = [DPDK, "-l", "0-1", "--no-huge", "-m", "256", "--no-pci",
            "--file-prefix", "memif_dpdk_%d" % os.getpid()] + vdevs + \
        ["--", "--forward-mode=io", "--total-num-mbufs=8192", "--stats-period=1"]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT)


def pktgen_argv(role, d, secs, abstract=False):
    argv = [PKTGEN, "-l", "0-1", "--main-lcore", "1", "--no-huge", "-m", "256",
            "--file-prefix", "memif_pg_%d" % os.getpid()]
    for i, s in enumerate(("a", "b")):
        argv += ["--vdev", "net_memif%d,role=%s,socket=%s/%s.sock%s"
                 % (i, role, d, s, ",socket-abstract=yes" if abstract else "")]
    return argv + ["--", "--rate=100000", "--duration=%d" % secs, "--json"]


def wait_sockets(d, proc, log_path):
    for _ in range(200):
        if os.path.exists(d + "/a.sock") and os.path.exists(d + "/b.sock"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    with open(log_path) as f:
        raise Failure("memif server sockets never appeared\n" + f.read()[-3000:])


def wait_forwarding(proc, log_path, secs=60):
    """Wait for dpdk-testpmd to start forwarding: on a loaded machine its
    start-up can take longer than the whole pktgen run, which then sends
    nothing and, by quitting mid-handshake, makes DPDK 22.11's memif panic
    ("Error adding fd ... epoll_ctl")."""
    for _ in range(secs * 20):
        with open(log_path) as f:
            if "packet forwarding - ports=" in f.read():
                return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    with open(log_path) as f:
        raise Failure("dpdk-testpmd never started forwarding\n" + f.read()[-3000:])


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # DPDK leaves its runtime directory behind.
    prefix = "memif_dpdk_%d" % os.getpid()
    for base in ("/var/run/dpdk", os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")):
        shutil.rmtree(os.path.join(base, prefix), ignore_errors=True)


def check_pktgen(stdout, stderr, dpdk_log):
    out = stdout + stderr
    with open(dpdk_log) as f:
        out += "\n--- dpdk-testpmd ---\n" + f.read()[-3000:]
    try:
        doc = json.loads(stdout)
    except ValueError as e:
        raise Failure("pktgen stdout is not JSON (%s)" % e + "\n" + out[-4000:])
    check(doc["rx_packets"] > 0, "nothing came back through dpdk-testpmd", out)
    check("leak" not in stderr, "pktgen reports a leak", out)


def test_dpdk_server():
    d = tempfile.mkdtemp(prefix="sl-memif-dpdk-")
    log_path = d + "/dpdk.log"
    with open(log_path, "w") as log:
        dp = dpdk_testpmd("server", d, log, abstract=True)
    try:
        wait_forwarding(dp, log_path)
        # Abstract sockets leave no file to wait for: our clients retry
        # until DPDK's servers listen.
        r = subprocess.run(pktgen_argv("client", d, 4, abstract=True), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60)
        check(r.returncode == 0, "pktgen exit status %d" % r.returncode, r.stdout + r.stderr)
        check_pktgen(r.stdout, r.stderr, log_path)
    finally:
        stop(dp)
        shutil.rmtree(d, ignore_errors=True)


def test_dpdk_client():
    d = tempfile.mkdtemp(prefix="sl-memif-dpdk-")
    log_path = d + "/dpdk.log"
    pg = subprocess.Popen(pktgen_argv("server", d, 5), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dp = None
    try:
        wait_sockets(d, pg, log_path if os.path.exists(log_path) else "/dev/null")
        # DPDK's client does not retry: our servers listen from probe on.
        with open(log_path, "w") as log:
            dp = dpdk_testpmd("client", d, log)
        stdout, stderr = pg.communicate(timeout=60)
        check(pg.returncode == 0, "pktgen exit status %d" % pg.returncode, stdout + stderr)
        check_pktgen(stdout, stderr, log_path)
    finally:
        if pg.poll() is None:
            pg.kill()
            pg.wait()
        if dp is not None:
            stop(dp)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    if DPDK is None:
        print("SKIP: dpdk-testpmd not found (Debian package 'dpdk')")
        sys.exit(77)
    sys.exit(main([test_dpdk_server, test_dpdk_client]))
