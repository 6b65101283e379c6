/*
 * test_msl_front — the MSL front end's API: the checked AST's promises
 * (types, layout, implicit conversions made explicit), reflection of entry
 * points, diagnostics format, the limits on hostile input, and that every
 * MSL library in the corpus streams checks clean.
 * Run from the top of the tree (the corpus test reads corpus/).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "msl/msl.h"
#include "mtlproto/decode.h"

static struct msl_program *compile_ok(const char *src)
{
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile(src, strlen(src), "t.metal", &d);
	if (!p)
		msl_diag_print(&d, src, strlen(src), stderr);
	assert_non_null(p);
	msl_diag_list_free(&d);
	return p;
}

/* Compile expecting failure; returns the first error (static copy). */
static const char *first_error(const char *src, size_t len, unsigned *line, unsigned *col)
{
	static char msg[512];
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile(src, len, "t.metal", &d);
	assert_null(p);
	assert_true(d.error_count > 0);
	assert_true(d.count > 0);
	snprintf(msg, sizeof msg, "%s", d.items[0].message);
	if (line)
		*line = d.items[0].line;
	if (col)
		*col = d.items[0].col;
	msl_diag_list_free(&d);
	return msg;
}

#define PRELUDE "#include <metal_stdlib>\nusing namespace metal;\n"

/* ---- layout ---------------------------------------------------------------- */

static void test_struct_layout(void **state)
{
	(void)state;
	struct msl_program *p = compile_ok(PRELUDE
		"struct S { float a; float3 b; packed_float3 c; half h; float3x3 m; float2 v[3]; uchar u; };\n"
		"kernel void k(device S *s [[buffer(0)]], uint i [[thread_position_in_grid]]) { s[i].a = 1.0; }\n");
	assert_int_equal(p->struct_count, 1);
	const struct msl_struct *s = p->structs[0];
	assert_string_equal(s->name, "S");
	assert_int_equal(s->member_count, 7);
	assert_int_equal(s->members[0].offset, 0);
	assert_int_equal(s->members[1].offset, 16);   /* float3 aligns to 16 */
	assert_int_equal(s->members[1].type->size, 16);
	assert_int_equal(s->members[2].offset, 32);   /* packed_float3: 12 bytes, align 4 */
	assert_int_equal(s->members[2].type->size, 12);
	assert_int_equal(s->members[3].offset, 44);   /* half */
	assert_int_equal(s->members[4].offset, 48);   /* float3x3: 3 x 16 */
	assert_int_equal(s->members[4].type->size, 48);
	assert_int_equal(s->members[5].offset, 96);
	assert_int_equal(s->members[5].type->size, 24);
	assert_int_equal(s->members[6].offset, 120);
	assert_int_equal(s->size, 128);
	assert_int_equal(s->align, 16);
	msl_program_free(p);
}

/* ---- AST contract ------------------------------------------------------------ */

static const struct msl_stmt *body_item(const struct msl_function *fn, size_t i)
{
	assert_int_equal(fn->body->kind, MSL_S_BLOCK);
	assert_true(i < fn->body->u.block.count);
	return fn->body->u.block.items[i];
}

