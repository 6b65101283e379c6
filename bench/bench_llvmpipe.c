/*
 * bench_llvmpipe.c — the soft backend against Mesa's llvmpipe (through
 * OSMesa) on the same scene, in the same run:
 *
 *   1024x768, 4x MSAA resolved into an sRGB target, N textured and
 *   vertex-coloured triangles with source-over blending in linear space,
 *   a 256x256 sRGB texture sampled bilinearly with repeat, and a fragment
 *   shader that does what a real UI/sprite shader does (texture * colour,
 *   a little lighting math).
 *
 * Both sides get the same triangles in the same draw batches (128 vertices
 * per draw, the most a 4 KiB setVertexBytes holds), draw the same number of
 * frames, and finish every frame (glFinish / present). Prints times per
 * frame and the ratio soft / llvmpipe (< 1 means we are faster), plus the
 * mean absolute difference of the two images to show they drew the same
 * picture. llvmpipe uses all cores (LP_NUM_THREADS unset) and so does the
 * soft backend.
 *
 * Built without OSMesa (no osmesa.pc) it measures the soft backend alone
 * and says that the comparison was skipped.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "mtlproto/encode.h"
#include "render/replay.h"

#ifndef NO_OSMESA
#define GL_GLEXT_PROTOTYPES 1
#include <GL/osmesa.h>
#include <GL/gl.h>
#include <GL/glext.h>
#endif

#define W 1024
#define H 768
#define TEXN 256
#define VERTS_PER_DRAW 126 /* 42 triangles: fits 4096 bytes at 32 bytes per vertex */

