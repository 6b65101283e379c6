/*
 * hello-triangle - the first Metal-over-virtio guest.
 *
 * Prints over the UART, finds virtio-metal (device 22) through the DTB's
 * virtio,mmio nodes (or by probing the slots), negotiates VIRTIO_F_VERSION_1,
 * sets up the setup (0) and render (1) queues, reads the display config,
 * compiles a vertex + fragment shader, creates a 4x MSAA render target and
 * a pipeline with sample_count 4 drawing into bgra8Unorm_srgb, then draws a
 * coloured triangle every frame, resolved into the drawable, and presents
 * frames 0, 1, 2, ... one per vsync (the device's config-change interrupt).
 *
 * bootargs: frames=N  power off (PSCI SYSTEM_OFF) after N frames (default:
 *                     run until the host stops the machine)
 *           vsync=irq (default) take the device's interrupt through the GIC:
 *                     a handler acknowledges it and counts vsyncs, the main
 *                     loop sleeps in WFI
 *           vsync=wfi the SPI is enabled in the GIC but IRQs stay masked:
 *                     WFI sleeps until the line rises (a pending interrupt
 *                     wakes WFI even when masked), then InterruptStatus says
 *                     whether it was the vsync
 *           vsync=poll no GIC at all: spin on InterruptStatus
 *
 * Input (virtio-input, slots 1 and 2, when present): every key press cycles
 * the background colour; a tablet click moves the triangle's apex to the
 * clicked x. Events are read at the start of each frame, so an event the
 * host delivers after frame N shows from frame N+1 (metalvisor --events).
 */
#include "mtlproto/encode.h"
#include "runtime.h"
#include "virtio.h"

#define LIB 1u
#define FN_VERTEX 2u
#define FN_FRAGMENT 3u
#define PIPE 4u
#define MSAA_TEX 5u

static const char shader_src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"\n"
	"struct VertexIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    float2 texCoord [[attribute(1)]];\n"
	"    float4 color [[attribute(2)]];\n"
	"};\n"
	"\n"
	"struct VertexOut {\n"
	"    float4 position [[position]];\n"
	"    float4 color;\n"
	"};\n"
	"\n"
	"vertex VertexOut vertex_main(VertexIn in [[stage_in]]) {\n"
	"    VertexOut out;\n"
	"    out.position = float4(in.position, 0.0, 1.0);\n"
	"    out.color = in.color;\n"
	"    return out;\n"
	"}\n"
	"\n"
	"fragment float4 fragment_main(VertexOut in [[stage_in]]) {\n"
	"    return in.color;\n"
	"}\n";

/* The fixed 32-byte vertex layout: float2 position, float2 texCoord, float4 color. */
struct vertex {
	float position[2];
	float texcoord[2];
	float color[4];
};

static uint8_t cmd_buf[16384] __attribute__((aligned(16)));

/* virtio-input: one 8-byte event per eventq buffer. */
#define VIRTIO_INPUT_ID 18u
#define EV_KEY 1u
#define EV_ABS 3u
#define BTN_LEFT 0x110u
struct input_dev {
	struct virtio_dev dev;
	struct vq_mem mem;
	struct vq q;
	uint8_t events[VQ_NUM][8] __attribute__((aligned(8)));
	int present;
	int tablet;
};
static struct input_dev inputs[2];
static unsigned background;     /* index into backgrounds[] */
static float apex_x = 0.0f;     /* clip-space x of the apex, moved by clicks */
static int apex_moved;
static uint32_t last_abs_x;
static const float backgrounds[3][3] = {{0.05f, 0.05f, 0.12f}, {0.10f, 0.25f, 0.10f}, {0.30f, 0.08f, 0.08f}};
static struct vq_mem setup_mem, render_mem;
static struct vq setup_q, render_q;
static struct virtio_dev metal;
static volatile unsigned vsyncs;
enum vsync_mode { VSYNC_WFI, VSYNC_IRQ, VSYNC_POLL };
static enum vsync_mode vsync_mode = VSYNC_IRQ;

static void on_virtio_irq(unsigned intid, void *arg)
{
	(void)intid;
	struct virtio_dev *d = arg;
	uint32_t isr = virtio_isr(d);
	virtio_ack(d, isr);
	if (isr & VINT_CONFIG)
		vsyncs++;
}

static void wait_vsync(void)
{
	if (vsync_mode == VSYNC_IRQ) {
		unsigned seen = vsyncs;
		while (vsyncs == seen)
			wfi();
		return;
	}
	for (;;) {
		uint32_t isr = virtio_isr(&metal);
		if (isr)
			virtio_ack(&metal, isr); /* lowers the level-triggered line */
		if (isr & VINT_CONFIG)
			return;
		if (vsync_mode == VSYNC_WFI)
			wfi();
	}
}

