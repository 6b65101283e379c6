/*
 * fuzz_decode.c — libFuzzer target for the command decoder.
 *
 * Decodes every command of arbitrary bytes and reads every byte of every
 * view it yields, so AddressSanitizer catches any view that strays outside
 * the input. Also asserts the decoder's promises: it ends within len/8 + 1
 * steps, offsets only grow, error offsets point inside the command's
 * header or payload, and fields_valid follows decode.h. Finally, every
 * command re-emitted with mtl_enc_command gives back its original bytes
 * (pad bytes of valid commands excepted: those are written as zero).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"

static volatile uint32_t sink;

static uint32_t touch(const uint8_t *p, size_t n)
{
	uint32_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = h * 31u + p[i];
	return h;
}

#define CHECK(cond)            \
	do {                   \
		if (!(cond))   \
			abort(); \
	} while (0)

static uint32_t touch_views(const struct mtl_cmd *c)
{
	switch (c->method) {
	case MTL_CMD_COMPILE_LIBRARY:
		return touch(c->u.compile_library.source, c->u.compile_library.len);
	case MTL_CMD_GET_FUNCTION:
		return touch(c->u.get_function.name, c->u.get_function.len);
	case MTL_CMD_UPLOAD_TEXTURE:
		return touch(c->u.upload_texture.pixels, c->u.upload_texture.pixels_len);
	case MTL_CMD_SET_VERTEX_BYTES:
	case MTL_CMD_SET_FRAGMENT_BYTES:
	case MTL_CMD_SET_COMPUTE_BYTES:
		return touch(c->u.set_bytes.data, c->u.set_bytes.len);
	case MTL_CMD_SET_CURSOR_IMAGE:
		return touch(c->u.cursor_image.pixels, c->u.cursor_image.pixels_len);
	default:
		return 0;
	}
}

/* Is payload byte i a pad of this (valid) command? */
static int is_pad(uint16_t method, uint32_t i)
{
	switch (method) {
	case MTL_CMD_SET_VERTEX_BYTES:
	case MTL_CMD_SET_FRAGMENT_BYTES:
	case MTL_CMD_SET_COMPUTE_BYTES:
	case MTL_CMD_DRAW_PRIMITIVES:
		return i >= 1 && i <= 3;
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		return i >= 5 && i <= 7;
	case MTL_CMD_COPY_TEXTURE_REGION:
		return i >= 20;
	case MTL_CMD_CREATE_DEPTH_STENCIL_STATE:
		return i == 11;
	default:
		return 0;
	}
}

static uint8_t scratch[1 << 20];

static void check_reemit(const struct mtl_cmd *c)
{
	struct mtl_encoder e;
	size_t n = MTL_HEADER_SIZE + (size_t)c->payload_size;
	if (n > sizeof scratch)
		return;
	mtl_enc_init(&e, scratch, sizeof scratch);
	CHECK(mtl_enc_command(&e, c) == n);
	const uint8_t *orig = c->payload - MTL_HEADER_SIZE;
	for (size_t i = 0; i < n; i++) {
		if (scratch[i] == orig[i])
			continue;
		CHECK(c->status == MTL_OK && i >= MTL_HEADER_SIZE &&
		      is_pad(c->method, (uint32_t)(i - MTL_HEADER_SIZE)) && scratch[i] == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mtl_decoder d;
	struct mtl_cmd c;
	enum mtl_status s;
	size_t steps = 0, last = 0;
	uint32_t h = 0;

	mtl_decoder_init(&d, data, size);
	while ((s = mtl_decoder_next(&d, &c)) != MTL_END) {
		steps++;
		CHECK(steps <= size / 8 + 1);
		CHECK(s == c.status);
		CHECK(c.offset < size);
		CHECK(steps == 1 || c.offset > last);
		last = c.offset;
		if (s == MTL_ERR_TRUNCATED_HEADER) {
			CHECK(size - c.offset < MTL_HEADER_SIZE);
			CHECK(c.error_offset == c.offset && !c.fields_valid);
			continue;
		}
		if (s == MTL_ERR_PAYLOAD_PAST_END) {
			CHECK(c.payload_size > size - c.offset - MTL_HEADER_SIZE && !c.fields_valid);
			continue;
		}
		/* the payload is inside the buffer: read all of it */
		CHECK(c.payload == data + c.offset + MTL_HEADER_SIZE);
		h += touch(c.payload, c.payload_size);
		if (s < 0)
			CHECK(c.error_offset >= c.offset &&
			      c.error_offset < c.offset + MTL_HEADER_SIZE + c.payload_size + 4);
		if (s == MTL_OK)
			CHECK(c.fields_valid);
		if (s == MTL_ERR_FLAGS || s == MTL_ERR_UNKNOWN_METHOD)
			CHECK(!c.fields_valid);
		if (s == MTL_ERR_UNKNOWN_METHOD)
			CHECK(mtl_method_name(c.method) == NULL);
		if (s == MTL_OK || s == MTL_ERR_PAYLOAD_SIZE || s == MTL_ERR_INNER_LENGTH)
			CHECK(mtl_method_name(c.method) != NULL);
		if (c.fields_valid)
			h += touch_views(&c);
		check_reemit(&c);
	}
	/* once ended, it stays ended */
	CHECK(mtl_decoder_next(&d, &c) == MTL_END);

	/* the single-command entry point agrees with the walker on the first command */
	if (size) {
		struct mtl_cmd first;
		mtl_decoder_init(&d, data, size);
		s = mtl_decoder_next(&d, &c);
		CHECK(mtl_decode_one(data, size, &first) == s);
		CHECK(first.offset == 0 && first.error_offset == c.error_offset);
	}
	sink = h;
	return 0;
}
