/*
 * run_tool.c — `mtlshader run`: compile a .metal file, run one kernel over
 * a grid with the buffers and textures given on the command line, and print
 * what the kernel left in them (docs/MSL.md "## Executor").
 *
 *   mtlshader run FILE.metal --kernel NAME --grid X[,Y[,Z]]
 *       [--threadgroup X[,Y[,Z]]]
 *       [--buffer N=HEX | N=@FILE | N=zero:SIZE]...
 *       [--texture N=WxH[:rgba8|:rgba32f|:r32f] | N=@FILE.png]...
 *       [--png N=OUT.png]... [--format hex|f32|u32|i32] [--json]
 *
 * Exit status: 0 ran, 1 the shader failed to compile or run, 2 usage or
 * unreadable input.
 */
#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msl/exec.h"
#include "msl/msl.h"

#define MAX_TEX_DIM 8192u
#define MAX_BUFFER_BYTES (64u << 20)

enum fmt { FMT_RGBA8, FMT_RGBA32F, FMT_R32F };

struct tool_tex {
	int used;
	uint32_t w, h;
	enum fmt fmt;
	float *px;              /* w*h*4 */
	struct msl_exec_texture view;
};

struct tool {
	const char *file, *kernel;
	uint32_t grid[3], tg[3];
	int tg_given, json;
	const char *format;
	struct msl_exec_buffer buf[MSL_EXEC_MAX_BUFFERS];
	int buf_used[MSL_EXEC_MAX_BUFFERS];
	struct tool_tex tex[MSL_EXEC_MAX_TEXTURES];
	const char *png[MSL_EXEC_MAX_TEXTURES];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mtlshader run FILE.metal --kernel NAME --grid X[,Y[,Z]] [options]\n"
		"  --threadgroup X[,Y[,Z]]   threads per threadgroup (default: up to 64 in x)\n"
		"  --buffer N=HEX            [[buffer(N)]] with these bytes (e.g. 0000803f)\n"
		"  --buffer N=@FILE          ... with the contents of FILE\n"
		"  --buffer N=zero:SIZE      ... with SIZE zero bytes\n"
		"  --texture N=WxH[:FMT]     [[texture(N)]], zero-filled; FMT rgba8 (default),\n"
		"                            rgba32f or r32f\n"
		"  --texture N=@FILE.png     [[texture(N)]] from a PNG (as rgba8)\n"
		"  --png N=OUT.png           write texture N as an 8-bit RGBA PNG after the run\n"
		"  --format hex|f32|u32|i32  how to print buffers (default hex)\n"
		"  --json                    print {\"buffers\":[...],\"textures\":[...]}\n"
		"Prints every bound buffer and texture after the run.\n"
		"Exit: 0 ran, 1 compile or run error, 2 usage or unreadable input.\n");
}

