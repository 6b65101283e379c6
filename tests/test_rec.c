/*
 * tests/test_rec.c — the .mtlrec writer and reader: round trips across many
 * chunks (key and dependent), unknown record kinds, seeking to every frame,
 * a recording cut at every byte, every byte corrupted, wrong magic, newer
 * version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "mtlproto/encode.h"
#include "mtlproto/rec.h"

#include "common/files.h"

struct rec_copy {
	uint8_t kind, queue;
	uint64_t timestamp;
	uint32_t len;
	uint8_t *bytes;
	uint32_t frame;
	uint64_t command, submission;
};

struct fixture {
	char path[64];
	struct rec_copy *recs;
	size_t n;
	uint64_t presents;
	uint64_t frame_starts; /* frames that have a first command */
};

static void push(struct fixture *f, uint8_t kind, uint8_t queue, uint64_t ts, const void *b, uint32_t len)
{
	f->recs = realloc(f->recs, (f->n + 1) * sizeof *f->recs);
	assert_non_null(f->recs);
	struct rec_copy *r = &f->recs[f->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->queue = queue;
	r->timestamp = ts;
	r->len = len;
	r->bytes = malloc(len ? len : 1);
	assert_non_null(r->bytes);
	if (len)
		memcpy(r->bytes, b, len);
}

static void fixture_free(struct fixture *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->recs[i].bytes);
	free(f->recs);
	unlink(f->path);
	memset(f, 0, sizeof *f);
}

/*
 * Build `frames` frames of a UI-like stream: setup now and then, render
 * submissions with draws, some with two presents in one submission, some
 * with commands after the present; interleaved config/vsync/input/capture
 * records and an unknown kind. Records are written through the writer
 * with small chunks so there are many key and dependent chunks.
 */
static void build(struct fixture *f, int frames, size_t chunk_target, uint64_t key_interval)
{
	test_tmp_file(f->path, sizeof f->path, "test_rec");
	struct mtlrec_display d = {800, 600, 60, 2, 1};
	struct mtlrec_writer_options opt = {0};
	opt.chunk_target = chunk_target;
	opt.key_interval = key_interval;
	opt.tool = "test_rec";
	char err[256];
	struct mtlrec_writer *w = mtlrec_writer_open(f->path, &d, &opt, err, sizeof err);
	assert_non_null(w);
	static uint8_t buf[16384];
	struct mtl_encoder e;
	uint64_t ts = 0;
	for (int i = 0; i < frames; i++) {
		if (i % 17 == 0) {
			mtl_enc_init(&e, buf, sizeof buf);
			mtl_enc_create_texture(&e, (uint32_t)(10 + i), 64, 64, 2, 0, 1, 1);
			mtl_enc_create_sampler(&e, 3, 1, 1, 0, 0);
			assert_false(mtl_enc_overflowed(&e));
			push(f, MTLREC_SUBMISSION, 0, ts, buf, (uint32_t)e.len);
		}
		mtl_enc_init(&e, buf, sizeof buf);
		mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, 2, 1, 0, 0, 0.1f, 0.2f, 0.3f, 1.0f);
		mtl_enc_set_render_pipeline(&e, 1);
		for (int q = 0; q < 8; q++) {
			float v[24];
			for (int k = 0; k < 24; k++)
				v[k] = (float)(q * 24 + k + (k == 3 ? i : 0));
			mtl_enc_set_vertex_bytes(&e, 0, v, sizeof v);
			mtl_enc_draw_primitives(&e, 0, 0, 3);
		}
		mtl_enc_end_render_pass(&e);
		mtl_enc_present_and_commit(&e, (uint32_t)i);
		if (i % 5 == 1) /* a second frame in the same submission */
			mtl_enc_present_and_commit(&e, (uint32_t)i + 1000);
		if (i % 7 == 3) /* commands after the present */
			mtl_enc_set_cursor_position(&e, 1.0f, 2.0f);
		assert_false(mtl_enc_overflowed(&e));
		ts += 16666667;
		push(f, MTLREC_SUBMISSION, 1, ts, buf, (uint32_t)e.len);
		if (i % 3 == 0)
			push(f, MTLREC_VSYNC, 0, ts, NULL, 0);
		if (i % 11 == 0) {
			uint8_t ev[8] = {1, 0, 30, 0, 1, 0, 0, 0};
			push(f, MTLREC_INPUT, 0, ts, ev, sizeof ev);
		}
		if (i % 13 == 0) {
			uint8_t unk[5] = {9, 8, 7, 6, 5};
			push(f, 77, 0, ts, unk, sizeof unk); /* a kind a future writer might add */
		}
		if (i == 4) {
			uint8_t cfg[20] = {0x20, 3, 0, 0, 0x58, 2, 0, 0, 60, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
			push(f, MTLREC_CONFIG, 0, ts, cfg, sizeof cfg);
		}
	}
	/* trailing partial command: kept byte for byte */
	uint8_t tail[5] = {0x30, 0x01, 0, 0, 9};
	push(f, MTLREC_SUBMISSION, 1, ts, tail, sizeof tail);

	uint32_t frame = 0;
	uint64_t cmd = 0, sub = 0;
	for (size_t i = 0; i < f->n; i++) {
		struct rec_copy *r = &f->recs[i];
		assert_int_equal(mtlrec_writer_add(w, r->queue, r->kind, r->timestamp, r->bytes, r->len), 0);
		r->frame = frame;
		r->command = cmd;
		r->submission = sub;
		if (r->kind == MTLREC_SUBMISSION) {
			frame += mtlrec_count_presents(r->bytes, r->len);
			cmd += mtlrec_count_commands(r->bytes, r->len);
			sub++;
		}
	}
	f->presents = frame;
	assert_int_equal(mtlrec_writer_close(w, err, sizeof err), 0);
}

