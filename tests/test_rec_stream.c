/*
 * tests/test_rec_stream.c — the tools' shared input layer (tools/common):
 * raw splitting into submissions as `mtlrec pack` does, malformed and
 * trailing bytes, the same items from a raw file and from its recording,
 * seeking to every frame in both, argument parsing and JSON escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mtlproto/encode.h"
#include "stream.h"

#include "common/files.h"

static void test_parse_helpers(void **state)
{
	(void)state;
	uint32_t w, h;
	assert_int_equal(tool_parse_resolution("1024x768", &w, &h), 0);
	assert_int_equal(w, 1024);
	assert_int_equal(h, 768);
	assert_int_equal(tool_parse_resolution("640X480", &w, &h), 0);
	assert_int_equal(tool_parse_resolution("0x5", &w, &h), -1);
	assert_int_equal(tool_parse_resolution("10by10", &w, &h), -1);
	assert_int_equal(tool_parse_resolution("x5", &w, &h), -1);
	assert_int_equal(tool_parse_resolution("70000x1", &w, &h), -1);
	assert_int_equal(tool_parse_resolution("5x", &w, &h), -1);
	assert_int_equal(tool_parse_resolution("-5x5", &w, &h), -1);

	uint64_t a, b;
	assert_int_equal(tool_parse_frame_range("2-5", &a, &b), 0);
	assert_int_equal(a, 2);
	assert_int_equal(b, 5);
	assert_int_equal(tool_parse_frame_range("3", &a, &b), 0);
	assert_int_equal(a, 3);
	assert_int_equal(b, 3);
	assert_int_equal(tool_parse_frame_range("4-", &a, &b), 0);
	assert_int_equal(a, 4);
	assert_true(b == UINT64_MAX);
	assert_int_equal(tool_parse_frame_range("-7", &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 7);
	assert_int_equal(tool_parse_frame_range("5-2", &a, &b), -1);
	assert_int_equal(tool_parse_frame_range("", &a, &b), -1);
	assert_int_equal(tool_parse_frame_range("-", &a, &b), -1);
	assert_int_equal(tool_parse_frame_range("a-b", &a, &b), -1);
	assert_int_equal(tool_parse_frame_range("1-2-3", &a, &b), -1);
	assert_int_equal(tool_parse_frame_range("99999999999999999999", &a, &b), -1);
}

static void test_json_escaping(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	const char in[] = "a\"b\\c\n\t\x01 \xc3\xa9 \xff\xc3";
	tool_json_write_string(f, in, sizeof in - 1);
	fputc(' ', f);
	struct tool_json j;
	tool_json_begin(&j, f);
	tool_json_key_u64(&j, "n", 7);
	tool_json_key_str(&j, "s", NULL);
	tool_json_key_double(&j, "d", 0.5);
	tool_json_key_bool(&j, "t", 1);
	tool_json_end(&j);
	fclose(f);
	assert_string_equal(out, "\"a\\\"b\\\\c\\n\\t\\u0001 \xc3\xa9 \\u00ff\\u00c3\" {\"n\":7,\"s\":null,\"d\":0.5,\"t\":true}");
	free(out);
}

/* A raw stream with known structure (see the expectations below). */
static size_t build_raw(uint8_t *buf, size_t cap)
{
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, cap);
	mtl_enc_create_texture(&e, 5, 16, 16, 2, 0, 1, 1);             /* sub 0, q0 */
	mtl_enc_create_sampler(&e, 6, 0, 0, 0, 0);                     /* sub 0, q0 */
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1); /* sub 1 */
	mtl_enc_end_render_pass(&e);                                   /* sub 1 */
	mtl_enc_present_and_commit(&e, 0);                             /* sub 1: ends it */
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1); /* sub 2 */
	mtl_enc_raw(&e, MTL_CMD_SET_STENCIL_REF, 1, "\0\0\0\0", 4);    /* sub 2: bad flags */
	mtl_enc_end_render_pass(&e);                                   /* sub 2 */
	mtl_enc_present_and_commit(&e, 1);                             /* sub 2 */
	mtl_enc_destroy_object(&e, 5);                                 /* sub 3, q0 */
	assert_false(mtl_enc_overflowed(&e));
	/* a trailing partial command: stays in sub 3 */
	uint8_t part[6] = {0x30, 0x01, 0, 0, 12, 0};
	memcpy(buf + e.len, part, sizeof part);
	return e.len + sizeof part;
}

