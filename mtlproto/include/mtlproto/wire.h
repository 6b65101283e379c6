/*
 * mtlproto/wire.h — the Metal-over-virtio wire protocol: methods, enums,
 * limits and payload layouts.
 *
 * Freestanding: this header needs only <stdint.h> and <stddef.h>, so a
 * bare-metal guest includes exactly what the host decodes with.
 *
 * A command buffer holds commands back to back with no padding. Every
 * command is an 8-byte little-endian header followed by payload_size bytes:
 *
 *     u16 method, u16 flags (must be 0), u32 payload_size
 *
 * docs/PROTOCOL.md is the prose description; this file is the normative one
 * for the code.
 */
#ifndef MTLPROTO_WIRE_H
#define MTLPROTO_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define MTL_HEADER_SIZE 8u

/* Handles. 0 is never valid; the high half belongs to the host. */
#define MTL_HANDLE_INVALID 0u
#define MTL_HANDLE_GUEST_MAX 0x7FFFFFFFu
#define MTL_HANDLE_HOST_MIN 0x80000000u
#define MTL_HANDLE_HOST_MAX 0xFFFFFFFEu
#define MTL_DRAWABLE_HANDLE 0xFFFFFFFFu

/* virtio-metal device. */
#define MTL_VIRTIO_DEVICE_ID 22u
#define MTL_QUEUE_SETUP 0u  /* methods 0x0001..0x00FF */
#define MTL_QUEUE_RENDER 1u /* everything else */

/* Config space offsets (each a little-endian u32). */
#define MTL_CONFIG_WIDTH 0x00u
#define MTL_CONFIG_HEIGHT 0x04u
#define MTL_CONFIG_REFRESH_HZ 0x08u
#define MTL_CONFIG_SCALE_FACTOR 0x0Cu
#define MTL_CONFIG_HAS_DISPLAY 0x10u
#define MTL_CONFIG_SIZE 0x14u

/* Limits Metal (or the reference host) enforces. */
#define MTL_MAX_INLINE_BYTES 4096u   /* setVertexBytes & co. */
#define MTL_MAX_BUFFER_INDEX 30u
#define MTL_MAX_TEXTURE_INDEX 30u    /* fragment/compute texture slots 0..30 */
#define MTL_MAX_SAMPLER_INDEX 15u    /* sampler slots 0..15 */
#define MTL_MAX_TEXTURE_DIM_HOST 8192u /* the reference host refuses larger */
#define MTL_MAX_TEXTURE_DIM_METAL 16384u
#define MTL_MAX_CURSOR_DIM 256u
#define MTL_MAX_THREADS_PER_THREADGROUP 1024u
#define MTL_VERTEX_STRIDE 32u        /* fixed layout, buffer 0 */

enum mtl_method {
	MTL_CMD_COMPILE_LIBRARY = 0x0001,
	MTL_CMD_GET_FUNCTION = 0x0002,
	MTL_CMD_CREATE_RENDER_PIPELINE = 0x0010,
	MTL_CMD_CREATE_COMPUTE_PIPELINE = 0x0011,
	MTL_CMD_CREATE_DEPTH_STENCIL_STATE = 0x0012,
	MTL_CMD_CREATE_SAMPLER = 0x0013,
	MTL_CMD_CREATE_TEXTURE = 0x0020,
	MTL_CMD_UPLOAD_TEXTURE = 0x0021,
	MTL_CMD_BIND_HOST_TEXTURE = 0x0022,
	MTL_CMD_DESTROY_OBJECT = 0x00FF,
	MTL_CMD_BEGIN_RENDER_PASS = 0x0100,
	MTL_CMD_END_RENDER_PASS = 0x0101,
	MTL_CMD_SET_RENDER_PIPELINE = 0x0110,
	MTL_CMD_SET_DEPTH_STENCIL_STATE = 0x0111,
	MTL_CMD_SET_STENCIL_REF = 0x0112,
	MTL_CMD_SET_SCISSOR = 0x0113,
	MTL_CMD_SET_VERTEX_BYTES = 0x0120,
	MTL_CMD_SET_FRAGMENT_TEXTURE = 0x0121,
	MTL_CMD_SET_FRAGMENT_SAMPLER = 0x0122,
	MTL_CMD_SET_FRAGMENT_BYTES = 0x0123,
	MTL_CMD_DRAW_PRIMITIVES = 0x0130,
	MTL_CMD_BEGIN_COMPUTE_PASS = 0x0200,
	MTL_CMD_END_COMPUTE_PASS = 0x0201,
	MTL_CMD_SET_COMPUTE_PIPELINE = 0x0210,
	MTL_CMD_SET_COMPUTE_TEXTURE = 0x0211,
	MTL_CMD_SET_COMPUTE_BYTES = 0x0212,
	MTL_CMD_DISPATCH_THREADS = 0x0220,
	MTL_CMD_BEGIN_BLIT_PASS = 0x0300,
	MTL_CMD_END_BLIT_PASS = 0x0301,
	MTL_CMD_COPY_TEXTURE_REGION = 0x0310,
	MTL_CMD_PRESENT_AND_COMMIT = 0x0F00,
	MTL_CMD_SET_CURSOR_IMAGE = 0x0F10,
	MTL_CMD_SET_CURSOR_POSITION = 0x0F11,
	MTL_CMD_SET_CURSOR_VISIBLE = 0x0F12,
	MTL_CMD_SET_CURSOR_FROM_TEXTURE = 0x0F13
};
#define MTL_METHOD_COUNT 35

