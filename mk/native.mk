# mk/native.mk - macOS-only backends.  Inert everywhere else: on Linux this
# file only defines `make native-info` and the portable test of the HVF
# backend's syndrome decoding (hv/hvf/esr.h), which `make check` runs on
# every host.
#
#   build/bin/metalvisor-hvf   metalvisor with the Hypervisor.framework CPU
#                              backend (hv/hvf/cpu_hvf.c) instead of Unicorn;
#                              Apple silicon, macOS 15 or later (hv_gic_*),
#                              ad-hoc signed with the hypervisor entitlement.
#
# Nothing here has been built or run: the project's machines are Linux/x86-64
# (see docs/HYPERVISOR.md, "Hypervisor.framework backend").  The Metal
# rendering backend (render/metal/) is the renderer's; its build recipe is
# in its own header comment.

NATIVE_OS := $(shell uname -s)
NATIVE_ARCH := $(shell uname -m)

.PHONY: native-info
native-info:
	@echo "native backends: host is $(NATIVE_OS)/$(NATIVE_ARCH)"
	@echo "  hvf (hv/hvf/cpu_hvf.c): builds as $(BUILD)/bin/metalvisor-hvf on Darwin/arm64 only"

# ESR_EL2 decoding: plain C, so tested everywhere (normal and SAN=1).
HVF_ESR_TEST := $(BUILD)/hvf/test_esr
$(BUILD)/obj/hv/hvf/test_esr.o: CPPFLAGS += -Ihv/src $(CMOCKA_CFLAGS)
$(HVF_ESR_TEST): $(BUILD)/obj/hv/hvf/test_esr.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(CMOCKA_LIBS)
.PHONY: check-hvf-esr
check-hvf-esr: $(HVF_ESR_TEST)
	$(HVF_ESR_TEST)
ALL_TARGETS += $(HVF_ESR_TEST)
CHECK_TARGETS += check-hvf-esr

ifeq ($(NATIVE_OS)/$(NATIVE_ARCH),Darwin/arm64)

HVF_MACOS_MIN := 15.0
HVF_OBJ := $(BUILD)/obj/hv/hvf/cpu_hvf.o
# Every hv object but the Unicorn backend; main.o comes first.
HVF_HV_OBJS := $(call obj,hv/src/main.c $(filter-out hv/src/main.c hv/src/cpu_unicorn.c,$(wildcard hv/src/*.c)))
METALVISOR_HVF := $(BUILD)/bin/metalvisor-hvf

$(HVF_OBJ): CPPFLAGS += -Ihv/src $(FDT_CFLAGS)
$(HVF_OBJ): CFLAGS += -mmacosx-version-min=$(HVF_MACOS_MIN)

# hv.mk's link uses GNU ld's --whole-archive; ld64 has none, so the objects
# are listed directly.  codesign: without com.apple.security.hypervisor,
# hv_vm_create() fails.
$(METALVISOR_HVF): $(HVF_HV_OBJS) $(HVF_OBJ) $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO) hv/hvf/metalvisor-hvf.entitlements
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -mmacosx-version-min=$(HVF_MACOS_MIN) -o $@ $(HVF_HV_OBJS) $(HVF_OBJ) \
		$(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO) $(PKG_LIBS) $(FDT_LIBS) -lm -framework Hypervisor
	codesign --force --sign - --entitlements hv/hvf/metalvisor-hvf.entitlements $@

.PHONY: hvf
hvf: $(METALVISOR_HVF)
ALL_TARGETS += $(METALVISOR_HVF)
INSTALL_BINS += $(METALVISOR_HVF)

endif