static void expect_record(const struct rec_copy *want, const struct mtlrec_record *got, uint64_t index)
{
	assert_int_equal(got->kind, want->kind);
	assert_int_equal(got->queue, want->queue);
	assert_int_equal(got->timestamp, want->timestamp);
	assert_int_equal(got->len, want->len);
	assert_memory_equal(got->bytes, want->bytes, want->len ? want->len : 0);
	assert_int_equal(got->index, index);
	assert_int_equal(got->frame, want->frame);
	assert_int_equal(got->command, want->command);
	assert_int_equal(got->submission, want->submission);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 300, 4096, 32 * 1024);
	char err[256];
	struct mtlrec_reader *r = mtlrec_reader_open(f.path, err, sizeof err);
	assert_non_null(r);
	const struct mtlrec_info *info = mtlrec_reader_info(r);
	assert_int_equal(info->version, MTLREC_VERSION);
	assert_int_equal(info->display.width, 800);
	assert_int_equal(info->display.height, 600);
	assert_int_equal(info->display.scale, 2);
	assert_int_equal(info->display.has_display, 1);
	assert_string_equal(info->tool, "test_rec");
	assert_int_equal(info->records, f.n);
	assert_int_equal(info->frames, f.presents);
	assert_int_equal(info->truncated, 0);
	assert_true(info->chunks > 20);
	uint64_t raw = 0, subs = 0;
	for (size_t i = 0; i < f.n; i++) {
		raw += f.recs[i].len;
		subs += f.recs[i].kind == MTLREC_SUBMISSION;
	}
	assert_int_equal(info->bytes_raw, raw);
	assert_int_equal(info->submissions, subs);

	for (int pass = 0; pass < 2; pass++) {
		struct mtlrec_record rec;
		for (size_t i = 0; i < f.n; i++) {
			assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 1);
			expect_record(&f.recs[i], &rec, i);
		}
		assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 0);
		assert_int_equal(mtlrec_reader_rewind(r, err, sizeof err), 0);
	}
	mtlrec_reader_close(r);
	fixture_free(&f);
}

/* The record holding frame N's first command, by brute force. */
static long frame_start_record(const struct fixture *f, uint64_t frame)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct rec_copy *r = &f->recs[i];
		if (r->kind != MTLREC_SUBMISSION)
			continue;
		/* walk the commands: frame of each command */
		uint64_t fr = r->frame;
		size_t pos = 0;
		while (pos < r->len) {
			if (fr == frame)
				return (long)i;
			if (r->len - pos < 8)
				break;
			uint32_t ps = (uint32_t)r->bytes[pos + 4] | (uint32_t)r->bytes[pos + 5] << 8 |
				      (uint32_t)r->bytes[pos + 6] << 16 | (uint32_t)r->bytes[pos + 7] << 24;
			if ((uint64_t)ps + 8 > r->len - pos)
				break;
			if ((r->bytes[pos] | r->bytes[pos + 1] << 8) == MTL_CMD_PRESENT_AND_COMMIT)
				fr++;
			pos += 8 + ps;
		}
	}
	return -1;
}

