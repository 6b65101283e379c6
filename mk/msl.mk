# MSL front end (render/msl: pp, lex, parse, sema, types, reflect, diag) and
# the mtlshader tool. Programs link only what they need so work in progress
# elsewhere cannot break them.
LIBS_mtlshader := $(MSL_LIBS)

# The front end's own tests and benchmark link a library of the front-end
# sources alone, so the executor's work in progress cannot break them.
MSLFE_SRC := $(addprefix render/msl/src/,compile.c diag.c lex.c pp.c parse.c sema.c types.c reflect.c)
LIB_MSLFE := $(BUILD)/lib/libmsl-front.a
$(eval $(call static_lib,$(LIB_MSLFE),$(MSLFE_SRC)))
LIBS_test_msl_front := $(LIB_MSLFE) $(LIB_MTLPROTO)
LIBS_test_msl_front_cases := $(LIB_MSLFE)
LIBS_bench_msl_check := $(LIB_MSLFE)

# Check time of a ~420-line shader library against lex+preprocess alone
# (docs/BENCHMARKS.md, "MSL front end").
.PHONY: bench-msl-check
bench-msl-check: $(BUILD)/bench/bench_msl_check
	$(BUILD)/bench/bench_msl_check
BENCH_TARGETS += bench-msl-check

# The tool end to end: every valid case checks (exit 0), every invalid one
# fails (exit 1), a missing file is exit 2, and reflect --json names the
# entry points.
.PHONY: check-mtlshader
check-mtlshader: $(BUILD)/bin/mtlshader
	@set -e; b=$(BUILD)/bin/mtlshader; \
	$$b check --quiet tests/msl/valid/*.metal; \
	for f in tests/msl/invalid/*.metal; do \
		rc=0; $$b check --quiet $$f 2>/dev/null || rc=$$?; \
		if [ $$rc -ne 1 ]; then echo "check-mtlshader: $$f: exit $$rc, expected 1"; exit 1; fi; \
	done; \
	rc=0; $$b check tests/msl/no-such-file.metal 2>/dev/null || rc=$$?; \
	if [ $$rc -ne 2 ]; then echo "check-mtlshader: missing file: exit $$rc, expected 2"; exit 1; fi; \
	$$b reflect --json tests/msl/valid/ui_rounded_rect.metal | \
		grep -q '"name":"rect_fragment","stage":"fragment"'; \
	echo "check-mtlshader: ok"
CHECK_TARGETS += check-mtlshader
