# mk/mslx.mk — the MSL executor area (render/msl: ir, lower, exec, builtins,
# run_tool): narrowed link lines, the executor's own small library for the
# IR-level tests, and the executor benchmark.

# The IR-level executor tests need only the executor sources: build them
# against a library of those alone so front-end work in progress cannot
# break them.
MSLX_CORE_SRC := render/msl/src/exec.c render/msl/src/ir.c render/msl/src/builtins.c
LIB_MSLX_CORE := $(BUILD)/lib/libmslx-core.a
$(eval $(call static_lib,$(LIB_MSLX_CORE),$(MSLX_CORE_SRC)))
LIBS_test_msl_exec_ir := $(LIB_MSLX_CORE)

# Shader-level tests, the benchmark and the run tool go through the front end.
LIBS_test_msl_exec := $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_bench_msl_exec := $(LIB_MSL) $(LIB_MTLPROTO)

# Executor throughput against hand-written C (docs/BENCHMARKS.md, "MSL executor").
.PHONY: bench-msl-exec
bench-msl-exec: $(BUILD)/bench/bench_msl_exec
	$(BUILD)/bench/bench_msl_exec
BENCH_TARGETS += bench-msl-exec
LIBS_test_msl_exec_tool := $(LIB_MSL) $(LIB_MTLPROTO)


# Gaps found by real guest shaders (sample options, more built-ins, ...).
LIBS_test_msl_gaps := $(LIB_MSL) $(LIB_MTLPROTO)
