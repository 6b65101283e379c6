/*
 * test_decoder_errors.c — every decoder error with its exact error_offset,
 * the fields_valid rule, and resynchronisation: which errors let the
 * decoder go on to the next header and which stop it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"

static uint8_t buf[4096];

static struct mtl_encoder enc(void)
{
	struct mtl_encoder e;
	memset(buf, 0, sizeof buf);
	mtl_enc_init(&e, buf, sizeof buf);
	return e;
}

/*
 * Decode METHOD with a raw payload of N bytes as the middle of three
 * commands: END_RENDER_PASS before it (so its header is at offset 8 and its
 * payload at 16) and END_BLIT_PASS after it. Returns its status with *c
 * filled, having checked that the decoder then goes on to the END_BLIT_PASS:
 * every error this is used for lets it resynchronise.
 */
static enum mtl_status decode_framed(uint16_t method, const void *payload, uint32_t n, struct mtl_cmd *c)
{
	struct mtl_encoder e = enc();
	mtl_enc_end_render_pass(&e);
	mtl_enc_raw(&e, method, 0, payload, n);
	mtl_enc_end_blit_pass(&e);
	struct mtl_decoder d;
	mtl_decoder_init(&d, buf, e.len);
	assert_int_equal(mtl_decoder_next(&d, c), MTL_OK);
	enum mtl_status s = mtl_decoder_next(&d, c);
	struct mtl_cmd after;
	assert_int_equal(mtl_decoder_next(&d, &after), MTL_OK); /* resynchronised */
	assert_int_equal(after.method, MTL_CMD_END_BLIT_PASS);
	return s;
}

/* Decode the whole buffer and return the statuses in order (MTL_END last). */
static int walk(const uint8_t *b, size_t len, enum mtl_status *out, size_t *offsets, int max)
{
	struct mtl_decoder d;
	struct mtl_cmd c;
	mtl_decoder_init(&d, b, len);
	int n = 0;
	for (;;) {
		enum mtl_status s = mtl_decoder_next(&d, &c);
		assert_true(n < max);
		out[n] = s;
		if (offsets)
			offsets[n] = s == MTL_END ? (size_t)-1 : c.offset;
		n++;
		if (s == MTL_END)
			return n;
	}
}

static void empty_buffer(void **state)
{
	(void)state;
	struct mtl_cmd c;
	struct mtl_decoder d;
	mtl_decoder_init(&d, buf, 0);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
	mtl_decoder_init(&d, NULL, 100);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
	assert_int_equal(mtl_decode_one(buf, 0, &c), MTL_END);
}

static void truncated_header(void **state)
{
	(void)state;
	struct mtl_encoder e = enc();
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, 4);
	/* cut the second header after 1..7 bytes */
	for (size_t cut = 1; cut < 8; cut++) {
		struct mtl_decoder d;
		struct mtl_cmd c;
		mtl_decoder_init(&d, buf, 8 + cut);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_ERR_TRUNCATED_HEADER);
		assert_int_equal(c.status, MTL_ERR_TRUNCATED_HEADER);
		assert_int_equal(c.offset, 8);
		assert_int_equal(c.error_offset, 8);
		assert_false(c.fields_valid);
		/* the decoder has stopped */
		assert_true(d.stopped);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
	}
	struct mtl_cmd c;
	assert_int_equal(mtl_decode_one(buf, 7, &c), MTL_ERR_TRUNCATED_HEADER);
	assert_int_equal(c.error_offset, 0);
}

