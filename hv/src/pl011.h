/*
 * pl011.h - Arm PrimeCell UART (PL011, DDI 0183): output goes to a FILE
 * (stdout), input comes from a file descriptor (stdin when it is a terminal
 * or a pipe) into a 32-byte receive FIFO; the interrupt line is
 * (RIS & IMSC) != 0.
 */
#ifndef HV_PL011_H
#define HV_PL011_H

#include <stdint.h>
#include <stdio.h>

struct pl011;

/* set_irq(ctx, level) drives the interrupt line.  in_fd < 0: no input. */
struct pl011 *pl011_create(FILE *out, int in_fd, void (*set_irq)(void *ctx, int level),
			   void *ctx);
void pl011_destroy(struct pl011 *u);
uint64_t pl011_read(void *u, uint64_t off, unsigned size);
void pl011_write(void *u, uint64_t off, uint64_t val, unsigned size);
/* Move whatever input is available (non-blocking) into the receive FIFO. */
void pl011_poll_input(struct pl011 *u);
/* Push received bytes directly (used by pl011_poll_input and by tests). */
void pl011_receive(struct pl011 *u, const uint8_t *data, size_t len);
/* Bytes written by the guest so far. */
uint64_t pl011_tx_count(const struct pl011 *u);

#endif
