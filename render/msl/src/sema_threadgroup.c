/*
 * sema_threadgroup.c — the front end's rules for threadgroup memory and
 * barriers (docs/MSL.md "### Threadgroup memory and barriers"):
 *
 *   - `threadgroup T name[N];` only in kernel functions (Metal declares
 *     them at kernel function scope), never with an initialiser, and at
 *     most MSL_MAX_THREADGROUP_BYTES per kernel (Apple GPUs' 32 KiB);
 *   - threadgroup_barrier(flags) / simdgroup_barrier(flags) with a
 *     constant mem_flags combination, in kernels and in helpers, and a
 *     helper that reaches a barrier may not be called from a vertex or
 *     fragment function.
 */
#include <string.h>

#include "front.h"

static const struct { const char *name; uint32_t bit; } mem_flags[] = {
	{ "mem_none", 0 }, { "mem_device", 1 }, { "mem_threadgroup", 2 }, { "mem_texture", 4 },
};

struct msl_expr *sema_mem_flag(struct msl_front *f, const char *qname, struct msl_loc loc)
{
	const char *name = qname;
	if (strncmp(name, "metal::", 7) == 0)
		name += 7;
	if (strncmp(name, "mem_flags::", 11) != 0)
		return NULL;
	name += 11;
	for (size_t i = 0; i < sizeof mem_flags / sizeof mem_flags[0]; i++)
		if (strcmp(name, mem_flags[i].name) == 0) {
			struct msl_expr *e = msl_alloc(f, sizeof *e);
			e->kind = MSL_E_INT_LIT;
			e->type = msl_type_scalar(f, MSL_UINT);
			e->loc = loc;
			e->u.int_lit = mem_flags[i].bit;
			return e;
		}
	msl_error(f, loc, "'%s' is not supported (mem_none, mem_device, mem_threadgroup and mem_texture are)",
		  qname);
	return sema_error_expr(f, loc);
}

struct msl_expr *sema_barrier(struct msl_front *f, const char *name, struct msl_expr **args,
			      size_t n, struct msl_loc loc)
{
	enum msl_builtin id;
	if (strcmp(name, "threadgroup_barrier") == 0)
		id = MSL_B_THREADGROUP_BARRIER;
	else if (strcmp(name, "simdgroup_barrier") == 0)
		id = MSL_B_SIMDGROUP_BARRIER;
	else
		return NULL;
	struct msl_function *fn = f->cur_fn;
	if (fn && (fn->stage == MSL_STAGE_VERTEX || fn->stage == MSL_STAGE_FRAGMENT)) {
		msl_error(f, loc, "%s() is only allowed in kernel functions, not in %s function '%s'", name,
			  msl_stage_name(fn->stage), fn->name);
		return sema_error_expr(f, loc);
	}
	if (n != 1) {
		msl_error(f, loc, "'%s' takes 1 argument (mem_flags), %zu given", name, n);
		return sema_error_expr(f, loc);
	}
	int64_t v;
	if (!args[0]->type || args[0]->type->kind != MSL_T_SCALAR || !sema_const_int(f, args[0], &v) ||
	    v < 0 || v > 7) {
		msl_error(f, args[0]->loc, "argument of %s() must be mem_flags::mem_none, mem_device, "
			  "mem_threadgroup, mem_texture or a combination with |", name);
		return sema_error_expr(f, loc);
	}
	if (fn)
		fn->uses_barrier = true;
	struct msl_expr **a = msl_alloc(f, sizeof *a);
	a[0] = args[0];
	struct msl_expr *e = msl_alloc(f, sizeof *e);
	e->kind = MSL_E_BUILTIN;
	e->type = msl_type_void(f);
	e->loc = loc;
	e->u.builtin.id = id;
	e->u.builtin.args = a;
	e->u.builtin.arg_count = 1;
	return e;
}

void sema_call_barrier_rule(struct msl_front *f, const struct msl_function *callee, struct msl_loc loc)
{
	struct msl_function *fn = f->cur_fn;
	if (!callee->uses_barrier || !fn)
		return;
	if (fn->stage == MSL_STAGE_VERTEX || fn->stage == MSL_STAGE_FRAGMENT)
		msl_error(f, loc, "'%s' uses a threadgroup barrier, which only kernel functions may call",
			  callee->name);
	else
		fn->uses_barrier = true;
}

bool sema_threadgroup_var(struct msl_front *f, const struct msl_type *t, const char *name,
			  struct msl_loc loc)
{
	struct msl_function *fn = f->cur_fn;
	if (!fn || fn->stage != MSL_STAGE_KERNEL) {
		msl_error(f, loc, "threadgroup variable '%s' can only be declared in a kernel function%s", name,
			  fn && fn->stage == MSL_STAGE_NONE ? " (not in a helper function)" : "");
		return false;
	}
	if (t == msl_type_error(f))
		return false;
	if (t->kind == MSL_T_TEXTURE || t->kind == MSL_T_SAMPLER || t->kind == MSL_T_POINTER ||
	    t->kind == MSL_T_VOID || !t->size) {
		msl_error(f, loc, "threadgroup variable '%s' of type '%s' is not supported", name, t->name);
		return false;
	}
	uint32_t align = t->align ? t->align : 1;
	uint64_t at = ((uint64_t)fn->threadgroup_bytes + align - 1) / align * align;
	if (at + t->size > MSL_MAX_THREADGROUP_BYTES) {
		msl_error(f, loc, "threadgroup variable '%s' (%u bytes) brings '%s' to %llu bytes of threadgroup "
			  "memory; the limit is %u", name, t->size, fn->name,
			  (unsigned long long)(at + t->size), MSL_MAX_THREADGROUP_BYTES);
		return false;
	}
	fn->threadgroup_bytes = (uint32_t)(at + t->size);
	return true;
}
