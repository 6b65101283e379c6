/*
 * mtlproto/decode.h — a bounds-checked, zero-copy decoder for command
 * buffers.
 *
 * The decoder walks a caller's byte buffer and yields one typed view per
 * command. It never allocates and never copies variable-length data: the
 * pointers in a view point into the caller's buffer and live as long as it.
 * Every malformed input maps to a distinct status with the byte offset at
 * which the problem was found.
 *
 * Resynchronisation: after an error the decoder skips to the next header
 * only when payload_size is trustworthy (the whole payload lies inside the
 * buffer); otherwise it stops (mtl_decoder_next returns MTL_END from then
 * on). It therefore never loops and never reads out of bounds.
 */
#ifndef MTLPROTO_DECODE_H
#define MTLPROTO_DECODE_H

#include "mtlproto/wire.h"

enum mtl_status {
	MTL_OK = 0,
	MTL_END = 1,                   /* no more commands */
	MTL_ERR_TRUNCATED_HEADER = -1, /* fewer than 8 bytes left for a header */
	MTL_ERR_PAYLOAD_PAST_END = -2, /* payload_size runs past the buffer */
	MTL_ERR_FLAGS = -3,            /* flags != 0 */
	MTL_ERR_UNKNOWN_METHOD = -4,
	MTL_ERR_PAYLOAD_SIZE = -5,     /* payload_size wrong for the method */
	MTL_ERR_INNER_LENGTH = -6      /* an inner length field disagrees with payload_size */
};

/* A stable short name ("truncated-header", ...) and a sentence. */
const char *mtl_status_name(enum mtl_status s);
const char *mtl_status_message(enum mtl_status s);

struct mtl_compile_library { uint32_t lib; uint32_t len; const uint8_t *source; };
struct mtl_get_function { uint32_t fn; uint32_t lib; uint32_t len; const uint8_t *name; };
struct mtl_create_render_pipeline {
	uint32_t pipe, vertex_fn, fragment_fn;
	uint8_t blend, write_mask, stencil_format, sample_count, pixel_format;
};
struct mtl_create_compute_pipeline { uint32_t pipe, fn; };
struct mtl_create_depth_stencil_state {
	uint32_t state;
	uint8_t stencil_enabled;
	uint8_t front_compare, front_pass_op, front_fail_op;
	uint8_t back_compare, back_pass_op, back_fail_op; /* = front in the 8-byte form */
	uint8_t long_form;                               /* 1 for the 12-byte form */
};
struct mtl_create_sampler { uint32_t sampler; uint8_t min, mag, s_mode, t_mode; };
struct mtl_create_texture {
	uint32_t tex; uint16_t width, height;
	uint8_t pixel_format, type, sample_count, usage;
};
struct mtl_upload_texture {
	uint32_t tex; uint16_t x, y, w, h; uint32_t bytes_per_row;
	const uint8_t *pixels; uint32_t pixels_len; /* everything after the 16-byte prefix */
};
struct mtl_bind_host_texture { uint32_t guest_tex, host_handle; };
struct mtl_handle_arg { uint32_t handle; }; /* DESTROY_OBJECT, SET_*_PIPELINE, SET_DEPTH_STENCIL_STATE */
struct mtl_begin_render_pass {
	uint32_t color, resolve, stencil;
	uint8_t load, store, stencil_load, stencil_store;
	float clear[4];     /* r, g, b, a */
	uint8_t has_alpha;  /* 0 for the 28-byte form (alpha = 1.0) */
};
struct mtl_set_stencil_ref { uint32_t value; };
struct mtl_set_scissor { uint16_t x, y, w, h; };
struct mtl_set_bytes { uint8_t index; uint32_t len; const uint8_t *data; }; /* vertex, fragment, compute */
struct mtl_set_texture { uint32_t tex; uint8_t index; };                    /* fragment, compute */
struct mtl_set_sampler { uint32_t sampler; uint8_t index; };
struct mtl_draw_primitives { uint8_t primitive; uint32_t start, count; };
struct mtl_dispatch_threads { uint16_t grid[3], threadgroup[3]; };
struct mtl_copy_texture_region {
	uint32_t src, dst;
	uint16_t src_x, src_y, w, h, dst_x, dst_y;
};
struct mtl_present { uint32_t frame_id; };
struct mtl_set_cursor_image {
	uint16_t w, h; int16_t hot_x, hot_y;
	const uint8_t *pixels; uint32_t pixels_len; /* everything after the 8-byte prefix */
};
struct mtl_set_cursor_position { float x, y; };
struct mtl_set_cursor_visible { uint8_t visible; };
struct mtl_set_cursor_from_texture { uint32_t tex; uint16_t w, h; int16_t hot_x, hot_y; };

