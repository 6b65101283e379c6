/*
 * fuzz_msl_inspector.c — arbitrary MSL source through the real shader
 * inspector (msl/inspector.h) and the validator.
 *
 * The input is a library's source. The inspector describes it directly
 * first (every string it hands out is touched, so a dangling pointer
 * shows); then a stream is built from that description, as a guest would
 * write it: COMPILE_LIBRARY of the source, GET_FUNCTION of every entry point
 * (and of a name the library lacks), a pipeline per vertex/fragment pair
 * and per kernel, a draw and a dispatch; the validator runs it with the
 * inspector, so the copy of real descriptions and every shader.* path runs.
 * Asserts nothing crashes, leaks (ASan) or misbehaves (UBSan).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msl/inspector.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"

#define MAX_FNS 16u

static size_t touched;

static void touch(const char *s)
{
	if (s)
		touched += strlen(s);
}

static void sink(void *user, const struct mtl_finding *f)
{
	(void)user;
	touch(f->rule);
	touch(f->message);
	touch(f->method_name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mtl_shader_inspector *in = msl_shader_inspector();
	struct mtl_shader_library_info info;
	memset(&info, 0, sizeof info);
	void *cookie = in->compile(in->ctx, (const char *)data, size, &info);
	if (!cookie)
		return 0;

	/* Names and stages of up to MAX_FNS entry points, copied before the
	 * release (the description dies with it). */
	char names[MAX_FNS][64];
	enum mtl_shader_stage stages[MAX_FNS];
	size_t nfn = 0;
	for (size_t i = 0; i < info.nerrors; i++)
		touch(info.errors[i].message);
	for (size_t i = 0; i < info.nfunctions; i++) {
		const struct mtl_shader_function *f = &info.functions[i];
		touch(f->name);
		for (size_t j = 0; j < f->nbindings; j++)
			touch(f->bindings[j].name);
		for (size_t j = 0; j < f->nattributes; j++)
			touch(f->attributes[j].name);
		if (nfn < MAX_FNS && f->name && strlen(f->name) < sizeof names[0]) {
			strcpy(names[nfn], f->name);
			stages[nfn++] = f->stage;
		}
	}
	in->release(in->ctx, cookie);

	size_t cap = size + 65536; /* the commands around the source: at most ~12 KiB */
	uint8_t *buf = malloc(cap);
	if (!buf)
		return 0;
	struct mtl_encoder e;
	mtl_enc_init(&e, buf, cap);
	mtl_enc_compile_library(&e, 1, (const char *)data, (uint32_t)size);
	mtl_enc_get_function(&e, 2, 1, "no_such_function", 16);
	for (size_t i = 0; i < nfn; i++)
		mtl_enc_get_function(&e, (uint32_t)(16 + i), 1, names[i], (uint32_t)strlen(names[i]));
	/* Every vertex function with every fragment function (0 = none), and
	 * every function as a kernel: the stage checks see all pairings. */
	uint32_t pipe = 64;
	for (size_t i = 0; i < nfn; i++) {
		if (stages[i] == MTL_SHADER_VERTEX)
			for (size_t j = 0; j <= nfn; j++)
				mtl_enc_create_render_pipeline(&e, pipe++, (uint32_t)(16 + i),
							       j < nfn ? (uint32_t)(16 + j) : 0, 0, MTL_WRITE_ALL, 0, 1,
							       MTL_DRAWABLE_PIXEL_FORMAT);
		mtl_enc_create_compute_pipeline(&e, pipe++, (uint32_t)(16 + i));
	}
	static const float verts[3 * 8];
	mtl_enc_begin_render_pass(&e, MTL_DRAWABLE_HANDLE, 0, 0, MTL_LOAD_CLEAR, MTL_STORE_STORE, 0, 0, 0, 0, 0, 1);
	mtl_enc_set_vertex_bytes(&e, 0, verts, sizeof verts);
	for (uint32_t p = 64; p < pipe; p++) {
		mtl_enc_set_render_pipeline(&e, p);
		mtl_enc_draw_primitives(&e, MTL_PRIMITIVE_TRIANGLE, 0, 3);
	}
	mtl_enc_end_render_pass(&e);
	mtl_enc_begin_compute_pass(&e);
	for (uint32_t p = 64; p < pipe; p++) {
		mtl_enc_set_compute_pipeline(&e, p);
		mtl_enc_dispatch_threads(&e, 4, 4, 1, 4, 4, 1);
	}
	mtl_enc_end_compute_pass(&e);
	mtl_enc_present_and_commit(&e, 0);

	struct mtl_validate_options o = { 1024, 768, 0, sink, NULL, in };
	struct mtl_validator *v = mtl_validator_create(&o);
	if (v) {
		mtl_validator_submit(v, buf, e.len, MTL_VALIDATE_QUEUE_ANY, 0);
		mtl_validator_finish(v);
		mtl_validator_destroy(v);
	}
	free(buf);
	return 0;
}
