/*
 * inspector.c — the validator's shader inspector over the MSL front end
 * (msl/inspector.h): compile a library, hand the validator its errors
 * (line:col) and, per entry point, its stage, bound resources (buffers
 * with the bytes they need) and [[stage_in]] attributes.
 *
 * Everything the description points to (diagnostic messages, names) lives
 * in the compiled program, its reflection and its diagnostics, so one
 * struct lib per library owns them all until the validator releases it.
 */
#include <stdlib.h>

#include "msl/inspector.h"
#include "msl/msl.h"

struct lib {
	struct msl_diag_list diags;
	struct msl_program *prog;
	struct msl_reflection refl;
	int reflected;
	struct mtl_shader_diag *errors;
	struct mtl_shader_function *fns;
	struct mtl_shader_binding *binds;
	struct mtl_shader_attribute *attrs;
};

static void lib_free(struct lib *l)
{
	if (!l)
		return;
	if (l->reflected)
		msl_reflection_free(&l->refl);
	msl_program_free(l->prog);
	msl_diag_list_free(&l->diags);
	free(l->errors);
	free(l->fns);
	free(l->binds);
	free(l->attrs);
	free(l);
}

static enum mtl_shader_stage stage_of(enum msl_stage s)
{
	switch (s) {
	case MSL_STAGE_VERTEX:
		return MTL_SHADER_VERTEX;
	case MSL_STAGE_FRAGMENT:
		return MTL_SHADER_FRAGMENT;
	default:
		return MTL_SHADER_KERNEL;
	}
}

static enum mtl_shader_resource resource_of(enum msl_resource_kind k)
{
	switch (k) {
	case MSL_RES_BUFFER:
		return MTL_SHADER_BUFFER;
	case MSL_RES_TEXTURE:
		return MTL_SHADER_TEXTURE;
	default:
		return MTL_SHADER_SAMPLER;
	}
}

/* May the function write what this resource parameter names? Textures by
 * their access qualifier; buffers when they are device memory that is not
 * const (`device T *p` or `device T &r`; constant buffers never). */
static int resource_written(const struct msl_reflect_resource *r)
{
	if (r->kind == MSL_RES_TEXTURE)
		return r->access == MSL_ACCESS_WRITE || r->access == MSL_ACCESS_READ_WRITE;
	if (r->kind != MSL_RES_BUFFER || !r->param)
		return 0;
	const struct msl_var *p = r->param;
	if (p->type && p->type->kind == MSL_T_POINTER)
		return p->type->space == MSL_SPACE_DEVICE && !p->type->is_const;
	return p->by_ref && p->space == MSL_SPACE_DEVICE && !p->is_const;
}

/* The [[stage_in]] parameter's struct of an entry point, or NULL. */
static const struct msl_struct *stage_in_struct(const struct msl_function *fn)
{
	for (size_t i = 0; fn && i < fn->param_count; i++) {
		const struct msl_var *p = fn->params[i];
		if (p->attr.kind == MSL_ATTR_STAGE_IN && p->type && p->type->kind == MSL_T_STRUCT)
			return p->type->strct;
	}
	return NULL;
}

static void describe_attribute(struct mtl_shader_attribute *a, const struct msl_member *m)
{
	enum msl_scalar sc = m->type->scalar;
	a->index = m->attr.index;
	/* Matrices, arrays and structs have no component count the fixed
	 * layout could match: 0, which the validator reports. */
	a->components = m->type->kind == MSL_T_VECTOR ? m->type->cols : m->type->kind == MSL_T_SCALAR ? 1 : 0;
	a->is_float = sc == MSL_FLOAT || sc == MSL_HALF;
	a->scalar_bytes = sc == MSL_HALF || sc == MSL_SHORT || sc == MSL_USHORT ? 2
			  : sc == MSL_CHAR || sc == MSL_UCHAR || sc == MSL_BOOL ? 1
										 : 4;
	a->name = m->name;
	a->line = m->loc.line;
	a->col = m->loc.col;
}

