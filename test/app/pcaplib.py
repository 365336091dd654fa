# SPDX-License-Identifier: BSD-3-Clause
"""pcap files for the net_pcap and capture tests: write them, read them back
(our own reader, independent of libpcap), and read them with tshark, the
tool a user opens our files with."""
import random
import shutil
import struct
import subprocess

NANO_MAGIC = 0xa1b23c4d
USEC_MAGIC = 0xa1b2c3d4
T0 = 1700000000123456789


def make_packets(n, seed, lens=(60, 64, 100, 511, 1514, 3000, 9000)):
    """n Ethernet frames (unicast, test EtherType 0x88b5) with ns timestamps."""
    rnd = random.Random(seed)
    pkts, t = [], T0
    for i in range(n):
        ln = lens[i % len(lens)]
        body = bytes(rnd.getrandbits(8) for _ in range(ln - 16))
        frame = bytes.fromhex("020000000001020000000002") + b"\x88\xb5" + \
            struct.pack(">H", i & 0xffff) + body
        pkts.append((t, frame))
        t += rnd.randint(1, 5000000)
    return pkts


def write_pcap(path, pkts, nano=True, snaplen=262144):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", NANO_MAGIC if nano else USEC_MAGIC, 2, 4, 0, 0,
                            snaplen, 1))
        for ts, data in pkts:
            frac = ts % 10**9 if nano else ts % 10**9 // 1000
            f.write(struct.pack("<IIII", ts // 10**9, frac, len(data), len(data)))
            f.write(data)


def read_pcap(path):
    """[(ts_ns, wire_len, data)] and the header (magic, snaplen, linktype)."""
    with open(path, "rb") as f:
        buf = f.read()
    magic, _, _, _, _, snap, link = struct.unpack_from("<IHHiIII", buf, 0)
    if magic not in (NANO_MAGIC, USEC_MAGIC):
        raise ValueError("%s: magic %#x" % (path, magic))
    mult = 1 if magic == NANO_MAGIC else 1000
    off, out = 24, []
    while off < len(buf):
        if off + 16 > len(buf):
            raise ValueError("%s: record header cut at %d" % (path, off))
        sec, frac, cap, wire = struct.unpack_from("<IIII", buf, off)
        off += 16
        if off + cap > len(buf):
            raise ValueError("%s: record data cut at %d" % (path, off))
        out.append((sec * 10**9 + frac * mult, wire, buf[off:off + cap]))
        off += cap
    return (magic, snap, link), out


def have_tshark():
    return shutil.which("tshark") is not None


def tshark_fields(path):
    """[(time_epoch string, frame.len, frame.cap_len)] as tshark reads the file;
    raises on any complaint of tshark's about the file."""
    # Only the frame layer (times, lengths) is needed: no Ethernet dissection,
    # which makes tshark several times faster on big captures.
    r = subprocess.run(["tshark", "-n", "--disable-protocol", "eth", "-r", path, "-T",
                        "fields", "-e", "frame.time_epoch",
                        "-e", "frame.len", "-e", "frame.cap_len"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    err = "\n".join(l for l in r.stderr.splitlines() if "Running as user" not in l and
                    "dangerous" not in l and l.strip())
    if r.returncode != 0 or err:
        raise ValueError("tshark -r %s: exit %d: %s" % (path, r.returncode, err))
    out = []
    for line in r.stdout.splitlines():
        t, ln, cap = line.split("\t")
        out.append((t, int(ln), int(cap)))
    return out


def epoch_str(ts_ns):
    """frame.time_epoch as tshark prints a nanosecond timestamp."""
    return "%d.%09d" % (ts_ns // 10**9, ts_ns % 10**9)