struct seen {
	int kind;
	uint32_t frame;
	uint64_t index, submission, offset;
	uint8_t queue;
	uint16_t method;
	int status;
	uint32_t size;
};

static size_t collect(struct mtl_stream *s, struct seen *out, size_t max)
{
	struct mtl_stream_item it;
	char err[256];
	size_t n = 0;
	int rc;
	while ((rc = mtl_stream_next(s, &it, err, sizeof err)) == 1) {
		assert_true(n < max);
		out[n].kind = it.kind;
		out[n].frame = it.frame;
		out[n].index = it.index;
		out[n].submission = it.submission;
		out[n].offset = it.offset;
		out[n].queue = it.queue;
		out[n].method = it.kind == MTL_STREAM_COMMAND ? it.cmd.method : 0;
		out[n].status = it.kind == MTL_STREAM_COMMAND ? (int)it.cmd.status : 0;
		out[n].size = it.kind == MTL_STREAM_COMMAND ? it.cmd_size : it.len;
		n++;
	}
	assert_int_equal(rc, 0);
	return n;
}

static void test_raw_splitting(void **state)
{
	(void)state;
	uint8_t buf[4096];
	size_t len = build_raw(buf, sizeof buf);
	char path[64], err[256];
	test_tmp_file(path, sizeof path, "test_rec_stream");
	test_write_file(path, buf, len);
	struct mtl_stream *s = mtl_stream_open(path, NULL, err, sizeof err);
	assert_non_null(s);
	assert_false(mtl_stream_is_recording(s));
	assert_null(mtl_stream_rec_info(s));
	assert_int_equal(mtl_stream_display(s)->width, 1024);
	assert_int_equal(mtl_stream_display(s)->height, 768);
	assert_int_equal(mtl_stream_display(s)->has_display, 0);
	struct seen v[64];
	size_t n = collect(s, v, 64);
	/* 4 submissions + 11 commands */
	assert_int_equal(n, 15);
	static const int kinds[15] = {1, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 2, 1, 2, 2};
	static const uint8_t queues[15] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
	static const uint32_t frames[15] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2};
	uint64_t pos = 0, idx = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].kind, kinds[i]);
		assert_int_equal(v[i].queue, queues[i]);
		assert_int_equal(v[i].frame, frames[i]);
		if (v[i].kind == MTL_STREAM_COMMAND) {
			assert_int_equal(v[i].offset, pos); /* raw offsets are file offsets */
			assert_int_equal(v[i].index, idx);
			pos += v[i].size;
			idx++;
		}
	}
	assert_int_equal(pos, len); /* the commands tile the file */
	assert_int_equal(v[9].status, MTL_ERR_FLAGS);
	assert_int_equal(v[14].status, MTL_ERR_TRUNCATED_HEADER);
	assert_int_equal(v[14].size, 6);
	assert_int_equal(v[14].submission, 3);
	mtl_stream_close(s);

	/* --raw on a file that happens to start with the magic */
	memcpy(buf, "MTLREC\r\n", 8);
	test_write_file(path, buf, 8);
	struct mtl_stream_options opt;
	mtl_stream_options_init(&opt);
	opt.force_raw = 1;
	s = mtl_stream_open(path, &opt, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(collect(s, v, 64), 2); /* one submission, one malformed command */
	mtl_stream_close(s);
	/* without --raw it is a recording with a cut header: refused, named */
	assert_null(mtl_stream_open(path, NULL, err, sizeof err));
	assert_non_null(strstr(err, path));
	unlink(path);

	assert_null(mtl_stream_open("/nonexistent/in.bin", NULL, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/in.bin"));
}

/* Pack a raw file through the writer the way `mtlrec pack` does. */
static void pack(const char *raw, const char *rec)
{
	char err[256];
	struct mtl_stream *s = mtl_stream_open(raw, NULL, err, sizeof err);
	assert_non_null(s);
	struct mtlrec_writer_options wo = {0};
	wo.chunk_target = 512;
	wo.key_interval = 2048;
	struct mtlrec_writer *w = mtlrec_writer_open(rec, mtl_stream_display(s), &wo, err, sizeof err);
	assert_non_null(w);
	struct mtl_stream_item it;
	while (mtl_stream_next(s, &it, err, sizeof err) == 1) {
		if (it.kind == MTL_STREAM_SUBMISSION)
			assert_int_equal(mtlrec_writer_add(w, it.queue, MTLREC_SUBMISSION, it.frame, it.bytes, it.len), 0);
	}
	assert_int_equal(mtlrec_writer_close(w, err, sizeof err), 0);
	mtl_stream_close(s);
}

static void check_seeks(const char *path, const struct seen *all, size_t n)
{
	char err[256];
	struct mtl_stream *s = mtl_stream_open(path, NULL, err, sizeof err);
	assert_non_null(s);
	uint32_t maxf = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].kind == MTL_STREAM_COMMAND && all[i].frame > maxf)
			maxf = all[i].frame;
	for (uint32_t f = 0; f <= maxf + 1; f++) {
		/* the first command of frame f, by the sequential walk */
		const struct seen *want = NULL;
		for (size_t i = 0; i < n && !want; i++)
			if (all[i].kind == MTL_STREAM_COMMAND && all[i].frame == f)
				want = &all[i];
		int rc = mtl_stream_seek_frame(s, f, err, sizeof err);
		if (!want) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		struct mtl_stream_item it;
		assert_int_equal(mtl_stream_next(s, &it, err, sizeof err), 1);
		assert_int_equal(it.kind, MTL_STREAM_SUBMISSION);
		assert_int_equal(it.submission, want->submission);
		assert_int_equal(mtl_stream_next(s, &it, err, sizeof err), 1);
		assert_int_equal(it.kind, MTL_STREAM_COMMAND);
		assert_int_equal(it.frame, f);
		assert_int_equal(it.index, want->index);
		assert_int_equal(it.offset, want->offset);
		assert_int_equal(it.submission, want->submission);
	}
	mtl_stream_close(s);
}

