# mk/inspector.mk — the validator's shader inspector over the MSL front end
# (render/msl/src/inspector.c, msl/inspector.h): its test links only libmsl
# and libmtlproto.
LIBS_test_msl_inspector := $(LIB_MSL) $(LIB_MTLPROTO)