static void test_implicit_conversions_are_explicit(void **state)
{
	(void)state;
	struct msl_program *p = compile_ok(PRELUDE
		"kernel void k(device float4 *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {\n"
		"    float x = 1;\n"                /* int literal folded to float */
		"    float4 v = o[i] * 2.0;\n"      /* scalar splat to float4 */
		"    int n = 3;\n"
		"    float y = x + n;\n"            /* n converted to float */
		"    o[i] = v.zyxw + y;\n"
		"}\n");
	const struct msl_function *fn = msl_program_find_function(p, "k");
	assert_non_null(fn);
	assert_int_equal(fn->stage, MSL_STAGE_KERNEL);
	assert_int_equal(fn->param_count, 2);
	assert_int_equal(fn->params[0]->attr.kind, MSL_ATTR_BUFFER);
	assert_int_equal(fn->params[1]->attr.kind, MSL_ATTR_THREAD_POSITION_IN_GRID);

	const struct msl_stmt *s0 = body_item(fn, 0);
	assert_int_equal(s0->kind, MSL_S_DECL);
	assert_string_equal(s0->u.decl.var->name, "x");
	assert_int_equal(s0->u.decl.init->kind, MSL_E_FLOAT_LIT);
	assert_true(s0->u.decl.init->u.float_lit == 1.0);
	assert_string_equal(s0->u.decl.init->type->name, "float");

	const struct msl_stmt *s1 = body_item(fn, 1);
	const struct msl_expr *mul = s1->u.decl.init;
	assert_int_equal(mul->kind, MSL_E_BINARY);
	assert_int_equal(mul->u.binary.op, MSL_BINOP_MUL);
	assert_ptr_equal(mul->u.binary.left->type, mul->u.binary.right->type);
	assert_string_equal(mul->type->name, "float4");
	assert_int_equal(mul->u.binary.right->kind, MSL_E_CONVERT); /* the splat */
	assert_int_equal(mul->u.binary.left->kind, MSL_E_INDEX);
	assert_true(mul->u.binary.left->is_lvalue);

	const struct msl_stmt *s3 = body_item(fn, 3);
	const struct msl_expr *add = s3->u.decl.init;
	assert_int_equal(add->kind, MSL_E_BINARY);
	assert_int_equal(add->u.binary.right->kind, MSL_E_CONVERT);
	assert_true(add->u.binary.right->u.convert.implicit);
	assert_int_equal(add->u.binary.right->u.convert.operand->u.var->kind, MSL_VAR_LOCAL);

	const struct msl_stmt *s4 = body_item(fn, 4);
	const struct msl_expr *as = s4->u.expr;
	assert_int_equal(as->kind, MSL_E_ASSIGN);
	assert_false(as->u.assign.compound);
	const struct msl_expr *sum = as->u.assign.value;
	assert_int_equal(sum->u.binary.left->kind, MSL_E_SWIZZLE);
	assert_int_equal(sum->u.binary.left->u.swizzle.count, 4);
	assert_int_equal(sum->u.binary.left->u.swizzle.comp[0], 2);
	assert_int_equal(sum->u.binary.left->u.swizzle.comp[1], 1);
	assert_int_equal(sum->u.binary.left->u.swizzle.comp[2], 0);
	assert_int_equal(sum->u.binary.left->u.swizzle.comp[3], 3);
	/* types are interned */
	assert_ptr_equal(sum->type, mul->type);
	/* every local and parameter has a slot below var_count */
	assert_true(fn->var_count >= 6);
	assert_true(fn->is_recursive_checked);
	msl_program_free(p);
}

static void test_builtins_and_textures(void **state)
{
	(void)state;
	struct msl_program *p = compile_ok(PRELUDE
		"fragment half4 f(float4 pos [[position]], texture2d<half> t [[texture(0)]],\n"
		"                 sampler s [[sampler(0)]]) {\n"
		"    half4 c = t.sample(s, pos.xy);\n"
		"    return clamp(c, 0.0h, 1.0h) * half(dot(pos.xy, float2(1.0)));\n"
		"}\n");
	const struct msl_function *fn = msl_program_entry(p, 0);
	assert_non_null(fn);
	assert_string_equal(fn->return_type->name, "half4");
	const struct msl_expr *smp = body_item(fn, 0)->u.decl.init;
	assert_int_equal(smp->kind, MSL_E_BUILTIN);
	assert_int_equal(smp->u.builtin.id, MSL_B_TEX_SAMPLE);
	assert_int_equal(smp->u.builtin.arg_count, 3);
	assert_int_equal(smp->u.builtin.args[0]->type->kind, MSL_T_TEXTURE);
	assert_string_equal(smp->type->name, "half4");
	const struct msl_expr *ret = body_item(fn, 1)->u.expr;
	assert_int_equal(ret->kind, MSL_E_BINARY);
	const struct msl_expr *cl = ret->u.binary.left;
	assert_int_equal(cl->kind, MSL_E_BUILTIN);
	assert_int_equal(cl->u.builtin.id, MSL_B_CLAMP);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(cl->u.builtin.args[i]->type->name, "half4");
	assert_string_equal(msl_builtin_name(MSL_B_CLAMP), "clamp");
	msl_program_free(p);
}