struct vtx {
	float x, y, u, v, r, g, b, a;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process (all threads): on a shared, loaded machine
 * this is steadier than wall time, and both renderers run in-process. */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static double soft_cpu, gl_cpu;

static uint32_t rng = 0x12345678u;
static float frand(void)
{
	rng = rng * 1664525u + 1013904223u;
	return (float)(rng >> 8) / 16777216.0f;
}

/* Triangles of 30..150 px, spread over the screen, translucent. */
static struct vtx *make_scene(unsigned ntris)
{
	struct vtx *v = malloc(sizeof *v * ntris * 3);
	for (unsigned t = 0; t < ntris; t++) {
		float cx = frand() * 2 - 1, cy = frand() * 2 - 1, s = 0.03f + frand() * 0.12f;
		float r = 0.3f + 0.7f * frand(), g = 0.3f + 0.7f * frand(), b = 0.3f + 0.7f * frand();
		float a = 0.35f + 0.5f * frand();
		for (int k = 0; k < 3; k++) {
			float ang = (float)k * 2.0943951f + frand();
			struct vtx *p = &v[t * 3 + k];
			p->x = cx + s * cosf(ang);
			p->y = cy + s * sinf(ang) * (float)W / (float)H;
			p->u = p->x * 2.0f;
			p->v = p->y * 2.0f;
			p->r = r; p->g = g; p->b = b; p->a = a;
		}
	}
	return v;
}

static uint8_t *make_texture(void)
{
	uint8_t *t = malloc(TEXN * TEXN * 4); /* BGRA, sRGB */
	for (int y = 0; y < TEXN; y++)
		for (int x = 0; x < TEXN; x++) {
			uint8_t *p = t + (y * TEXN + x) * 4;
			int check = ((x >> 5) ^ (y >> 5)) & 1;
			p[0] = (uint8_t)(check ? 230 : 90 + (x & 63));
			p[1] = (uint8_t)(check ? 200 : 120 + (y & 63));
			p[2] = (uint8_t)(check ? 160 : 200);
			p[3] = 255;
		}
	return t;
}

static const char MSL[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"struct VertexIn {\n"
	"    float2 position [[attribute(0)]];\n"
	"    float2 texCoord [[attribute(1)]];\n"
	"    float4 color [[attribute(2)]];\n"
	"};\n"
	"struct VertexOut {\n"
	"    float4 position [[position]];\n"
	"    float2 texCoord;\n"
	"    float4 color;\n"
	"};\n"
	"vertex VertexOut vmain(VertexIn in [[stage_in]]) {\n"
	"    VertexOut out;\n"
	"    out.position = float4(in.position, 0.0, 1.0);\n"
	"    out.texCoord = in.texCoord;\n"
	"    out.color = in.color;\n"
	"    return out;\n"
	"}\n"
	"fragment float4 fmain(VertexOut in [[stage_in]],\n"
	"                      texture2d<float, access::sample> tex [[texture(0)]],\n"
	"                      sampler smp [[sampler(0)]]) {\n"
	"    float4 t = tex.sample(smp, in.texCoord);\n"
	"    float2 d = in.texCoord - floor(in.texCoord) - float2(0.5, 0.5);\n"
	"    float light = 0.75 + 0.25 * (1.0 - 2.0 * dot(d, d));\n"
	"    return float4(t.rgb * in.color.rgb * light, in.color.a);\n"
	"}\n";

/* ---- soft backend ------------------------------------------------------ */

static uint8_t *soft_image;

static void on_present(void *user, uint32_t id)
{
	struct replay_engine **e = user;
	struct replay_frame f;
	replay_read_frame(*e, &f);
	memcpy(soft_image, f.pixels, (size_t)W * H * 4);
}

static double run_soft(const struct vtx *v, unsigned ntris, const uint8_t *tex, unsigned frames, unsigned threads)
{
	enum { LIB = 1, VS, FS, PIPE, MS, TEX, SAMP };
	size_t cap = 1 << 20;
	uint8_t *setup = malloc(cap), *frame = malloc(cap);
	struct mtl_encoder e;
	mtl_enc_init(&e, setup, cap);
	mtl_enc_compile_library(&e, LIB, MSL, sizeof MSL - 1);
	mtl_enc_get_function(&e, VS, LIB, "vmain", 5);
	mtl_enc_get_function(&e, FS, LIB, "fmain", 5);
	mtl_enc_create_render_pipeline(&e, PIPE, VS, FS, 1, 15, 0, 4, 6);
	mtl_enc_create_texture(&e, MS, W, H, 6, 1, 4, 4);
	mtl_enc_create_texture(&e, TEX, TEXN, TEXN, 6, 0, 1, 1);
	mtl_enc_upload_texture(&e, TEX, 0, 0, TEXN, TEXN, TEXN * 4, tex, TEXN * TEXN * 4);
	mtl_enc_create_sampler(&e, SAMP, 1, 1, 1, 1);
	size_t setup_len = e.len;
	struct mtl_encoder f;
	mtl_enc_init(&f, frame, cap);
	mtl_enc_begin_render_pass(&f, MS, 0xFFFFFFFFu, 0, 2, 2, 0, 0, 0.05f, 0.05f, 0.08f, 1);
	mtl_enc_set_render_pipeline(&f, PIPE);
	mtl_enc_set_fragment_texture(&f, TEX, 0);
	mtl_enc_set_fragment_sampler(&f, SAMP, 0);
	for (unsigned first = 0; first < ntris * 3; first += VERTS_PER_DRAW) {
		unsigned n = ntris * 3 - first < VERTS_PER_DRAW ? ntris * 3 - first : VERTS_PER_DRAW;
		mtl_enc_set_vertex_bytes(&f, 0, v + first, n * sizeof *v);
		mtl_enc_draw_primitives(&f, 0, 0, n);
	}
	mtl_enc_end_render_pass(&f);
	mtl_enc_present_and_commit(&f, 0);
	if (mtl_enc_overflowed(&e) || mtl_enc_overflowed(&f)) {
		fprintf(stderr, "bench_llvmpipe: stream buffer too small\n");
		exit(1);
	}
	static struct replay_engine *eng;
	struct replay_config cfg = { .width = W, .height = H, .backend = "soft", .threads = threads,
				     .on_present = on_present, .user = &eng };
	char err[256];
	eng = replay_create(&cfg, err, sizeof err);
	if (!eng) {
		fprintf(stderr, "bench_llvmpipe: %s\n", err);
		exit(1);
	}
	replay_submit(eng, setup, setup_len);
	replay_submit(eng, frame, f.len); /* warm-up frame */
	double t0 = now_s(), c0 = cpu_s();
	for (unsigned i = 0; i < frames; i++)
		replay_submit(eng, frame, f.len);
	double t = (now_s() - t0) / frames;
	soft_cpu = (cpu_s() - c0) / frames;
	struct replay_stats st;
	replay_get_stats(eng, &st);
	if (st.ignored) {
		fprintf(stderr, "bench_llvmpipe: soft replay ignored %llu commands: %s\n",
			(unsigned long long)st.ignored, replay_last_error(eng));
		exit(1);
	}
	replay_destroy(eng);
	free(setup);
	free(frame);
	return t;
}

#ifndef NO_OSMESA
/* ---- llvmpipe -------------------------------------------------------------- */

static const char *VS_GLSL =
	"#version 330 core\n"
	"layout(location = 0) in vec2 position;\n"
	"layout(location = 1) in vec2 texCoord;\n"
	"layout(location = 2) in vec4 color;\n"
	"out vec2 vTex; out vec4 vColor;\n"
	"void main() {\n"
	"    vTex = texCoord; vColor = color;\n"
	"    gl_Position = vec4(position, 0.0, 1.0);\n"
	"}\n";
static const char *FS_GLSL =
	"#version 330 core\n"
	"in vec2 vTex; in vec4 vColor;\n"
	"uniform sampler2D tex;\n"
	"out vec4 outColor;\n"
	"void main() {\n"
	"    vec4 t = texture(tex, vTex);\n"
	"    vec2 d = vTex - floor(vTex) - vec2(0.5);\n"
	"    float light = 0.75 + 0.25 * (1.0 - 2.0 * dot(d, d));\n"
	"    outColor = vec4(t.rgb * vColor.rgb * light, vColor.a);\n"
	"}\n";

static GLuint shader(GLenum kind, const char *src)
{
	GLuint s = glCreateShader(kind);
	glShaderSource(s, 1, &src, NULL);
	glCompileShader(s);
	GLint ok;
	glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
	if (!ok) {
		char log[1024];
		glGetShaderInfoLog(s, sizeof log, NULL, log);
		fprintf(stderr, "bench_llvmpipe: GLSL: %s\n", log);
		exit(1);
	}
	return s;
}

static double run_llvmpipe(const struct vtx *v, unsigned ntris, const uint8_t *tex, unsigned frames,
			   uint8_t *image, char *renderer, size_t rlen)
{
	const int attribs[] = { OSMESA_FORMAT, OSMESA_RGBA, OSMESA_DEPTH_BITS, 0, OSMESA_PROFILE, OSMESA_CORE_PROFILE,
				OSMESA_CONTEXT_MAJOR_VERSION, 3, OSMESA_CONTEXT_MINOR_VERSION, 3, 0 };
	OSMesaContext ctx = OSMesaCreateContextAttribs(attribs, NULL);
	if (!ctx)
		return -1;
	static uint8_t window[W * H * 4];
	if (!OSMesaMakeCurrent(ctx, window, GL_UNSIGNED_BYTE, W, H))
		return -1;
	snprintf(renderer, rlen, "%s", (const char *)glGetString(GL_RENDERER));
	GLuint prog = glCreateProgram();
	glAttachShader(prog, shader(GL_VERTEX_SHADER, VS_GLSL));
	glAttachShader(prog, shader(GL_FRAGMENT_SHADER, FS_GLSL));
	glLinkProgram(prog);
	glUseProgram(prog);
	/* 4x MSAA sRGB colour, resolved into a single-sample sRGB target */
	GLuint fbo[2], rb[2];
	glGenFramebuffers(2, fbo);
	glGenRenderbuffers(2, rb);
	glBindRenderbuffer(GL_RENDERBUFFER, rb[0]);
	glRenderbufferStorageMultisample(GL_RENDERBUFFER, 4, GL_SRGB8_ALPHA8, W, H);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo[0]);
	glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[0]);
	glBindRenderbuffer(GL_RENDERBUFFER, rb[1]);
	glRenderbufferStorage(GL_RENDERBUFFER, GL_SRGB8_ALPHA8, W, H);
	glBindFramebuffer(GL_FRAMEBUFFER, fbo[1]);
	glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[1]);
	GLuint t;
	glGenTextures(1, &t);
	glBindTexture(GL_TEXTURE_2D, t);
	glTexImage2D(GL_TEXTURE_2D, 0, GL_SRGB8_ALPHA8, TEXN, TEXN, 0, GL_BGRA, GL_UNSIGNED_BYTE, tex);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
	glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
	glUniform1i(glGetUniformLocation(prog, "tex"), 0);
	GLuint vao, vbo;
	glGenVertexArrays(1, &vao);
	glBindVertexArray(vao);
	glGenBuffers(1, &vbo);
	glBindBuffer(GL_ARRAY_BUFFER, vbo);
	glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof *v * ntris * 3), v, GL_STATIC_DRAW);
	glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 32, (void *)0);
	glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 32, (void *)8);
	glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, 32, (void *)16);
	for (int i = 0; i < 3; i++)
		glEnableVertexAttribArray((GLuint)i);
	glEnable(GL_FRAMEBUFFER_SRGB);
	glEnable(GL_BLEND);
	/* DESIGN §3: RGB src*a + dst*(1-a), alpha src + dst*(1-a) */
	glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
	glViewport(0, 0, W, H);
	double t0 = 0, c0 = 0;
	for (unsigned i = 0; i <= frames; i++) {
		if (i == 1) {
			t0 = now_s(); /* frame 0 warms up (shader JIT) */
			c0 = cpu_s();
		}
		glBindFramebuffer(GL_FRAMEBUFFER, fbo[0]);
		/* the clear colour is linear; GL encodes it for the sRGB target */
		glClearColor(0.05f, 0.05f, 0.08f, 1);
		glClear(GL_COLOR_BUFFER_BIT);
		for (unsigned first = 0; first < ntris * 3; first += VERTS_PER_DRAW) {
			unsigned n = ntris * 3 - first < VERTS_PER_DRAW ? ntris * 3 - first : VERTS_PER_DRAW;
			glDrawArrays(GL_TRIANGLES, (GLint)first, (GLsizei)n);
		}
		glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo[0]);
		glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fbo[1]);
		glBlitFramebuffer(0, 0, W, H, 0, 0, W, H, GL_COLOR_BUFFER_BIT, GL_NEAREST);
		glFinish();
	}
	double tf = (now_s() - t0) / frames;
	gl_cpu = (cpu_s() - c0) / frames;
	glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo[1]);
	glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, image);
	/* GL rows go bottom-up */
	static uint8_t row[W * 4];
	for (int y = 0; y < H / 2; y++) {
		memcpy(row, image + (size_t)y * W * 4, W * 4);
		memcpy(image + (size_t)y * W * 4, image + (size_t)(H - 1 - y) * W * 4, W * 4);
		memcpy(image + (size_t)(H - 1 - y) * W * 4, row, W * 4);
	}
	OSMesaDestroyContext(ctx);
	return tf;
}
#endif

