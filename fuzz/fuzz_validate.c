/*
 * fuzz_validate.c — arbitrary bytes through the validator.
 *
 * The input is validated twice: as one submission, and split into three
 * submissions (so state that spans submissions — open passes, objects — is
 * exercised), with a fake shader inspector so the MSL-aware paths run too.
 * Asserts nothing crashes, leaks (ASan's leak check) or misbehaves (UBSan);
 * time is linear in the input: every command is looked at once.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mtlproto/validate.h"

static const struct mtl_shader_binding bind[] = {
	{ MTL_SHADER_BUFFER, 0, 0, "u", 48 }, { MTL_SHADER_TEXTURE, 1, 1, "t", 0 }, { MTL_SHADER_SAMPLER, 2, 0, "s", 0 } };
static const struct mtl_shader_attribute attr[] = { { 0, 2, 1, 4, "p", 1, 1 }, { 5, 3, 0, 4, "q", 2, 1 } };
static const struct mtl_shader_function fns[] = {
	{ "vs", MTL_SHADER_VERTEX, bind, 1, 1, attr, 2 },
	{ "fs", MTL_SHADER_FRAGMENT, bind, 3, 1, NULL, 0 },
	{ "k", MTL_SHADER_KERNEL, bind, 3, 0, NULL, 0 },
};
static const struct mtl_shader_diag diag[] = { { 1, 2, "fake error" } };
static int cookie;

static void *fake_compile(void *ctx, const char *src, size_t len, struct mtl_shader_library_info *out)
{
	(void)ctx;
	if (len && src[0] == '!') {
		out->errors = diag;
		out->nerrors = 1;
	}
	out->functions = fns;
	out->nfunctions = len % 4 < 3 ? 3 : 0;
	return &cookie;
}

static void fake_release(void *ctx, void *c)
{
	(void)ctx;
	(void)c;
}

static const struct mtl_shader_inspector inspector = { NULL, fake_compile, fake_release };

static void sink(void *user, const struct mtl_finding *f)
{
	/* touch every string so a dangling pointer would show */
	size_t *n = user;
	*n += strlen(f->rule) + strlen(f->message) + strlen(f->method_name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	struct mtl_validate_options o = { 1024, 768, 0, sink, &n, &inspector };
	struct mtl_validator *v = mtl_validator_create(&o);
	if (!v)
		return 0;
	mtl_validator_submit(v, data, size, MTL_VALIDATE_QUEUE_ANY, 0);
	mtl_validator_finish(v);
	mtl_validator_destroy(v);

	o.width = size % 3 ? 64 : 0;
	o.height = size % 3 ? 48 : 0;
	o.max_errors = size % 5 ? 0 : 2;
	o.shader = size % 2 ? &inspector : NULL;
	v = mtl_validator_create(&o);
	if (!v)
		return 0;
	if (size & 1)
		mtl_validator_disable(v, "texture.");
	size_t a = size / 3, b = 2 * size / 3;
	mtl_validator_submit(v, data, a, 0, 0);
	mtl_validator_submit(v, data + a, b - a, 1, 1);
	mtl_validator_set_display(v, 200, 100);
	mtl_validator_submit(v, data + b, size - b, 1, 2);
	mtl_validator_finish(v);
	mtl_validator_destroy(v);
	return 0;
}
