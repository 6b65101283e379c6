/*
 * tests/test_virtq_9p.c — the read-only 9P2000.L server of virtio-9p on a
 * temporary directory: version, attach, walk, getattr, lopen, read,
 * readdir, clunk, and confinement (no "..", no symlinks, read-only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../hv/src/virtio_9p.h"

static char dir[64];
static struct virtio_9p *srv;
static uint8_t req[8192], resp[65536];
static size_t rlen;

struct msg { uint8_t *p; size_t n; };
static void u8(struct msg *m, uint8_t v) { m->p[m->n++] = v; }
static void u16(struct msg *m, uint16_t v) { u8(m, (uint8_t)v); u8(m, (uint8_t)(v >> 8)); }
static void u32(struct msg *m, uint32_t v) { u16(m, (uint16_t)v); u16(m, (uint16_t)(v >> 16)); }
static void u64(struct msg *m, uint64_t v) { u32(m, (uint32_t)v); u32(m, (uint32_t)(v >> 32)); }
static void str(struct msg *m, const char *s) { u16(m, (uint16_t)strlen(s)); memcpy(m->p + m->n, s, strlen(s)); m->n += strlen(s); }
static struct msg start(uint8_t type, uint16_t tag)
{
	struct msg m = {req, 0};
	u32(&m, 0);
	u8(&m, type);
	u16(&m, tag);
	return m;
}
static uint8_t send(struct msg *m)
{
	req[0] = (uint8_t)m->n; req[1] = (uint8_t)(m->n >> 8); req[2] = (uint8_t)(m->n >> 16); req[3] = 0;
	rlen = virtio_9p_handle(srv, req, m->n, resp, sizeof resp);
	assert_true(rlen >= 7);
	assert_int_equal(resp[0] | (resp[1] << 8) | (resp[2] << 16) | ((uint32_t)resp[3] << 24), rlen);
	return resp[4];
}
static uint32_t r32(size_t off) { return resp[off] | (resp[off + 1] << 8) | (resp[off + 2] << 16) | ((uint32_t)resp[off + 3] << 24); }
static uint64_t r64(size_t off) { return r32(off) | ((uint64_t)r32(off + 4) << 32); }

static void put_file(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_virtq_9p_XXXXXX");
	assert_non_null(mkdtemp(dir));
	char p[256];
	snprintf(p, sizeof p, "%s/sub", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file("hello.txt", "hello, guest\n");
	put_file("sub/inner.txt", "inner");
	snprintf(p, sizeof p, "%s/escape", dir);
	assert_int_equal(symlink("/etc", p), 0);
	snprintf(p, sizeof p, "%s/link.txt", dir);
	assert_int_equal(symlink("hello.txt", p), 0);
	char err[256];
	srv = virtio_9p_create(dir, err, sizeof err);
	assert_non_null(srv);
	/* version + attach fid 0 */
	struct msg m = start(100, 0xFFFF);
	u32(&m, 8192);
	str(&m, "9P2000.L");
	assert_int_equal(send(&m), 101);
	assert_int_equal(r32(7), 8192);
	m = start(104, 1);
	u32(&m, 0);
	u32(&m, 0xFFFFFFFFu);
	str(&m, "root");
	str(&m, "");
	u32(&m, 0);
	assert_int_equal(send(&m), 105);
	assert_int_equal(resp[7], 0x80); /* directory qid */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	virtio_9p_destroy(srv);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static uint8_t walk(uint32_t fid, uint32_t newfid, int n, const char **names)
{
	struct msg m = start(110, 2);
	u32(&m, fid);
	u32(&m, newfid);
	u16(&m, (uint16_t)n);
	for (int i = 0; i < n; i++)
		str(&m, names[i]);
	return send(&m);
}

static uint8_t lopen(uint32_t fid, uint32_t flags)
{
	struct msg m = start(12, 3);
	u32(&m, fid);
	u32(&m, flags);
	return send(&m);
}

static void test_read_file(void **state)
{
	(void)state;
	const char *p[] = {"sub", "inner.txt"};
	assert_int_equal(walk(0, 1, 2, p), 111);
	assert_int_equal(resp[7] | (resp[8] << 8), 2);
	assert_int_equal(lopen(1, 0), 13);
	struct msg m = start(116, 4);
	u32(&m, 1);
	u64(&m, 1);
	u32(&m, 100);
	assert_int_equal(send(&m), 117);
	assert_int_equal(r32(7), 4);
	assert_memory_equal(resp + 11, "nner", 4);
	/* getattr: size */
	m = start(24, 5);
	u32(&m, 1);
	u64(&m, 0x7ff);
	assert_int_equal(send(&m), 25);
	assert_int_equal(r64(7 + 8 + 13 + 4 + 4 + 4 + 8 + 8), 5);
	/* clunk, then the fid is gone */
	m = start(120, 6);
	u32(&m, 1);
	assert_int_equal(send(&m), 121);
	assert_int_equal(lopen(1, 0), 7);
	assert_int_equal(r32(7), 9); /* EBADF */
}