static int parse_u32(const char *s, char **end, uint32_t *out)
{
	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	unsigned long v = strtoul(s, end, 10);
	if (errno || v > 0xffffffffUL)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_dims(const char *s, uint32_t out[3])
{
	out[0] = out[1] = out[2] = 1;
	for (int i = 0; i < 3; i++) {
		char *end;
		if (parse_u32(s, &end, &out[i]) || out[i] == 0)
			return -1;
		if (*end == 0)
			return 0;
		if (*end != ',' || i == 2)
			return -1;
		s = end + 1;
	}
	return -1;
}

/* "N=rest": the binding index, bounded by max. */
static const char *parse_index(const char *s, uint32_t max, uint32_t *idx)
{
	char *end;
	if (parse_u32(s, &end, idx) || *end != '=' || *idx >= max)
		return NULL;
	return end + 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static int load_buffer(struct tool *t, const char *arg)
{
	uint32_t i;
	const char *v = parse_index(arg, MSL_EXEC_MAX_BUFFERS, &i);
	if (!v) {
		fprintf(stderr, "mtlshader run: --buffer %s: expected N=HEX|@FILE|zero:SIZE with N < %u\n",
			arg, MSL_EXEC_MAX_BUFFERS);
		return 2;
	}
	if (t->buf_used[i]) {
		fprintf(stderr, "mtlshader run: --buffer %u given twice\n", i);
		return 2;
	}
	uint8_t *data = NULL;
	size_t size = 0;
	if (v[0] == '@') {
		FILE *f = fopen(v + 1, "rb");
		if (!f) {
			fprintf(stderr, "mtlshader run: %s: %s\n", v + 1, strerror(errno));
			return 2;
		}
		data = malloc(MAX_BUFFER_BYTES);
		size = data ? fread(data, 1, MAX_BUFFER_BYTES, f) : 0;
		int more = data && fgetc(f) != EOF;
		int bad = ferror(f);
		fclose(f);
		if (!data || bad || more) {
			fprintf(stderr, "mtlshader run: %s: %s\n", v + 1,
				!data ? "out of memory" : more ? "larger than 64 MiB" : "read error");
			free(data);
			return 2;
		}
	} else if (strncmp(v, "zero:", 5) == 0) {
		uint32_t n;
		char *end;
		if (parse_u32(v + 5, &end, &n) || *end || n == 0 || n > MAX_BUFFER_BYTES) {
			fprintf(stderr, "mtlshader run: --buffer %s: size must be 1..%u\n", arg, MAX_BUFFER_BYTES);
			return 2;
		}
		size = n;
		data = calloc(1, size);
	} else {
		size_t len = strlen(v);
		if (len == 0 || len % 2 || len / 2 > MAX_BUFFER_BYTES) {
			fprintf(stderr, "mtlshader run: --buffer %s: hex bytes must come in pairs\n", arg);
			return 2;
		}
		size = len / 2;
		data = malloc(size);
		for (size_t k = 0; data && k < size; k++) {
			int hi = hexval(v[2 * k]), lo = hexval(v[2 * k + 1]);
			if (hi < 0 || lo < 0) {
				fprintf(stderr, "mtlshader run: --buffer %s: not a hex digit at character %zu\n",
					arg, 2 * k + (hi < 0 ? 0 : 1) + (size_t)(v - arg) + 1);
				free(data);
				return 2;
			}
			data[k] = (uint8_t)(hi << 4 | lo);
		}
	}
	if (!data && size) {
		fprintf(stderr, "mtlshader run: out of memory\n");
		return 2;
	}
	if (size == 0) {
		fprintf(stderr, "mtlshader run: --buffer %u is empty\n", i);
		free(data);
		return 2;
	}
	t->buf[i].data = data;
	t->buf[i].size = size;
	t->buf_used[i] = 1;
	return 0;
}

/* ---- textures ------------------------------------------------------------ */

static float quantize(const struct tool_tex *t, float v)
{
	if (t->fmt != FMT_RGBA8)
		return v;
	if (!(v > 0.0f))
		return 0.0f;
	if (v >= 1.0f)
		return 1.0f;
	return floorf(v * 255.0f + 0.5f) / 255.0f;
}

static int wrap(int i, int n, int mode, int *zero)
{
	switch (mode) {
	case MSL_EXEC_ADDR_REPEAT: i %= n; return i < 0 ? i + n : i;
	case MSL_EXEC_ADDR_MIRRORED_REPEAT: {
		int p = 2 * n;
		i %= p;
		if (i < 0)
			i += p;
		return i < n ? i : p - 1 - i;
	}
	case MSL_EXEC_ADDR_CLAMP_TO_ZERO: case MSL_EXEC_ADDR_CLAMP_TO_BORDER:
		if (i < 0 || i >= n)
			*zero = 1;
		return i < 0 ? 0 : i >= n ? n - 1 : i;
	default: return i < 0 ? 0 : i >= n ? n - 1 : i;
	}
}

static void texel(const struct tool_tex *t, const struct msl_exec_sampler *s, int x, int y, float o[4])
{
	int zero = 0;
	x = wrap(x, (int)t->w, s->s_address, &zero);
	y = wrap(y, (int)t->h, s->t_address, &zero);
	for (int c = 0; c < 4; c++)
		o[c] = zero ? (s->border == 2 || (c == 3 && s->border == 1) ? 1.0f : 0.0f)
			    : t->px[((size_t)y * t->w + (size_t)x) * 4 + c];
}

static void tex_sample(void *ctx, const struct msl_exec_sampler *s, uint32_t n, const uint8_t *active,
		       const float *u, const float *v, float *out)
{
	const struct tool_tex *t = ctx;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		float x = u[l], y = v[l];
		if (s->coord == MSL_EXEC_COORD_NORMALIZED) {
			x *= (float)t->w;
			y *= (float)t->h;
		}
		if (!isfinite(x) || !isfinite(y) || fabsf(x) > 1e9f || fabsf(y) > 1e9f) {
			for (int c = 0; c < 4; c++)
				out[c * n + l] = 0.0f;
			continue;
		}
		float o[4] = { 0, 0, 0, 0 };
		if (s->mag_filter == MSL_EXEC_FILTER_LINEAR) {
			float fx = x - 0.5f, fy = y - 0.5f;
			float x0 = floorf(fx), y0 = floorf(fy);
			float ax = fx - x0, ay = fy - y0;
			for (int j = 0; j < 2; j++)
				for (int i = 0; i < 2; i++) {
					float p[4];
					texel(t, s, (int)x0 + i, (int)y0 + j, p);
					float w = (i ? ax : 1 - ax) * (j ? ay : 1 - ay);
					for (int c = 0; c < 4; c++)
						o[c] += w * p[c];
				}
		} else {
			texel(t, s, (int)floorf(x), (int)floorf(y), o);
		}
		for (int c = 0; c < 4; c++)
			out[c * n + l] = o[c];
	}
}

static void tex_read(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x,
		     const uint32_t *y, const uint32_t *smp, float *out)
{
	const struct tool_tex *t = ctx;
	(void)smp;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l])
			continue;
		int in = x[l] < t->w && y[l] < t->h;
		for (int c = 0; c < 4; c++)
			out[c * n + l] = in ? t->px[((size_t)y[l] * t->w + x[l]) * 4 + c] : 0.0f;
	}
}

