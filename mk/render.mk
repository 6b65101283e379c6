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