/* Which queue a method travels on when a stream is packed (DESIGN §3). */
static inline unsigned mtl_method_queue(uint16_t method)
{
	return (method >= 0x0001 && method <= 0x00FF) ? MTL_QUEUE_SETUP : MTL_QUEUE_RENDER;
}

/*
 * Payload sizes. A method has a fixed size, or a fixed prefix followed by a
 * variable tail whose length is given (or implied) by the prefix.
 */
#define MTL_SIZE_COMPILE_LIBRARY_MIN 8u          /* + len source bytes */
#define MTL_SIZE_GET_FUNCTION_MIN 12u            /* + len name bytes */
#define MTL_SIZE_CREATE_RENDER_PIPELINE 17u
#define MTL_SIZE_CREATE_COMPUTE_PIPELINE 8u
#define MTL_SIZE_CREATE_DEPTH_STENCIL_STATE 8u   /* front ops used for both faces */
#define MTL_SIZE_CREATE_DEPTH_STENCIL_STATE_LONG 12u /* + back compare/pass/fail, pad */
#define MTL_SIZE_CREATE_SAMPLER 8u
#define MTL_SIZE_CREATE_TEXTURE 12u
#define MTL_SIZE_UPLOAD_TEXTURE_MIN 16u          /* + pixel bytes to the end */
#define MTL_SIZE_BIND_HOST_TEXTURE 8u
#define MTL_SIZE_DESTROY_OBJECT 4u
#define MTL_SIZE_BEGIN_RENDER_PASS 32u
#define MTL_SIZE_BEGIN_RENDER_PASS_SHORT 28u     /* no clear alpha: alpha = 1.0 */
#define MTL_SIZE_HANDLE_ARG 4u                   /* SET_*_PIPELINE, SET_DEPTH_STENCIL_STATE */
#define MTL_SIZE_SET_STENCIL_REF 4u
#define MTL_SIZE_SET_SCISSOR 8u
#define MTL_SIZE_SET_BYTES_MIN 8u                /* + len bytes */
#define MTL_SIZE_SET_TEXTURE 8u                  /* fragment and compute */
#define MTL_SIZE_SET_FRAGMENT_SAMPLER 8u
#define MTL_SIZE_DRAW_PRIMITIVES 12u
#define MTL_SIZE_DISPATCH_THREADS 12u
#define MTL_SIZE_COPY_TEXTURE_REGION 24u
#define MTL_SIZE_PRESENT_AND_COMMIT 4u
#define MTL_SIZE_SET_CURSOR_IMAGE_MIN 8u         /* + w*h*4 BGRA bytes */
#define MTL_SIZE_SET_CURSOR_POSITION 8u
#define MTL_SIZE_SET_CURSOR_VISIBLE 1u
#define MTL_SIZE_SET_CURSOR_FROM_TEXTURE 12u