static void tex_write(void *ctx, uint32_t n, const uint8_t *active, const uint32_t *x,
		      const uint32_t *y, const float *in)
{
	struct tool_tex *t = ctx;
	for (uint32_t l = 0; l < n; l++) {
		if (!active[l] || x[l] >= t->w || y[l] >= t->h)
			continue;
		float *p = &t->px[((size_t)y[l] * t->w + x[l]) * 4];
		for (int c = 0; c < 4; c++)
			p[c] = quantize(t, in[c * n + l]);
		if (t->fmt == FMT_R32F)
			p[1] = p[2] = 0.0f, p[3] = 1.0f;
	}
}

/* Read an 8-bit RGBA image (any PNG, converted) into t->tex[i]. */
static int load_png_texture(struct tool *t, uint32_t i, const char *path)
{
	struct tool_tex *tx = &t->tex[i];
	if (tx->used) {
		fprintf(stderr, "mtlshader run: --texture %u given twice\n", i);
		return 2;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mtlshader run: %s: %s\n", path, strerror(errno));
		return 2;
	}
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *volatile row = NULL;
	if (!png || !info || setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(row);
		free(tx->px);
		tx->px = NULL;
		fclose(f);
		fprintf(stderr, "mtlshader run: %s: not a readable PNG\n", path);
		return 2;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	if (w == 0 || h == 0 || w > MAX_TEX_DIM || h > MAX_TEX_DIM)
		png_error(png, "size");
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != (size_t)w * 4)
		png_error(png, "layout");
	tx->px = calloc((size_t)w * h * 4, sizeof(float));
	row = malloc((size_t)w * 4 * h);
	if (!tx->px || !row)
		png_error(png, "memory");
	png_bytep rows[MAX_TEX_DIM];
	for (uint32_t y = 0; y < h; y++)
		rows[y] = row + (size_t)y * w * 4;
	png_read_image(png, rows);
	for (size_t k = 0; k < (size_t)w * h * 4; k++)
		tx->px[k] = (float)row[k] / 255.0f;
	png_destroy_read_struct(&png, &info, NULL);
	free(row);
	fclose(f);
	tx->used = 1;
	tx->w = w;
	tx->h = h;
	tx->fmt = FMT_RGBA8;
	tx->view = (struct msl_exec_texture){ tx, w, h, 1, tex_sample, tex_read, tex_write };
	return 0;
}