static void payload_past_end(void **state)
{
	(void)state;
	struct mtl_encoder e = enc();
	mtl_enc_set_scissor(&e, 1, 2, 3, 4);        /* 0..15 */
	mtl_enc_create_sampler(&e, 1, 0, 0, 0, 0); /* 16..31 */
	for (size_t len = 24; len < 32; len++) {
		struct mtl_decoder d;
		struct mtl_cmd c;
		mtl_decoder_init(&d, buf, len);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_ERR_PAYLOAD_PAST_END);
		assert_int_equal(c.offset, 16);
		assert_int_equal(c.error_offset, 16 + 4); /* the payload_size field */
		assert_int_equal(c.method, MTL_CMD_CREATE_SAMPLER);
		assert_int_equal(c.payload_size, 8);
		assert_false(c.fields_valid);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
	}
	/* a huge payload_size must not wrap around */
	uint8_t h[16] = { 0x01, 0x00, 0, 0, 0xF8, 0xFF, 0xFF, 0xFF };
	struct mtl_cmd c;
	assert_int_equal(mtl_decode_one(h, sizeof h, &c), MTL_ERR_PAYLOAD_PAST_END);
	assert_int_equal(c.error_offset, 4);
	assert_int_equal(c.payload_size, 0xFFFFFFF8u);
}

static void nonzero_flags(void **state)
{
	(void)state;
	struct mtl_encoder e = enc();
	mtl_enc_end_render_pass(&e);                        /* 0 */
	uint8_t p[4] = { 7, 0, 0, 0 };
	mtl_enc_raw(&e, MTL_CMD_PRESENT_AND_COMMIT, 0x8000, p, 4); /* 8 */
	mtl_enc_end_blit_pass(&e);                          /* 20 */
	struct mtl_decoder d;
	struct mtl_cmd c;
	mtl_decoder_init(&d, buf, e.len);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_ERR_FLAGS);
	assert_int_equal(c.offset, 8);
	assert_int_equal(c.error_offset, 8 + 2);
	assert_int_equal(c.flags, 0x8000);
	assert_false(c.fields_valid);
	/* resynchronised: the next command follows */
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
	assert_int_equal(c.offset, 20);
	assert_int_equal(c.method, MTL_CMD_END_BLIT_PASS);
	assert_int_equal(mtl_decoder_next(&d, &c), MTL_END);
}

static void unknown_method(void **state)
{
	(void)state;
	static const uint16_t unknown[] = { 0x0000, 0x0003, 0x00FE, 0x0102, 0x0F14, 0x1000, 0xFFFF };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		struct mtl_encoder e = enc();
		mtl_enc_set_stencil_ref(&e, 1);              /* 0..11 */
		mtl_enc_raw(&e, unknown[i], 0, NULL, 5);     /* 12..24 */
		mtl_enc_set_stencil_ref(&e, 2);              /* 25 */
		struct mtl_decoder d;
		struct mtl_cmd c;
		mtl_decoder_init(&d, buf, e.len);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_ERR_UNKNOWN_METHOD);
		assert_int_equal(c.offset, 12);
		assert_int_equal(c.error_offset, 12);
		assert_int_equal(c.method, unknown[i]);
		assert_false(c.fields_valid);
		assert_int_equal(mtl_decoder_next(&d, &c), MTL_OK);
		assert_int_equal(c.offset, 25);
		assert_int_equal(c.u.set_stencil_ref.value, 2);
	}
}

/* flags are checked before the method: a bad-flags unknown method reports flags */
static void flags_before_method(void **state)
{
	(void)state;
	struct mtl_encoder e = enc();
	mtl_enc_raw(&e, 0x7777, 1, NULL, 0);
	struct mtl_cmd c;
	assert_int_equal(mtl_decode_one(buf, e.len, &c), MTL_ERR_FLAGS);
	assert_int_equal(c.error_offset, 2);
}

/* Every fixed-size method: one byte short is not decoded, one byte long is
 * decoded (as the reference host reads its fields and ignores the rest). */