static int submit(struct vq *q, struct mtl_encoder *e, const char *what)
{
	if (mtl_enc_overflowed(e)) {
		printf("hello-triangle: %s commands do not fit in %u bytes\n", what, (unsigned)sizeof cmd_buf);
		return -1;
	}
	if (virtio_send(&metal, q, e->buf, (uint32_t)e->len) < 0) {
		printf("hello-triangle: the device stopped (status 0x%x) during %s\n", virtio_status(&metal), what);
		return -1;
	}
	return 0;
}

/* Select/subsel in the input config space, then the size byte. */
static unsigned input_cfg_size(struct virtio_dev *d, uint8_t select, uint8_t subsel)
{
	*(volatile uint8_t *)(d->base + VMMIO_CONFIG) = select;
	*(volatile uint8_t *)(d->base + VMMIO_CONFIG + 1) = subsel;
	return *(volatile uint8_t *)(d->base + VMMIO_CONFIG + 2);
}

static void input_setup(void)
{
	uintptr_t after = 0;
	for (unsigned n = 0; n < 2; n++) {
		struct input_dev *in = &inputs[n];
		if (virtio_find_after(VIRTIO_INPUT_ID, after, &in->dev) < 0)
			return;
		after = in->dev.base;
		if (virtio_init(&in->dev, 0, NULL) < 0 || virtio_queue_setup(&in->dev, 0, &in->q, &in->mem) < 0)
			continue;
		in->tablet = input_cfg_size(&in->dev, 0x11 /* EV_BITS */, EV_ABS) > 0;
		virtio_driver_ok(&in->dev);
		for (uint16_t i = 0; i < VQ_NUM; i++)
			virtio_give(&in->dev, &in->q, i, in->events[i], 8);
		in->present = 1;
		printf("hello-triangle: %s in slot %u\n", in->tablet ? "tablet" : "keyboard", in->dev.slot);
	}
}

static void input_poll(uint32_t width)
{
	for (unsigned n = 0; n < 2; n++) {
		struct input_dev *in = &inputs[n];
		uint32_t id, len;
		while (in->present && virtio_take_used(&in->q, &id, &len)) {
			if (id >= VQ_NUM)
				break;
			const volatile uint8_t *e = in->events[id];
			uint16_t type = (uint16_t)(e[0] | (e[1] << 8)), code = (uint16_t)(e[2] | (e[3] << 8));
			uint32_t value = e[4] | (e[5] << 8) | ((uint32_t)e[6] << 16) | ((uint32_t)e[7] << 24);
			if (len >= 8 && type == EV_ABS && code == 0) {
				last_abs_x = value;
			} else if (len >= 8 && type == EV_KEY && value == 1) {
				if (in->tablet && code == BTN_LEFT) {
					apex_x = (float)last_abs_x * 2.0f / (float)width - 1.0f;
					apex_moved = 1;
					printf("hello-triangle: click at x=%u\n", last_abs_x);
				} else if (!in->tablet) {
					background = (background + 1) % 3;
					printf("hello-triangle: key %u pressed\n", code);
				}
			}
			virtio_give(&in->dev, &in->q, (uint16_t)id, in->events[id], 8);
		}
	}
}

static int draw_frame(uint32_t frame, uint32_t width, uint32_t height)
{
	/* The triangle drifts sideways a little each frame so consecutive
	 * frames differ; frame N always looks the same. A click pins it. */
	float dx = apex_moved ? apex_x : (float)(frame % 32) * 0.01f - 0.15f;
	const float *bg = backgrounds[background];
	struct vertex v[3] = {
		{{0.0f + dx, 0.6f}, {0.5f, 0.0f}, {1.0f, 0.1f, 0.1f, 1.0f}},
		{{-0.6f + dx, -0.5f}, {0.0f, 1.0f}, {0.1f, 1.0f, 0.1f, 1.0f}},
		{{0.6f + dx, -0.5f}, {1.0f, 1.0f}, {0.1f, 0.2f, 1.0f, 1.0f}},
	};
	(void)width;
	(void)height;
	struct mtl_encoder e;
	mtl_enc_init(&e, cmd_buf, sizeof cmd_buf);
	mtl_enc_begin_render_pass(&e, MSAA_TEX, MTL_DRAWABLE_HANDLE, 0, MTL_LOAD_CLEAR, MTL_STORE_MULTISAMPLE_RESOLVE,
				  MTL_LOAD_DONT_CARE, MTL_STORE_DONT_CARE, bg[0], bg[1], bg[2], 1.0f);
	mtl_enc_set_render_pipeline(&e, PIPE);
	mtl_enc_set_vertex_bytes(&e, 0, v, sizeof v);
	mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
	mtl_enc_end_render_pass(&e);
	mtl_enc_present_and_commit(&e, frame);
	return submit(&render_q, &e, "a frame");
}