struct mtl_cmd {
	size_t offset;            /* of the header, from the start of the buffer */
	uint16_t method;
	uint16_t flags;
	uint32_t payload_size;
	const uint8_t *payload;   /* payload_size bytes, inside the caller's buffer */
	enum mtl_status status;   /* MTL_OK or the error this command has */
	size_t error_offset;      /* byte offset of the offending field when status < 0 */
	/*
	 * 1 when the typed fields below were decoded. True for MTL_OK, and also
	 * for a payload longer than a fixed-size method needs (status
	 * MTL_ERR_PAYLOAD_SIZE): the reference host reads its fields and ignores
	 * the rest, and a lenient replay does the same. A payload shorter than
	 * its fields is never decoded (the reference host ignores it).
	 */
	int fields_valid;
	union {
		struct mtl_compile_library compile_library;
		struct mtl_get_function get_function;
		struct mtl_create_render_pipeline create_render_pipeline;
		struct mtl_create_compute_pipeline create_compute_pipeline;
		struct mtl_create_depth_stencil_state create_depth_stencil_state;
		struct mtl_create_sampler create_sampler;
		struct mtl_create_texture create_texture;
		struct mtl_upload_texture upload_texture;
		struct mtl_bind_host_texture bind_host_texture;
		struct mtl_handle_arg handle; /* DESTROY_OBJECT, SET_RENDER/COMPUTE_PIPELINE, SET_DEPTH_STENCIL_STATE */
		struct mtl_begin_render_pass begin_render_pass;
		struct mtl_set_stencil_ref set_stencil_ref;
		struct mtl_set_scissor set_scissor;
		struct mtl_set_bytes set_bytes;
		struct mtl_set_texture set_texture;
		struct mtl_set_sampler set_sampler;
		struct mtl_draw_primitives draw;
		struct mtl_dispatch_threads dispatch;
		struct mtl_copy_texture_region copy;
		struct mtl_present present;
		struct mtl_set_cursor_image cursor_image;
		struct mtl_set_cursor_position cursor_position;
		struct mtl_set_cursor_visible cursor_visible;
		struct mtl_set_cursor_from_texture cursor_from_texture;
	} u;
};

struct mtl_decoder {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int stopped; /* set after an error that makes resynchronisation unsafe */
};

void mtl_decoder_init(struct mtl_decoder *d, const void *buf, size_t len);

/*
 * Decode the next command into *cmd. Returns MTL_END when the buffer is
 * exhausted (or the decoder has stopped), otherwise cmd->status: MTL_OK or
 * a negative error. For MTL_ERR_TRUNCATED_HEADER and MTL_ERR_PAYLOAD_PAST_END
 * the decoder stops; for the other errors it has already advanced to the
 * next header.
 */
enum mtl_status mtl_decoder_next(struct mtl_decoder *d, struct mtl_cmd *cmd);

/*
 * Decode one command whose header starts at buf (len bytes available).
 * Same rules as mtl_decoder_next; cmd->offset is 0.
 */
enum mtl_status mtl_decode_one(const void *buf, size_t len, struct mtl_cmd *cmd);

/* Names both ways. NULL / -1 when unknown. Names are the upper-case
 * identifiers of DESIGN §3 ("COMPILE_LIBRARY", "PRESENT_AND_COMMIT"). */
const char *mtl_method_name(uint16_t method);
int mtl_method_from_name(const char *name); /* case-insensitive */
/* Dense index 0..MTL_METHOD_COUNT-1 for per-method tables, -1 if unknown. */
int mtl_method_index(uint16_t method);
uint16_t mtl_method_at(int index);

/* Enum value names in Metal's spelling ("bgra8Unorm_srgb", "clear",
 * "lessEqual", "incrementWrap", "mirrorRepeat", "triangleStrip"); NULL when
 * out of range. The *_from_name functions return -1 when unknown. */
const char *mtl_pixel_format_name(unsigned v);
int mtl_pixel_format_from_name(const char *s);
const char *mtl_load_action_name(unsigned v);
int mtl_load_action_from_name(const char *s);
const char *mtl_store_action_name(unsigned v);
int mtl_store_action_from_name(const char *s);
const char *mtl_compare_name(unsigned v);
int mtl_compare_from_name(const char *s);
const char *mtl_stencil_op_name(unsigned v);
int mtl_stencil_op_from_name(const char *s);
const char *mtl_filter_name(unsigned v);
int mtl_filter_from_name(const char *s);
const char *mtl_address_mode_name(unsigned v);
int mtl_address_mode_from_name(const char *s);
const char *mtl_primitive_name(unsigned v);
int mtl_primitive_from_name(const char *s);
const char *mtl_texture_type_name(unsigned v);
int mtl_texture_type_from_name(const char *s);

/* Bytes per pixel of a format (0 when unknown); 1 for stencil8. */
unsigned mtl_pixel_format_bytes(unsigned format);

#endif
