#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
vcpu-share.py CONSOLE_LOG QEMU_PID OUT

Host side of the loaded-machine benchmark (run-e1000-vm.sh vsdpdk): the host
is shared, so a guest's packet rate measures the CPU share QEMU got as much
as the code it ran.  Under TCG the forwarding lcore's vCPU thread also runs
the NIC model (a TDT write is handled in the writing vCPU's thread), so the
CPU time of that thread over a run is what the packets cost.

The guest prints "SLUICE-CPU-BEGIN TAG" and "SLUICE-CPU-END TAG" on its
console around each measured run; this script polls the console log (every
20 ms) and at each marker reads the CPU time (utime + stime) of each QEMU
thread named "CPU n/TCG" and of the whole process.  For each run it writes
"CPU TAG wall=S vcpu0=S vcpu1=S proc=S" to OUT.  It ends with QEMU.
"""
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def cpu_times(pid):
    """{thread name: seconds} for the vCPU threads, plus 'proc'."""
    out = {}
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    comm = f.read().strip()
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    st = f.read()
            except OSError:
                continue
            # fields after the ")" of comm: utime is the 14th field overall
            fields = st[st.rindex(")") + 2:].split()
            t = (int(fields[11]) + int(fields[12])) / HZ
            if comm.startswith("CPU ") and comm.endswith("/TCG"):
                out["vcpu" + comm.split()[1].split("/")[0]] = t
            out["proc"] = out.get("proc", 0.0) + t
    except OSError:
        return None
    return out


def main():
    log, pid, outp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pos = 0
    begin = {}
    buf = ""
    with open(outp, "w") as out:
        while os.path.exists(f"/proc/{pid}"):
            try:
                with open(log, "rb") as f:
                    f.seek(pos)
                    data = f.read()
            except OSError:
                data = b""
            if data:
                pos += len(data)
                buf += data.decode("utf-8", "replace")
                lines = buf.split("\n")
                buf = lines.pop()
                for line in lines:
                    line = line.strip()
                    for kind in ("SLUICE-CPU-BEGIN ", "SLUICE-CPU-END "):
                        i = line.find(kind)
                        if i < 0:
                            continue
                        tag = line[i + len(kind):].strip()
                        now = time.monotonic()
                        ct = cpu_times(pid)
                        if ct is None:
                            continue
                        if kind.startswith("SLUICE-CPU-BEGIN"):
                            begin[tag] = (now, ct)
                        elif tag in begin:
                            t0, c0 = begin.pop(tag)
                            parts = [f"wall={now - t0:.3f}"]
                            for k in ("vcpu0", "vcpu1", "proc"):
                                if k in ct and k in c0:
                                    parts.append(f"{k}={ct[k] - c0[k]:.3f}")
                            out.write(f"CPU {tag} {' '.join(parts)}\n")
                            out.flush()
            time.sleep(0.02)


if __name__ == "__main__":
    main()
