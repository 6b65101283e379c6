/* test_hv_config.c - metalvisor's command line: defaults, every option,
 * and the usage errors (each names the bad option). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static char errbuf[1024];

static int parse(struct hv_config *c, int argc, char **argv)
{
	memset(errbuf, 0, sizeof errbuf);
	FILE *err = fmemopen(errbuf, sizeof errbuf - 1, "w");
	hv_config_defaults(c);
	int rc = hv_config_parse(c, argc, argv, err);
	fclose(err);
	return rc;
}

#define ARGV(...) ((char *[]){ "metalvisor", __VA_ARGS__ })
#define ARGC(...) ((int)(sizeof((char *[]){ "metalvisor", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(c, ...) parse(c, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void test_defaults(void **state)
{
	struct hv_config c;
	assert_int_equal(PARSE(&c, "k.elf"), 0);
	assert_string_equal(c.kernel_path, "k.elf");
	assert_int_equal(c.ram_mib, 256);
	assert_int_equal(c.cpus, 4);
	assert_int_equal(c.width, 1024);
	assert_int_equal(c.height, 768);
	assert_int_equal(c.refresh_hz, 60);
	assert_false(c.realtime);
	assert_false(c.no_gpu);
	assert_null(c.append);
	assert_int_equal(c.ncaptures, 0);
}

static void test_every_option(void **state)
{
	struct hv_config c;
	assert_int_equal(PARSE(&c, "--verbose", "--verbose", "--no-gpu", "--ram", "512", "--cpus", "2",
			       "--share", "/tmp", "--capture", "3", "f.png", "--capture", "1,2,10", "shot",
			       "--events", "ev.txt", "--timeout", "2.5", "--resolution", "640x480",
			       "--record", "out.mtlrec", "--validate", "--realtime", "--append",
			       "frames=3 x=y", "k.elf"),
			 0);
	assert_int_equal(c.verbose, 2);
	assert_true(c.no_gpu && c.validate && c.realtime);
	assert_int_equal(c.ram_mib, 512);
	assert_int_equal(c.cpus, 2);
	assert_string_equal(c.share_dir, "/tmp");
	assert_string_equal(c.events_path, "ev.txt");
	assert_string_equal(c.record_path, "out.mtlrec");
	assert_string_equal(c.append, "frames=3 x=y");
	assert_true(c.timeout_s > 2.49 && c.timeout_s < 2.51);
	assert_int_equal(c.width, 640);
	assert_int_equal(c.height, 480);
	assert_int_equal(c.ncaptures, 2);
	assert_false(c.captures[0].multi);
	assert_int_equal(c.captures[0].nframes, 1);
	assert_int_equal(c.captures[0].frames[0], 3);
	assert_string_equal(c.captures[0].path, "f.png");
	assert_true(c.captures[1].multi);
	assert_int_equal(c.captures[1].nframes, 3);
	assert_int_equal(c.captures[1].frames[2], 10);
	assert_string_equal(c.captures[1].path, "shot");
}

static void expect_usage(int rc, const char *needle)
{
	assert_int_equal(rc, -1);
	if (!strstr(errbuf, needle))
		fail_msg("message '%s' does not contain '%s'", errbuf, needle);
}

static void test_usage_errors(void **state)
{
	struct hv_config c;
	expect_usage(PARSE(&c, "--no-gpu"), "no kernel given");
	expect_usage(PARSE(&c, "--bogus", "k.elf"), "unknown option '--bogus'");
	expect_usage(PARSE(&c, "--cpus", "0", "k.elf"), "--cpus '0'");
	expect_usage(PARSE(&c, "--cpus", "9", "k.elf"), "--cpus '9'");
	expect_usage(PARSE(&c, "--cpus", "-1", "k.elf"), "--cpus '-1'");
	expect_usage(PARSE(&c, "--ram", "8", "k.elf"), "--ram '8'");
	expect_usage(PARSE(&c, "--ram", "12x", "k.elf"), "--ram '12x'");
	expect_usage(PARSE(&c, "--timeout", "0", "k.elf"), "--timeout '0'");
	expect_usage(PARSE(&c, "--timeout", "soon", "k.elf"), "--timeout 'soon'");
	expect_usage(PARSE(&c, "--resolution", "640", "k.elf"), "--resolution '640'");
	expect_usage(PARSE(&c, "--resolution", "0x10", "k.elf"), "--resolution '0x10'");
	expect_usage(PARSE(&c, "--resolution", "640x480x2", "k.elf"), "--resolution");
	expect_usage(PARSE(&c, "--capture", "3"), "--capture needs 2 arguments");
	expect_usage(PARSE(&c, "--capture", "x", "f.png", "k.elf"), "--capture 'x'");
	expect_usage(PARSE(&c, "--capture", "1,", "f", "k.elf"), "--capture '1,'");
	expect_usage(PARSE(&c, "--capture", "1,,2", "f", "k.elf"), "--capture '1,,2'");
	expect_usage(PARSE(&c, "--ram"), "--ram needs 1 argument");
	expect_usage(PARSE(&c, "a.elf", "b.elf"), "more than one kernel");
}

static void test_help(void **state)
{
	struct hv_config c;
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = PARSE(&c, "--help");
	fclose(stdout);
	stdout = saved;
	assert_int_equal(rc, 1);
	char text[4096] = { 0 };
	FILE *f = fmemopen(text, sizeof text - 1, "w");
	hv_config_usage(f, "metalvisor");
	fclose(f);
	assert_non_null(strstr(text, "exit status"));
	assert_non_null(strstr(text, "--capture N,M,.. PREFIX"));
	assert_non_null(strstr(text, "SIGUSR1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_help),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
