# mk/inspector.mk — the validator's shader inspector over the MSL front end
# (render/msl/src/inspector.c, msl/inspector.h): its test links only libmsl
# and libmtlproto.
LIBS_test_msl_inspector := $(LIB_MSL) $(LIB_MTLPROTO)

# Live: metalvisor --validate boots the hostile guest's "badshader" attack
# and must log shader.* findings with their places; the run's recording,
# validated offline by mtlvalidate, must give the same ones. Needs the
# hypervisor's main program and the aarch64 cross compiler for the guest.
.PHONY: check-validate-live
ifneq ($(wildcard hv/src/main.c),)
ifeq ($(HAVE_GUEST_CC),yes)
check-validate-live: $(BUILD)/bin/metalvisor $(BUILD)/examples/hostile.elf $(BUILD)/bin/mtlvalidate
	tests/hv/validate_live.sh $(BUILD)/bin/metalvisor $(BUILD)/examples/hostile.elf $(BUILD)/bin/mtlvalidate
CHECK_TARGETS += check-validate-live
endif
endif

# What the inspector adds per COMPILE_LIBRARY against msl_compile alone
# (docs/BENCHMARKS.md, "Shader inspector").
LIBS_bench_msl_inspector := $(LIB_MSL) $(LIB_MTLPROTO)
.PHONY: bench-msl-inspector
bench-msl-inspector: $(BUILD)/bench/bench_msl_inspector
	$(BUILD)/bench/bench_msl_inspector
BENCH_TARGETS += bench-msl-inspector
