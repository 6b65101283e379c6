# mk/native.mk - macOS-only backends.  Inert everywhere else: on Linux this
# file defines nothing but `make native-info`, and adds no target to all,
# check or bench.
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
