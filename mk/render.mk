# render/ — the replay engine, backends, mtlreplay, mtlbench, goldens.
# Programs here link only what they need, so another area's work in progress
# cannot break them.
RENDER_LIBS := $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_mtlreplay := $(LIB_TOOLCOMMON) $(RENDER_LIBS)
LIBS_mtlbench := $(LIB_TOOLCOMMON) $(RENDER_LIBS)
LIBS_test_render := $(RENDER_LIBS)
LIBS_test_replay := $(RENDER_LIBS)
LIBS_test_render_golden := $(LIB_TOOLCOMMON) $(RENDER_LIBS)
LIBS_bench_llvmpipe := $(RENDER_LIBS)

# bench_llvmpipe links OSMesa (llvmpipe) when it is installed; without it the
# benchmark still builds and measures the soft backend alone.
OSMESA_LIBS := $(shell $(PKG_CONFIG) --libs osmesa 2>/dev/null)
OSMESA_DEF := $(if $(OSMESA_LIBS),,-DNO_OSMESA)
$(BUILD)/obj/bench/bench_llvmpipe.o: bench/bench_llvmpipe.c
	@mkdir -p $(dir $@)
	$(COMPILE) $(OSMESA_DEF) -c $< -o $@
$(BUILD)/bench/bench_llvmpipe: $(BUILD)/obj/bench/bench_llvmpipe.o $(RENDER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(RENDER_LIBS) $(PKG_LIBS) $(OSMESA_LIBS) -lm

.PHONY: bench-render
bench-render: $(BUILD)/bench/bench_llvmpipe
	$(BUILD)/bench/bench_llvmpipe
BENCH_TARGETS += bench-render

# End-to-end checks of the two tools: every corpus stream replays with a
# capture equal to its golden, raw and .mtlrec input agree, hostile input
# gives exit code 2 or a clean run (never a crash), mtlbench writes JSON and
# HTML. Run by make check.
RENDER_TMP = $(BUILD)/tmp-render
.PHONY: check-render-tools
check-render-tools: $(BUILD)/bin/mtlreplay $(BUILD)/bin/mtlbench $(BUILD)/bin/mtlrec
	@set -e; rm -rf $(RENDER_TMP); mkdir -p $(RENDER_TMP); \
	$(BUILD)/bin/mtlreplay --quiet corpus/triangle.bin --capture 1 $(RENDER_TMP)/t1.png; \
	cmp $(RENDER_TMP)/t1.png corpus/golden/triangle-001.png; \
	$(BUILD)/bin/mtlreplay --quiet --threads 1 corpus/textured-quad.bin --capture 0,1 $(RENDER_TMP)/tq; \
	cmp $(RENDER_TMP)/tq-000.png corpus/golden/textured-quad-000.png; \
	cmp $(RENDER_TMP)/tq-001.png corpus/golden/textured-quad-001.png; \
	$(BUILD)/bin/mtlrec pack corpus/cursor.bin -o $(RENDER_TMP)/c.mtlrec; \
	$(BUILD)/bin/mtlreplay --quiet $(RENDER_TMP)/c.mtlrec --capture 3 $(RENDER_TMP)/c3.png; \
	cmp $(RENDER_TMP)/c3.png corpus/golden/cursor-003.png; \
	$(BUILD)/bin/mtlreplay --quiet corpus/blit.bin --capture-all $(RENDER_TMP)/all --frames 1-1; \
	test -f $(RENDER_TMP)/all/frame-000001.png && test ! -f $(RENDER_TMP)/all/frame-000000.png; \
	rc=0; $(BUILD)/bin/mtlreplay --quiet corpus/triangle.bin --capture 99 $(RENDER_TMP)/x.png 2>/dev/null || rc=$$?; test $$rc = 1; \
	rc=0; $(BUILD)/bin/mtlreplay --quiet /nonexistent.bin 2>/dev/null || rc=$$?; test $$rc = 2; \
	rc=0; $(BUILD)/bin/mtlreplay --bogus 2>/dev/null || rc=$$?; test $$rc = 2; \
	for f in corpus/invalid/*.bin; do \
		rc=0; $(BUILD)/bin/mtlreplay --quiet $$f 2>/dev/null || rc=$$?; \
		if [ $$rc -gt 2 ]; then echo "mtlreplay crashed on $$f (exit $$rc)"; exit 1; fi; \
		rc=0; $(BUILD)/bin/mtlreplay --quiet --strict --backend null $$f 2>/dev/null || rc=$$?; \
		if [ $$rc -gt 2 ]; then echo "mtlreplay --strict crashed on $$f (exit $$rc)"; exit 1; fi; \
	done; \
	$(BUILD)/bin/mtlreplay --json corpus/invalid/compute.no-pipeline.bin > $(RENDER_TMP)/r.json; \
	grep -q '"no-pipeline":1' $(RENDER_TMP)/r.json; grep -q '"method":"DISPATCH_THREADS"' $(RENDER_TMP)/r.json; \
	head -c 3000 corpus/many-frames.bin > $(RENDER_TMP)/cut.bin; \
	$(BUILD)/bin/mtlreplay --quiet $(RENDER_TMP)/cut.bin 2>/dev/null; \
	$(BUILD)/bin/mtlbench --backend null --iterations 2 --json corpus/many-frames.bin > $(RENDER_TMP)/b.json; \
	grep -q '"frames":120' $(RENDER_TMP)/b.json; \
	$(BUILD)/bin/mtlbench --iterations 1 --warmup 0 --html $(RENDER_TMP)/b.html corpus/triangle.bin > /dev/null; \
	grep -q '<svg' $(RENDER_TMP)/b.html; \
	echo "check-render-tools: ok"
CHECK_TARGETS += check-render-tools

# The benchmark scene at 300 triangles, soft backend only, with 1, 2 and 8
# threads: its image hash must equal the one the renderer gave before the
# performance work (commit 36e4d26), so every fast path (quad accept/reject,
# SSE interpolation and filtering, the power-of-two sRGB sampling loop, the
# batched sRGB blend) stays bit-identical to the code it replaced.
BENCH_SCENE_HASH := 822f2e3a76e5a9f4
.PHONY: check-render-bench-hash
check-render-bench-hash: $(BUILD)/bench/bench_llvmpipe
	@for t in 1 2 8; do \
		h=$$($(BUILD)/bench/bench_llvmpipe --triangles 300 --frames 1 --soft-only --threads $$t | \
			sed -n 's/^soft image hash: //p'); \
		if [ "$$h" != "$(BENCH_SCENE_HASH)" ]; then \
			echo "check-render-bench-hash: $$t threads gave '$$h', expected $(BENCH_SCENE_HASH)"; exit 1; \
		fi; \
	done; echo "check-render-bench-hash: ok"
CHECK_TARGETS += check-render-bench-hash