/* Fill l->errors from the diagnostics; returns how many there are. */
static size_t collect_errors(struct lib *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->diags.count; i++) {
		const struct msl_diag *d = &l->diags.items[i];
		if (d->severity != MSL_SEV_ERROR)
			continue;
		l->errors[n].line = d->line;
		l->errors[n].col = d->col;
		l->errors[n].message = d->message;
		n++;
	}
	if (!l->prog && n == 0) { /* failed without saying why: still an error */
		l->errors[0].line = 0;
		l->errors[0].col = 0;
		l->errors[0].message = "the library does not compile";
		n = 1;
	}
	return n;
}

/* Describe every entry point of the compiled, reflected library. -1 when
 * out of memory. */
static int describe_functions(struct lib *l, struct mtl_shader_library_info *out)
{
	size_t nf = l->refl.function_count, nb = 0, na = 0;
	for (size_t i = 0; i < nf; i++) {
		nb += l->refl.functions[i].resource_count;
		const struct msl_struct *st = stage_in_struct(l->refl.functions[i].fn);
		na += st ? st->member_count : 0;
	}
	l->fns = calloc(nf ? nf : 1, sizeof *l->fns);
	l->binds = calloc(nb ? nb : 1, sizeof *l->binds);
	l->attrs = calloc(na ? na : 1, sizeof *l->attrs);
	if (!l->fns || !l->binds || !l->attrs)
		return -1;
	nb = na = 0;
	for (size_t i = 0; i < nf; i++) {
		const struct msl_reflect_function *rf = &l->refl.functions[i];
		struct mtl_shader_function *f = &l->fns[i];
		f->name = rf->name;
		f->stage = stage_of(rf->stage);
		f->bindings = &l->binds[nb];
		for (size_t j = 0; j < rf->resource_count; j++) {
			const struct msl_reflect_resource *r = &rf->resources[j];
			struct mtl_shader_binding *b = &l->binds[nb++];
			b->kind = resource_of(r->kind);
			b->index = r->index;
			b->written = resource_written(r);
			b->name = r->name;
			/* reflection's size: the referent of `constant T &r`, one
			 * element of `constant T *p`; 0 when unsized */
			b->size = r->kind == MSL_RES_BUFFER ? r->size : 0;
		}
		f->nbindings = rf->resource_count;
		f->has_stage_in = rf->stage_in_type != NULL;
		f->attributes = &l->attrs[na];
		/* Only a vertex function's stage_in reads the vertex buffer; a
		 * fragment's is the rasterizer's interpolants. */
		const struct msl_struct *st = f->stage == MTL_SHADER_VERTEX ? stage_in_struct(rf->fn) : NULL;
		for (size_t j = 0; st && j < st->member_count; j++) {
			const struct msl_member *m = &st->members[j];
			if (m->attr.kind == MSL_ATTR_ATTRIBUTE && m->type)
				describe_attribute(&l->attrs[na++], m);
		}
		f->nattributes = (size_t)(&l->attrs[na] - f->attributes);
	}
	out->functions = l->fns;
	out->nfunctions = nf;
	return 0;
}

static void *inspect(void *ctx, const char *src, size_t len, struct mtl_shader_library_info *out)
{
	(void)ctx;
	struct lib *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	msl_diag_list_init(&l->diags);
	l->prog = msl_compile(src, len, "library", &l->diags);
	/* One slot more than the diagnostics: room for the fallback error. */
	l->errors = calloc(l->diags.count + 1, sizeof *l->errors);
	if (!l->errors)
		goto oom;
	out->errors = l->errors;
	out->nerrors = collect_errors(l);
	out->functions = NULL;
	out->nfunctions = 0;
	if (!l->prog)
		return l;
	if (msl_reflect(l->prog, &l->refl) != 0)
		goto oom;
	l->reflected = 1;
	if (describe_functions(l, out) != 0)
		goto oom;
	return l;
oom:
	lib_free(l);
	return NULL;
}

static void release(void *ctx, void *cookie)
{
	(void)ctx;
	lib_free(cookie);
}

static const struct mtl_shader_inspector inspector = { NULL, inspect, release };

const struct mtl_shader_inspector *msl_shader_inspector(void)
{
	return &inspector;
}