static void seek_all(const struct fixture *f, struct mtlrec_reader *r)
{
	char err[256];
	struct mtlrec_record rec;
	for (uint64_t fr = 0; fr <= f->presents + 1; fr++) {
		long want = frame_start_record(f, fr);
		int rc = mtlrec_reader_seek_frame(r, fr, err, sizeof err);
		if (want < 0) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err, "no frame"));
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 1);
		expect_record(&f->recs[want], &rec, (uint64_t)want);
		/* reading on continues in order */
		if ((size_t)want + 1 < f->n) {
			assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 1);
			expect_record(&f->recs[want + 1], &rec, (uint64_t)want + 1);
		}
	}
}

static void test_seek_every_frame(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 120, 2048, 8192);
	char err[256];
	struct mtlrec_reader *r = mtlrec_reader_open(f.path, err, sizeof err);
	assert_non_null(r);
	seek_all(&f, r);
	mtlrec_reader_close(r);

	/* the same without the footer: a forward scan finds the frames */
	FILE *fp = fopen(f.path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fclose(fp);
	/* cut the trailer off: the scan stops at the index magic */
	assert_int_equal(truncate(f.path, size - 1), 0);
	r = mtlrec_reader_open(f.path, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(mtlrec_reader_info(r)->truncated, 1);
	assert_int_equal(mtlrec_reader_info(r)->records, f.n);
	seek_all(&f, r);
	mtlrec_reader_close(r);
	fixture_free(&f);
}

/* Open and read everything; records read must match the original prefix.
 * Returns records read, or -1 when refused at open. *errored when next
 * failed. */
static long read_prefix(const struct fixture *f, const char *path, int *errored, char *err, size_t errlen)
{
	struct mtlrec_reader *r = mtlrec_reader_open(path, err, errlen);
	*errored = 0;
	if (!r) {
		assert_true(strlen(err) > 0);
		assert_non_null(strstr(err, path));
		return -1;
	}
	struct mtlrec_record rec;
	long n = 0;
	int rc;
	while ((rc = mtlrec_reader_next(r, &rec, err, errlen)) == 1) {
		assert_true((size_t)n < f->n);
		expect_record(&f->recs[n], &rec, (uint64_t)n);
		n++;
	}
	if (rc < 0) {
		*errored = 1;
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, "offset"));
	}
	mtlrec_reader_close(r);
	return n;
}

static void test_truncate_every_byte(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 24, 512, 2048);
	size_t len;
	uint8_t *all = test_read_file(f.path, &len);
	char cut[64];
	test_tmp_file(cut, sizeof cut, "test_rec");
	char err[256];
	long prev = 0;
	for (size_t l = 0; l <= len; l++) {
		test_write_file(cut, all, l);
		int errored;
		long n = read_prefix(&f, cut, &errored, err, sizeof err);
		if (n < 0) {
			/* refused only while the header itself is incomplete */
			assert_true(l < 64);
			continue;
		}
		assert_false(errored); /* a cut is never reported as corruption */
		assert_true(n >= prev); /* more bytes never yield fewer records */
		prev = n;
		struct mtlrec_reader *r = mtlrec_reader_open(cut, err, sizeof err);
		assert_non_null(r);
		if (l < len)
			assert_int_equal(mtlrec_reader_info(r)->truncated, 1);
		mtlrec_reader_close(r);
	}
	assert_int_equal(prev, (long)f.n);
	unlink(cut);
	free(all);
	fixture_free(&f);
}

static void test_corrupt_every_byte(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 24, 512, 2048);
	size_t len;
	uint8_t *all = test_read_file(f.path, &len);
	char bad[64];
	test_tmp_file(bad, sizeof bad, "test_rec");
	char err[256];
	int refused = 0, errors = 0;
	for (size_t i = 0; i < len; i++) {
		all[i] ^= 0x5A;
		test_write_file(bad, all, len);
		all[i] ^= 0x5A;
		int errored;
		long n = read_prefix(&f, bad, &errored, err, sizeof err);
		refused += n < 0;
		errors += errored;
	}
	/* a flipped byte is noticed: header, chunk or footer */
	assert_true(refused > 0);
	assert_true(errors > 0);
	unlink(bad);
	free(all);
	fixture_free(&f);
}

