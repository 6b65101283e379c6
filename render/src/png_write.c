/*
 * png_write.c — write a replay frame as an 8-bit RGBA PNG through libpng.
 * libpng reports errors by longjmp; every failure becomes "PATH: why".
 */
#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "render/replay.h"

struct png_err_ctx {
	char *err;
	size_t errlen;
	const char *path;
};

static void on_png_error(png_structp png, png_const_charp msg)
{
	struct png_err_ctx *c = png_get_error_ptr(png);
	snprintf(c->err, c->errlen, "%s: libpng: %s", c->path, msg);
	png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
}

static int write_png(const char *path, const struct replay_frame *frame, char *err, size_t errlen)
{
	if (!frame->pixels || !frame->width || !frame->height) {
		snprintf(err, errlen, "%s: no frame to write", path);
		return -1;
	}
	FILE *volatile f = fopen(path, "wb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct png_err_ctx ctx = { err, errlen, path };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!png || !info) {
		png_destroy_write_struct(&png, NULL);
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		remove(path);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, frame->width, frame->height, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* The pixels are sRGB-encoded: say so, so viewers do not re-interpret them. */
	png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	png_write_info(png, info);
	for (uint32_t y = 0; y < frame->height; y++)
		png_write_row(png, (png_const_bytep)(frame->pixels + (size_t)y * frame->stride));
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		remove(path);
		return -1;
	}
	return 0;
}

int replay_write_png(const char *path, const struct replay_frame *frame, char *err, size_t errlen)
{
	char dummy[1];
	if (!err || !errlen)
		return write_png(path, frame, dummy, sizeof dummy);
	return write_png(path, frame, err, errlen);
}
