# SPDX-License-Identifier: BSD-3-Clause
#
# mmio-count.awk: per-packet register accesses and DMA translations of the
# e1000/e1000e models, from the console log of `run-e1000-vm.sh count`
# (QEMU's log trace backend; the guest's console is rebuilt from the traced
# UART writes, and its SLUICE-COUNT-BEGIN/STOP lines frame each
# measurement).
#
# Counted between "SLUICE-COUNT-BEGIN <phase> <who>" and "SLUICE-COUNT-STOP",
# for the devices of the phase's model only (phase = <fwd>-<model>-<size>):
#   mmio  memory_region_ops_read/write on 'e1000-mmio' / 'e1000e-mmio'
#         (every register access of the driver: a TCG exit into the model);
#   dma   vtd_iotlb_page_hit + vtd_iotlb_page_update of the model's PCI
#         functions (every DMA the model makes goes through one IOMMU
#         translation per page it touches);
#   miss  vtd_iotlb_page_update alone (translations that walked the page
#         table: QEMU's IOTLB holds 1024 entries and is flushed when full).
# Packets are counted from the trace too, as the advance of the TX tail
# register (TDT, 0x3818) over the window, modulo RING descriptors: one
# descriptor per packet for the frames these runs send (no context
# descriptors, no chains).  The guest's own count (SLUICE-COUNT-END ...
# pkts=N) covers the whole testpmd run and is printed alongside.
#
# Variables: RING (TX descriptors, default 512); RAW: a file that gets the
# first 20000 lines as they came (to look at when nothing was counted).
# Output, one line per phase:
#   COUNT phase=P who=W pkts=N mmio=X dma=Y miss=Z regs=OFF:rw:N,...
# with X, Y, Z per packet.
BEGIN {
	if (RING == "")
		RING = 512
	# PCI function -> model, from run-e1000-vm.sh's fixed slots
	model["0x10"] = "e1000"; model["0x18"] = "e1000"
	model["0x20"] = "e1000e"; model["0x28"] = "e1000e"
	on = 0
}

function field(name,    i) {
	for (i = 1; i < NF; i++)
		if ($i == name)
			return $(i + 1)
	return ""
}

function flush(    r, list, n) {
	list = ""
	n = 0
	for (r in regs) {
		list = list (n++ ? "," : "") r ":" regs[r]
		delete regs[r]
	}
	if (pkts > 0)
		printf "COUNT phase=%s who=%s pkts=%d mmio=%.4f dma=%.4f miss=%.4f regs=%s\n",
			phase, who, pkts, mmio / pkts, dma / pkts, miss / pkts, list
	else
		printf "COUNT phase=%s who=%s pkts=0 mmio=n/a dma=n/a miss=n/a regs=%s\n",
			phase, who, list
}

# The console, rebuilt from the guest's writes to the UART's transmit
# register (port 0x3f8; QEMU 7.2 traces the port, not the offset): exact order against the other events,
# which the serial output QEMU itself prints (one byte at a time, between
# trace lines) does not give.
function console_line(l,    w, k, i) {
	print "console: " l
	# a byte of the console can be lost (UART overrun): a marker may follow
	# the previous line's text without its newline, or lose its tail
	gsub(/SLUICE-COUNT-/, " &", l)
	k = split(l, w, " ")
	for (i = 1; i <= k; i++) {
		if (w[i] == "SLUICE-COUNT-BEGIN") {
			# the guest prints each marker three times: the first
			# whole one counts.  A copy that lost bytes can still
			# read as a marker ("SLUICE-COUNT-BEGIN txonly-e1000"
			# followed by the next copy): only a whole phase and
			# side name begin a window, or such a copy would end
			# the one just begun.
			if (w[i + 1] !~ /^(txonly|io)-e1000e?-[0-9]+$/ || w[i + 2] !~ /^(sl|dp)/)
				continue
			if (on && w[i + 1] == phase)
				continue
			if (on)
				flush()
			phase = w[i + 1]; who = w[i + 2]
			if (who ~ /^sl/)
				who = "sluice"
			else if (who ~ /^dp/)
				who = "dpdk"
			split(phase, part, "-")
			dut = part[2]
			on = 1; mmio = dma = miss = pkts = 0
		} else if (w[i] == "SLUICE-COUNT-STOP") {
			if (on)
				flush()
			on = 0
		} else if (w[i] == "SLUICE-COUNT-END") {
			print "GUEST phase=" w[i + 1] " who=" w[i + 2] " " w[i + 3]
		}
	}
}
{
	nlines++
	if (RAW != "" && nlines <= 20000)
		print > RAW
}
/qemu-system|qemu:|terminating|Killed/ { print "qemu: " $0 }
/memory_region_ops_write .*name 'serial'/ {
	nserial++
	a = field("addr")
	if (a == "0x3f8" || a == "0x0") {
		c = strtonum_(field("value"))
		if (c == 10) {
			console_line(line)
			line = ""
		} else if (c >= 32 && c < 127) {
			line = line sprintf("%c", c)
		}
	}
	next
}

/memory_region_ops_(read|write) .*name 'e1000e?-mmio'/ {
	m = $0 ~ /name 'e1000-mmio'/ ? "e1000" : "e1000e"
	mr = field("mr")
	# QEMU 7.2 traces the bus address; BAR0 is 128 KiB, naturally aligned
	addr = sprintf("0x%x", strtonum_(field("addr")) % 131072)
	wr = $0 ~ /memory_region_ops_write/
	if (wr && addr == "0x3818") {
		v = strtonum_(field("value"))
		if (on && m == dut && (mr in tdt))
			pkts += (v - tdt[mr] + RING) % RING
		tdt[mr] = v
	}
	if (on && m == dut) {
		mmio++
		regs[addr (wr ? "w" : "r")]++
	}
	next
}

/vtd_iotlb_page_(hit|update) / {
	if (!on)
		next
	sid = field("sid")
	if (model[sid] != dut)
		next
	dma++
	if ($0 ~ /vtd_iotlb_page_update/)
		miss++
	next
}

# hexadecimal string -> number (mawk and busybox awk have no strtonum)
function strtonum_(s,    i, c, v) {
	s = tolower(s)
	sub(/^0x/, "", s)
	v = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1))
		v = v * 16 + c - 1
	}
	return v
}

END {
	if (line != "")
		console_line(line)
	printf "TRACE lines=%d uart_writes=%d\n", nlines, nserial
}
