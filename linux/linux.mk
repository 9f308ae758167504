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
