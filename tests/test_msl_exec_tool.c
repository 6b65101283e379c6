/*
 * test_msl_exec_tool.c — `mtlshader run` (msl_tool_run): exit codes,
 * printed buffers and textures, JSON, PNG output.
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

#include "msl/exec.h"

static char captured[1 << 16];

/* Run msl_tool_run with stdout and stderr captured into `captured`. */
static int run_tool(int argc, const char **argv)
{
	fflush(stdout);
	fflush(stderr);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	int out = dup(1), err = dup(2);
	dup2(fileno(tmp), 1);
	dup2(fileno(tmp), 2);
	int rc = msl_tool_run(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	rewind(tmp);
	size_t n = fread(captured, 1, sizeof(captured) - 1, tmp);
	captured[n] = 0;
	fclose(tmp);
	return rc;
}

#define RUN(...) run_tool((int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
			  (const char *[]){ __VA_ARGS__ })

static void test_buffers_as_floats(void **state)
{
	(void)state;
	/* unary(1.0) and unary(-2.0): floor, ceil, fract, round first */
	int rc = RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary", "--grid", "2",
		     "--buffer", "0=0000803f000000c0", "--buffer", "1=zero:160", "--format", "f32");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(captured, "buffer 1 (160 bytes):\n  000000: 1 1 0 1\n"));
	assert_non_null(strstr(captured, "  000050: -2 -2 0 -2\n"));
}

static void test_texture_text_and_png(void **state)
{
	(void)state;
	char png[64] = "/tmp/test_msl_exec_tool_XXXXXX.png";
	int fd = mkstemps(png, 4);
	assert_true(fd >= 0);
	close(fd);
	char arg[80];
	snprintf(arg, sizeof(arg), "0=%s", png);
	int rc = RUN("run", "tests/msl/exec/ui.metal", "--kernel", "path_coverage", "--grid", "8,8",
		     "--threadgroup", "4,4", "--texture", "0=8x8:r32f", "--png", arg);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(captured, "texture 0 (8x8 r32f):\n  0 0.3125 0.75 1 1 1 1 1\n"));
	FILE *f = fopen(png, "rb");
	assert_non_null(f);
	unsigned char sig[8];
	assert_int_equal(fread(sig, 1, 8, f), 8);
	fclose(f);
	assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
	/* read it back as a texture: the first row, inverted, as rgba8 */
	snprintf(arg, sizeof(arg), "0=@%s", png);
	rc = RUN("run", "tests/msl/exec/ui.metal", "--kernel", "invert", "--grid", "8,8",
		 "--texture", arg, "--texture", "1=8x8");
	assert_int_equal(rc, 0);
	/* red = coverage 0, 0.3125, 0.75, 1 -> bytes 00, 50, bf, ff (g, b = 0, a = 1
	 * for r32f) -> inverted red ff, af, 40, 00 with g, b = ff */
	assert_non_null(strstr(captured, "texture 1 (8x8 rgba8):\n  ffffffff afffffff 40ffffff 00ffffff"));
	remove(png);
	assert_int_equal(RUN("run", "tests/msl/exec/ui.metal", "--kernel", "invert", "--grid", "1",
			     "--texture", "0=@tests/msl/exec/ui.metal"), 2);
	assert_non_null(strstr(captured, "not a readable PNG"));
}

static void test_json(void **state)
{
	(void)state;
	int rc = RUN("run", "tests/msl/exec/integers.metal", "--kernel", "narrow_ints", "--grid", "1",
		     "--buffer", "0=zero:32", "--json");
	assert_int_equal(rc, 0);
	/* -126, 4, -32768, 65535, 3, -3, 1, 0 as little-endian int32 */
	assert_non_null(strstr(captured,
		"{\"kernel\":\"narrow_ints\",\"buffers\":[{\"index\":0,\"size\":32,\"bytes\":\""
		"82ffffff" "04000000" "0080ffff" "ffff0000" "03000000" "fdffffff" "01000000" "00000000"
		"\"}],\"textures\":[]}"));
}

static void test_run_error_exit_1(void **state)
{
	(void)state;
	/* three threads read a two-float buffer */
	int rc = RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary", "--grid", "3",
		     "--buffer", "0=0000803f000000c0", "--buffer", "1=zero:240");
	assert_int_equal(rc, 1);
	assert_non_null(strstr(captured, "out-of-bounds"));
	assert_non_null(strstr(captured, "math.metal:"));
}

static void test_usage_errors_exit_2(void **state)
{
	(void)state;
	assert_int_equal(RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary"), 2);
	assert_int_equal(RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary", "--grid", "0"), 2);
	assert_int_equal(RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary", "--grid", "1",
			     "--buffer", "0=abc"), 2);
	assert_int_equal(RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary", "--grid", "1",
			     "--buffer", "0=zz"), 2);
	assert_non_null(strstr(captured, "not a hex digit"));
	assert_int_equal(RUN("run", "tests/msl/exec/math.metal", "--kernel", "unary", "--grid", "1",
			     "--texture", "0=9000x1"), 2);
	assert_int_equal(RUN("run", "tests/msl/exec/math.metal", "--kernel", "nope", "--grid", "1"), 2);
	assert_non_null(strstr(captured, "no kernel function 'nope'"));
	assert_int_equal(RUN("run", "tests/msl/exec/does-not-exist.metal", "--kernel", "k", "--grid", "1"), 2);
	assert_int_equal(RUN("run", "--bogus"), 2);
	assert_int_equal(RUN("run", "--help"), 0);
	assert_non_null(strstr(captured, "usage: mtlshader run"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffers_as_floats),
		cmocka_unit_test(test_texture_text_and_png),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_run_error_exit_1),
		cmocka_unit_test(test_usage_errors_exit_2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
