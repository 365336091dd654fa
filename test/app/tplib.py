# SPDX-License-Identifier: BSD-3-Clause
"""Helpers shared by the sluice-testpmd tests (test_cli_pty.py, test_run.py)."""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time


def eal_args(tag, vdevs=("net_null0", "net_null1"), lcores="0-1"):
    """EAL options for a small, hugepage-free instance with its own prefix."""
    args = ["--no-huge", "-m", "256", "--lcores" if "@" in lcores else "-l", lcores,
            "--file-prefix", "tp_%s_%d" % (tag, os.getpid())]
    for v in vdevs:
        args += ["--vdev", v]
    return args


class Failure(Exception):
    pass


def check(cond, what, output=""):
    if not cond:
        raise Failure(what + ("\n--- output ---\n" + output[-3000:] if output else ""))


class PtyApp:
    """sluice-testpmd on a pseudo-terminal, driven like a user would."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm"
            os.execv(argv[0], argv)
        self.buf = ""
        self.pos = 0  # expect() searches from here

    def send(self, s):
        os.write(self.fd, s.encode())

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return None
        if not data:
            return None
        self.buf += data.decode(errors="replace")
        return True

    def expect(self, pattern, timeout=10):
        rx = re.compile(pattern)
        end = time.time() + timeout
        while True:
            m = rx.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = end - time.time()
            if left <= 0 or self._read(left) is None:
                raise Failure("timed out waiting for %r\n--- output ---\n%s"
                              % (pattern, self.buf[-3000:]))

    def cmd(self, line, expect, timeout=10):
        self.send(line + "\r")
        m = self.expect(expect, timeout)
        self.expect(r"testpmd> ", timeout)
        return m

    def wait(self, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            self._read(0.2)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.1):
                    pass
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise Failure("app did not exit\n--- output ---\n" + self.buf[-3000:])


def run(argv, timeout=60, stdin=subprocess.DEVNULL):
    return subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


def main(tests):
    failed = 0
    for t in tests:
        t0 = time.time()
        try:
            t()
            print("ok   %s (%.1f s)" % (t.__name__, time.time() - t0))
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (t.__name__, e))
        sys.stdout.flush()
    print("%d/%d passed" % (len(tests) - failed, len(tests)))
    return 1 if failed else 0