static void test_constexpr_sampler(void **state)
{
	(void)state;
	struct msl_program *p = compile_ok(PRELUDE
		"constexpr sampler s(coord::pixel, s_address::repeat, t_address::mirrored_repeat,\n"
		"                    mag_filter::linear, min_filter::nearest);\n"
		"constexpr sampler d;\n"
		"fragment float4 f(float4 pos [[position]], texture2d<float> t [[texture(0)]]) {\n"
		"    return t.sample(s, pos.xy) + t.sample(d, pos.xy);\n"
		"}\n");
	assert_int_equal(p->global_count, 2);
	const struct msl_var *s = p->globals[0];
	assert_int_equal(s->kind, MSL_VAR_CONST_SAMPLER);
	assert_false(s->sampler.normalized);
	assert_int_equal(s->sampler.s_address, MSL_ADDRESS_REPEAT);
	assert_int_equal(s->sampler.t_address, MSL_ADDRESS_MIRRORED_REPEAT);
	assert_int_equal(s->sampler.mag_filter, MSL_FILTER_LINEAR);
	assert_int_equal(s->sampler.min_filter, MSL_FILTER_NEAREST);
	const struct msl_var *d = p->globals[1];
	assert_true(d->sampler.normalized);
	assert_int_equal(d->sampler.s_address, MSL_ADDRESS_CLAMP_TO_EDGE);
	assert_int_equal(d->sampler.mag_filter, MSL_FILTER_NEAREST);
	msl_program_free(p);
}

/* The ast.h contract: block-scope constexpr samplers are numbered like
 * locals (distinct slots below var_count, not program-scope); program-scope
 * ones index program->globals. Regression: block-scope ones all had slot 0. */
static void test_block_scope_sampler_slots(void **state)
{
	(void)state;
	struct msl_program *p = compile_ok(PRELUDE
		"constexpr sampler g(address::repeat);\n"
		"fragment float4 f(float4 pos [[position]], texture2d<float> t [[texture(0)]]) {\n"
		"    constexpr sampler a(address::clamp_to_edge);\n"
		"    float k = 2.0;\n"
		"    constexpr sampler b(address::repeat);\n"
		"    return t.sample(a, pos.xy) + t.sample(b, pos.xy) * k + t.sample(g, pos.xy);\n"
		"}\n");
	assert_int_equal(p->global_count, 1);
	assert_true(p->globals[0]->program_scope);
	assert_int_equal(p->globals[0]->slot, 0);
	const struct msl_function *fn = p->functions[p->function_count - 1];
	const struct msl_var *a = body_item(fn, 0)->u.decl.var;
	const struct msl_var *k = body_item(fn, 1)->u.decl.var;
	const struct msl_var *b = body_item(fn, 2)->u.decl.var;
	assert_int_equal(a->kind, MSL_VAR_CONST_SAMPLER);
	assert_int_equal(b->kind, MSL_VAR_CONST_SAMPLER);
	assert_false(a->program_scope);
	assert_false(b->program_scope);
	assert_int_equal(a->sampler.s_address, MSL_ADDRESS_CLAMP_TO_EDGE);
	assert_int_equal(b->sampler.s_address, MSL_ADDRESS_REPEAT);
	assert_true(a->slot < fn->var_count && b->slot < fn->var_count && k->slot < fn->var_count);
	assert_int_not_equal(a->slot, b->slot);
	assert_int_not_equal(a->slot, k->slot);
	assert_int_not_equal(b->slot, k->slot);
	for (size_t i = 0; i < fn->param_count; i++) {
		assert_int_not_equal(fn->params[i]->slot, a->slot);
		assert_int_not_equal(fn->params[i]->slot, b->slot);
	}
	msl_program_free(p);
}

