# linux (docs/linux.md): Debian 12's mipsel Linux on vzsim.  fetch.sh
# downloads the generic kernel, busybox-static, crashme and libc6 into
# build/linux (never committed); mkcpio (cpio.c) writes the initramfs from
# initramfs.list, with init.sh as its init.  vzsim --linux boots them.
LINUX_DIR   := $(BUILD)/linux
LINUX_KERNEL := $(LINUX_DIR)/vmlinuz
LINUX_INITRD := $(LINUX_DIR)/initramfs.cpio
MKCPIO      := $(BUILD)/bin/mkcpio
MKCPIO_SAN  := $(BUILD)/san/bin/mkcpio
CPIO_SRC    := linux/cpio.c
$(call layer,linux,-Ilinux/include $(INC_UTIL))
$(eval $(call library,cpio,$(CPIO_SRC)))

$(MKCPIO): $(BUILD)/obj/linux/mkcpio.o $(LIB_cpio_REL) $(LIB_util_REL)
	$(LINK_REL)
$(MKCPIO_SAN): $(BUILD)/san/linux/mkcpio.o $(LIB_cpio_SAN) $(LIB_util_SAN)
	$(LINK_SAN)

# The packages are fetched once; rm -r build/linux (or make clean) fetches
# the current ones again.
$(LINUX_KERNEL): | $(BUILD)/.deps-ok
	@sh linux/fetch.sh $(LINUX_DIR)

$(LINUX_INITRD): $(MKCPIO) linux/initramfs.list linux/init.sh | $(LINUX_KERNEL)
	$(MKCPIO) -o $@ -s pkg=$(LINUX_DIR)/pkg -s src=linux linux/initramfs.list

HOST_BINS += $(MKCPIO)
TEST_DEPS += $(MKCPIO_SAN) $(LINUX_KERNEL) $(LINUX_INITRD)

# make linux: the kernel and the initramfs, ready for vzsim --linux.
# make linux-boot: the whole boot, with crashme for LINUX_CRASHME_TIME of
# simulated time (seed LINUX_SEED), timed, its console in build/linux/boot.log.
LINUX_SEED ?= 1
LINUX_CRASHME_TIME ?= 00:00:05
.PHONY: linux linux-boot
linux: $(LINUX_INITRD) $(VZSIM)
	@echo "linux: $(LINUX_KERNEL) and $(LINUX_INITRD); boot them with"
	@echo "  $(VZSIM) --linux $(LINUX_KERNEL) --initrd $(LINUX_INITRD)"
linux-boot: $(LINUX_INITRD) $(VZSIM)
	@scripts/linux-boot.sh $(VZSIM) $(LINUX_DIR) "$(LINUX_SEED)" "$(LINUX_CRASHME_TIME)"

# make linux-symbols: the kernel's code and symbols for the flow decoder
# (linux/fetch-symbols.sh): the vmlinux of the kernel's -dbg package (a
# 600 MB download, of which a 20 MB vmlinux is kept), and its System.map.
# pdtrace and vzsoak's reports then decode a Linux guest's kernel by name.
# Not in make test.
LINUX_SYMBOLS := $(LINUX_DIR)/vmlinux
.PHONY: linux-symbols
$(LINUX_SYMBOLS): linux/fetch-symbols.sh | $(LINUX_KERNEL)
	@CROSS=$(CROSS) sh linux/fetch-symbols.sh $(LINUX_DIR)
linux-symbols: $(LINUX_SYMBOLS)

# make linux-kvm (docs/linux-kvm.md): Linux 6.1 built from Debian's
# linux-source-6.1 for a MIPS32r5 host with KVM (linux/kvm-build.sh,
# linux/kvm.config, linux/kvm-generic-r5.patch), into build/linux-kvm; not
# part of make test.  It boots on vzsim with prid=p5600.  Its initramfs
# (kvm-initramfs.list: busybox, kvm-init.sh, kvmprobe) creates a VZ virtual
# machine and runs a small guest under that KVM; make linux-kvm-boot boots
# it.  kvmprobe is a freestanding mipsel Linux program (the cross compiler
# has no mipsel C library) built with the kernel's UAPI headers.
LINUX_KVM_DIR    := $(BUILD)/linux-kvm
LINUX_KVM_KERNEL := $(LINUX_KVM_DIR)/vmlinux
LINUX_KVM_PROBE  := $(LINUX_KVM_DIR)/kvmprobe
LINUX_KVM_INITRD := $(LINUX_KVM_DIR)/initramfs.cpio
KVMPROBE_CFLAGS  := -march=mips32r2 -EL -O2 -std=gnu11 -ffreestanding -nostdlib -static \
	-fno-pic -mno-abicalls -G0 -Wall -Wextra -Werror -Wl,--build-id=none \
	-Wl,-z,noexecstack -e __start
.PHONY: linux-kvm linux-kvm-boot
$(LINUX_KVM_KERNEL): linux/kvm-build.sh linux/kvm.config linux/kvm-generic-r5.patch | $(BUILD)/.deps-ok
	@sh linux/kvm-build.sh $(LINUX_KVM_DIR)
$(LINUX_KVM_PROBE): linux/kvmprobe.c $(LINUX_KVM_KERNEL)
	$(TCC) $(KVMPROBE_CFLAGS) -isystem $(LINUX_KVM_DIR)/obj/usr/include -o $@ $<
$(LINUX_KVM_INITRD): $(MKCPIO) linux/kvm-initramfs.list linux/kvm-init.sh $(LINUX_KVM_PROBE) | $(LINUX_KERNEL)
	$(MKCPIO) -o $@ -s pkg=$(LINUX_DIR)/pkg -s src=linux -s kvm=$(LINUX_KVM_DIR) linux/kvm-initramfs.list
linux-kvm: $(LINUX_KVM_KERNEL) $(LINUX_KVM_INITRD) $(LINUX_INITRD) $(VZSIM)
	@echo "linux-kvm: $(LINUX_KVM_KERNEL) (configuration: $(LINUX_KVM_DIR)/config) and $(LINUX_KVM_INITRD); boot them with"
	@echo "  $(VZSIM) --board-opt prid=p5600 --linux $(LINUX_KVM_KERNEL) --initrd $(LINUX_KVM_INITRD)"
	@echo "or with make linux's initramfs: --initrd $(LINUX_INITRD) --cmdline 'console=ttyS0 panic=-1 run=none'"
linux-kvm-boot: linux-kvm
	@scripts/linux-kvm-boot.sh $(VZSIM) $(LINUX_KVM_DIR)
