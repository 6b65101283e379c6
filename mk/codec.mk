# mk/codec.mk — the mtlproto codec area: narrowed link lines, the
# freestanding-encoder proof, the corpus generator and its drift check, and
# the decoder benchmark.

# Codec programs link mtlproto only.
LIBS_test_encode_decode := $(LIB_MTLPROTO)
LIBS_test_decoder_errors := $(LIB_MTLPROTO)
LIBS_test_codec_corpus := $(LIB_MTLPROTO)
LIBS_bench_decode := $(LIB_MTLPROTO)

# The encoder is what bare-metal guests compile: prove it is freestanding by
# building it for the guest with -ffreestanding -nostdlib and checking that
# nothing but memcpy/memset is left undefined.
AARCH64_CC ?= aarch64-linux-gnu-gcc
AARCH64_NM ?= aarch64-linux-gnu-nm
.PHONY: check-encoder-freestanding
check-encoder-freestanding: mtlproto/src/encode.c mtlproto/include/mtlproto/encode.h mtlproto/include/mtlproto/wire.h
	@mkdir -p $(BUILD)/freestanding
	$(AARCH64_CC) -ffreestanding -nostdlib -O2 -Wall -Wextra -Werror -Imtlproto/include \
		-c mtlproto/src/encode.c -o $(BUILD)/freestanding/encode.o
	@undef=$$($(AARCH64_NM) -u $(BUILD)/freestanding/encode.o | awk '{print $$2}' | sort -u | tr '\n' ' '); \
	extra=$$(echo "$$undef" | tr ' ' '\n' | grep -v -x -e memcpy -e memset -e '' || true); \
	if [ -n "$$extra" ]; then echo "encode.c is not freestanding: undefined $$extra"; exit 1; fi; \
	echo "encode.c freestanding for aarch64; undefined symbols: $${undef:-none}"
CHECK_TARGETS += check-encoder-freestanding

# Corpus generator: writes corpus/*.bin with the encoder. Its output must be
# the same bytes everywhere, so no FMA contraction.
CORPUS_GEN := $(BUILD)/bin/mtlcorpus-gen
CORPUS_FILES := triangle textured-quad msaa-stencil compute blit cursor many-frames
$(BUILD)/obj/corpus/gen/gencorpus.o: CFLAGS += -ffp-contract=off
$(CORPUS_GEN): $(BUILD)/obj/corpus/gen/gencorpus.o $(LIB_MTLPROTO)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB_MTLPROTO)
ALL_TARGETS += $(CORPUS_GEN)

.PHONY: corpus check-corpus
# Regenerate the committed streams (commit the result).
corpus: $(CORPUS_GEN)
	$(CORPUS_GEN) -o corpus

# The committed streams must be exactly what the generator writes today.
check-corpus: $(CORPUS_GEN)
	@rm -rf $(BUILD)/corpus-check && mkdir -p $(BUILD)/corpus-check
	@$(CORPUS_GEN) -o $(BUILD)/corpus-check >/dev/null
	@set -e; for f in $(CORPUS_FILES); do \
		cmp corpus/$$f.bin $(BUILD)/corpus-check/$$f.bin || \
			{ echo "corpus/$$f.bin differs from the generator's output: run 'make corpus'"; exit 1; }; \
	done; echo "corpus: $(words $(CORPUS_FILES)) streams match the generator"
CHECK_TARGETS += check-corpus

# The decoder fuzzer needs only mtlproto: build it from those sources alone
# so work in progress elsewhere cannot break it (overrides the generic rule).
build/fuzz/fuzz_decode: fuzz/fuzz_decode.c $(MTLPROTO_SRC) $(wildcard mtlproto/include/*/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(MTLPROTO_SRC) $(PKG_LIBS) -lm

# Decoder throughput against memcpy (docs/BENCHMARKS.md, "Decoder throughput").
.PHONY: bench-decode
bench-decode: $(BUILD)/bench/bench_decode
	$(BUILD)/bench/bench_decode
BENCH_TARGETS += bench-decode