/* ---- reflection ------------------------------------------------------------- */

static const char reflect_src[] = PRELUDE
	"struct VIn { float2 pos [[attribute(0)]]; float4 color [[attribute(2)]]; float2 uv [[attribute(1)]]; };\n"
	"struct VOut { float4 position [[position]]; float4 color [[flat]]; float2 uv; };\n"
	"struct U { float4x4 mvp; float alpha; };\n"
	"vertex VOut vmain(VIn in [[stage_in]], constant U &u [[buffer(1)]], uint vid [[vertex_id]]) {\n"
	"    VOut o; o.position = u.mvp * float4(in.pos, 0.0, 1.0); o.color = in.color; o.uv = in.uv;\n"
	"    return o;\n"
	"}\n"
	"fragment float4 fmain(VOut in [[stage_in]], sampler s [[sampler(0)]],\n"
	"                      texture2d<float> mask [[texture(1)]], texture2d<float> base [[texture(0)]],\n"
	"                      constant U &u [[buffer(0)]]) {\n"
	"    return base.sample(s, in.uv) * mask.sample(s, in.uv).r * in.color * u.alpha;\n"
	"}\n"
	"kernel void kmain(texture2d<float, access::write> out [[texture(0)]],\n"
	"                  device const float4 *colors [[buffer(3)]],\n"
	"                  uint2 gid [[thread_position_in_grid]]) {\n"
	"    out.write(colors[gid.y], gid);\n"
	"}\n";

static void test_reflection(void **state)
{
	(void)state;
	struct msl_program *p = compile_ok(reflect_src);
	struct msl_reflection r;
	assert_int_equal(msl_reflect(p, &r), 0);
	assert_int_equal(r.function_count, 3);

	const struct msl_reflect_function *v = &r.functions[0];
	assert_string_equal(v->name, "vmain");
	assert_int_equal(v->stage, MSL_STAGE_VERTEX);
	assert_string_equal(v->stage_in_type, "VIn");
	assert_int_equal(v->stage_in_count, 3);
	assert_string_equal(v->stage_in[1].name, "color");
	assert_string_equal(v->stage_in[1].type, "float4");
	assert_int_equal(v->stage_in[1].attr, MSL_ATTR_ATTRIBUTE);
	assert_int_equal(v->stage_in[1].index, 2);
	assert_int_equal(v->stage_in[2].index, 1);
	assert_int_equal(v->builtin_count, 1);
	assert_int_equal(v->builtins[0].attr, MSL_ATTR_VERTEX_ID);
	assert_string_equal(v->output_type, "VOut");
	assert_int_equal(v->output_count, 3);
	assert_int_equal(v->outputs[0].attr, MSL_ATTR_POSITION);
	assert_true(v->outputs[1].flat);
	assert_int_equal(v->resource_count, 1);
	assert_int_equal(v->resources[0].kind, MSL_RES_BUFFER);
	assert_int_equal(v->resources[0].index, 1);
	assert_string_equal(v->resources[0].name, "u");
	assert_string_equal(v->resources[0].type, "constant U&");
	assert_int_equal(v->resources[0].size, 80); /* float4x4 64 + float 4, padded to 16 */
	assert_int_equal(v->resources[0].space, MSL_SPACE_CONSTANT);

	const struct msl_reflect_function *f = &r.functions[1];
	assert_string_equal(f->name, "fmain");
	assert_int_equal(f->stage, MSL_STAGE_FRAGMENT);
	assert_int_equal(f->resource_count, 4);
	/* sorted: buffers, textures by index, samplers */
	assert_int_equal(f->resources[0].kind, MSL_RES_BUFFER);
	assert_int_equal(f->resources[1].kind, MSL_RES_TEXTURE);
	assert_int_equal(f->resources[1].index, 0);
	assert_string_equal(f->resources[1].name, "base");
	assert_string_equal(f->resources[1].type, "texture2d<float, access::sample>");
	assert_int_equal(f->resources[2].index, 1);
	assert_string_equal(f->resources[2].name, "mask");
	assert_int_equal(f->resources[3].kind, MSL_RES_SAMPLER);
	assert_string_equal(f->resources[0].type, "constant U&"); /* survived the sort */
	assert_int_equal(f->output_count, 1);
	assert_int_equal(f->outputs[0].attr, MSL_ATTR_COLOR);

	const struct msl_reflect_function *k = &r.functions[2];
	assert_int_equal(k->stage, MSL_STAGE_KERNEL);
	assert_null(k->stage_in_type);
	assert_int_equal(k->resource_count, 2);
	assert_int_equal(k->resources[0].kind, MSL_RES_BUFFER);
	assert_int_equal(k->resources[0].index, 3);
	assert_string_equal(k->resources[0].type, "device const float4*");
	assert_int_equal(k->resources[0].size, 16);
	assert_int_equal(k->resources[1].access, MSL_ACCESS_WRITE);
	assert_int_equal(k->output_count, 0);

	/* JSON form */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	msl_reflection_write_json(&r, mem);
	fclose(mem);
	assert_non_null(strstr(buf, "{\"functions\":[{\"name\":\"vmain\",\"stage\":\"vertex\""));
	assert_non_null(strstr(buf, "\"resources\":[{\"kind\":\"buffer\",\"index\":1,\"name\":\"u\",\"type\":\"constant U&\""));
	assert_non_null(strstr(buf, "{\"kind\":\"texture\",\"index\":0,\"name\":\"out\",\"type\":\"texture2d<float, access::write>\"}"));
	assert_non_null(strstr(buf, "\"stage_in\":[{\"name\":\"pos\",\"type\":\"float2\",\"attribute\":\"attribute\",\"index\":0"));
	free(buf);
	msl_reflection_free(&r);
	msl_program_free(p);
}

