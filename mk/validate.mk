# mk/validate.mk — the validator area: mtlvalidate, its tests, fuzzer and
# benchmark link only what they use; the corpus/invalid generator and its
# drift check.

LIBS_mtlvalidate := $(LIB_TOOLCOMMON) $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_test_validate := $(LIB_MTLPROTO)
LIBS_bench_validate := $(LIB_MTLPROTO)

# corpus/invalid/: one minimal stream per rule, and EXPECTED.
INVALID_GEN := $(BUILD)/bin/mtlinvalid-gen
$(INVALID_GEN): $(BUILD)/obj/corpus/invalid/gen/gen_invalid.o $(LIB_MTLPROTO)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB_MTLPROTO)
ALL_TARGETS += $(INVALID_GEN)

.PHONY: corpus-invalid check-corpus-invalid
# Regenerate the committed streams (commit the result).
corpus-invalid: $(INVALID_GEN)
	$(INVALID_GEN) -o corpus/invalid

# The committed streams and EXPECTED must be what the generator writes today.
check-corpus-invalid: $(INVALID_GEN)
	@rm -rf $(BUILD)/invalid-check && mkdir -p $(BUILD)/invalid-check
	@$(INVALID_GEN) -o $(BUILD)/invalid-check >/dev/null
	@set -e; for f in $(BUILD)/invalid-check/*; do \
		b=$${f##*/}; cmp "corpus/invalid/$$b" "$$f" || \
			{ echo "corpus/invalid/$$b differs from the generator's output: run 'make corpus-invalid'"; exit 1; }; \
	done; echo "corpus/invalid: $$(ls $(BUILD)/invalid-check | wc -l) files match the generator"
CHECK_TARGETS += check-corpus-invalid

# mtlvalidate end to end: the valid corpus exits 0 with no finding (with the
# MSL front end checking every library); every corpus/invalid stream reports
# its rule first at the EXPECTED command and file offset in --json (the
# shader.* ones through the MSL front end); exit statuses.
MTLVALIDATE := $(BUILD)/bin/mtlvalidate
.PHONY: check-mtlvalidate
check-mtlvalidate: $(MTLVALIDATE)
	@set -e; \
	$(MTLVALIDATE) corpus/triangle.bin corpus/textured-quad.bin corpus/msaa-stencil.bin corpus/compute.bin \
		corpus/blit.bin corpus/cursor.bin corpus/many-frames.bin > $(BUILD)/mtlvalidate-valid.txt || \
		{ cat $(BUILD)/mtlvalidate-valid.txt; echo "mtlvalidate: the valid corpus is not clean"; exit 1; }; \
	n=0; grep -v '^#' corpus/invalid/EXPECTED | while read file rule sev cmd off needs; do \
		out=$$($(MTLVALIDATE) --json corpus/invalid/$$file) && st=0 || st=$$?; \
		want="{\"rule\":\"$$rule\",\"severity\":\"$$sev\",\"frame\":"; \
		case "$$out" in "{\"findings\":[$$want"*) ;; *) echo "$$file: expected $$rule first, got $$out"; exit 1;; esac; \
		case "$$out" in *"\"command\":$$cmd,\"offset\":$$(printf %d $$off),"*) ;; \
			*) echo "$$file: expected command $$cmd offset $$off, got $$out"; exit 1;; esac; \
		if [ $$sev = error ]; then [ $$st = 1 ] || { echo "$$file: exit $$st, expected 1"; exit 1; }; \
		else [ $$st = 0 ] || { echo "$$file: exit $$st, expected 0"; exit 1; }; \
			$(MTLVALIDATE) --werror corpus/invalid/$$file >/dev/null && { echo "$$file: --werror exit 0"; exit 1; } || true; fi; \
	done; \
	$(MTLVALIDATE) corpus/invalid/no-such-file.bin 2>/dev/null && st=0 || st=$$?; \
	[ $$st = 2 ] || { echo "mtlvalidate: unreadable input exit $$st, expected 2"; exit 1; }; \
	$(MTLVALIDATE) --disable no.such-rule corpus/triangle.bin 2>/dev/null && st=0 || st=$$?; \
	[ $$st = 2 ] || { echo "mtlvalidate: unknown --disable exit $$st, expected 2"; exit 1; }; \
	$(MTLVALIDATE) --disable pass. corpus/invalid/pass.draw-outside.bin >/dev/null || \
		{ echo "mtlvalidate: --disable pass. did not silence pass.draw-outside"; exit 1; }; \
	echo "mtlvalidate: valid corpus clean, corpus/invalid located, exit statuses right"
CHECK_TARGETS += check-mtlvalidate

# The validator fuzzer needs only mtlproto (overrides the generic rule so
# work in progress elsewhere cannot break it).
build/fuzz/fuzz_validate: fuzz/fuzz_validate.c $(MTLPROTO_SRC) $(wildcard mtlproto/include/*/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(MTLPROTO_SRC) $(PKG_LIBS) -lm

# Validator throughput against decode alone (docs/BENCHMARKS.md, "Validator throughput").
.PHONY: bench-validate
bench-validate: $(BUILD)/bench/bench_validate
	$(BUILD)/bench/bench_validate
BENCH_TARGETS += bench-validate
