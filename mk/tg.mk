# mk/tg.mk — MSL threadgroup memory and barriers (render/msl/src/
# exec_threadgroup.c, sema_threadgroup.c; docs/MSL.md "### Threadgroup
# memory and barriers").
#
# The narrowed executor and front-end libraries of mk/mslx.mk and
# mk/msl.mk list their sources by name; this area's two files join them as
# extra prerequisites (static_lib archives all of $^).
$(LIB_MSLX_CORE): $(call obj,render/msl/src/exec_threadgroup.c)
$(LIB_MSLFE): $(call obj,render/msl/src/sema_threadgroup.c)

LIBS_test_msl_threadgroup := $(LIB_MSL) $(LIB_MTLPROTO)