static void test_corrupt_chunk_reports_offset(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 60, 1024, 4096);
	size_t len;
	uint8_t *all = test_read_file(f.path, &len);
	/* damage the middle of the file: inside some chunk's zstd frame */
	size_t at = len / 2;
	all[at] ^= 0xFF;
	all[at + 1] ^= 0xFF;
	test_write_file(f.path, all, len);
	char err[256];
	int errored;
	long n = read_prefix(&f, f.path, &errored, err, sizeof err);
	assert_true(n > 0);
	assert_true((size_t)n < f.n);
	assert_true(errored);
	free(all);
	fixture_free(&f);
}

static void test_wrong_magic_and_newer_version(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 3, 0, 0);
	size_t len;
	uint8_t *all = test_read_file(f.path, &len);
	char err[256];
	assert_true(mtlrec_is_recording(all, len));

	all[0] = 'X';
	test_write_file(f.path, all, len);
	assert_false(mtlrec_is_recording(all, len));
	assert_null(mtlrec_reader_open(f.path, err, sizeof err));
	assert_non_null(strstr(err, f.path));
	assert_non_null(strstr(err, "wrong magic"));
	assert_non_null(strstr(err, "offset 0"));
	all[0] = 'M';

	all[8] = (uint8_t)(MTLREC_VERSION + 1);
	test_write_file(f.path, all, len);
	assert_null(mtlrec_reader_open(f.path, err, sizeof err));
	assert_non_null(strstr(err, "newer"));
	assert_non_null(strstr(err, "offset 8"));

	assert_null(mtlrec_reader_open("/nonexistent/x.mtlrec", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/x.mtlrec"));
	free(all);
	fixture_free(&f);
}

static void test_empty_and_big_record(void **state)
{
	(void)state;
	char path[64], err[256];
	test_tmp_file(path, sizeof path, "test_rec");
	struct mtlrec_writer *w = mtlrec_writer_open(path, NULL, NULL, err, sizeof err);
	assert_non_null(w);
	assert_int_equal(mtlrec_writer_close(w, err, sizeof err), 0);
	struct mtlrec_reader *r = mtlrec_reader_open(path, err, sizeof err);
	assert_non_null(r);
	struct mtlrec_record rec;
	assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 0);
	assert_int_equal(mtlrec_reader_info(r)->records, 0);
	assert_int_equal(mtlrec_reader_seek_frame(r, 0, err, sizeof err), -1);
	mtlrec_reader_close(r);

	/* one record far over the chunk size gets a chunk of its own */
	struct mtlrec_writer_options opt = {0};
	opt.chunk_target = 1024;
	w = mtlrec_writer_open(path, NULL, &opt, err, sizeof err);
	assert_non_null(w);
	size_t big = 300000;
	uint8_t *b = malloc(big);
	assert_non_null(b);
	for (size_t i = 0; i < big; i++)
		b[i] = (uint8_t)(i * 7 + (i >> 9));
	uint8_t small[8] = {0};
	assert_int_equal(mtlrec_writer_add(w, 1, MTLREC_SUBMISSION, 1, small, 3), 0);
	assert_int_equal(mtlrec_writer_add(w, 0, MTLREC_SUBMISSION, 2, b, (uint32_t)big), 0);
	assert_int_equal(mtlrec_writer_add(w, 1, MTLREC_SUBMISSION, 3, small, 3), 0);
	assert_int_equal(mtlrec_writer_close(w, err, sizeof err), 0);
	r = mtlrec_reader_open(path, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(mtlrec_reader_info(r)->chunks, 3);
	assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 1);
	assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.len, big);
	assert_memory_equal(rec.bytes, b, big);
	assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.timestamp, 3);
	assert_int_equal(mtlrec_reader_next(r, &rec, err, sizeof err), 0);
	/* the small chunk after the big one still decodes against its key */
	assert_int_equal(mtlrec_reader_seek_frame(r, 0, err, sizeof err), 0);
	mtlrec_reader_close(r);
	free(b);
	unlink(path);
}