int main(int argc, char **argv)
{
	unsigned ntris = 2000, frames = 10, threads = 0;
	int soft_only = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--soft-only")) {
			soft_only = 1;
		} else if (i + 1 < argc && !strcmp(argv[i], "--triangles")) {
			ntris = (unsigned)atoi(argv[++i]);
		} else if (i + 1 < argc && !strcmp(argv[i], "--frames")) {
			frames = (unsigned)atoi(argv[++i]);
		} else if (i + 1 < argc && !strcmp(argv[i], "--threads")) {
			threads = (unsigned)atoi(argv[++i]);
		} else {
			ntris = 0;
			break;
		}
	}
	if (ntris < 1 || frames < 1) {
		fprintf(stderr, "usage: bench_llvmpipe [--triangles N] [--frames N] [--threads N] [--soft-only]\n");
		return 2;
	}
	struct vtx *v = make_scene(ntris);
	uint8_t *tex = make_texture();
	soft_image = calloc((size_t)W * H, 4);
	printf("scene: %ux%u, 4x MSAA -> sRGB, %u blended textured triangles in draws of %u vertices, %u frames\n", W,
	       H, ntris, VERTS_PER_DRAW, frames);
	double ts = run_soft(v, ntris, tex, frames, threads);
	printf("soft backend:  %8.2f ms/frame wall, %8.2f ms/frame CPU\n", ts * 1e3, soft_cpu * 1e3);
	/* FNV-1a of the soft image: optimisations must leave it unchanged. */
	uint64_t hash = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < (size_t)W * H * 4; i++)
		hash = (hash ^ soft_image[i]) * 0x100000001b3ull;
	printf("soft image hash: %016llx\n", (unsigned long long)hash);