/* Reflection of a few of the shader cases, read from tests/msl/valid. */
static struct msl_program *compile_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile(buf, n, path, &d);
	msl_diag_list_free(&d);
	assert_non_null(p);
	return p;
}

static void test_reflect_case_files(void **state)
{
	(void)state;
	struct msl_reflection r;

	struct msl_program *p = compile_file("tests/msl/valid/path_coverage_kernel.metal");
	assert_int_equal(msl_reflect(p, &r), 0);
	assert_int_equal(r.function_count, 1);
	assert_string_equal(r.functions[0].name, "path_coverage");
	assert_int_equal(r.functions[0].stage, MSL_STAGE_KERNEL);
	assert_int_equal(r.functions[0].builtin_count, 1);
	assert_int_equal(r.functions[0].builtins[0].attr, MSL_ATTR_THREAD_POSITION_IN_GRID);
	assert_string_equal(r.functions[0].builtins[0].type, "uint2");
	assert_int_equal(r.functions[0].resource_count, 3);
	assert_string_equal(r.functions[0].resources[0].type, "constant PathParams&");
	assert_int_equal(r.functions[0].resources[0].size, 32); /* uint, float2 @8, float4 @16 */
	assert_string_equal(r.functions[0].resources[1].type, "device const Segment*");
	assert_int_equal(r.functions[0].resources[1].size, 16);
	assert_int_equal(r.functions[0].resources[2].kind, MSL_RES_TEXTURE);
	assert_int_equal(r.functions[0].resources[2].access, MSL_ACCESS_WRITE);
	msl_reflection_free(&r);
	msl_program_free(p);

	p = compile_file("tests/msl/valid/multiple_render_targets.metal");
	assert_int_equal(msl_reflect(p, &r), 0);
	assert_int_equal(r.function_count, 2);
	const struct msl_reflect_function *g = &r.functions[1];
	assert_string_equal(g->name, "gbuffer_fragment");
	assert_string_equal(g->output_type, "GBuffer");
	assert_int_equal(g->output_count, 3);
	assert_int_equal(g->outputs[1].attr, MSL_ATTR_COLOR);
	assert_int_equal(g->outputs[1].index, 1);
	assert_string_equal(g->outputs[1].type, "half4");
	assert_int_equal(g->outputs[2].index, 2);
	assert_string_equal(g->stage_in_type, "VertexOut");
	assert_int_equal(g->stage_in[0].attr, MSL_ATTR_POSITION);
	msl_reflection_free(&r);
	msl_program_free(p);

	p = compile_file("tests/msl/valid/fragment_builtins.metal");
	assert_int_equal(msl_reflect(p, &r), 0);
	const struct msl_reflect_function *fb = &r.functions[0];
	assert_int_equal(fb->builtin_count, 2);
	assert_int_equal(fb->builtins[0].attr, MSL_ATTR_FRONT_FACING);
	assert_int_equal(fb->builtins[1].attr, MSL_ATTR_SAMPLE_ID);
	assert_true(fb->stage_in[1].flat);
	assert_int_equal(fb->resource_count, 0);
	msl_reflection_free(&r);
	msl_program_free(p);

	p = compile_file("tests/msl/valid/msaa_resolve.metal");
	assert_int_equal(msl_reflect(p, &r), 0);
	assert_string_equal(r.functions[1].resources[0].type, "texture2d_ms<float, access::read>");
	msl_reflection_free(&r);
	msl_program_free(p);
}