static void fixed_sizes(void **state)
{
	(void)state;
	static const struct {
		uint16_t method;
		uint32_t size;
	} fixed[] = {
		{ MTL_CMD_CREATE_RENDER_PIPELINE, 17 }, { MTL_CMD_CREATE_COMPUTE_PIPELINE, 8 },
		{ MTL_CMD_CREATE_SAMPLER, 8 },          { MTL_CMD_CREATE_TEXTURE, 12 },
		{ MTL_CMD_BIND_HOST_TEXTURE, 8 },       { MTL_CMD_DESTROY_OBJECT, 4 },
		{ MTL_CMD_END_RENDER_PASS, 0 },         { MTL_CMD_SET_RENDER_PIPELINE, 4 },
		{ MTL_CMD_SET_DEPTH_STENCIL_STATE, 4 }, { MTL_CMD_SET_STENCIL_REF, 4 },
		{ MTL_CMD_SET_SCISSOR, 8 },             { MTL_CMD_SET_FRAGMENT_TEXTURE, 8 },
		{ MTL_CMD_SET_FRAGMENT_SAMPLER, 8 },    { MTL_CMD_DRAW_PRIMITIVES, 12 },
		{ MTL_CMD_BEGIN_COMPUTE_PASS, 0 },      { MTL_CMD_END_COMPUTE_PASS, 0 },
		{ MTL_CMD_SET_COMPUTE_PIPELINE, 4 },    { MTL_CMD_SET_COMPUTE_TEXTURE, 8 },
		{ MTL_CMD_DISPATCH_THREADS, 12 },       { MTL_CMD_BEGIN_BLIT_PASS, 0 },
		{ MTL_CMD_END_BLIT_PASS, 0 },           { MTL_CMD_COPY_TEXTURE_REGION, 24 },
		{ MTL_CMD_PRESENT_AND_COMMIT, 4 },      { MTL_CMD_SET_CURSOR_POSITION, 8 },
		{ MTL_CMD_SET_CURSOR_VISIBLE, 1 },      { MTL_CMD_SET_CURSOR_FROM_TEXTURE, 12 },
	};
	uint8_t payload[64];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(0x10 + i);
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		uint16_t m = fixed[i].method;
		uint32_t n = fixed[i].size;
		struct mtl_cmd c;
		/* exact */
		assert_int_equal(decode_framed(m, payload, n, &c), MTL_OK);
		assert_true(c.fields_valid);
		/* one byte long */
		assert_int_equal(decode_framed(m, payload, n + 1, &c), MTL_ERR_PAYLOAD_SIZE);
		assert_int_equal(c.error_offset, 8 + 4);
		assert_true(c.fields_valid);
		assert_int_equal(c.payload_size, n + 1);
		/* one byte short */
		if (n == 0)
			continue;
		assert_int_equal(decode_framed(m, payload, n - 1, &c), MTL_ERR_PAYLOAD_SIZE);
		assert_int_equal(c.error_offset, 8 + 4);
		assert_false(c.fields_valid);
	}
}

/* An over-long fixed payload decodes the leading fields. */
static void long_payload_fields(void **state)
{
	(void)state;
	uint8_t p[10] = { 0x78, 0x56, 0x34, 0x12, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE };
	struct mtl_encoder e = enc();
	mtl_enc_raw(&e, MTL_CMD_PRESENT_AND_COMMIT, 0, p, sizeof p);
	struct mtl_cmd c;
	assert_int_equal(mtl_decode_one(buf, e.len, &c), MTL_ERR_PAYLOAD_SIZE);
	assert_true(c.fields_valid);
	assert_int_equal(c.u.present.frame_id, 0x12345678);
}

