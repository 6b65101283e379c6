/*
 * tests/test_virtq.c — the strict split-virtqueue walker on a fake RAM
 * buffer: good chains, indirect tables, and every rule a guest can break.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../hv/src/virtq.h"
#include "common/guest_ram.h"

#define QN 8u
#define DESC_GPA (RAM_BASE + 0x1000)
#define AVAIL_GPA (RAM_BASE + 0x2000)
#define USED_GPA (RAM_BASE + 0x3000)
#define BUF_GPA (RAM_BASE + 0x10000)

static uint16_t avail_idx;
static void offer(uint16_t head)
{
	w16(AVAIL_GPA + 4 + 2 * (avail_idx % QN), head);
	avail_idx++;
	w16(AVAIL_GPA + 2, avail_idx);
}

static struct virtq q;
static struct virtq_chain chain;

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof ram);
	memset(&q, 0, sizeof q);
	avail_idx = 0;
	q.num = QN;
	q.desc_gpa = DESC_GPA;
	q.avail_gpa = AVAIL_GPA;
	q.used_gpa = USED_GPA;
	q.dir = VIRTQ_DEV_READS | VIRTQ_DEV_WRITES;
	q.indirect_ok = 1;
	q.gpa = fake_gpa;
	assert_int_equal(virtq_start(&q), 0);
	return 0;
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_EMPTY);
}

static void test_simple_chain_and_used(void **state)
{
	(void)state;
	memcpy(at(BUF_GPA), "hello ", 6);
	memcpy(at(BUF_GPA + 0x100), "world", 5);
	put_desc(DESC_GPA, 3, BUF_GPA, 6, VIRTQ_DESC_F_NEXT, 5);
	put_desc(DESC_GPA, 5, BUF_GPA + 0x100, 5, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC_GPA, 1, BUF_GPA + 0x200, 16, VIRTQ_DESC_F_WRITE, 0);
	offer(3);
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_CHAIN);
	assert_int_equal(chain.head, 3);
	assert_int_equal(chain.nread, 2);
	assert_int_equal(chain.nwrite, 1);
	assert_int_equal(chain.read_len, 11);
	assert_int_equal(chain.write_len, 16);
	char got[16] = {0};
	assert_int_equal(virtq_chain_read(&chain, 0, got, sizeof got), 11);
	assert_string_equal(got, "hello world");
	assert_int_equal(virtq_chain_read(&chain, 4, got, 4), 4);
	assert_memory_equal(got, "o wo", 4);
	assert_int_equal(virtq_chain_write(&chain, 0, "0123456789abcdefXYZ", 19), 16);
	assert_memory_equal(at(BUF_GPA + 0x200), "0123456789abcdef", 16);
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_EMPTY);

	assert_int_equal(virtq_push(&q, 3, 16), 1);
	assert_int_equal(r16(USED_GPA + 2), 1);
	assert_int_equal(r32(USED_GPA + 4), 3);
	assert_int_equal(r32(USED_GPA + 8), 16);
}

static void test_no_interrupt_flag(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, BUF_GPA, 4, 0, 0);
	offer(0);
	w16(AVAIL_GPA, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_CHAIN);
	assert_int_equal(virtq_push(&q, 0, 0), 0);
	assert_int_equal(r16(USED_GPA + 2), 1);
}

static void test_ring_wraps(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 2, BUF_GPA, 4, 0, 0);
	for (unsigned n = 0; n < 3 * QN; n++) {
		offer(2);
		assert_int_equal(virtq_pop(&q, &chain), VIRTQ_CHAIN);
		assert_int_equal(chain.head, 2);
		virtq_push(&q, 2, 0);
	}
	assert_int_equal(r16(USED_GPA + 2), 3 * QN);
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_EMPTY);
}

static void test_indirect(void **state)
{
	(void)state;
	uint64_t table = RAM_BASE + 0x8000;
	memcpy(at(BUF_GPA), "abc", 3);
	memcpy(at(BUF_GPA + 0x10), "def", 3);
	put_desc(table, 0, BUF_GPA, 3, VIRTQ_DESC_F_NEXT, 2);
	put_desc(table, 2, BUF_GPA + 0x10, 3, VIRTQ_DESC_F_NEXT, 1);
	put_desc(table, 1, BUF_GPA + 0x20, 8, VIRTQ_DESC_F_WRITE, 0);
	put_desc(DESC_GPA, 4, table, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	offer(4);
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_CHAIN);
	assert_int_equal(chain.nread, 2);
	assert_int_equal(chain.nwrite, 1);
	char got[6];
	assert_int_equal(virtq_chain_read(&chain, 0, got, 6), 6);
	assert_memory_equal(got, "abcdef", 6);
}

/* Each broken case: expect VIRTQ_BROKEN and a reason containing `needle`. */
static void expect_broken(const char *needle)
{
	assert_int_equal(virtq_pop(&q, &chain), VIRTQ_BROKEN);
	if (!strstr(q.why, needle))
		fail_msg("reason '%s' does not mention '%s'", q.why, needle);
}