static int make_texture(struct tool *t, const char *arg)
{
	uint32_t i, w, h;
	char *end;
	const char *v = parse_index(arg, MSL_EXEC_MAX_TEXTURES, &i);
	if (v && v[0] == '@')
		return load_png_texture(t, i, v + 1);
	if (!v || parse_u32(v, &end, &w) || *end != 'x' || parse_u32(end + 1, &end, &h) ||
	    w == 0 || h == 0 || w > MAX_TEX_DIM || h > MAX_TEX_DIM) {
		fprintf(stderr, "mtlshader run: --texture %s: expected N=WxH[:FMT], N < %u, 1..%u pixels a side\n",
			arg, MSL_EXEC_MAX_TEXTURES, MAX_TEX_DIM);
		return 2;
	}
	enum fmt f = FMT_RGBA8;
	if (*end == ':') {
		if (strcmp(end + 1, "rgba8") == 0)
			f = FMT_RGBA8;
		else if (strcmp(end + 1, "rgba32f") == 0)
			f = FMT_RGBA32F;
		else if (strcmp(end + 1, "r32f") == 0)
			f = FMT_R32F;
		else {
			fprintf(stderr, "mtlshader run: --texture %s: unknown format '%s' (rgba8, rgba32f, r32f)\n",
				arg, end + 1);
			return 2;
		}
	} else if (*end) {
		fprintf(stderr, "mtlshader run: --texture %s: unexpected '%s'\n", arg, end);
		return 2;
	}
	struct tool_tex *tx = &t->tex[i];
	if (tx->used) {
		fprintf(stderr, "mtlshader run: --texture %u given twice\n", i);
		return 2;
	}
	tx->px = calloc((size_t)w * h * 4, sizeof(float));
	if (!tx->px) {
		fprintf(stderr, "mtlshader run: out of memory for a %ux%u texture\n", w, h);
		return 2;
	}
	tx->used = 1;
	tx->w = w;
	tx->h = h;
	tx->fmt = f;
	if (f == FMT_R32F)
		for (size_t k = 0; k < (size_t)w * h; k++)
			tx->px[k * 4 + 3] = 1.0f;
	tx->view = (struct msl_exec_texture){ tx, w, h, 1, tex_sample, tex_read, tex_write };
	return 0;
}

