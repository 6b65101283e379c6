# mk/ptr.mk — MSL pointer arithmetic: its executor test goes through the
# front end and the executor only.
LIBS_test_msl_pointers := $(LIB_MSL) $(LIB_MTLPROTO)
