# mk/hv.mk - the hypervisor (build/bin/metalvisor), its tests and benchmark.
#
# Unicorn >= 2.1: a system one when pkg-config finds it, else the project-
# local copy mk/unicorn.sh unpacks into .deps/unicorn (make deps).
UNICORN_PC_PATH := $(CURDIR)/.deps/unicorn/lib/pkgconfig
UNICORN_PKG = PKG_CONFIG_PATH=$(UNICORN_PC_PATH)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} $(PKG_CONFIG)
UNICORN_VERSION := $(shell PKG_CONFIG_PATH=$(UNICORN_PC_PATH)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} $(PKG_CONFIG) --modversion unicorn 2>/dev/null)
UNICORN_OK := $(shell PKG_CONFIG_PATH=$(UNICORN_PC_PATH)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} $(PKG_CONFIG) --atleast-version=2.1 unicorn 2>/dev/null && echo yes)
UNICORN_CFLAGS := $(shell PKG_CONFIG_PATH=$(UNICORN_PC_PATH)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} $(PKG_CONFIG) --cflags unicorn 2>/dev/null)
UNICORN_LIBS := $(shell PKG_CONFIG_PATH=$(UNICORN_PC_PATH)$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} $(PKG_CONFIG) --libs unicorn 2>/dev/null)
# libfdt: bookworm ships no libfdt.pc.
FDT_CFLAGS := $(shell $(PKG_CONFIG) --cflags libfdt 2>/dev/null)
FDT_LIBS := $(or $(shell $(PKG_CONFIG) --libs libfdt 2>/dev/null),-lfdt)

