# The PDtrace Trace Control Block (TCB) over EJTAG, for OpenOCD 0.12, which
# has no TCB support of its own (docs/boards.md, "Reading the TCB").
# Load it after the board's configuration:
#
#   openocd -f boards/openocd/vzsim.cfg -f boards/openocd/tcb.tcl -c init
#
# Procedures (values are returned as 0x-prefixed hex, words as 16 hex
# digits):
#
#   vz_tcb_reg NAME        controla controlb controlc controle (the TCB's
#                          own IRs) or config rdp wrp stp (through TCBDATA)
#   vz_tcb_set_rdp ADDR    the read pointer, a byte address of a word
#   vz_tcb_set_en 0|1      TCBControlB.EN: whether the TCB takes words
#   vz_tcb_span            "OLDEST COUNT BYTES": the oldest word's byte
#                          address, how many words the memory holds, its size
#   vz_tcb_words START N   N words from byte address START, wrapping at the
#                          end of the memory: "W0 W1 ..." (a batch per call)
#   vz_tcb_all             every word the memory holds, oldest first
#   vz_tcb_dump FILE       the same, one word a line, into FILE
#
# Why each scan is wrapped in `capture`: OpenOCD 0.12 polls the target
# before every command (except expr), and its poll selects IR CONTROL;
# an `irscan` then a `drscan` as two commands would write the drscan's
# value into the EJTAG Control Register.  `capture` masks polling for its
# body, so the IR stays the one just scanned.  Its own result is the log
# text when the body logs anything, so the DR's value is passed back in a
# global, not as capture's result.
#
# Every DR scan also writes the register: TCBControlB is only written
# with WE (bit 31) set, so a read shifts in 0; the other registers are
# read by shifting in 0 and then given their value back.  TCBControlB's
# REG field (which register TCBDATA reaches) is put back as it was after
# each procedure; reading TCBTW advances TCBRDP, as it does on the chip.
#
# The trace should not move while it is read: halt the target, or clear
# EN (vz_tcb_set_en 0), first.

if {![info exists vz_tcb_tap]} {
	set vz_tcb_tap vz.cpu
}

# EJTAG instruction codes of the TCB's registers.
set vz_tcb_ir(controla) 0x10
set vz_tcb_ir(controlb) 0x11
set vz_tcb_ir(data) 0x12
set vz_tcb_ir(controlc) 0x13
set vz_tcb_ir(controle) 0x16
# TCBControlB.REG values: what TCBDATA reaches.
set vz_tcb_sel(config) 0
set vz_tcb_sel(tw) 4
set vz_tcb_sel(rdp) 5
set vz_tcb_sel(wrp) 6
set vz_tcb_sel(stp) 7
# TCBControlB fields.
set vz_tcb_b_we [expr {1 << 31}]
set vz_tcb_b_reg [expr {0x1f << 21}]
set vz_tcb_b_tr [expr {1 << 15}]
set vz_tcb_b_bf [expr {1 << 14}]
set vz_tcb_b_en 1

# The body of one capture: the IR, then one DR scan whose captured fields
# go to the global vz_tcb_out.
proc vz_tcb_pair {ir args} {
	global vz_tcb_tap vz_tcb_out
	irscan $vz_tcb_tap $ir
	set vz_tcb_out [drscan $vz_tcb_tap {*}$args]
}

# Scans IR ir then DR with the fields of args (BITS VALUE ...), polling
# masked: the captured fields, as integers.
proc vz_tcb_scan {ir args} {
	global vz_tcb_out
	set vz_tcb_out ""
	capture [list vz_tcb_pair $ir {*}$args]
	set out {}
	foreach f $vz_tcb_out {
		lappend out [expr "0x$f"]
	}
	return $out
}

proc vz_tcb_hex {v} {
	return [format 0x%08x $v]
}

# TCBControlB (shifting in 0: WE clear, nothing written).
proc vz_tcb_b {} {
	return [lindex [vz_tcb_scan $::vz_tcb_ir(controlb) 32 0] 0]
}

# Writes TCBControlB from the value b read before, with REG set to reg:
# WE set, TR clear (a 1 there would empty the memory), the rest kept.
proc vz_tcb_b_write {b reg} {
	global vz_tcb_b_we vz_tcb_b_reg vz_tcb_b_tr
	set v [expr {($b & ~($vz_tcb_b_reg | $vz_tcb_b_tr | $vz_tcb_b_we)) | $vz_tcb_b_we | ($reg << 21)}]
	vz_tcb_scan $::vz_tcb_ir(controlb) 32 [vz_tcb_hex $v]
}

# A 32-bit register behind TCBDATA: read (the scan writes 0), then its
# value written back.
proc vz_tcb_data32 {} {
	global vz_tcb_ir
	set v [lindex [vz_tcb_scan $vz_tcb_ir(data) 32 0] 0]
	vz_tcb_scan $vz_tcb_ir(data) 32 [vz_tcb_hex $v]
	return $v
}

# Runs script with TCBDATA reaching register sel, then puts REG back,
# even if the script fails.
proc vz_tcb_with {sel script} {
	set b [vz_tcb_b]
	vz_tcb_b_write $b $sel
	set rc [catch {uplevel 1 $script} r]
	vz_tcb_b_write $b [expr {($b & $::vz_tcb_b_reg) >> 21}]
	if {$rc} {
		error $r
	}
	return $r
}

