/*
 * tests/common/files.h — whole-file helpers for the cmocka tests: read a
 * file, write one, make a fresh temporary one. Each fails the running test
 * (naming the file and why) instead of returning an error to check.
 *
 * Header-only and static; include it after <cmocka.h>.
 */
#ifndef TESTS_COMMON_FILES_H
#define TESTS_COMMON_FILES_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The whole file, malloc'd with one spare byte after it (room for a NUL). */
static inline uint8_t *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open: %s (tests run from the top of the tree)", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n >= 0);
	uint8_t *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* PATH holds exactly LEN bytes of B afterwards. */
static inline void test_write_file(const char *path, const void *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("%s: cannot create: %s", path, strerror(errno));
	if (len)
		assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A new empty file /tmp/PREFIX_XXXXXX; its name goes to PATH. */
static inline void test_tmp_file(char *path, size_t size, const char *prefix)
{
	snprintf(path, size, "/tmp/%s_XXXXXX", prefix);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

#endif
