/*
 * names.c — method and enum names both ways (see mtlproto/decode.h).
 *
 * Methods use the upper-case identifiers of the protocol description;
 * enum values use Metal's own (Swift) spelling, so a dump reads like the
 * Metal API call the guest meant.
 */
#include <stddef.h>
#include <strings.h>

#include "mtlproto/decode.h"

struct method_name {
	uint16_t method;
	const char *name;
};

/* In method order: mtl_method_index() is the position in this table. */
static const struct method_name methods[MTL_METHOD_COUNT] = {
	{ MTL_CMD_COMPILE_LIBRARY, "COMPILE_LIBRARY" },
	{ MTL_CMD_GET_FUNCTION, "GET_FUNCTION" },
	{ MTL_CMD_CREATE_RENDER_PIPELINE, "CREATE_RENDER_PIPELINE" },
	{ MTL_CMD_CREATE_COMPUTE_PIPELINE, "CREATE_COMPUTE_PIPELINE" },
	{ MTL_CMD_CREATE_DEPTH_STENCIL_STATE, "CREATE_DEPTH_STENCIL_STATE" },
	{ MTL_CMD_CREATE_SAMPLER, "CREATE_SAMPLER" },
	{ MTL_CMD_CREATE_TEXTURE, "CREATE_TEXTURE" },
	{ MTL_CMD_UPLOAD_TEXTURE, "UPLOAD_TEXTURE" },
	{ MTL_CMD_BIND_HOST_TEXTURE, "BIND_HOST_TEXTURE" },
	{ MTL_CMD_DESTROY_OBJECT, "DESTROY_OBJECT" },
	{ MTL_CMD_BEGIN_RENDER_PASS, "BEGIN_RENDER_PASS" },
	{ MTL_CMD_END_RENDER_PASS, "END_RENDER_PASS" },
	{ MTL_CMD_SET_RENDER_PIPELINE, "SET_RENDER_PIPELINE" },
	{ MTL_CMD_SET_DEPTH_STENCIL_STATE, "SET_DEPTH_STENCIL_STATE" },
	{ MTL_CMD_SET_STENCIL_REF, "SET_STENCIL_REF" },
	{ MTL_CMD_SET_SCISSOR, "SET_SCISSOR" },
	{ MTL_CMD_SET_VERTEX_BYTES, "SET_VERTEX_BYTES" },
	{ MTL_CMD_SET_FRAGMENT_TEXTURE, "SET_FRAGMENT_TEXTURE" },
	{ MTL_CMD_SET_FRAGMENT_SAMPLER, "SET_FRAGMENT_SAMPLER" },
	{ MTL_CMD_SET_FRAGMENT_BYTES, "SET_FRAGMENT_BYTES" },
	{ MTL_CMD_DRAW_PRIMITIVES, "DRAW_PRIMITIVES" },
	{ MTL_CMD_BEGIN_COMPUTE_PASS, "BEGIN_COMPUTE_PASS" },
	{ MTL_CMD_END_COMPUTE_PASS, "END_COMPUTE_PASS" },
	{ MTL_CMD_SET_COMPUTE_PIPELINE, "SET_COMPUTE_PIPELINE" },
	{ MTL_CMD_SET_COMPUTE_TEXTURE, "SET_COMPUTE_TEXTURE" },
	{ MTL_CMD_SET_COMPUTE_BYTES, "SET_COMPUTE_BYTES" },
	{ MTL_CMD_DISPATCH_THREADS, "DISPATCH_THREADS" },
	{ MTL_CMD_BEGIN_BLIT_PASS, "BEGIN_BLIT_PASS" },
	{ MTL_CMD_END_BLIT_PASS, "END_BLIT_PASS" },
	{ MTL_CMD_COPY_TEXTURE_REGION, "COPY_TEXTURE_REGION" },
	{ MTL_CMD_PRESENT_AND_COMMIT, "PRESENT_AND_COMMIT" },
	{ MTL_CMD_SET_CURSOR_IMAGE, "SET_CURSOR_IMAGE" },
	{ MTL_CMD_SET_CURSOR_POSITION, "SET_CURSOR_POSITION" },
	{ MTL_CMD_SET_CURSOR_VISIBLE, "SET_CURSOR_VISIBLE" },
	{ MTL_CMD_SET_CURSOR_FROM_TEXTURE, "SET_CURSOR_FROM_TEXTURE" },
};

int mtl_method_index(uint16_t method)
{
	/* The table is sorted by method: binary search. */
	int lo = 0, hi = MTL_METHOD_COUNT - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (methods[mid].method == method)
			return mid;
		if (methods[mid].method < method)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

uint16_t mtl_method_at(int index)
{
	if (index < 0 || index >= MTL_METHOD_COUNT)
		return 0;
	return methods[index].method;
}

const char *mtl_method_name(uint16_t method)
{
	int i = mtl_method_index(method);
	return i < 0 ? NULL : methods[i].name;
}

int mtl_method_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < MTL_METHOD_COUNT; i++)
		if (strcasecmp(name, methods[i].name) == 0)
			return methods[i].method;
	return -1;
}

/* An enum's names, indexed by value; NULL entries are values with no name. */
struct enum_names {
	const char *const *names;
	unsigned count;
};

static const char *enum_name(const struct enum_names *t, unsigned v)
{
	return v < t->count ? t->names[v] : NULL;
}

static int enum_from_name(const struct enum_names *t, const char *s)
{
	if (!s)
		return -1;
	for (unsigned i = 0; i < t->count; i++)
		if (t->names[i] && strcasecmp(s, t->names[i]) == 0)
			return (int)i;
	return -1;
}

#define ENUM_TABLE(id, ...)                                                            \
	static const char *const id##_list[] = { __VA_ARGS__ };                        \
	static const struct enum_names id = { id##_list,                                \
					      (unsigned)(sizeof id##_list / sizeof id##_list[0]) }; \
	const char *mtl_##id##_name(unsigned v) { return enum_name(&id, v); }           \
	int mtl_##id##_from_name(const char *s) { return enum_from_name(&id, s); }

/* Value 0 of pixel_format is MTLPixelFormatInvalid: no name. */
ENUM_TABLE(pixel_format, NULL, "bgra8Unorm", "rgba8Unorm", "r8Unorm", "stencil8", "rgba16Float",
	   "bgra8Unorm_srgb")
ENUM_TABLE(load_action, "dontCare", "load", "clear", "blitRetained")
ENUM_TABLE(store_action, "dontCare", "store", "multisampleResolve")
ENUM_TABLE(compare, "never", "always", "equal", "notEqual", "less", "lessEqual", "greater",
	   "greaterEqual")
ENUM_TABLE(stencil_op, "keep", "zero", "replace", "incrementClamp", "decrementClamp", "invert",
	   "incrementWrap", "decrementWrap")
ENUM_TABLE(filter, "nearest", "linear")
ENUM_TABLE(address_mode, "clampToEdge", "repeat", "mirrorRepeat", "clampToZero")
ENUM_TABLE(primitive, "triangle", "triangleStrip", "line", "point")
ENUM_TABLE(texture_type, "type2D", "type2DMultisample")

unsigned mtl_pixel_format_bytes(unsigned format)
{
	switch (format) {
	case MTL_PIXEL_BGRA8_UNORM:
	case MTL_PIXEL_RGBA8_UNORM:
	case MTL_PIXEL_BGRA8_UNORM_SRGB:
		return 4;
	case MTL_PIXEL_R8_UNORM:
	case MTL_PIXEL_STENCIL8:
		return 1;
	case MTL_PIXEL_RGBA16_FLOAT:
		return 8;
	default:
		return 0;
	}
}