proc vz_tcb_reg {name} {
	global vz_tcb_ir vz_tcb_sel
	if {$name eq "controlb"} {
		return [vz_tcb_hex [vz_tcb_b]]
	}
	if {[info exists vz_tcb_ir($name)] && $name ne "data"} {
		# Shifting in 0 wrote 0: the value goes back.
		set v [lindex [vz_tcb_scan $vz_tcb_ir($name) 32 0] 0]
		vz_tcb_scan $vz_tcb_ir($name) 32 [vz_tcb_hex $v]
		return [vz_tcb_hex $v]
	}
	if {[info exists vz_tcb_sel($name)] && $name ne "tw"} {
		return [vz_tcb_hex [vz_tcb_with $vz_tcb_sel($name) {vz_tcb_data32}]]
	}
	error "vz_tcb_reg: no TCB register '$name' (controla controlb controlc controle config rdp wrp stp)"
}

proc vz_tcb_set_rdp {addr} {
	vz_tcb_with $::vz_tcb_sel(rdp) {
		vz_tcb_scan $::vz_tcb_ir(data) 32 [vz_tcb_hex $addr]
	}
	return ""
}

proc vz_tcb_set_en {on} {
	global vz_tcb_b_en vz_tcb_b_reg
	set b [vz_tcb_b]
	set b [expr {$on ? ($b | $vz_tcb_b_en) : ($b & ~$vz_tcb_b_en)}]
	vz_tcb_b_write $b [expr {($b & $vz_tcb_b_reg) >> 21}]
	return ""
}

# The memory's size in bytes: TCBConfig.SZ (bits 20:17), 2^(8+SZ).
proc vz_tcb_bytes {} {
	set config [vz_tcb_with $::vz_tcb_sel(config) {vz_tcb_data32}]
	return [expr {1 << (8 + (($config >> 17) & 0xf))}]
}

proc vz_tcb_span {} {
	set bytes [vz_tcb_bytes]
	set wrp [vz_tcb_with $::vz_tcb_sel(wrp) {vz_tcb_data32}]
	if {$wrp % 8 || $wrp >= $bytes} {
		error "vz_tcb_span: TCBWRP [vz_tcb_hex $wrp] is not a word of the [expr {$bytes}]-byte memory"
	}
	# Once the memory has wrapped (BF), the oldest word is the one the
	# TCB writes next; before, the memory holds the words below WRP.
	if {[vz_tcb_b] & $::vz_tcb_b_bf} {
		return "[vz_tcb_hex $wrp] [expr {$bytes / 8}] $bytes"
	}
	return "0x00000000 [expr {$wrp / 8}] $bytes"
}

# The body of one capture: n reads of the 64-bit TCBTW behind TCBDATA (IR
# once), their halves into the global vz_tcb_out.
proc vz_tcb_tw_reads {n} {
	global vz_tcb_tap vz_tcb_out vz_tcb_ir
	set vz_tcb_out {}
	irscan $vz_tcb_tap $vz_tcb_ir(data)
	for {set i 0} {$i < $n} {incr i} {
		lappend vz_tcb_out {*}[drscan $vz_tcb_tap 32 0 32 0]
	}
}

# n words from TCBTW, as 16-digit hex, in one capture: one mask of the
# polling for the lot instead of one per word.
proc vz_tcb_tw_words {n} {
	global vz_tcb_out
	capture [list vz_tcb_tw_reads $n]
	set words {}
	foreach {lo hi} $vz_tcb_out {
		lappend words [format %08x%08x 0x$hi 0x$lo]
	}
	return $words
}

proc vz_tcb_words {start count} {
	set bytes [vz_tcb_bytes]
	set start [expr {$start}]
	set count [expr {$count}]
	if {$start < 0 || $start % 8 || $start >= $bytes || $count < 0 || $count > $bytes / 8} {
		error "vz_tcb_words: $start $count: not a word address and a count within the $bytes-byte memory"
	}
	return [vz_tcb_with $::vz_tcb_sel(rdp) {
		set words {}
		set addr $start
		vz_tcb_scan $::vz_tcb_ir(data) 32 [vz_tcb_hex $addr]
		# TCBTW: each read returns the word at RDP and advances it.
		vz_tcb_b_write [vz_tcb_b] $::vz_tcb_sel(tw)
		set left $count
		while {$left > 0} {
			if {$addr == $bytes} {
				# The end of the memory: on from its start.
				set addr 0
				vz_tcb_b_write [vz_tcb_b] $::vz_tcb_sel(rdp)
				vz_tcb_scan $::vz_tcb_ir(data) 32 0
				vz_tcb_b_write [vz_tcb_b] $::vz_tcb_sel(tw)
			}
			# Up to the end of the memory in one go.
			set n [expr {($bytes - $addr) / 8}]
			if {$left < $n} {
				set n $left
			}
			lappend words {*}[vz_tcb_tw_words $n]
			incr addr [expr {8 * $n}]
			incr left -$n
		}
		join $words " "
	}]
}

proc vz_tcb_all {} {
	lassign [vz_tcb_span] oldest count bytes
	return [vz_tcb_words $oldest $count]
}

proc vz_tcb_dump {file} {
	set words [vz_tcb_all]
	set f [open $file w]
	foreach w $words {
		puts $f $w
	}
	close $f
	return [llength $words]
}
