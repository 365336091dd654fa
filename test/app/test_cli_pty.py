#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Drive sluice-testpmd's interactive prompt through a pseudo-terminal:
commands, tab completion, history, bad input (the app must keep running),
clean exit on quit and on SIGINT."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tplib import PtyApp, check, eal_args, main  # noqa: E402

APP = sys.argv[1]


def start_app(tag, extra=()):
    app = PtyApp([APP] + eal_args(tag) + ["--", "-i"] + list(extra))
    app.expect(r"testpmd> ", 30)
    return app


def test_commands_and_completion():
    app = start_app("cli")
    app.cmd("help", r"show port info\|stats\|xstats")
    # Tab completion of one word at a time: "sho<Tab>po<Tab>in<Tab>0" must
    # run "show port info 0" (libedit redraws with cursor moves, so the
    # proof is the command that runs).
    for part in ("sho\t", "po\t", "in\t"):
        app.send(part)
        time.sleep(0.2)
    app.cmd("0", r"Infos for port 0")
    # Double Tab lists the candidates after "set ".
    app.send("set \t\t")
    app.expect(r"allmulti\s+burst\s+fwd\s+nbcore\s+promisc\s+txpkts")
    app.send("\x15")  # ^U: kill the line
    app.cmd("", r"")
    # Completion of a mode name, then of a port command.
    app.send("set fwd macs\t")
    time.sleep(0.2)
    app.cmd("", r"Set macswap packet forwarding mode")
    app.send("cl\tpo\tst\t")
    time.sleep(0.2)
    app.cmd("1", r"NIC statistics for port 1 cleared")
    # Nothing to complete: no file names offered, the line stays as typed.
    app.send("frob\t")
    time.sleep(0.2)
    app.cmd("", r"Unknown command 'frob'")
    app.cmd("set fwd io", r"Set io packet forwarding mode")
    # History: Up arrow recalls the previous command.
    app.cmd("show config rxtx", r"RX queues=1 - RX desc=1024")
    app.send("\x1b[A")
    app.cmd("", r"RX queues=1 - RX desc=1024")
    # Forwarding with statistics.
    app.cmd("start", r"Start io forwarding on 2 port\(s\)")
    app.cmd("show port stats 0", r"Rx-pps:\s+\S+\s+Rx-bps")
    app.cmd("show port stats all", r"NIC statistics for port 1")
    app.cmd("show fwd stats all", r"Accumulated: rx \d+")
    app.cmd("show config fwd", r"RX P=0/Q=0 -> TX P=1/Q=0")
    app.cmd("show config cores", r"List of forwarding lcores: 1")
    app.cmd("stop", r"Forward statistics for port 1")
    app.cmd("show port xstats 0", r"rx_good_packets: \d+")
    app.cmd("clear port stats all", r"NIC statistics for port 1 cleared")
    app.cmd("set burst 64", r"Burst size set to 64")
    app.cmd("set txpkts 64,128", r"txpkts set to 64,128")
    app.cmd("set fwd txonly", r"Set txonly")
    app.cmd("start tx_first", r"Start txonly forwarding .* after a first TX burst")
    app.cmd("stop", r"TX-packets: [1-9]")
    app.send("quit\r")
    app.expect(r"All \d+ mbufs returned to mb_pool_0", 20)
    app.expect(r"Bye")
    rc = app.wait()
    check(rc == 0, "quit exits 0, got %r" % rc, app.buf)


def test_bad_input_keeps_running():
    app = start_app("bad")
    app.cmd("frobnicate", r"Unknown command 'frobnicate': type 'help'")
    app.cmd("show port stats 7", r"Invalid port '7': valid ports are 0 1")
    app.cmd("show port info x", r"Invalid port 'x'")
    app.cmd("port start 42", r"Invalid port '42'")
    app.cmd("set fwd warp", r"'warp' is not accepted after 'set fwd' \(expected io\|mac\|")
    app.cmd("set nbcore 5", r"Invalid number of forwarding cores 5: .* use 1\.\.1")
    app.cmd("set burst 0", r"Invalid burst size 0: use 1\.\.512")
    app.cmd("set burst many", r"Invalid number 'many'")
    app.cmd("set txpkts 10", r"Invalid txpkts '10': first segment 10 bytes")
    app.cmd("show port", r"Bad command 'show port': incomplete, expected info\|stats\|xstats\|<port> next")
    app.cmd("set promisc all", r"incomplete, expected on\|off next\r?\nAccepted forms:")
    app.cmd("port config all rsss ip",
            r"'rsss' is not accepted after 'port config all' \(expected rxq\|txq\|rxd\|txd\|rss\)")
    app.cmd("show port info 0 extra", r"'extra' and what follows are one word too many")
    app.cmd("set promisc all off", r"")
    app.cmd("show port info 0", r"Promiscuous mode: disabled")
    app.cmd("set promisc 0 on", r"")
    app.cmd("show port info 0", r"Promiscuous mode: enabled")
    app.cmd("port config all rxd 64", r"Port 0 is started: run 'port stop all'")
    # A pool too small for the queues: clear error naming the fix.
    app.cmd("port stop all", r"")
    app.cmd("port config all rxd 16384", r"rxd set to 16384")
    app.cmd("port start all",
            r"too small for 16384 RX descriptors .* lower 'port config all rxd N'")
    app.cmd("start", r"Port 0 is stopped: run 'port start 0'")
    # Fix it and carry on: the app is still alive and forwards.
    app.cmd("port config all rxd 512", r"rxd set to 512")
    app.cmd("port start all", r"")
    app.cmd("start", r"Start io forwarding")
    app.cmd("set fwd mac", r"Cannot change the forwarding mode while forwarding: run 'stop' first")
    app.cmd("port stop 0", r"Port 0 is forwarding: run 'stop' first")
    app.cmd("stop", r"Forward statistics for port 0")
    app.cmd("port close 1", r"")
    app.cmd("show port info 1", r"Invalid port '1': valid ports are 0")
    app.send("quit\r")
    app.expect(r"Bye")
    rc = app.wait()
    check(rc == 0, "exit code 0 after bad input, got %r" % rc, app.buf)


def test_sigint_stops_cleanly():
    app = start_app("sig", ["--auto-start"])
    app.cmd("show fwd stats all", r"Accumulated")
    os.kill(app.pid, signal.SIGINT)
    app.expect(r"Forward statistics for port 0", 20)
    app.expect(r"All \d+ mbufs returned to mb_pool_0", 20)
    rc = app.wait()
    check(rc == 0, "SIGINT exit code 0, got %r" % rc, app.buf)


if __name__ == "__main__":
    sys.exit(main([test_commands_and_completion, test_bad_input_keeps_running,
                   test_sigint_stops_cleanly]))