/* ---- diagnostics ------------------------------------------------------------- */

static void test_diag_format(void **state)
{
	(void)state;
	const char *src = PRELUDE "kernel void k(device float *o [[buffer(0)]], uint i [[thread_position_in_grid]]) {\n"
			  "\to[i] = nope;\n}\n";
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	assert_null(msl_compile(src, strlen(src), "shader.metal", &d));
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	msl_diag_print(&d, src, strlen(src), mem);
	fclose(mem);
	assert_string_equal(buf, "shader.metal:4:9: error: use of undeclared identifier 'nope'\n"
				 "    \to[i] = nope;\n"
				 "    \t       ^\n");
	free(buf);
	msl_diag_list_free(&d);
}

/* ---- limits ------------------------------------------------------------------ */

static void test_limits(void **state)
{
	(void)state;
	unsigned line, col;
	/* nesting */
	size_t n = 4000;
	char *deep = malloc(n * 2 + 200);
	strcpy(deep, "kernel void k(device float *o [[buffer(0)]]) { o[0] = ");
	size_t l = strlen(deep);
	for (size_t i = 0; i < n; i++)
		deep[l++] = '(';
	deep[l++] = '1';
	for (size_t i = 0; i < n; i++)
		deep[l++] = ')';
	strcpy(deep + l, "; }\n");
	assert_non_null(strstr(first_error(deep, strlen(deep), &line, &col), "nesting too deep"));
	free(deep);

	/* a left-deep chain 1+1+1+... is bounded by height, not nesting */
	size_t terms = 20000;
	char *chain = malloc(terms * 2 + 200);
	strcpy(chain, "constant int n = 1");
	size_t cl = strlen(chain);
	for (size_t i = 0; i < terms; i++) {
		chain[cl++] = '+';
		chain[cl++] = '1';
	}
	strcpy(chain + cl, ";\n");
	assert_non_null(strstr(first_error(chain, strlen(chain), &line, &col), "expression too deeply nested"));
	assert_int_equal(line, 1);
	free(chain);

	/* #if expressions are bounded too */
	char *ifdeep = malloc(300000);
	strcpy(ifdeep, "#if ");
	size_t il = 4;
	for (size_t i = 0; i < 100000; i++)
		ifdeep[il++] = '!';
	strcpy(ifdeep + il, "1\n#endif\n");
	assert_non_null(strstr(first_error(ifdeep, strlen(ifdeep), NULL, NULL), "nested too deeply"));
	il = 4;
	for (size_t i = 0; i < 50000; i++) {
		memcpy(ifdeep + il, "1?", 2);
		il += 2;
	}
	strcpy(ifdeep + il, "1\n#endif\n");
	assert_non_null(strstr(first_error(ifdeep, strlen(ifdeep), NULL, NULL), "nested too deeply"));
	free(ifdeep);

	/* source size */
	size_t big = (size_t)MSL_MAX_SOURCE_BYTES + 10;
	char *src = malloc(big);
	memset(src, ' ', big);
	assert_non_null(strstr(first_error(src, big, NULL, NULL), "the limit is"));
	free(src);

	/* a NUL byte */
	const char nul[] = "kernel void k() {}\0junk";
	assert_non_null(strstr(first_error(nul, sizeof nul - 1, NULL, NULL), "NUL"));

	/* macro expansion that doubles at each level */
	const char bomb[] = "#define A0 x x\n#define A1 A0 A0\n#define A2 A1 A1\n#define A3 A2 A2\n"
			    "#define A4 A3 A3\n#define A5 A4 A4\n#define A6 A5 A5\n#define A7 A6 A6\n"
			    "#define A8 A7 A7\n#define A9 A8 A8\n#define B0 A9 A9 A9 A9 A9 A9 A9 A9\n"
			    "#define B1 B0 B0 B0 B0 B0 B0 B0 B0\n#define B2 B1 B1 B1 B1 B1 B1 B1 B1\n"
			    "B2\n";
	assert_non_null(strstr(first_error(bomb, strlen(bomb), NULL, NULL), "too many tokens"));

	/* self-referencing macros stop */
	const char selfref[] = "#define X X + 1\nconstant int a = X;\n";
	first_error(selfref, strlen(selfref), &line, &col);
	assert_int_equal(line, 2);

	/* error count is bounded */
	size_t reps = 500;
	char *many = malloc(reps * 40 + 200);
	strcpy(many, "kernel void k(device float *o [[buffer(0)]]) {\n");
	for (size_t i = 0; i < reps; i++)
		strcat(many, "o[0] = undefined_thing;\n");
	strcat(many, "}\n");
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	assert_null(msl_compile(many, strlen(many), "t.metal", &d));
	assert_true(d.count <= MSL_MAX_DIAGS);
	assert_true(d.error_count >= MSL_MAX_DIAGS);
	msl_diag_list_free(&d);
	free(many);
}

