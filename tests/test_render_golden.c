/*
 * test_render_golden.c — every reviewed golden PNG in corpus/golden/ named
 * STREAM-NNN.png is compared, bit for bit, with frame_id NNN of
 * corpus/STREAM.bin replayed by the soft backend (all cores); and every
 * stream corpus/NAME.bin must have at least one golden. Goldens whose
 * stream is not in corpus/ (another tool's captures) are left alone.
 *
 * To (re)make goldens after a reviewed change:
 *   mtlreplay corpus/S.bin --capture 0,1 corpus/golden/S
 */
#include <dirent.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "render/replay.h"
#include "stream.h"

struct want {
	uint32_t frame_id;
	const char *golden;
	int seen;
	int failed;
};

struct run {
	struct replay_engine *eng;
	struct want *w;
	size_t n;
};

static void compare(struct replay_engine *eng, struct want *w)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, w->golden)) {
		print_error("%s: %s\n", w->golden, img.message);
		w->failed = 1;
		return;
	}
	img.format = PNG_FORMAT_RGBA;
	uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
	if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
		print_error("%s: cannot decode\n", w->golden);
		free(buf);
		w->failed = 1;
		return;
	}
	struct replay_frame f;
	replay_read_frame(eng, &f);
	if (f.width != img.width || f.height != img.height) {
		print_error("%s: golden is %ux%u, replay gave %ux%u\n", w->golden, img.width, img.height, f.width,
			    f.height);
		w->failed = 1;
	} else {
		for (uint32_t y = 0; y < f.height && !w->failed; y++) {
			const uint8_t *a = f.pixels + y * f.stride, *b = buf + (size_t)y * img.width * 4;
			if (memcmp(a, b, (size_t)f.width * 4) == 0)
				continue;
			for (uint32_t x = 0; x < f.width; x++)
				if (memcmp(a + x * 4, b + x * 4, 4)) {
					print_error("%s: first difference at %u,%u: replay %d,%d,%d,%d golden %d,%d,%d,%d\n",
						    w->golden, x, y, a[x * 4], a[x * 4 + 1], a[x * 4 + 2], a[x * 4 + 3],
						    b[x * 4], b[x * 4 + 1], b[x * 4 + 2], b[x * 4 + 3]);
					break;
				}
			w->failed = 1;
		}
	}
	png_image_free(&img);
	free(buf);
}

static void on_present(void *user, uint32_t frame_id)
{
	struct run *r = user;
	for (size_t i = 0; i < r->n; i++)
		if (!r->w[i].seen && r->w[i].frame_id == frame_id) {
			r->w[i].seen = 1;
			compare(r->eng, &r->w[i]);
		}
}

static int replay_stream(const char *path, struct want *w, size_t n)
{
	char err[512];
	struct mtl_stream_options opt;
	mtl_stream_options_init(&opt);
	struct mtl_stream *s = mtl_stream_open(path, &opt, err, sizeof err);
	if (!s) {
		print_error("%s\n", err);
		return -1;
	}
	struct run r = { NULL, w, n };
	struct replay_config cfg = { .width = mtl_stream_display(s)->width, .height = mtl_stream_display(s)->height,
				     .backend = "soft", .threads = 0, .on_present = on_present, .user = &r };
	r.eng = replay_create(&cfg, err, sizeof err);
	if (!r.eng) {
		print_error("%s: %s\n", path, err);
		mtl_stream_close(s);
		return -1;
	}
	struct mtl_stream_item it;
	int rc;
	while ((rc = mtl_stream_next(s, &it, err, sizeof err)) > 0)
		if (it.kind == MTL_STREAM_SUBMISSION)
			replay_submit(r.eng, it.bytes, it.len);
	struct replay_stats st;
	replay_get_stats(r.eng, &st);
	replay_destroy(r.eng);
	mtl_stream_close(s);
	if (rc < 0) {
		print_error("%s\n", err);
		return -1;
	}
	if (st.ignored) {
		print_error("%s: %llu commands ignored in a valid corpus stream\n", path, (unsigned long long)st.ignored);
		return -1;
	}
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (!w[i].seen) {
			print_error("%s: no present with frame_id %u for %s\n", path, w[i].frame_id, w[i].golden);
			bad = 1;
		}
		bad |= w[i].failed;
	}
	return bad ? -1 : 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_goldens(void **state)
{
	DIR *d = opendir("corpus");
	assert_non_null(d);
	char *streams[256];
	size_t ns = 0;
	struct dirent *de;
	while ((de = readdir(d)) && ns < 256) {
		size_t l = strlen(de->d_name);
		if (l > 4 && !strcmp(de->d_name + l - 4, ".bin"))
			streams[ns++] = strndup(de->d_name, l - 4);
	}
	closedir(d);
	qsort(streams, ns, sizeof *streams, name_cmp);
	assert_true(ns > 0);
	int failures = 0;
	for (size_t i = 0; i < ns; i++) {
		static struct want w[64];
		static char names[64][512];
		size_t n = 0;
		DIR *g = opendir("corpus/golden");
		assert_non_null(g);
		size_t sl = strlen(streams[i]);
		while ((de = readdir(g)) && n < 64) {
			const char *nm = de->d_name;
			size_t l = strlen(nm);
			/* STREAM-NNN.png, NNN all digits */
			if (l != sl + 8 || strncmp(nm, streams[i], sl) || nm[sl] != '-' || strcmp(nm + l - 4, ".png"))
				continue;
			if (strspn(nm + sl + 1, "0123456789") != 3)
				continue;
			snprintf(names[n], sizeof names[n], "corpus/golden/%s", nm);
			w[n] = (struct want){ (uint32_t)atoi(nm + sl + 1), names[n], 0, 0 };
			n++;
		}
		closedir(g);
		char path[512];
		snprintf(path, sizeof path, "corpus/%s.bin", streams[i]);
		if (n == 0) {
			print_error("%s: no reviewed golden in corpus/golden/ (make them with mtlreplay --capture)\n", path);
			failures++;
		} else if (replay_stream(path, w, n)) {
			failures++;
		} else {
			print_message("%s: %zu golden frame(s) identical\n", path, n);
		}
		free(streams[i]);
	}
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goldens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
