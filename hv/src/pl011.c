/* pl011.c - the PL011 UART model (registers as in the PL011 TRM). */
#include "pl011.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02C
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03C
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define FIFO_SIZE 32u

struct pl011 {
	FILE *out;
	int in_fd;
	void (*set_irq)(void *ctx, int level);
	void *ctx;
	uint8_t rx[FIFO_SIZE];
	unsigned rx_head, rx_count;
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr, ilpr;
	int irq_level;
	uint64_t tx_count;
};

static const uint8_t periph_cell_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void update_irq(struct pl011 *u)
{
	int level = (u->ris & u->imsc) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		u->set_irq(u->ctx, level);
	}
}

struct pl011 *pl011_create(FILE *out, int in_fd, void (*set_irq)(void *ctx, int level), void *ctx)
{
	struct pl011 *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->out = out;
	u->in_fd = in_fd;
	u->set_irq = set_irq;
	u->ctx = ctx;
	u->cr = 0x300; /* TXE | RXE, as at reset */
	u->ifls = 0x12;
	return u;
}

void pl011_destroy(struct pl011 *u)
{
	if (u && u->out)
		fflush(u->out);
	free(u);
}

uint64_t pl011_tx_count(const struct pl011 *u) { return u->tx_count; }

void pl011_receive(struct pl011 *u, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len && u->rx_count < FIFO_SIZE; i++) {
		u->rx[(u->rx_head + u->rx_count) % FIFO_SIZE] = data[i];
		u->rx_count++;
	}
	if (u->rx_count)
		u->ris |= INT_RX | INT_RT;
	update_irq(u);
}

void pl011_poll_input(struct pl011 *u)
{
	if (u->in_fd < 0 || u->rx_count >= FIFO_SIZE)
		return;
	uint8_t buf[FIFO_SIZE];
	ssize_t n = read(u->in_fd, buf, FIFO_SIZE - u->rx_count);
	if (n > 0)
		pl011_receive(u, buf, (size_t)n);
	else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		u->in_fd = -1; /* end of input: stop polling */
}

uint64_t pl011_read(void *opaque, uint64_t off, unsigned size)
{
	struct pl011 *u = opaque;
	if (off >= 0xFE0 && off < 0x1000)
		return periph_cell_id[(off - 0xFE0) / 4];
	switch (off) {
	case UARTDR: {
		if (u->rx_count == 0)
			return 0;
		uint8_t c = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
		u->rx_count--;
		if (u->rx_count == 0)
			u->ris &= ~(INT_RX | INT_RT);
		update_irq(u);
		return c;
	}
	case UARTRSR: return 0;
	case UARTFR:
		return FR_TXFE | (u->rx_count == 0 ? FR_RXFE : 0) |
		       (u->rx_count == FIFO_SIZE ? FR_RXFF : 0);
	case UARTILPR: return u->ilpr;
	case UARTIBRD: return u->ibrd;
	case UARTFBRD: return u->fbrd;
	case UARTLCR_H: return u->lcr_h;
	case UARTCR: return u->cr;
	case UARTIFLS: return u->ifls;
	case UARTIMSC: return u->imsc;
	case UARTRIS: return u->ris;
	case UARTMIS: return u->ris & u->imsc;
	case UARTDMACR: return u->dmacr;
	}
	return 0;
}

void pl011_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct pl011 *u = opaque;
	uint32_t v = (uint32_t)val;
	switch (off) {
	case UARTDR:
		/* Transmit at once (the FIFO never fills): byte out, TX interrupt raised. */
		fputc((int)(v & 0xff), u->out);
		if ((v & 0xff) == '\n')
			fflush(u->out);
		u->tx_count++;
		u->ris |= INT_TX;
		break;
	case UARTRSR: break; /* ECR: clear errors (there are none) */
	case UARTILPR: u->ilpr = v & 0xff; break;
	case UARTIBRD: u->ibrd = v & 0xffff; break;
	case UARTFBRD: u->fbrd = v & 0x3f; break;
	case UARTLCR_H: u->lcr_h = v & 0xff; break;
	case UARTCR: u->cr = v & 0xffff; break;
	case UARTIFLS: u->ifls = v & 0x3f; break;
	case UARTIMSC: u->imsc = v & 0x7ff; break;
	case UARTICR:
		u->ris &= ~v;
		break;
	case UARTDMACR: u->dmacr = v & 7; break;
	}
	update_irq(u);
}