/* ---- corpus: every COMPILE_LIBRARY in the corpus streams checks ------------------- */

static void test_corpus_libraries(void **state)
{
	(void)state;
	DIR *dir = opendir("corpus");
	if (!dir) {
		skip();
		return;
	}
	struct dirent *e;
	size_t libraries = 0, failed = 0;
	while ((e = readdir(dir)) != NULL) {
		size_t nl = strlen(e->d_name);
		if (nl < 5 || strcmp(e->d_name + nl - 4, ".bin") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "corpus/%s", e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		uint8_t *buf = malloc((size_t)len + 1);
		assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		struct mtl_decoder dec;
		mtl_decoder_init(&dec, buf, (size_t)len);
		struct mtl_cmd cmd;
		while (mtl_decoder_next(&dec, &cmd) != MTL_END) {
			if (cmd.method != MTL_CMD_COMPILE_LIBRARY || !cmd.fields_valid)
				continue;
			libraries++;
			const char *src = (const char *)cmd.u.compile_library.source;
			size_t sl = cmd.u.compile_library.len;
			struct msl_diag_list d;
			msl_diag_list_init(&d);
			struct msl_program *p = msl_compile(src, sl, path, &d);
			if (!p) {
				msl_diag_print(&d, src, sl, stderr);
				failed++;
			}
			msl_program_free(p);
			msl_diag_list_free(&d);
		}
		free(buf);
	}
	closedir(dir);
	assert_true(libraries > 0);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_struct_layout),
		cmocka_unit_test(test_implicit_conversions_are_explicit),
		cmocka_unit_test(test_builtins_and_textures),
		cmocka_unit_test(test_constexpr_sampler),
		cmocka_unit_test(test_block_scope_sampler_slots),
		cmocka_unit_test(test_reflection),
		cmocka_unit_test(test_reflect_case_files),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_corpus_libraries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
