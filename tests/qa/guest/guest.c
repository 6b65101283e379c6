/*
 * QA guest — written from the virtio 1.2 spec (virtio-mmio, split
 * virtqueues) and DESIGN §2/§3 only, without examples/common, so the
 * hypervisor meets a driver it was not developed against. It finds the
 * virtio-metal device (ID 22) by probing the four slots, negotiates
 * VIRTIO_F_VERSION_1, sets up queue 0 (setup) and queue 1 (render), and
 * submits qa_stream: each run of commands for one queue is one descriptor
 * chain, split over up to three descriptors at arbitrary byte boundaries
 * (a driver may scatter a buffer), notified and waited for in the used ring.
 * Prints "qa-guest: ok N submissions" on the PL011 and powers off.
 *
 * QA_MODE (compile time) picks how buffers reach the device:
 *   0  direct descriptors, notify per submission
 *   1  VIRTIO_F_INDIRECT_DESC: each chain is one indirect table
 *   2  batching: consecutive submissions for one queue are all made
 *      available first, then one notify (as Linux drivers do)
 * QA_VSYNC: first wait for three vsyncs (config-change interrupt status).
 */
#ifndef QA_MODE
#define QA_MODE 0
#endif
#include <stdint.h>
#include <stddef.h>

#define UART 0x09000000ul
#define VIRTIO_BASE 0x0A000000ul
#define QSIZE 32

extern const uint8_t qa_stream[], qa_stream_end[];
void qa_main(void);

static inline void w32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t r32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mb(void) { __asm__ volatile("dmb sy" ::: "memory"); }

static void putc_(char c)
{
	while (r32(UART + 0x18) & (1u << 5)) /* TXFF */
		;
	w32(UART, (uint32_t)(unsigned char)c);
}
static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}
static void putu(uint32_t v)
{
	char b[12];
	int n = 0;
	do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
	while (n)
		putc_(b[--n]);
}
static void fail(const char *why)
{
	puts_("qa-guest: FAIL: ");
	puts_(why);
	puts_("\n");
	for (;;)
		__asm__ volatile("wfi");
}

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; uint16_t avail_event; };

/* Queue memory: descriptor table 16-aligned, avail 2-aligned, used 4-aligned. */
static struct desc descs[2][QSIZE] __attribute__((aligned(4096)));
static struct avail avails[2] __attribute__((aligned(4096)));
static struct used useds[2] __attribute__((aligned(4096)));
static struct desc indirect[QSIZE][3] __attribute__((aligned(16)));
static uint8_t bounce[256 * 1024] __attribute__((aligned(16)));
static uint32_t bounce_used;
static uint16_t last_used[2];
static unsigned pending[2];   /* chains made available but not yet notified */
static uint16_t next_head[2];

static uintptr_t dev;

static void setup_queue(unsigned q)
{
	w32(dev + 0x030, q);                   /* QueueSel */
	if (r32(dev + 0x044))
		fail("queue already ready");
	uint32_t max = r32(dev + 0x034);       /* QueueNumMax */
	if (max < QSIZE)
		fail("queue too small");
	w32(dev + 0x038, QSIZE);               /* QueueNum */
	uintptr_t d = (uintptr_t)descs[q], a = (uintptr_t)&avails[q], u = (uintptr_t)&useds[q];
	w32(dev + 0x080, (uint32_t)d); w32(dev + 0x084, (uint32_t)(d >> 32));
	w32(dev + 0x090, (uint32_t)a); w32(dev + 0x094, (uint32_t)(a >> 32));
	w32(dev + 0x0A0, (uint32_t)u); w32(dev + 0x0A4, (uint32_t)(u >> 32));
	w32(dev + 0x044, 1);                   /* QueueReady */
}

static void notify_and_wait(unsigned q)
{
	if (!pending[q])
		return;
	mb();
	w32(dev + 0x050, q);                   /* QueueNotify */
	/* DESIGN §3: the host processes the chains before the write returns;
	 * poll the used ring anyway, with a bound. */
	uint16_t want = (uint16_t)(last_used[q] + pending[q]);
	for (uint32_t spin = 0; useds[q].idx != want; spin++) {
		if (spin > 100000000u)
			fail("used ring did not advance after notify");
		mb();
	}
	last_used[q] = want;
	pending[q] = 0;
	bounce_used = 0;                       /* every buffer is back: reuse at once */
	next_head[q] = 0;
	uint32_t isr = r32(dev + 0x060);
	if (isr)
		w32(dev + 0x064, isr);          /* InterruptACK */
}