static void test_readdir_sorted(void **state)
{
	(void)state;
	assert_int_equal(walk(0, 1, 0, NULL), 111); /* clone */
	assert_int_equal(lopen(1, 0), 13);
	struct msg m = start(40, 7);
	u32(&m, 1);
	u64(&m, 0);
	u32(&m, 4096);
	assert_int_equal(send(&m), 41);
	uint32_t count = r32(7);
	const char *want[] = {"escape", "hello.txt", "link.txt", "sub"};
	size_t off = 11;
	for (int i = 0; i < 4; i++) {
		assert_true(off < 11 + count);
		assert_int_equal(r64(off + 13), (uint64_t)i + 1);
		uint16_t nl = (uint16_t)(resp[off + 22] | (resp[off + 23] << 8));
		assert_int_equal(nl, strlen(want[i]));
		assert_memory_equal(resp + off + 24, want[i], nl);
		off += 24 + nl;
	}
	assert_int_equal(off, 11 + count);
	/* from offset 3: only "sub" */
	m = start(40, 8);
	u32(&m, 1);
	u64(&m, 3);
	u32(&m, 4096);
	assert_int_equal(send(&m), 41);
	assert_int_equal(r32(7), 24 + 3);
}

static void expect_error(uint8_t type, uint32_t errnum)
{
	assert_int_equal(type, 7);
	assert_int_equal(r32(7), errnum);
}

/* Tread wants an open file and Treaddir an open directory; an unopened fid
 * is neither. */
static void test_read_kind_checked(void **state)
{
	(void)state;
	const char *file[] = {"hello.txt"};
	assert_int_equal(walk(0, 1, 1, file), 111);
	assert_int_equal(walk(0, 2, 0, NULL), 111); /* the root directory */
	struct msg m = start(40, 9);                /* readdir of a file */
	u32(&m, 1);
	u64(&m, 0);
	u32(&m, 4096);
	expect_error(send(&m), 9); /* EBADF: not open yet */
	assert_int_equal(lopen(1, 0), 13);
	assert_int_equal(lopen(2, 0), 13);
	m = start(40, 10);
	u32(&m, 1);
	u64(&m, 0);
	u32(&m, 4096);
	expect_error(send(&m), 9);
	m = start(116, 11); /* read of a directory */
	u32(&m, 2);
	u64(&m, 0);
	u32(&m, 100);
	expect_error(send(&m), 9);
	m = start(116, 12); /* and the file reads */
	u32(&m, 1);
	u64(&m, 0);
	u32(&m, 100);
	assert_int_equal(send(&m), 117);
	assert_int_equal(r32(7), 13);
	assert_memory_equal(resp + 11, "hello, guest\n", 13);
}

static void test_confinement(void **state)
{
	(void)state;
	const char *dotdot[] = {".."};
	expect_error(walk(0, 1, 1, dotdot), 13);
	const char *slash[] = {"sub/inner.txt"};
	expect_error(walk(0, 1, 1, slash), 13);
	const char *dot[] = {"."};
	expect_error(walk(0, 1, 1, dot), 13);
	const char *esc[] = {"escape"};
	expect_error(walk(0, 1, 1, esc), 40); /* ELOOP: symlinks are not followed */
	const char *esc2[] = {"escape", "passwd"};
	expect_error(walk(0, 1, 2, esc2), 40);
	const char *lnk[] = {"link.txt"};
	expect_error(walk(0, 1, 1, lnk), 40);
	/* partial walk: the first name works, the second does not → one qid, no fid */
	const char *part[] = {"sub", ".."};
	assert_int_equal(walk(0, 1, 2, part), 111);
	assert_int_equal(resp[7] | (resp[8] << 8), 1);
	expect_error(lopen(1, 0), 9);
	const char *missing[] = {"nope"};
	expect_error(walk(0, 1, 1, missing), 2);
}

static void test_read_only(void **state)
{
	(void)state;
	const char *p[] = {"hello.txt"};
	assert_int_equal(walk(0, 1, 1, p), 111);
	expect_error(lopen(1, 1), 30);     /* O_WRONLY */
	expect_error(lopen(1, 2), 30);     /* O_RDWR */
	expect_error(lopen(1, 01000), 30); /* O_TRUNC */
	assert_int_equal(lopen(1, 0), 13);
}

static void test_malformed(void **state)
{
	(void)state;
	/* size larger than the buffer */
	struct msg m = start(116, 9);
	u32(&m, 0);
	rlen = virtio_9p_handle(srv, req, 3, resp, sizeof resp);
	assert_int_equal(resp[4], 7);
	/* truncated body */
	m = start(110, 9);
	u32(&m, 0);
	assert_int_equal(send(&m), 7);
	assert_int_equal(r32(7), 71); /* EPROTO */
	/* unsupported message: Tmkdir */
	m = start(72, 9);
	u32(&m, 0);
	str(&m, "x");
	u32(&m, 0755);
	u32(&m, 0);
	expect_error(send(&m), 95);
	/* a fid past the table */
	m = start(110, 9);
	u32(&m, 0);
	u32(&m, 1u << 30);
	u16(&m, 0);
	assert_int_equal(send(&m), 7);
	/* a response that would not fit */
	m = start(100, 9);
	u32(&m, 8192);
	str(&m, "9P2000.L");
	assert_int_equal(virtio_9p_handle(srv, req, m.n, resp, 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readdir_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_kind_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confinement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