static int write_png(const struct tool_tex *t, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "mtlshader run: %s: %s\n", path, strerror(errno));
		return 2;
	}
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *row = malloc((size_t)t->w * 4);
	if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		fclose(f);
		fprintf(stderr, "mtlshader run: %s: cannot write PNG\n", path);
		return 2;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, t->w, t->h, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (uint32_t y = 0; y < t->h; y++) {
		for (uint32_t x = 0; x < t->w * 4; x++) {
			float v = t->px[(size_t)y * t->w * 4 + x];
			row[x] = (uint8_t)(!(v > 0.0f) ? 0 : v >= 1.0f ? 255 : (int)(v * 255.0f + 0.5f));
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	if (fclose(f) != 0) {
		fprintf(stderr, "mtlshader run: %s: %s\n", path, strerror(errno));
		return 2;
	}
	return 0;
}

/* ---- printing ------------------------------------------------------------ */

static void print_buffer(const struct tool *t, uint32_t i, FILE *out)
{
	const uint8_t *d = t->buf[i].data;
	size_t n = t->buf[i].size;
	if (t->json) {
		fprintf(out, "{\"index\":%u,\"size\":%zu,\"bytes\":\"", i, n);
		for (size_t k = 0; k < n; k++)
			fprintf(out, "%02x", d[k]);
		fprintf(out, "\"}");
		return;
	}
	fprintf(out, "buffer %u (%zu bytes):\n", i, n);
	const char *fmt = t->format ? t->format : "hex";
	size_t per = strcmp(fmt, "hex") == 0 ? 16 : 4;
	for (size_t off = 0; off < n; off += per * (per == 4 ? 4 : 1)) {
		fprintf(out, "  %06zx:", off);
		if (per == 16) {
			for (size_t k = off; k < off + 16 && k < n; k++)
				fprintf(out, " %02x", d[k]);
		} else {
			for (size_t k = off; k + 4 <= n && k < off + 16; k += 4) {
				uint32_t u;
				memcpy(&u, d + k, 4);
				float f;
				memcpy(&f, &u, 4);
				if (strcmp(fmt, "f32") == 0)
					fprintf(out, " %.9g", (double)f);
				else if (strcmp(fmt, "u32") == 0)
					fprintf(out, " %u", u);
				else
					fprintf(out, " %d", (int32_t)u);
			}
		}
		fputc('\n', out);
	}
}

static void print_texture(const struct tool *t, uint32_t i, FILE *out)
{
	const struct tool_tex *x = &t->tex[i];
	static const char *names[] = { "rgba8", "rgba32f", "r32f" };
	if (t->json) {
		fprintf(out, "{\"index\":%u,\"width\":%u,\"height\":%u,\"format\":\"%s\",\"pixels\":[",
			i, x->w, x->h, names[x->fmt]);
		for (size_t k = 0; k < (size_t)x->w * x->h; k++) {
			const float *p = &x->px[k * 4];
			fprintf(out, "%s[", k ? "," : "");
			for (int c = 0; c < 4; c++) {
				double v = (double)p[c];
				if (isfinite(v))
					fprintf(out, "%s%.9g", c ? "," : "", v);
				else
					fprintf(out, "%s\"%s\"", c ? "," : "", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
			}
			fputc(']', out);
		}
		fprintf(out, "]}");
		return;
	}
	fprintf(out, "texture %u (%ux%u %s):\n", i, x->w, x->h, names[x->fmt]);
	for (uint32_t y = 0; y < x->h; y++) {
		fprintf(out, " ");
		for (uint32_t xx = 0; xx < x->w; xx++) {
			const float *p = &x->px[((size_t)y * x->w + xx) * 4];
			if (x->fmt == FMT_RGBA8)
				fprintf(out, " %02x%02x%02x%02x", (int)(p[0] * 255.0f + 0.5f), (int)(p[1] * 255.0f + 0.5f),
					(int)(p[2] * 255.0f + 0.5f), (int)(p[3] * 255.0f + 0.5f));
			else if (x->fmt == FMT_R32F)
				fprintf(out, " %.6g", (double)p[0]);
			else
				fprintf(out, " (%.6g,%.6g,%.6g,%.6g)", (double)p[0], (double)p[1], (double)p[2], (double)p[3]);
		}
		fputc('\n', out);
	}
}

/* ---- main ---------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(MSL_MAX_SOURCE_BYTES + 1);
	size_t n = buf ? fread(buf, 1, MSL_MAX_SOURCE_BYTES + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return NULL;
	}
	*len = n; /* the front end reports sources past its limit */
	return buf;
}

static void free_tool(struct tool *t)
{
	for (int i = 0; i < MSL_EXEC_MAX_BUFFERS; i++)
		free(t->buf[i].data);
	for (int i = 0; i < MSL_EXEC_MAX_TEXTURES; i++)
		free(t->tex[i].px);
}

static int run(struct tool *t)
{
	size_t len = 0;
	char *src = read_file(t->file, &len);
	if (!src) {
		fprintf(stderr, "mtlshader run: %s: %s\n", t->file, errno ? strerror(errno) : "cannot read");
		return 2;
	}
	struct msl_diag_list diags;
	msl_diag_list_init(&diags);
	struct msl_program *prog = msl_compile(src, len, t->file, &diags);
	msl_diag_print(&diags, src, len, stderr);
	int rc = 1;
	msl_exec_module *m = NULL;
	msl_exec_ctx *ctx = NULL;
	if (!prog)
		goto out;
	struct msl_exec_error err;
	m = msl_exec_module_create(prog, &err);
	if (!m) {
		fprintf(stderr, "%s:%u:%u: error: %s\n", t->file, err.line, err.col, err.message);
		goto out;
	}
	const msl_exec_entry *e = msl_exec_find_entry(m, t->kernel);
	if (!e || msl_exec_entry_interface(e)->stage != MSL_EXEC_KERNEL) {
		fprintf(stderr, "mtlshader run: %s: no kernel function '%s'\n", t->file, t->kernel);
		rc = 2;
		goto out;
	}
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof(b));
	for (uint32_t i = 0; i < it->n_resources; i++) {
		const struct msl_exec_resource *r = &it->resources[i];
		if (r->kind == MSL_EXEC_RES_BUFFER && !t->buf_used[r->index])
			fprintf(stderr, "mtlshader run: warning: '%s' [[buffer(%u)]] is not given (--buffer %u=...)\n",
				r->name, r->index, r->index);
		if (r->kind == MSL_EXEC_RES_TEXTURE && !t->tex[r->index].used)
			fprintf(stderr, "mtlshader run: warning: '%s' [[texture(%u)]] is not given (--texture %u=WxH)\n",
				r->name, r->index, r->index);
	}
	for (int i = 0; i < MSL_EXEC_MAX_BUFFERS; i++)
		b.buffers[i] = t->buf[i];
	for (int i = 0; i < MSL_EXEC_MAX_TEXTURES; i++)
		if (t->tex[i].used)
			b.textures[i] = &t->tex[i].view;
	static const struct msl_exec_sampler nearest_clamp = { 0, 0, 0, 0, 0, 0, 0 };
	for (int i = 0; i < MSL_EXEC_MAX_SAMPLERS; i++)
		b.samplers[i] = &nearest_clamp;
	uint32_t tg[3] = { t->tg[0], t->tg[1], t->tg[2] };
	if (!t->tg_given) {
		tg[0] = t->grid[0] < 64 ? t->grid[0] : 64;
		tg[1] = tg[2] = 1;
	}
	if ((uint64_t)tg[0] * tg[1] * tg[2] > MSL_EXEC_MAX_THREADGROUP) {
		fprintf(stderr, "mtlshader run: threadgroup of %llu threads (at most %u)\n",
			(unsigned long long)tg[0] * tg[1] * tg[2], MSL_EXEC_MAX_THREADGROUP);
		rc = 2;
		goto out;
	}
	ctx = msl_exec_ctx_create();
	if (!ctx)
		goto out;
	uint32_t groups[3];
	for (int k = 0; k < 3; k++)
		groups[k] = (t->grid[k] + tg[k] - 1) / tg[k];
	for (uint32_t z = 0; z < groups[2]; z++)
		for (uint32_t y = 0; y < groups[1]; y++)
			for (uint32_t x = 0; x < groups[0]; x++) {
				struct msl_exec_compute_group g = {
					{ x, y, z }, { tg[0], tg[1], tg[2] },
					{ t->grid[0], t->grid[1], t->grid[2] }, { groups[0], groups[1], groups[2] }
				};
				if (msl_exec_run_compute(ctx, e, &b, &g, &err) != MSL_EXEC_OK) {
					fprintf(stderr, "%s:%u:%u: error: %s (threadgroup %u,%u,%u): %s\n", t->file,
						err.line, err.col, msl_exec_status_name(err.status), x, y, z, err.message);
					goto out;
				}
			}
	rc = 0;
	if (t->json)
		printf("{\"kernel\":\"%s\",\"buffers\":[", t->kernel);
	int first = 1;
	for (uint32_t i = 0; i < MSL_EXEC_MAX_BUFFERS; i++)
		if (t->buf_used[i]) {
			if (t->json && !first)
				putchar(',');
			print_buffer(t, i, stdout);
			first = 0;
		}
	if (t->json)
		printf("],\"textures\":[");
	first = 1;
	for (uint32_t i = 0; i < MSL_EXEC_MAX_TEXTURES; i++)
		if (t->tex[i].used) {
			if (t->json && !first)
				putchar(',');
			print_texture(t, i, stdout);
			first = 0;
		}
	if (t->json)
		printf("]}\n");
	for (uint32_t i = 0; i < MSL_EXEC_MAX_TEXTURES && rc == 0; i++)
		if (t->png[i])
			rc = write_png(&t->tex[i], t->png[i]);
out:
	msl_exec_ctx_free(ctx);
	msl_exec_module_free(m);
	msl_program_free(prog);
	msl_diag_list_free(&diags);
	free(src);
	return rc;
}