#ifndef NO_OSMESA
	if (soft_only)
		goto done;
	uint8_t *gl_image = calloc((size_t)W * H, 4);
	char renderer[128] = "";
	double tg = run_llvmpipe(v, ntris, tex, frames, gl_image, renderer, sizeof renderer);
	if (tg < 0) {
		printf("llvmpipe:      could not create an OSMesa GL 3.3 core context; comparison skipped\n");
	} else {
		double diff = 0;
		for (size_t i = 0; i < (size_t)W * H * 4; i++)
			diff += abs((int)soft_image[i] - (int)gl_image[i]);
		printf("llvmpipe:      %8.2f ms/frame wall, %8.2f ms/frame CPU (%s)\n", tg * 1e3, gl_cpu * 1e3, renderer);
		printf("ratio soft/llvmpipe: %.2f wall, %.2f CPU (%s)\n", ts / tg, gl_cpu > 0 ? soft_cpu / gl_cpu : 0,
		       ts <= tg ? "soft is faster or equal" : "soft is slower");
		printf("mean |difference| of the two images: %.3f of 255 per channel\n", diff / ((double)W * H * 4));
	}
	free(gl_image);
done:
#else
	(void)soft_only;
	printf("llvmpipe: not built (no OSMesa); comparison skipped\n");
#endif
	free(v);
	free(tex);
	free(soft_image);
	return 0;
}