HV_SRC := $(wildcard hv/src/*.c)
HV_LIB_SRC := $(filter-out hv/src/main.c,$(HV_SRC))
# HV_BACKEND=kvm (on a Linux/arm64 host): the KVM backend replaces Unicorn.
ifeq ($(HV_BACKEND),kvm)
HV_LIB_SRC := $(filter-out hv/src/cpu_unicorn.c,$(HV_LIB_SRC)) hv/kvm/cpu_kvm.c
UNICORN_OK := yes
UNICORN_LIBS :=
endif
LIB_HV := $(BUILD)/lib/libhv.a
METALVISOR := $(BUILD)/bin/metalvisor

$(BUILD)/obj/hv/src/%.o $(BUILD)/obj/hv/kvm/%.o: CPPFLAGS += -Ihv/src $(UNICORN_CFLAGS) $(FDT_CFLAGS)
$(eval $(call static_lib,$(LIB_HV),$(HV_LIB_SRC)))

.PHONY: unicorn-check
unicorn-check:
ifneq ($(UNICORN_OK),yes)
	@echo "metalvisor needs Unicorn >= 2.1 (found: $(or $(UNICORN_VERSION),none)). Bookworm's" >&2
	@echo "libunicorn 2.0 runs guest stores 19x slower; run 'make deps' to fetch Debian" >&2
	@echo "trixie's Unicorn 2.1 into .deps/unicorn (no system-wide change)." >&2
	@exit 1
endif

$(BUILD)/obj/hv/src/cpu_unicorn.o: | unicorn-check

# The hypervisor links the hv objects, the libraries the devices need and
# Unicorn (rpath into .deps/unicorn comes from its .pc file).
$(METALVISOR): $(BUILD)/obj/hv/src/main.o $(LIB_HV) $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO) | unicorn-check
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $(BUILD)/obj/hv/src/main.o -Wl,--whole-archive $(LIB_HV) \
		-Wl,--no-whole-archive $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO) $(PKG_LIBS) \
		$(UNICORN_LIBS) $(FDT_LIBS) -lm
ALL_TARGETS += $(METALVISOR)
INSTALL_BINS += $(METALVISOR)

# Unit tests of hv modules link only what they test.
LIBS_test_hv_elf := $(BUILD)/obj/hv/src/elf_load.o
LIBS_test_hv_psci := $(BUILD)/obj/hv/src/psci.o
LIBS_test_hv_gic := $(BUILD)/obj/hv/src/gic.o
LIBS_test_hv_vtimer := $(BUILD)/obj/hv/src/vtimer.o
LIBS_test_hv_dtb := $(BUILD)/obj/hv/src/dtb.o
LIBS_test_hv_pl011 := $(BUILD)/obj/hv/src/pl011.o
LIBS_test_hv_config := $(BUILD)/obj/hv/src/config.o
LIBS_test_hv_mmu := $(BUILD)/obj/hv/src/mmu_walk.o
LIBS_test_hv_ldst := $(BUILD)/obj/hv/src/a64_ldst.o
$(BUILD)/tests/test_hv_dtb: PKG_LIBS += $(FDT_LIBS)
$(BUILD)/obj/tests/test_hv_%.o: CPPFLAGS += -Ihv/src $(FDT_CFLAGS)

# Boot tests (tests/hv/*.sh): need the hypervisor and the example guests.
# Under SAN=1, LeakSanitizer ignores Unicorn's own leak (tests/hv/lsan.supp).
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/hv/lsan.supp
HV_BOOT_TESTS := hv-test-smp hv-test-bad-elf hv-test-determinism hv-test-exit-codes hv-test-faults \
	hv-test-mmu
.PHONY: $(HV_BOOT_TESTS)
hv-test-smp: $(METALVISOR) $(BUILD)/examples/smp.elf
	tests/hv/smp.sh $(METALVISOR) $(BUILD)/examples/smp.elf
hv-test-bad-elf: $(METALVISOR) $(BUILD)/examples/loop.elf
	tests/hv/bad_elf.sh $(METALVISOR) $(BUILD)/examples/loop.elf $(BUILD)/hv-bad-elf
hv-test-determinism: $(METALVISOR) $(BUILD)/examples/smp.elf
	tests/hv/determinism.sh $(METALVISOR) $(BUILD)/examples/smp.elf
hv-test-faults: $(METALVISOR) $(BUILD)/examples/smp.elf
	tests/hv/faults.sh $(METALVISOR) $(BUILD)/examples/smp.elf
hv-test-mmu: $(METALVISOR) $(BUILD)/examples/mmu.elf
	tests/hv/mmu.sh $(METALVISOR) $(BUILD)/examples/mmu.elf
hv-test-exit-codes: $(METALVISOR) $(BUILD)/examples/loop.elf
	tests/hv/exit_codes.sh $(METALVISOR) $(BUILD)/examples/loop.elf
ifeq ($(HAVE_GUEST_CC),yes)
CHECK_TARGETS += $(HV_BOOT_TESTS)
endif

# The KVM backend is compiled (not run) with the aarch64 cross compiler.
KVM_OBJ := $(BUILD)/kvm/cpu_kvm.o
$(KVM_OBJ): hv/kvm/cpu_kvm.c hv/src/cpu.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc -std=c11 -O2 $(WARN) -D_GNU_SOURCE \
		-Ihv/src -c $< -o $@
.PHONY: hv-kvm-compile
hv-kvm-compile: $(KVM_OBJ)
ifneq ($(wildcard hv/kvm/cpu_kvm.c),)
ifeq ($(HAVE_GUEST_CC),yes)
CHECK_TARGETS += hv-kvm-compile
endif
endif

# Benchmark: guest instructions/s of examples/loop, metalvisor vs QEMU TCG.
.PHONY: bench-hv
bench-hv: $(METALVISOR) $(BUILD)/examples/loop.elf
	bench/hv_ips.sh $(METALVISOR) $(BUILD)/examples/loop.elf
ifeq ($(HAVE_GUEST_CC),yes)
BENCH_TARGETS += bench-hv
endif

# Fuzz target over the hv modules a hostile guest drives directly (the
# top-level fuzz rule links only mtlproto/msl/render).
build/fuzz/fuzz_hv_mmu: fuzz/fuzz_hv_mmu.c hv/src/mmu_walk.c hv/src/a64_ldst.c hv/src/mmu_walk.h hv/src/a64_ldst.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< hv/src/mmu_walk.c hv/src/a64_ldst.c
