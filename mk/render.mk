# render/ — the replay engine, backends, mtlreplay, mtlbench, goldens.
# Programs here link only what they need, so another area's work in progress
# cannot break them.
RENDER_LIBS := $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_mtlreplay := $(LIB_TOOLCOMMON) $(RENDER_LIBS)
LIBS_mtlbench := $(LIB_TOOLCOMMON) $(RENDER_LIBS)
LIBS_test_render := $(RENDER_LIBS)
LIBS_test_replay := $(RENDER_LIBS)
LIBS_test_render_golden := $(LIB_TOOLCOMMON) $(RENDER_LIBS)
LIBS_bench_llvmpipe := $(RENDER_LIBS) -lOSMesa