/* One submission: bytes [p, p+n) on queue q, scattered over 1..3 descriptors. */
static void submit(unsigned q, const uint8_t *p, uint32_t n, unsigned serial)
{
	notify_and_wait(1 - q);                /* keep the stream's order across queues */
	if (QA_MODE != 2 || next_head[q] + 3 > QSIZE || bounce_used + n > sizeof bounce)
		notify_and_wait(q);
	if (n > sizeof bounce - bounce_used)
		fail("submission larger than the bounce buffer");
	uint8_t *buf = &bounce[bounce_used];
	bounce_used += (n + 15) & ~15u;
	for (uint32_t i = 0; i < n; i++) /* the driver's own buffer */
		buf[i] = p[i];
	uint32_t cut1 = n, cut2 = n;
	if (n > 16 && (serial % 3) != 0) {
		cut1 = n / 3 + 1;              /* arbitrary, not at command boundaries */
		cut2 = (serial % 3) == 2 ? n - n / 5 : n;
	}
	uint32_t bounds[4] = { 0, cut1, cut2, n };
	uint16_t head = next_head[q];
	struct desc *table = QA_MODE == 1 ? indirect[head] : &descs[q][head];
	unsigned nd = 0;
	for (unsigned k = 0; k < 3; k++) {
		if (bounds[k + 1] <= bounds[k] && !(k == 0 && n == 0))
			continue;
		table[nd].addr = (uintptr_t)&buf[bounds[k]];
		table[nd].len = bounds[k + 1] - bounds[k];
		table[nd].flags = 0;
		table[nd].next = 0;
		if (nd) {
			table[nd - 1].flags = 1;   /* VIRTQ_DESC_F_NEXT */
			/* direct: indices in the ring's table; indirect: in its own */
			table[nd - 1].next = (uint16_t)(QA_MODE == 1 ? nd : head + nd);
		}
		nd++;
	}
	if (QA_MODE == 1) {
		descs[q][head].addr = (uintptr_t)table;
		descs[q][head].len = nd * (uint32_t)sizeof(struct desc);
		descs[q][head].flags = 4;       /* VIRTQ_DESC_F_INDIRECT */
		descs[q][head].next = 0;
		next_head[q] = (uint16_t)(head + 1);
	} else {
		next_head[q] = (uint16_t)(head + nd);
	}
	uint16_t idx = avails[q].idx;
	avails[q].ring[idx % QSIZE] = head;
	mb();
	avails[q].idx = (uint16_t)(idx + 1);
	pending[q]++;
	if (QA_MODE != 2)
		notify_and_wait(q);
}

static uint32_t rd32le(const uint8_t *p) { return p[0] | (p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }

void qa_main(void)
{
	for (unsigned slot = 0; slot < 4 && !dev; slot++) {
		uintptr_t b = VIRTIO_BASE + slot * 0x200;
		if (r32(b) == 0x74726976 && r32(b + 0x004) == 2 && r32(b + 0x008) == 22)
			dev = b;
	}
	if (!dev)
		fail("no virtio-metal device (ID 22, version 2)");
	w32(dev + 0x070, 0);                   /* reset */
	w32(dev + 0x070, 1);                   /* ACKNOWLEDGE */
	w32(dev + 0x070, 1 | 2);               /* DRIVER */
	w32(dev + 0x014, 1);                   /* DeviceFeaturesSel = 1 */
	if (!(r32(dev + 0x010) & 1))
		fail("VIRTIO_F_VERSION_1 not offered");
	w32(dev + 0x014, 0);
	uint32_t f0 = r32(dev + 0x010);
	if (QA_MODE == 1 && !(f0 & (1u << 28)))
		fail("VIRTIO_F_INDIRECT_DESC not offered");
	w32(dev + 0x024, 0); w32(dev + 0x020, QA_MODE == 1 ? (1u << 28) : 0);
	w32(dev + 0x024, 1); w32(dev + 0x020, 1); /* VERSION_1 (bit 32) */
	w32(dev + 0x070, 1 | 2 | 8);           /* FEATURES_OK */
	if (!(r32(dev + 0x070) & 8))
		fail("FEATURES_OK not accepted");
	setup_queue(0);
	setup_queue(1);
	w32(dev + 0x070, 1 | 2 | 8 | 4);       /* DRIVER_OK */

	uint32_t gen, width, height;
	do {
		gen = r32(dev + 0x0FC);
		width = r32(dev + 0x100);
		height = r32(dev + 0x104);
	} while (gen != r32(dev + 0x0FC));
#ifdef QA_VSYNC
	/* vsync is the config-change interrupt: InterruptStatus bit 1 */
	for (unsigned frame = 0; frame < 3; frame++) {
		uint32_t spin = 0;
		while (!(r32(dev + 0x060) & 2)) {
			if (++spin > 200000000u)
				fail("no config-change (vsync) interrupt status");
		}
		w32(dev + 0x064, 2);
		puts_("qa-guest: vsync ");
		putu(frame);
		puts_(" after ");
		putu(spin);
		puts_(" polls\n");
	}
#endif
	puts_("qa-guest: display ");
	putu(width); putc_('x'); putu(height); putc_('\n');

	/* split the stream into runs of commands per queue (methods
	 * 0x0001..0x00FF on queue 0); a PRESENT ends a submission */
	const uint8_t *p = qa_stream, *end = qa_stream_end, *run = p;
	unsigned run_q = 2, serial = 0;
	while (p + 8 <= end) {
		uint16_t method = (uint16_t)(p[0] | (p[1] << 8));
		uint32_t size = rd32le(p + 4);
		if (size > (uint32_t)(end - p - 8))
			fail("stream truncated");
		unsigned q = (method >= 1 && method <= 0xFF) ? 0 : 1;
		if (run_q != 2 && q != run_q) {
			submit(run_q, run, (uint32_t)(p - run), serial++);
			notify_and_wait(run_q);         /* setup before render, in order */
			run = p;
		}
		run_q = q;
		p += 8 + size;
		if (method == 0x0F00) {
			submit(q, run, (uint32_t)(p - run), serial++);
			run = p;
			run_q = 2;
		}
	}
	if (p != run && run_q != 2)
		submit(run_q, run, (uint32_t)(p - run), serial++);
	notify_and_wait(0);
	notify_and_wait(1);
	puts_("qa-guest: ok ");
	putu(serial);
	puts_(" submissions\n");
}
