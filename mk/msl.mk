# MSL front end (render/msl: pp, lex, parse, sema, types, reflect, diag) and
# the mtlshader tool. Programs link only what they need so work in progress
# elsewhere cannot break them.
LIBS_mtlshader := $(MSL_LIBS)
LIBS_test_msl_front := $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_test_msl_front_cases := $(LIB_MSL)
LIBS_bench_msl_check := $(LIB_MSL)
