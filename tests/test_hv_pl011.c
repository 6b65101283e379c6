/* test_hv_pl011.c - the PL011 model: output, receive FIFO, interrupts, IDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pl011.h"

#define DR 0x000
#define FR 0x018
#define IMSC 0x038
#define RIS 0x03C
#define MIS 0x040
#define ICR 0x044
#define CR 0x030

static int irq_level, irq_changes;
static void set_irq(void *ctx, int level)
{
	irq_level = level;
	irq_changes++;
}

static void test_output_and_ids(void **state)
{
	char buf[64] = { 0 };
	FILE *out = fmemopen(buf, sizeof buf, "w");
	struct pl011 *u = pl011_create(out, -1, set_irq, NULL);
	assert_int_equal(pl011_read(u, CR, 4), 0x300); /* reset value */
	for (const char *p = "hi\n"; *p; p++)
		pl011_write(u, DR, (uint8_t)*p, 4);
	fflush(out);
	assert_string_equal(buf, "hi\n");
	assert_int_equal(pl011_tx_count(u), 3);
	uint32_t fr = (uint32_t)pl011_read(u, FR, 4);
	assert_true(fr & (1u << 7)); /* TXFE */
	assert_false(fr & (1u << 5)); /* never TXFF */
	assert_true(fr & (1u << 4)); /* RXFE */
	static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	for (int i = 0; i < 8; i++)
		assert_int_equal(pl011_read(u, 0xFE0 + 4 * i, 4), ids[i]);
	pl011_destroy(u);
	fclose(out);
}

static void test_receive_and_interrupts(void **state)
{
	irq_level = irq_changes = 0;
	FILE *sink = fopen("/dev/null", "w");
	assert_non_null(sink);
	struct pl011 *u = pl011_create(sink, -1, set_irq, NULL);
	pl011_receive(u, (const uint8_t *)"ab", 2);
	assert_int_equal(irq_level, 0); /* masked */
	assert_true(pl011_read(u, RIS, 4) & (1u << 4));
	pl011_write(u, IMSC, 1u << 4, 4); /* RXIM */
	assert_int_equal(irq_level, 1);
	assert_int_equal(pl011_read(u, MIS, 4), 1u << 4);
	assert_false(pl011_read(u, FR, 4) & (1u << 4));
	assert_int_equal(pl011_read(u, DR, 4), 'a');
	assert_int_equal(irq_level, 1);
	assert_int_equal(pl011_read(u, DR, 4), 'b');
	assert_int_equal(irq_level, 0); /* FIFO drained */
	assert_true(pl011_read(u, FR, 4) & (1u << 4));
	assert_int_equal(pl011_read(u, DR, 4), 0);
	/* TX interrupt: raised by a write, cleared by ICR. */
	pl011_write(u, IMSC, 1u << 5, 4);
	pl011_write(u, DR, '.', 4);
	assert_int_equal(irq_level, 1);
	pl011_write(u, ICR, 1u << 5, 4);
	assert_int_equal(irq_level, 0);
	/* The FIFO holds 32 bytes; more are dropped. */
	uint8_t many[40];
	memset(many, 'x', sizeof many);
	pl011_receive(u, many, sizeof many);
	assert_true(pl011_read(u, FR, 4) & (1u << 6)); /* RXFF */
	int n = 0;
	while (!(pl011_read(u, FR, 4) & (1u << 4))) {
		pl011_read(u, DR, 4);
		n++;
	}
	assert_int_equal(n, 32);
	pl011_destroy(u);
	fclose(sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_and_ids),
		cmocka_unit_test(test_receive_and_interrupts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