static void test_loop_direct(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, BUF_GPA, 4, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC_GPA, 1, BUF_GPA, 4, VIRTQ_DESC_F_NEXT, 0);
	offer(0);
	expect_broken("loop");
}

static void test_self_loop_indirect(void **state)
{
	(void)state;
	uint64_t table = RAM_BASE + 0x8000;
	put_desc(table, 0, BUF_GPA, 4, VIRTQ_DESC_F_NEXT, 1);
	put_desc(table, 1, BUF_GPA, 4, VIRTQ_DESC_F_NEXT, 1);
	put_desc(DESC_GPA, 0, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("loop");
}

static void test_outside_ram(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, 0x1000, 4, 0, 0);
	offer(0);
	expect_broken("not inside guest RAM");
}

static void test_straddles_ram_end(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, RAM_BASE + RAM_SIZE - 4, 8, 0, 0);
	offer(0);
	expect_broken("not inside guest RAM");
}

static void test_enormous_length_wraps(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, UINT64_MAX - 8, 0xFFFFFFFFu, 0, 0);
	offer(0);
	expect_broken("not inside guest RAM");
	setup(NULL);
	put_desc(DESC_GPA, 0, BUF_GPA, 0xFFFFFFFFu, 0, 0);
	offer(0);
	expect_broken("not inside guest RAM");
}

static void test_next_out_of_range(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, BUF_GPA, 4, VIRTQ_DESC_F_NEXT, QN);
	offer(0);
	expect_broken("past the queue size");
}

static void test_head_out_of_range(void **state)
{
	(void)state;
	offer(QN + 3);
	expect_broken("names descriptor");
}

static void test_avail_idx_runaway(void **state)
{
	(void)state;
	w16(AVAIL_GPA + 2, QN + 1);
	expect_broken("ahead");
}

static void test_readable_after_writable(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, BUF_GPA, 4, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	put_desc(DESC_GPA, 1, BUF_GPA, 4, 0, 0);
	offer(0);
	expect_broken("readable after a device-writable");
}

static void test_direction_policy(void **state)
{
	(void)state;
	q.dir = VIRTQ_DEV_READS;
	put_desc(DESC_GPA, 0, BUF_GPA, 4, VIRTQ_DESC_F_WRITE, 0);
	offer(0);
	expect_broken("device-writable");
	setup(NULL);
	q.dir = VIRTQ_DEV_WRITES;
	put_desc(DESC_GPA, 0, BUF_GPA, 4, 0, 0);
	offer(0);
	expect_broken("device-readable");
}

