# mk/rec.mk — the .mtlrec container and the tools (area "container and
# tools"): narrowed link lines, shell tests of the tools, benchmarks.

# The tools and tests need only the codec, the container and the shared
# tool layer: work in progress in render/ or hv/ cannot break them.
LIBS_mtlrec := $(PROTO_LIBS)
LIBS_mtlinfo := $(PROTO_LIBS)
LIBS_mtldump := $(PROTO_LIBS)
LIBS_test_rec := $(LIB_MTLPROTO)
LIBS_test_rec_tools := $(PROTO_LIBS)
LIBS_bench_rec := $(LIB_MTLPROTO)