static void begin_render_pass_sizes(void **state)
{
	(void)state;
	uint8_t p[40];
	float one = 1.0f, half = 0.5f;
	memset(p, 0, sizeof p);
	mtl_wr32(p, 0xFFFFFFFF);
	p[12] = MTL_LOAD_CLEAR;
	memcpy(p + 16, &half, 4);
	memcpy(p + 28, &half, 4);
	memcpy(p + 32, &one, 4);
	for (uint32_t n = 0; n <= 36; n++) {
		struct mtl_encoder e = enc();
		mtl_enc_raw(&e, MTL_CMD_BEGIN_RENDER_PASS, 0, p, n);
		struct mtl_cmd c;
		enum mtl_status s = mtl_decode_one(buf, e.len, &c);
		if (n == 28 || n == 32)
			assert_int_equal(s, MTL_OK);
		else {
			assert_int_equal(s, MTL_ERR_PAYLOAD_SIZE);
			assert_int_equal(c.error_offset, 4);
		}
		assert_int_equal(c.fields_valid, n >= 28);
		if (n < 28)
			continue;
		assert_int_equal(c.u.begin_render_pass.color, 0xFFFFFFFF);
		assert_int_equal(c.u.begin_render_pass.load, MTL_LOAD_CLEAR);
		assert_true(c.u.begin_render_pass.clear[0] == 0.5f);
		/* 28..31 bytes: the short form (alpha 1.0); 32 and up: alpha read */
		assert_int_equal(c.u.begin_render_pass.has_alpha, n >= 32);
		assert_true(c.u.begin_render_pass.clear[3] == (n >= 32 ? 0.5f : 1.0f));
	}
}

static void depth_stencil_state_sizes(void **state)
{
	(void)state;
	uint8_t p[16] = { 9, 0, 0, 0, 1, MTL_COMPARE_EQUAL, MTL_STENCIL_REPLACE, MTL_STENCIL_KEEP,
			  MTL_COMPARE_LESS, MTL_STENCIL_INVERT, MTL_STENCIL_ZERO, 0, 0, 0, 0, 0 };
	for (uint32_t n = 0; n <= 14; n++) {
		struct mtl_encoder e = enc();
		mtl_enc_raw(&e, MTL_CMD_CREATE_DEPTH_STENCIL_STATE, 0, p, n);
		struct mtl_cmd c;
		enum mtl_status s = mtl_decode_one(buf, e.len, &c);
		assert_int_equal(s, (n == 8 || n == 12) ? MTL_OK : MTL_ERR_PAYLOAD_SIZE);
		if (s != MTL_OK)
			assert_int_equal(c.error_offset, 4);
		assert_int_equal(c.fields_valid, n >= 8);
		if (n < 8)
			continue;
		const struct mtl_create_depth_stencil_state *v = &c.u.create_depth_stencil_state;
		assert_int_equal(v->state, 9);
		assert_int_equal(v->front_compare, MTL_COMPARE_EQUAL);
		assert_int_equal(v->long_form, n >= 12);
		assert_int_equal(v->back_compare, n >= 12 ? MTL_COMPARE_LESS : MTL_COMPARE_EQUAL);
		assert_int_equal(v->back_pass_op, n >= 12 ? MTL_STENCIL_INVERT : MTL_STENCIL_REPLACE);
		assert_int_equal(v->back_fail_op, n >= 12 ? MTL_STENCIL_ZERO : MTL_STENCIL_KEEP);
	}
}

/* Methods with a length-prefixed tail: short prefix, inner length too
 * long, too short, and exact. `len_at` is the inner length's offset in the
 * payload. */
static void check_inner_length(uint16_t method, uint32_t prefix, uint32_t len_at)
{
	uint8_t p[64];
	for (size_t i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)('a' + i % 26);
	struct mtl_cmd c;

	/* payload shorter than the prefix */
	assert_int_equal(decode_framed(method, p, prefix - 1, &c), MTL_ERR_PAYLOAD_SIZE);
	assert_int_equal(c.error_offset, 8 + 4);
	assert_false(c.fields_valid);

	for (uint32_t tail = 0; tail < 8; tail++) {
		for (uint32_t inner = 0; inner < 10; inner++) {
			mtl_wr32(p + len_at, inner);
			enum mtl_status s = decode_framed(method, p, prefix + tail, &c);
			if (inner == tail) {
				assert_int_equal(s, MTL_OK);
				assert_true(c.fields_valid);
			} else {
				assert_int_equal(s, MTL_ERR_INNER_LENGTH);
				assert_int_equal(c.error_offset, 8 + 8 + len_at);
				/* a shorter inner length still lies inside the payload */
				assert_int_equal(c.fields_valid, inner < tail);
			}
			if (c.fields_valid) {
				const uint8_t *data;
				uint32_t len;
				if (method == MTL_CMD_COMPILE_LIBRARY) {
					data = c.u.compile_library.source;
					len = c.u.compile_library.len;
				} else if (method == MTL_CMD_GET_FUNCTION) {
					data = c.u.get_function.name;
					len = c.u.get_function.len;
				} else {
					data = c.u.set_bytes.data;
					len = c.u.set_bytes.len;
				}
				assert_int_equal(len, inner);
				assert_ptr_equal(data, buf + 16 + prefix);
				assert_true(data + len <= c.payload + c.payload_size);
			}
		}
	}
}

