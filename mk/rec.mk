# mk/rec.mk — the .mtlrec container and the tools (area "container and
# tools"): narrowed link lines, shell tests of the tools, benchmarks.

# The tools and tests need only the codec, the container and the shared
# tool layer: work in progress in render/ or hv/ cannot break them.
LIBS_mtlrec := $(PROTO_LIBS)
LIBS_mtlinfo := $(PROTO_LIBS)
LIBS_mtldump := $(PROTO_LIBS)
LIBS_test_rec := $(LIB_MTLPROTO)
LIBS_test_rec_stream := $(PROTO_LIBS)
LIBS_bench_rec := $(LIB_MTLPROTO)

# Shell tests of the tools (tests/tools/*.sh), run by make check with the
# tools of the same build (normal and sanitizer).
REC_TOOL_BINS := $(BUILD)/bin/mtlrec $(BUILD)/bin/mtlinfo $(BUILD)/bin/mtldump
.PHONY: check-rec-tools
check-rec-tools: $(REC_TOOL_BINS)
	sh tests/tools/rec_tools.sh $(BUILD)/bin
CHECK_TARGETS += check-rec-tools

# make bench: the container against zstd (docs/BENCHMARKS.md, ".mtlrec
# container"). Writes up to ~1.5 GiB in $(BUILD)/ and deletes it.
.PHONY: bench-rec
bench-rec: $(BUILD)/bench/bench_rec
	$(BUILD)/bench/bench_rec $(BUILD)
BENCH_TARGETS += bench-rec