int msl_tool_run(int argc, char **argv)
{
	struct tool t;
	memset(&t, 0, sizeof(t));
	int rc = 0, have_grid = 0;
	for (int i = 1; i < argc && rc == 0; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = strcmp(a, "--kernel") == 0 || strcmp(a, "--grid") == 0 ||
			    strcmp(a, "--threadgroup") == 0 || strcmp(a, "--buffer") == 0 ||
			    strcmp(a, "--texture") == 0 || strcmp(a, "--png") == 0 || strcmp(a, "--format") == 0;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			free_tool(&t);
			return 0;
		}
		if (takes && !val) {
			fprintf(stderr, "mtlshader run: %s needs a value\n", a);
			rc = 2;
			break;
		}
		if (strcmp(a, "--kernel") == 0) {
			t.kernel = val;
		} else if (strcmp(a, "--grid") == 0) {
			if (parse_dims(val, t.grid)) {
				fprintf(stderr, "mtlshader run: --grid %s: expected X[,Y[,Z]], each >= 1\n", val);
				rc = 2;
			}
			have_grid = 1;
		} else if (strcmp(a, "--threadgroup") == 0) {
			if (parse_dims(val, t.tg)) {
				fprintf(stderr, "mtlshader run: --threadgroup %s: expected X[,Y[,Z]], each >= 1\n", val);
				rc = 2;
			}
			t.tg_given = 1;
		} else if (strcmp(a, "--buffer") == 0) {
			rc = load_buffer(&t, val);
		} else if (strcmp(a, "--texture") == 0) {
			rc = make_texture(&t, val);
		} else if (strcmp(a, "--png") == 0) {
			uint32_t k;
			const char *path = parse_index(val, MSL_EXEC_MAX_TEXTURES, &k);
			if (!path || !*path) {
				fprintf(stderr, "mtlshader run: --png %s: expected N=FILE.png\n", val);
				rc = 2;
			} else {
				t.png[k] = path;
			}
		} else if (strcmp(a, "--format") == 0) {
			if (strcmp(val, "hex") && strcmp(val, "f32") && strcmp(val, "u32") && strcmp(val, "i32")) {
				fprintf(stderr, "mtlshader run: --format %s: expected hex, f32, u32 or i32\n", val);
				rc = 2;
			}
			t.format = val;
		} else if (strcmp(a, "--json") == 0) {
			t.json = 1;
			continue;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mtlshader run: unknown option '%s' (see --help)\n", a);
			rc = 2;
			break;
		} else if (!t.file) {
			t.file = a;
			continue;
		} else {
			fprintf(stderr, "mtlshader run: one FILE.metal only ('%s')\n", a);
			rc = 2;
			break;
		}
		i++;
	}
	if (rc == 0 && (!t.file || !t.kernel || !have_grid)) {
		fprintf(stderr, "mtlshader run: FILE.metal, --kernel and --grid are required\n");
		usage(stderr);
		rc = 2;
	}
	for (uint32_t k = 0; rc == 0 && k < MSL_EXEC_MAX_TEXTURES; k++)
		if (t.png[k] && !t.tex[k].used) {
			fprintf(stderr, "mtlshader run: --png %u: texture %u is not given\n", k, k);
			rc = 2;
		}
	if (rc == 0)
		rc = run(&t);
	free_tool(&t);
	return rc;
}
