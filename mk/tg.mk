# mk/tg.mk — MSL threadgroup memory and barriers (render/msl/src/
# exec_threadgroup.c, sema_threadgroup.c; docs/MSL.md "### Threadgroup
# memory and barriers").
#
# The narrowed executor and front-end libraries of mk/mslx.mk and
# mk/msl.mk list their sources by name; this area's two files join them as
# extra prerequisites (static_lib archives all of $^).
$(LIB_MSLX_CORE): $(call obj,render/msl/src/exec_threadgroup.c)
$(LIB_MSLFE): $(call obj,render/msl/src/sema_threadgroup.c)

LIBS_test_msl_threadgroup := $(LIB_MSL) $(LIB_MTLPROTO)

# mtlshader run on threadgroup kernels: a prefix sum over a group of 8 gives
# the C answer, and a divergent barrier fails with exit 1 at its line:col.
.PHONY: check-msl-threadgroup-tool
check-msl-threadgroup-tool: $(BUILD)/bin/mtlshader
	@set -e; b=$(BUILD)/bin/mtlshader; f=tests/msl/exec/threadgroup_kernels.metal; \
	$$b run $$f --kernel prefix_sum --grid 8 --threadgroup 8 \
		--buffer 0=0100000002000000030000000400000005000000060000000700000008000000 \
		--buffer 1=zero:32 --format u32 | tr -s ' ' | grep -q '000010: 15 21 28 36'; \
	rc=0; $$b run $$f --kernel divergent --grid 256 --threadgroup 256 --buffer 0=zero:1024 \
		>/dev/null 2>$(BUILD)/tg-divergent.err || rc=$$?; \
	if [ $$rc -ne 1 ]; then echo "check-msl-threadgroup-tool: divergent: exit $$rc, expected 1"; exit 1; fi; \
	grep -q "threadgroup_kernels.metal:81:9: error: divergent-barrier" $(BUILD)/tg-divergent.err; \
	echo "check-msl-threadgroup-tool: ok"
CHECK_TARGETS += check-msl-threadgroup-tool

# The cost of barriers: chunked 1024-thread groups against one-batch groups
# and hand-written C (docs/BENCHMARKS.md, "MSL threadgroup barriers").
LIBS_bench_msl_threadgroup := $(LIB_MSL) $(LIB_MTLPROTO)
.PHONY: bench-msl-threadgroup
bench-msl-threadgroup: $(BUILD)/bench/bench_msl_threadgroup
	$(BUILD)/bench/bench_msl_threadgroup
BENCH_TARGETS += bench-msl-threadgroup
