# MSL front end (render/msl: pp, lex, parse, sema, types, reflect, diag) and
# the mtlshader tool. Programs link only what they need so work in progress
# elsewhere cannot break them.
LIBS_mtlshader := $(MSL_LIBS)
LIBS_test_msl_front := $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_test_msl_front_cases := $(LIB_MSL)
LIBS_bench_msl_check := $(LIB_MSL)

# Check time of a ~420-line shader library against lex+preprocess alone
# (docs/BENCHMARKS.md, "MSL front end").
.PHONY: bench-msl-check
bench-msl-check: $(BUILD)/bench/bench_msl_check
	$(BUILD)/bench/bench_msl_check
BENCH_TARGETS += bench-msl-check
