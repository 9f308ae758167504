# A model of vzsim's TCB as its EJTAG TAP shows it, in OpenOCD's Tcl, for
# the openocd step (scripts/run-openocd-tests.sh): it replaces OpenOCD's
# irscan, drscan and capture, so boards/openocd/tcb.tcl runs on real
# OpenOCD with no board at all.  Loaded after tcb.tcl.
#
# What it models (docs/pdtrace.md, "TCB registers"): IR 0x10/0x13/0x16
# plain 32-bit registers; 0x11 TCBControlB, written only with WE (bit 31),
# BF (bit 14) read-only; 0x12 TCBDATA routed by B's REG (bits 25:21):
# 0 TCBConfig (read-only), 4 TCBTW (64 bits, advances RDP by 8, and past
# the memory's end reads a poison word), 5 TCBRDP, 6 TCBWRP, 7 TCBSTP.
# And what tcb.tcl must respect: a drscan outside capture, or without an
# irscan before it in the same capture, is an error (OpenOCD's poll would
# have selected IR CONTROL in between).
#
#   tcbm_setup SZ WRP BF B_OTHER   memory of 2^(8+SZ) bytes, word i =
#                                  0x10000000_a0000000 + i; B's other bits
#   tcbm_b / tcbm_reg NAME         the model's registers, for the checks

proc tcbm_setup {sz wrp bf bother} {
	global tcbm
	set tcbm(bytes) [expr {1 << (8 + $sz)}]
	set tcbm(config) [expr {($sz << 17) | 0x37}]
	set tcbm(wrp) $wrp
	set tcbm(rdp) 0
	set tcbm(stp) 0
	set tcbm(b) [expr {$bother | ($bf ? (1 << 14) : 0)}]
	set tcbm(0x10) 0x12345678
	set tcbm(0x13) 0x0f800000
	set tcbm(0x16) 0x00000100
	set tcbm(ir) 0x01
	set tcbm(in_capture) 0
	set tcbm(scanned_ir) 0
	set tcbm(tw_reads) 0
	return ""
}

proc tcbm_b {} {
	return [format 0x%08x $::tcbm(b)]
}

proc tcbm_reg {name} {
	return [format 0x%08x $::tcbm($name)]
}

proc capture {body} {
	global tcbm
	set tcbm(in_capture) 1
	set tcbm(scanned_ir) 0
	set rc [catch {uplevel 1 $body} r]
	set tcbm(in_capture) 0
	if {$rc} {
		error $r
	}
	return $r
}

proc irscan {tap ir} {
	global tcbm
	if {$tap ne "vz.cpu"} {
		error "irscan: no tap $tap"
	}
	set tcbm(ir) [expr {$ir}]
	set tcbm(scanned_ir) 1
	return ""
}

proc tcbm_hex {v} {
	return [format %08x [expr {$v & 0xffffffff}]]
}

proc drscan {tap args} {
	global tcbm
	if {!$tcbm(in_capture) || !$tcbm(scanned_ir)} {
		error "drscan outside a capture after its irscan: OpenOCD's poll would write the ECR"
	}
	set ir $tcbm(ir)
	set v [expr {[lindex $args 1]}]
	set bits [lindex $args 0]
	if {$ir == 0x11} {
		set out $tcbm(b)
		if {$v & (1 << 31)} {
			# WE: written, but BF (read-only) and WE itself are not kept.
			set tcbm(b) [expr {($v & ~((1 << 31) | (1 << 14))) | ($tcbm(b) & (1 << 14))}]
		}
		return [tcbm_hex $out]
	}
	if {$ir == 0x10 || $ir == 0x13 || $ir == 0x16} {
		set out $tcbm([format 0x%02x $ir])
		set tcbm([format 0x%02x $ir]) $v
		return [tcbm_hex $out]
	}
	if {$ir != 0x12} {
		error "drscan: IR [format 0x%x $ir] is not the TCB's"
	}
	set reg [expr {($tcbm(b) >> 21) & 0x1f}]
	switch $reg {
		0 { return [tcbm_hex $tcbm(config)] }
		4 {
			if {$bits != 32 || [llength $args] != 4} {
				error "drscan: TCBTW is read as two 32-bit fields"
			}
			set i [expr {$tcbm(rdp) / 8}]
			incr tcbm(tw_reads)
			if {$tcbm(rdp) >= $tcbm(bytes)} {
				set lo 0xbadbad00
				set hi 0xbadbad00
			} else {
				set lo [expr {0xa0000000 + $i}]
				set hi [expr {0x10000000 + $i}]
			}
			incr tcbm(rdp) 8
			return "[tcbm_hex $lo] [tcbm_hex $hi]"
		}
		5 { set out $tcbm(rdp); set tcbm(rdp) $v; return [tcbm_hex $out] }
		6 { set out $tcbm(wrp); set tcbm(wrp) $v; return [tcbm_hex $out] }
		7 { set out $tcbm(stp); set tcbm(stp) $v; return [tcbm_hex $out] }
	}
	error "drscan: TCBDATA with REG $reg"
}
