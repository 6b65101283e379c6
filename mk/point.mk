# mk/point.mk — point sprites ([[point_size]], [[point_coord]]): narrowed
# link lines for the point tests.
LIBS_test_msl_points := $(LIB_MSL) $(LIB_MTLPROTO)
LIBS_test_render_points := $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO)
