# mk/validate.mk — the validator area: mtlvalidate, its tests, fuzzer and
# benchmark link only what they use; the corpus/invalid generator and its
# drift check.

LIBS_mtlvalidate := $(PROTO_LIBS)
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