/* A writer that dies without closing (as a crashing recorder would) leaves
 * a file that reads as a truncated recording holding a prefix of what was
 * added: whole chunks only. */
static void test_crash_without_close(void **state)
{
	(void)state;
	struct fixture f = {0};
	build(&f, 80, 600, 4096); /* the records to replay, and a reference file */
	char path[64], err[256];
	test_tmp_file(path, sizeof path, "test_rec");
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct mtlrec_writer_options opt = {0};
		opt.chunk_target = 600;
		opt.key_interval = 4096;
		struct mtlrec_writer *w = mtlrec_writer_open(path, NULL, &opt, err, sizeof err);
		if (!w)
			_exit(3);
		for (size_t i = 0; i < f.n; i++)
			if (mtlrec_writer_add(w, f.recs[i].queue, f.recs[i].kind, f.recs[i].timestamp, f.recs[i].bytes,
					      f.recs[i].len) != 0)
				_exit(4);
		/* give the thread time to write some chunks, then die mid-way */
		usleep(20000);
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	struct mtlrec_reader *r = mtlrec_reader_open(path, err, sizeof err);
	assert_non_null(r);
	const struct mtlrec_info *info = mtlrec_reader_info(r);
	assert_int_equal(info->truncated, 1);
	assert_true(info->bytes_recovered <= info->bytes_file);
	struct mtlrec_record rec;
	uint64_t n = 0;
	int rc;
	while ((rc = mtlrec_reader_next(r, &rec, err, sizeof err)) == 1) {
		assert_true(n < f.n);
		expect_record(&f.recs[n], &rec, n);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, info->records);
	mtlrec_reader_close(r);
	unlink(path);
	fixture_free(&f);
}

/* A write error (a full disk) is reported, naming the file. */
static void test_write_error(void **state)
{
	(void)state;
	char err[256];
	if (access("/dev/full", W_OK) != 0)
		skip();
	struct mtlrec_writer *w = mtlrec_writer_open("/dev/full", NULL, NULL, err, sizeof err);
	assert_null(w);
	assert_non_null(strstr(err, "/dev/full"));
}

/* The header CRC is the zlib/PNG CRC-32 (docs/MTLREC.md); internal to
 * libmtlproto, declared here to check it against the standard value. */
uint32_t rec_crc32(const void *buf, size_t len);

static void test_crc_is_standard(void **state)
{
	(void)state;
	assert_int_equal(rec_crc32("123456789", 9), 0xCBF43926u);
	assert_int_equal(rec_crc32("", 0), 0);
}

static void test_counting_rule(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, sizeof buf);
	mtl_enc_present_and_commit(&e, 1);
	mtl_enc_raw(&e, MTL_CMD_PRESENT_AND_COMMIT, 1, "\0\0\0\0\0", 5); /* bad flags and size: still a present */
	mtl_enc_end_render_pass(&e);
	assert_int_equal(mtlrec_count_presents(buf, e.len), 2);
	assert_int_equal(mtlrec_count_commands(buf, e.len), 3);
	/* a header whose payload runs past the end is one command, no present */
	buf[e.len] = 0x00; buf[e.len + 1] = 0x0F; buf[e.len + 2] = 0; buf[e.len + 3] = 0;
	buf[e.len + 4] = 200; buf[e.len + 5] = 0; buf[e.len + 6] = 0; buf[e.len + 7] = 0;
	assert_int_equal(mtlrec_count_presents(buf, e.len + 8), 2);
	assert_int_equal(mtlrec_count_commands(buf, e.len + 8), 4);
	assert_int_equal(mtlrec_count_commands(buf, e.len + 3), 4);
	assert_int_equal(mtlrec_count_commands(buf, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_seek_every_frame),
		cmocka_unit_test(test_truncate_every_byte),
		cmocka_unit_test(test_corrupt_every_byte),
		cmocka_unit_test(test_corrupt_chunk_reports_offset),
		cmocka_unit_test(test_wrong_magic_and_newer_version),
		cmocka_unit_test(test_empty_and_big_record),
		cmocka_unit_test(test_counting_rule),
		cmocka_unit_test(test_crc_is_standard),
		cmocka_unit_test(test_crash_without_close),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