int main(const void *dtb)
{
	char val[32];
	unsigned long frames = 0; /* 0: forever */
	int dtb_ok = dt_init(dtb) == 0;
	printf("hello-triangle: starting\n");
	if (dtb_ok) {
		const char *args = dt_bootargs();
		if (cmdline_get(args, "frames", val, sizeof val))
			frames = parse_ulong(val, 0);
		if (cmdline_get(args, "vsync", val, sizeof val)) {
			if (!strcmp(val, "wfi"))
				vsync_mode = VSYNC_WFI;
			else if (!strcmp(val, "poll"))
				vsync_mode = VSYNC_POLL;
			else if (strcmp(val, "irq"))
				printf("hello-triangle: unknown vsync=%s, using irq\n", val);
		}
	}
	if (virtio_find(MTL_VIRTIO_DEVICE_ID, dtb_ok, &metal) < 0) {
		printf("hello-triangle: no virtio-metal device (ID %u); powering off\n", MTL_VIRTIO_DEVICE_ID);
		return 1;
	}
	printf("hello-triangle: virtio-metal in slot %u at 0x%lx\n", metal.slot, (unsigned long)metal.base);
	uint64_t features = 0;
	if (virtio_init(&metal, 0, &features) < 0) {
		printf("hello-triangle: feature negotiation failed\n");
		return 1;
	}
	if (virtio_queue_setup(&metal, MTL_QUEUE_SETUP, &setup_q, &setup_mem) < 0 ||
	    virtio_queue_setup(&metal, MTL_QUEUE_RENDER, &render_q, &render_mem) < 0) {
		printf("hello-triangle: queue setup failed\n");
		return 1;
	}
	if (vsync_mode != VSYNC_POLL) {
		gic_init();
		gic_init_cpu();
		irq_register(32 + VIRTIO_SPI_BASE + metal.slot, on_virtio_irq, &metal); /* also enables it */
	}
	virtio_driver_ok(&metal);
	if (vsync_mode == VSYNC_IRQ)
		irq_enable();

	uint32_t width = virtio_config32(&metal, MTL_CONFIG_WIDTH);
	uint32_t height = virtio_config32(&metal, MTL_CONFIG_HEIGHT);
	uint32_t hz = virtio_config32(&metal, MTL_CONFIG_REFRESH_HZ);
	printf("hello-triangle: display %ux%u at %u Hz (has_display %u), features 0x%lx\n", width, height, hz,
	       virtio_config32(&metal, MTL_CONFIG_HAS_DISPLAY), (unsigned long)features);
	if (width == 0 || height == 0 || width > 8192 || height > 8192) {
		printf("hello-triangle: unusable display size\n");
		return 1;
	}

	struct mtl_encoder e;
	mtl_enc_init(&e, cmd_buf, sizeof cmd_buf);
	mtl_enc_compile_library(&e, LIB, shader_src, sizeof shader_src - 1);
	mtl_enc_get_function(&e, FN_VERTEX, LIB, "vertex_main", 11);
	mtl_enc_get_function(&e, FN_FRAGMENT, LIB, "fragment_main", 13);
	mtl_enc_create_render_pipeline(&e, PIPE, FN_VERTEX, FN_FRAGMENT, 0, MTL_WRITE_ALL, MTL_STENCIL_FORMAT_NONE, 4,
				       MTL_PIXEL_BGRA8_UNORM_SRGB);
	mtl_enc_create_texture(&e, MSAA_TEX, (uint16_t)width, (uint16_t)height, MTL_PIXEL_BGRA8_UNORM_SRGB,
			       MTL_TEXTURE_2D_MULTISAMPLE, 4, MTL_USAGE_RENDER_TARGET);
	if (submit(&setup_q, &e, "setup") < 0)
		return 1;
	printf("hello-triangle: pipeline ready, presenting%s\n", frames ? "" : " until stopped");

	input_setup();
	for (uint32_t frame = 0; frames == 0 || frame < frames; frame++) {
		input_poll(width);
		if (draw_frame(frame, width, height) < 0)
			return 1;
		if (frame < 3 || (frame + 1) % 60 == 0 || frame + 1 == frames)
			printf("hello-triangle: presented frame %u\n", frame);
		wait_vsync();
	}
	printf("hello-triangle: %lu frames done, powering off\n", frames);
	psci_system_off();
}