static void inner_lengths(void **state)
{
	(void)state;
	check_inner_length(MTL_CMD_COMPILE_LIBRARY, 8, 4);
	check_inner_length(MTL_CMD_GET_FUNCTION, 12, 8);
	check_inner_length(MTL_CMD_SET_VERTEX_BYTES, 8, 4);
	check_inner_length(MTL_CMD_SET_FRAGMENT_BYTES, 8, 4);
	check_inner_length(MTL_CMD_SET_COMPUTE_BYTES, 8, 4);
}

/* UPLOAD_TEXTURE and SET_CURSOR_IMAGE: a fixed prefix, the rest is pixels
 * whatever its size (the validator, not the decoder, compares sizes). */
static void pixel_tails(void **state)
{
	(void)state;
	uint8_t p[40] = { 0 };
	mtl_wr16(p, 16); /* cursor w = 16, h = 16 would need 1024 bytes */
	mtl_wr16(p + 2, 16);
	for (uint32_t n = 0; n < sizeof p; n++) {
		struct mtl_encoder e = enc();
		mtl_enc_raw(&e, MTL_CMD_SET_CURSOR_IMAGE, 0, p, n);
		struct mtl_cmd c;
		enum mtl_status s = mtl_decode_one(buf, e.len, &c);
		assert_int_equal(s, n >= 8 ? MTL_OK : MTL_ERR_PAYLOAD_SIZE);
		assert_int_equal(c.fields_valid, n >= 8);
		if (n >= 8) {
			assert_int_equal(c.u.cursor_image.w, 16);
			assert_int_equal(c.u.cursor_image.pixels_len, n - 8);
		} else {
			assert_int_equal(c.error_offset, 4);
		}

		e = enc();
		mtl_enc_raw(&e, MTL_CMD_UPLOAD_TEXTURE, 0, p, n);
		s = mtl_decode_one(buf, e.len, &c);
		assert_int_equal(s, n >= 16 ? MTL_OK : MTL_ERR_PAYLOAD_SIZE);
		if (n >= 16)
			assert_int_equal(c.u.upload_texture.pixels_len, n - 16);
		else
			assert_int_equal(c.error_offset, 4);
	}
}

/* A stream mixing every resynchronising error decodes every command; the
 * stopping errors end it. */