static void test_raw_and_recording_agree(void **state)
{
	(void)state;
	/* many frames, several presents, setup in between, a tail */
	size_t cap = 1 << 20;
	uint8_t *buf = malloc(cap);
	assert_non_null(buf);
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, cap);
	for (int f = 0; f < 200; f++) {
		if (f % 9 == 0)
			mtl_enc_create_texture(&e, (uint32_t)(100 + f), 8, 8, 2, 0, 1, 1);
		mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, 2, 1, 0, 0, 0, 0, 0, 1);
		float v[8] = {(float)f, 1, 2, 3, 4, 5, 6, 7};
		mtl_enc_set_vertex_bytes(&e, 0, v, sizeof v);
		mtl_enc_draw_primitives(&e, 0, 0, 3);
		mtl_enc_end_render_pass(&e);
		mtl_enc_present_and_commit(&e, (uint32_t)f);
	}
	mtl_enc_set_cursor_visible(&e, 1);
	assert_false(mtl_enc_overflowed(&e));
	size_t len = e.len;
	buf[len++] = 0x00; /* a 3-byte tail */
	buf[len++] = 0x01;
	buf[len++] = 0x00;
	char raw[64], rec[64];
	test_tmp_file(raw, sizeof raw, "test_rec_stream");
	test_tmp_file(rec, sizeof rec, "test_rec_stream");
	test_write_file(raw, buf, len);
	pack(raw, rec);

	char err[256];
	struct seen *a = calloc(4096, sizeof *a), *b = calloc(4096, sizeof *b);
	assert_non_null(a);
	assert_non_null(b);
	struct mtl_stream *s = mtl_stream_open(raw, NULL, err, sizeof err);
	assert_non_null(s);
	size_t na = collect(s, a, 4096);
	mtl_stream_close(s);
	s = mtl_stream_open(rec, NULL, err, sizeof err);
	assert_non_null(s);
	assert_true(mtl_stream_is_recording(s));
	assert_non_null(mtl_stream_rec_info(s));
	assert_true(mtl_stream_rec_info(s)->chunks > 5);
	size_t nb = collect(s, b, 4096);
	/* rewind gives the same again */
	assert_int_equal(mtl_stream_rewind(s, err, sizeof err), 0);
	assert_int_equal(collect(s, b, 4096), nb);
	mtl_stream_close(s);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(a[i].kind, b[i].kind);
		assert_int_equal(a[i].frame, b[i].frame);
		assert_int_equal(a[i].index, b[i].index);
		assert_int_equal(a[i].submission, b[i].submission);
		assert_int_equal(a[i].queue, b[i].queue);
		assert_int_equal(a[i].method, b[i].method);
		assert_int_equal(a[i].status, b[i].status);
		assert_int_equal(a[i].size, b[i].size);
	}
	check_seeks(raw, a, na);
	check_seeks(rec, b, nb);
	unlink(raw);
	unlink(rec);
	free(a);
	free(b);
	free(buf);
}

