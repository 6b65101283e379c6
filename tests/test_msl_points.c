/*
 * test_msl_points.c — point sprites in the executor: a vertex function's
 * [[point_size]] output comes out through msl_exec_run_vertex_points (and
 * is not a varying), a vertex function without one reports 1.0, and a
 * fragment function's [[point_coord]] input (parameter or stage_in member)
 * reads the batch's point_coord array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msl/exec.h"
#include "msl/msl.h"

static const char src[] =
	"#include <metal_stdlib>\n"
	"using namespace metal;\n"
	"struct VOut { float4 pos [[position]]; float size [[point_size]]; float4 color; };\n"
	"struct FIn { float4 color; float2 pc [[point_coord]]; };\n"
	"vertex VOut vs(uint vid [[vertex_id]], constant float *sizes [[buffer(0)]]) {\n"
	"    VOut o; o.pos = float4(float(vid), 0.0, 0.0, 1.0); o.size = sizes[vid];\n"
	"    o.color = float4(0.5); return o; }\n"
	"vertex float4 vs_plain(uint vid [[vertex_id]]) { return float4(float(vid)); }\n"
	"fragment float4 fs(FIn in [[stage_in]]) { return float4(in.pc, in.color.x, 1.0); }\n"
	"fragment float4 fs_param(float2 pc [[point_coord]]) { return float4(pc.y, pc.x, 0.0, 1.0); }\n";

struct fixture {
	struct msl_program *prog;
	msl_exec_module *mod;
	msl_exec_ctx *ctx;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	fx->prog = msl_compile(src, sizeof src - 1, "points.metal", &d);
	if (!fx->prog)
		msl_diag_print(&d, src, sizeof src - 1, stderr);
	msl_diag_list_free(&d);
	assert_non_null(fx->prog);
	struct msl_exec_error err;
	fx->mod = msl_exec_module_create(fx->prog, &err);
	if (!fx->mod)
		fail_msg("lowering failed at %u:%u: %s", err.line, err.col, err.message);
	fx->ctx = msl_exec_ctx_create();
	assert_non_null(fx->ctx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	msl_exec_ctx_free(fx->ctx);
	msl_exec_module_free(fx->mod);
	msl_program_free(fx->prog);
	free(fx);
	return 0;
}

static void test_point_size_output(void **state)
{
	struct fixture *fx = *state;
	const msl_exec_entry *e = msl_exec_find_entry(fx->mod, "vs");
	assert_non_null(e);
	const struct msl_exec_interface *it = msl_exec_entry_interface(e);
	assert_true(it->writes_point_size);
	/* point_size is not a varying: only color travels */
	assert_int_equal(it->n_varyings, 1);
	assert_int_equal(it->varying_floats, 4);

	float sizes[3] = { 4.0f, 3.0f, 0.25f };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof b);
	b.buffers[0].data = sizes;
	b.buffers[0].size = sizeof sizes;
	uint32_t vid[3] = { 0, 1, 2 };
	float pos[12], var[12], psize[3] = { -1, -1, -1 };
	struct msl_exec_vertex_batch batch = { .count = 3, .vertex_id = vid, .position = pos, .varyings = var };
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_vertex_points(fx->ctx, e, &b, &batch, psize, &err), MSL_EXEC_OK);
	/* as written, unclamped: the renderer clamps */
	assert_true(psize[0] == 4.0f && psize[1] == 3.0f && psize[2] == 0.25f);
	assert_true(pos[4] == 1.0f && var[4] == 0.5f);
	/* the old entry point still runs the same shader */
	assert_int_equal(msl_exec_run_vertex(fx->ctx, e, &b, &batch, &err), MSL_EXEC_OK);
}

static void test_no_point_size_is_one(void **state)
{
	struct fixture *fx = *state;
	const msl_exec_entry *e = msl_exec_find_entry(fx->mod, "vs_plain");
	assert_non_null(e);
	assert_false(msl_exec_entry_interface(e)->writes_point_size);
	uint32_t vid[2] = { 7, 8 };
	float pos[8], psize[2] = { 0, 0 };
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof b);
	struct msl_exec_vertex_batch batch = { .count = 2, .vertex_id = vid, .position = pos };
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_vertex_points(fx->ctx, e, &b, &batch, psize, &err), MSL_EXEC_OK);
	assert_true(psize[0] == 1.0f && psize[1] == 1.0f);
	assert_true(pos[0] == 7.0f);
}

static void run_fs(struct fixture *fx, const char *name, const float *pc, float *colors)
{
	const msl_exec_entry *e = msl_exec_find_entry(fx->mod, name);
	assert_non_null(e);
	assert_true(msl_exec_entry_interface(e)->uses_point_coord);
	float var[4 * 4], pos[4 * 4];
	for (int i = 0; i < 16; i++) {
		var[i] = 0.25f;
		pos[i] = 0.5f;
	}
	struct msl_exec_bindings b;
	memset(&b, 0, sizeof b);
	struct msl_exec_fragment_batch fb;
	memset(&fb, 0, sizeof fb);
	fb.quads = 1;
	fb.live_mask = 0xf;
	fb.position = pos;
	fb.varyings = var;
	fb.colors = colors;
	fb.point_coord = pc;
	struct msl_exec_error err;
	assert_int_equal(msl_exec_run_fragment(fx->ctx, e, &b, &fb, &err), MSL_EXEC_OK);
}

static void test_point_coord_input(void **state)
{
	struct fixture *fx = *state;
	const float pc[8] = { 0.125f, 0.125f, 0.375f, 0.125f, 0.125f, 0.375f, 0.375f, 0.375f };
	static float colors[4 * 4 * MSL_EXEC_MAX_COLORS];
	const uint32_t stride = 4 * MSL_EXEC_MAX_COLORS;
	run_fs(fx, "fs", pc, colors);
	for (int l = 0; l < 4; l++) {
		assert_true(colors[l * stride + 0] == pc[2 * l]);
		assert_true(colors[l * stride + 1] == pc[2 * l + 1]);
		assert_true(colors[l * stride + 2] == 0.25f);
	}
	run_fs(fx, "fs_param", pc, colors);
	for (int l = 0; l < 4; l++) {
		assert_true(colors[l * stride + 0] == pc[2 * l + 1]);
		assert_true(colors[l * stride + 1] == pc[2 * l]);
	}
	/* no point_coord array (not a point): reads 0 */
	run_fs(fx, "fs_param", NULL, colors);
	assert_true(colors[0] == 0.0f && colors[1] == 0.0f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_point_size_output),
		cmocka_unit_test(test_no_point_size_is_one),
		cmocka_unit_test(test_point_coord_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