static void resync_stream(void **state)
{
	(void)state;
	struct mtl_encoder e = enc();
	uint8_t junk[8] = { 0 };
	size_t off[8];
	off[0] = e.len; mtl_enc_present_and_commit(&e, 0);
	off[1] = e.len; mtl_enc_raw(&e, MTL_CMD_DRAW_PRIMITIVES, 2, junk, 8);      /* flags */
	off[2] = e.len; mtl_enc_raw(&e, 0x4242, 0, junk, 3);                      /* unknown */
	off[3] = e.len; mtl_enc_raw(&e, MTL_CMD_SET_SCISSOR, 0, junk, 2);          /* size */
	mtl_wr32(junk + 4, 100);
	off[4] = e.len; mtl_enc_raw(&e, MTL_CMD_SET_VERTEX_BYTES, 0, junk, 8);     /* inner */
	off[5] = e.len; mtl_enc_present_and_commit(&e, 1);
	off[6] = e.len; mtl_enc_raw(&e, MTL_CMD_SET_STENCIL_REF, 0, junk, 4);
	/* make the last command's payload run past the end */
	mtl_wr32(buf + off[6] + 4, 5);
	enum mtl_status st[16];
	size_t at[16];
	int n = walk(buf, e.len, st, at, 16);
	static const enum mtl_status want[] = { MTL_OK, MTL_ERR_FLAGS, MTL_ERR_UNKNOWN_METHOD,
						MTL_ERR_PAYLOAD_SIZE, MTL_ERR_INNER_LENGTH, MTL_OK,
						MTL_ERR_PAYLOAD_PAST_END, MTL_END };
	assert_int_equal(n, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(st[i], want[i]);
		if (i < 7)
			assert_int_equal(at[i], off[i]);
	}

	/* a truncated header after good commands: everything before decodes */
	n = walk(buf, off[5] + 3, st, at, 16);
	assert_int_equal(n, 7);
	assert_int_equal(st[5], MTL_ERR_TRUNCATED_HEADER);
	assert_int_equal(at[5], off[5]);
	assert_int_equal(st[6], MTL_END);
}

/* Any byte string: the decoder ends within len/8 + 1 steps and its views
 * stay inside the buffer. A deterministic pseudo-random sweep. */
static void terminates_on_garbage(void **state)
{
	(void)state;
	uint32_t x = 0x9E3779B9u;
	static uint8_t g[512];
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(x % sizeof g);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* bias toward small method/size values so real methods appear */
			g[i] = (uint8_t)((i % 8 == 1 || i % 8 >= 5) ? (x & 1 ? 0 : x >> 24) : x >> 8);
		}
		struct mtl_decoder d;
		struct mtl_cmd c;
		mtl_decoder_init(&d, g, len);
		size_t steps = 0;
		while (mtl_decoder_next(&d, &c) != MTL_END) {
			steps++;
			assert_true(steps <= len / 8 + 1);
			assert_true(c.offset < len);
			if (c.status != MTL_ERR_TRUNCATED_HEADER && c.status != MTL_ERR_PAYLOAD_PAST_END)
				assert_true(c.payload + c.payload_size <= g + len);
		}
		x += (uint32_t)round;
	}
}

static void status_names(void **state)
{
	(void)state;
	static const enum mtl_status all[] = { MTL_OK, MTL_END, MTL_ERR_TRUNCATED_HEADER,
					       MTL_ERR_PAYLOAD_PAST_END, MTL_ERR_FLAGS,
					       MTL_ERR_UNKNOWN_METHOD, MTL_ERR_PAYLOAD_SIZE,
					       MTL_ERR_INNER_LENGTH };
	size_t n = sizeof all / sizeof all[0];
	for (size_t i = 0; i < n; i++) {
		assert_non_null(mtl_status_name(all[i]));
		assert_non_null(mtl_status_message(all[i]));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(mtl_status_name(all[i]), mtl_status_name(all[j]));
	}
	assert_string_equal(mtl_status_name(MTL_ERR_TRUNCATED_HEADER), "truncated-header");
	assert_string_equal(mtl_status_name(MTL_ERR_INNER_LENGTH), "inner-length");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_buffer),
		cmocka_unit_test(truncated_header),
		cmocka_unit_test(payload_past_end),
		cmocka_unit_test(nonzero_flags),
		cmocka_unit_test(unknown_method),
		cmocka_unit_test(flags_before_method),
		cmocka_unit_test(fixed_sizes),
		cmocka_unit_test(long_payload_fields),
		cmocka_unit_test(begin_render_pass_sizes),
		cmocka_unit_test(depth_stencil_state_sizes),
		cmocka_unit_test(inner_lengths),
		cmocka_unit_test(pixel_tails),
		cmocka_unit_test(resync_stream),
		cmocka_unit_test(terminates_on_garbage),
		cmocka_unit_test(status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