/* Arbitrary bytes as raw input: the commands always tile the file exactly,
 * in order, and every byte lands in exactly one submission. */
static void test_random_raw_tiles(void **state)
{
	(void)state;
	char path[64], err[256];
	test_tmp_file(path, sizeof path, "test_rec_stream");
	uint64_t x = 0x1234567887654321ull;
	uint8_t buf[2048];
	for (int round = 0; round < 300; round++) {
		size_t len = 0;
		/* mostly plausible headers with small payloads, some noise */
		while (len + 8 < sizeof buf) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			uint16_t methods[6] = {0x0001, 0x0020, 0x0100, 0x0F00, 0x0130, (uint16_t)x};
			uint32_t ps = (uint32_t)(x >> 16) % 40;
			if ((x >> 40) % 23 == 0)
				ps = (uint32_t)(x >> 8); /* a payload size that runs past the end */
			mtl_wr16(buf + len, methods[(x >> 32) % 6]);
			mtl_wr16(buf + len + 2, (x >> 50) % 17 == 0 ? 1 : 0);
			mtl_wr32(buf + len + 4, ps);
			len += 8;
			size_t take = ps < sizeof buf - len ? ps : sizeof buf - len;
			memset(buf + len, (int)(x >> 56), take);
			len += take;
			if ((x >> 20) % 11 == 0)
				break;
		}
		len -= (size_t)(x % 5); /* maybe cut the last command */
		test_write_file(path, buf, len);
		struct mtl_stream *s = mtl_stream_open(path, NULL, err, sizeof err);
		assert_non_null(s);
		struct mtl_stream_item it;
		uint64_t pos = 0, sub_pos = 0, subs = 0, idx = 0;
		int rc;
		while ((rc = mtl_stream_next(s, &it, err, sizeof err)) == 1) {
			if (it.kind == MTL_STREAM_SUBMISSION) {
				assert_int_equal(it.offset, sub_pos);
				assert_int_equal(it.submission, subs);
				assert_true(it.len > 0);
				sub_pos += it.len;
				subs++;
			} else {
				assert_int_equal(it.kind, MTL_STREAM_COMMAND);
				assert_int_equal(it.offset, pos);
				assert_int_equal(it.index, idx);
				assert_memory_equal(it.bytes, buf + pos, it.cmd_size);
				pos += it.cmd_size;
				idx++;
			}
		}
		assert_int_equal(rc, 0);
		assert_int_equal(pos, len);
		assert_int_equal(sub_pos, len);
		mtl_stream_close(s);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_helpers),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_raw_splitting),
		cmocka_unit_test(test_raw_and_recording_agree),
		cmocka_unit_test(test_random_raw_tiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