enum mtl_pixel_format {
	MTL_PIXEL_BGRA8_UNORM = 1,
	MTL_PIXEL_RGBA8_UNORM = 2,
	MTL_PIXEL_R8_UNORM = 3,
	MTL_PIXEL_STENCIL8 = 4,
	MTL_PIXEL_RGBA16_FLOAT = 5,
	MTL_PIXEL_BGRA8_UNORM_SRGB = 6
};
#define MTL_PIXEL_FORMAT_MAX 6
#define MTL_DRAWABLE_PIXEL_FORMAT MTL_PIXEL_BGRA8_UNORM_SRGB

enum mtl_texture_type { MTL_TEXTURE_2D = 0, MTL_TEXTURE_2D_MULTISAMPLE = 1 };

enum mtl_texture_usage {
	MTL_USAGE_SHADER_READ = 1,
	MTL_USAGE_SHADER_WRITE = 2,
	MTL_USAGE_RENDER_TARGET = 4
};
#define MTL_USAGE_ALL 7u

enum mtl_stencil_format { MTL_STENCIL_FORMAT_NONE = 0, MTL_STENCIL_FORMAT_STENCIL8 = 1 };

enum mtl_load_action {
	MTL_LOAD_DONT_CARE = 0,
	MTL_LOAD_LOAD = 1,
	MTL_LOAD_CLEAR = 2,
	MTL_LOAD_BLIT_RETAINED = 3 /* copy the last presented frame, then dontCare */
};
#define MTL_LOAD_ACTION_MAX 3

enum mtl_store_action {
	MTL_STORE_DONT_CARE = 0,
	MTL_STORE_STORE = 1,
	MTL_STORE_MULTISAMPLE_RESOLVE = 2
};
#define MTL_STORE_ACTION_MAX 2

enum mtl_compare {
	MTL_COMPARE_NEVER = 0,
	MTL_COMPARE_ALWAYS = 1,
	MTL_COMPARE_EQUAL = 2,
	MTL_COMPARE_NOT_EQUAL = 3,
	MTL_COMPARE_LESS = 4,
	MTL_COMPARE_LESS_EQUAL = 5,
	MTL_COMPARE_GREATER = 6,
	MTL_COMPARE_GREATER_EQUAL = 7
};
#define MTL_COMPARE_MAX 7

enum mtl_stencil_op {
	MTL_STENCIL_KEEP = 0,
	MTL_STENCIL_ZERO = 1,
	MTL_STENCIL_REPLACE = 2,
	MTL_STENCIL_INCREMENT_CLAMP = 3,
	MTL_STENCIL_DECREMENT_CLAMP = 4,
	MTL_STENCIL_INVERT = 5,
	MTL_STENCIL_INCREMENT_WRAP = 6,
	MTL_STENCIL_DECREMENT_WRAP = 7
};
#define MTL_STENCIL_OP_MAX 7

enum mtl_sampler_filter { MTL_FILTER_NEAREST = 0, MTL_FILTER_LINEAR = 1 };
#define MTL_FILTER_MAX 1

enum mtl_address_mode {
	MTL_ADDRESS_CLAMP_TO_EDGE = 0,
	MTL_ADDRESS_REPEAT = 1,
	MTL_ADDRESS_MIRROR_REPEAT = 2,
	MTL_ADDRESS_CLAMP_TO_ZERO = 3
};
#define MTL_ADDRESS_MODE_MAX 3

enum mtl_primitive {
	MTL_PRIMITIVE_TRIANGLE = 0,
	MTL_PRIMITIVE_TRIANGLE_STRIP = 1,
	MTL_PRIMITIVE_LINE = 2,
	MTL_PRIMITIVE_POINT = 3
};
#define MTL_PRIMITIVE_MAX 3

/* Color write mask bits of CREATE_RENDER_PIPELINE. */
#define MTL_WRITE_R 8u
#define MTL_WRITE_G 4u
#define MTL_WRITE_B 2u
#define MTL_WRITE_A 1u
#define MTL_WRITE_ALL 15u

/*
 * Fixed vertex layout of every render pipeline: buffer 0, stride 32,
 * attribute 0 float2 position @0, attribute 1 float2 texCoord @8,
 * attribute 2 float4 color @16.
 */
#define MTL_VERTEX_ATTR_POSITION_OFFSET 0u
#define MTL_VERTEX_ATTR_TEXCOORD_OFFSET 8u
#define MTL_VERTEX_ATTR_COLOR_OFFSET 16u

/* Little-endian field access usable by both the encoder and decoder. */
static inline uint16_t mtl_rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t mtl_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void mtl_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void mtl_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

#endif