static void test_nested_indirect(void **state)
{
	(void)state;
	uint64_t table = RAM_BASE + 0x8000;
	put_desc(table, 0, RAM_BASE + 0x9000, 16, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(DESC_GPA, 0, table, 16, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("nesting");
}

static void test_indirect_bad_length(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, RAM_BASE + 0x8000, 20, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("multiple of 16");
	setup(NULL);
	put_desc(DESC_GPA, 0, RAM_BASE + 0x8000, 0, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("multiple of 16");
}

static void test_indirect_outside_ram(void **state)
{
	(void)state;
	put_desc(DESC_GPA, 0, RAM_BASE + RAM_SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("not inside guest RAM");
}

static void test_indirect_not_negotiated(void **state)
{
	(void)state;
	q.indirect_ok = 0;
	put_desc(DESC_GPA, 0, RAM_BASE + 0x8000, 16, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("not negotiated");
}

static void test_indirect_with_next(void **state)
{
	(void)state;
	put_desc(RAM_BASE + 0x8000, 0, BUF_GPA, 4, 0, 0);
	put_desc(DESC_GPA, 0, RAM_BASE + 0x8000, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
	offer(0);
	expect_broken("NEXT");
}

static void test_start_checks(void **state)
{
	(void)state;
	struct virtq b = q;
	b.num = 6;
	assert_int_equal(virtq_start(&b), -1);
	assert_non_null(strstr(b.why, "power of two"));
	b = q;
	b.desc_gpa = DESC_GPA + 8;
	assert_int_equal(virtq_start(&b), -1);
	assert_non_null(strstr(b.why, "aligned"));
	b = q;
	b.used_gpa = RAM_BASE + RAM_SIZE - 8;
	assert_int_equal(virtq_start(&b), -1);
	assert_non_null(strstr(b.why, "not inside guest RAM"));
	assert_int_equal(b.ready, 0);
	assert_int_equal(virtq_pop(&b, &chain), VIRTQ_EMPTY);
}

/* Property: whatever the guest writes into the rings, virtq_pop returns
 * either nothing, a reason, or a chain whose every segment lies inside
 * RAM; it never reads outside RAM (ASan checks that) and never loops.
 * Deterministic pseudo-random descriptors, biased towards the interesting
 * cases (next in range, flags combinations, addresses near RAM's ends). */
static uint32_t rng = 0x12345678u;
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}
static uint64_t rand_addr(void)
{
	switch (next_rand() % 6) {
	case 0: return RAM_BASE + next_rand() % RAM_SIZE;
	case 1: return RAM_BASE + RAM_SIZE - (next_rand() % 64);
	case 2: return RAM_BASE - (next_rand() % 64);
	case 3: return UINT64_MAX - (next_rand() % 4096);
	case 4: return RAM_BASE + 0x8000 + 16 * (next_rand() % 8); /* an indirect table area */
	default: return ((uint64_t)next_rand() << 32) | next_rand();
	}
}
static uint32_t rand_len(void)
{
	switch (next_rand() % 5) {
	case 0: return 0;
	case 1: return 16 * (1 + next_rand() % 8);
	case 2: return 0xFFFFFFFFu - next_rand() % 16;
	default: return next_rand() % 4096;
	}
}

static void test_random_rings_never_escape(void **state)
{
	(void)state;
	unsigned chains = 0, broken = 0;
	for (unsigned iter = 0; iter < 20000; iter++) {
		for (unsigned i = 0; i < QN; i++)
			put_desc(DESC_GPA, i, rand_addr(), rand_len(), (uint16_t)(next_rand() & 7),
				 (uint16_t)(next_rand() % (QN + 2)));
		for (unsigned i = 0; i < 8; i++)
			put_desc(RAM_BASE + 0x8000, i, rand_addr(), rand_len(), (uint16_t)(next_rand() & 7),
				 (uint16_t)(next_rand() % 10));
		q.indirect_ok = (int)(next_rand() & 1);
		q.dir = 1 + next_rand() % 3;
		w16(AVAIL_GPA + 4 + 2 * (avail_idx % QN), (uint16_t)(next_rand() % (QN + 1)));
		avail_idx = (uint16_t)(avail_idx + ((next_rand() % 16) == 0 ? 40 : 1));
		w16(AVAIL_GPA + 2, avail_idx);
		enum virtq_status st = virtq_pop(&q, &chain);
		if (st == VIRTQ_CHAIN) {
			chains++;
			assert_true(chain.nread + chain.nwrite <= VIRTQ_MAX_SEGS);
			for (unsigned k = 0; k < chain.nread + chain.nwrite; k++) {
				const struct virtq_seg *g = &chain.seg[k];
				assert_true(g->host >= ram && g->host <= ram + RAM_SIZE);
				assert_true(g->len <= (size_t)(ram + RAM_SIZE - g->host));
				assert_true(g->gpa >= RAM_BASE && g->gpa - RAM_BASE + g->len <= RAM_SIZE);
			}
			virtq_push(&q, chain.head, 0);
		} else if (st == VIRTQ_BROKEN) {
			broken++;
			assert_true(q.why[0] != 0);
			/* the driver resets the queue */
			avail_idx = 0;
			w16(AVAIL_GPA + 2, 0);
			assert_int_equal(virtq_start(&q), 0);
		}
	}
	/* Both outcomes must actually occur, or the generator is useless. */
	assert_true(chains > 100);
	assert_true(broken > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_simple_chain_and_used, setup),
		cmocka_unit_test_setup(test_no_interrupt_flag, setup),
		cmocka_unit_test_setup(test_ring_wraps, setup),
		cmocka_unit_test_setup(test_indirect, setup),
		cmocka_unit_test_setup(test_loop_direct, setup),
		cmocka_unit_test_setup(test_self_loop_indirect, setup),
		cmocka_unit_test_setup(test_outside_ram, setup),
		cmocka_unit_test_setup(test_straddles_ram_end, setup),
		cmocka_unit_test_setup(test_enormous_length_wraps, setup),
		cmocka_unit_test_setup(test_next_out_of_range, setup),
		cmocka_unit_test_setup(test_head_out_of_range, setup),
		cmocka_unit_test_setup(test_avail_idx_runaway, setup),
		cmocka_unit_test_setup(test_readable_after_writable, setup),
		cmocka_unit_test_setup(test_direction_policy, setup),
		cmocka_unit_test_setup(test_nested_indirect, setup),
		cmocka_unit_test_setup(test_indirect_bad_length, setup),
		cmocka_unit_test_setup(test_indirect_outside_ram, setup),
		cmocka_unit_test_setup(test_indirect_not_negotiated, setup),
		cmocka_unit_test_setup(test_indirect_with_next, setup),
		cmocka_unit_test_setup(test_start_checks, setup),
		cmocka_unit_test_setup(test_random_rings_never_escape, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
