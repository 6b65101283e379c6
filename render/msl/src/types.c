/*
 * types.c — interned MSL types with Metal's sizes and alignments.
 *
 * Layout facts (MSL spec, "Scalar/Vector/Matrix Data Types" tables):
 * scalars are their natural size; a vector of 2 or 4 is n×size aligned to
 * its size, a vector of 3 occupies and aligns like 4; packed vectors are
 * n×size aligned to the scalar; a matrix is `cols` column vectors of `rows`
 * components (so float3x3 is 48 bytes); arrays and structs follow C.
 */
#include <string.h>

#include "front.h"

struct type_table {
	struct msl_type *scalar_vec[9][5][2]; /* [scalar][n][packed], n = 1 is the scalar */
	struct msl_type *vtype, *etype, *sampler;
	struct msl_type **others;
	size_t nothers, cap;
};

static const char *const scalar_names[] = {
	"bool", "char", "uchar", "short", "ushort", "int", "uint", "half", "float"
};
static const uint32_t scalar_sizes[] = { 1, 1, 1, 2, 2, 4, 4, 2, 4 };

const char *msl_scalar_name(enum msl_scalar s)
{
	return (unsigned)s < 9 ? scalar_names[s] : "?";
}

static struct msl_type *new_type(struct msl_front *f, enum msl_type_kind k)
{
	struct msl_type *t = msl_alloc(f, sizeof *t);
	t->kind = k;
	t->rows = 1;
	return t;
}

void msl_types_init(struct msl_front *f)
{
	f->types = msl_alloc(f, sizeof *f->types);
	struct msl_type *v = new_type(f, MSL_T_VOID);
	v->name = "void";
	f->types->vtype = v;
	struct msl_type *e = new_type(f, MSL_T_VOID);
	e->name = "<error>";
	f->types->etype = e;
	struct msl_type *s = new_type(f, MSL_T_SAMPLER);
	s->name = "sampler";
	f->types->sampler = s;
}

const struct msl_type *msl_type_void(struct msl_front *f) { return f->types->vtype; }
const struct msl_type *msl_type_error(struct msl_front *f) { return f->types->etype; }
const struct msl_type *msl_type_sampler(struct msl_front *f) { return f->types->sampler; }

const struct msl_type *msl_type_vector(struct msl_front *f, enum msl_scalar s, unsigned n, bool packed)
{
	if (n < 1 || n > 4 || (unsigned)s > MSL_FLOAT)
		return f->types->etype;
	if (n == 1)
		packed = false;
	struct msl_type **slot = &f->types->scalar_vec[s][n][packed];
	if (*slot)
		return *slot;
	struct msl_type *t = new_type(f, n == 1 ? MSL_T_SCALAR : MSL_T_VECTOR);
	t->scalar = s;
	t->cols = (uint8_t)n;
	t->packed = packed;
	uint32_t ss = scalar_sizes[s];
	if (n == 1) {
		t->size = t->align = ss;
		t->name = scalar_names[s];
	} else if (packed) {
		t->size = ss * n;
		t->align = ss;
		t->name = msl_sprintf(f, "packed_%s%u", scalar_names[s], n);
	} else {
		t->size = t->align = ss * (n == 3 ? 4 : n);
		t->name = msl_sprintf(f, "%s%u", scalar_names[s], n);
	}
	*slot = t;
	return t;
}

const struct msl_type *msl_type_scalar(struct msl_front *f, enum msl_scalar s)
{
	return msl_type_vector(f, s, 1, false);
}

const struct msl_type *msl_type_vec_or_scalar(struct msl_front *f, enum msl_scalar s, unsigned n)
{
	return msl_type_vector(f, s, n, false);
}

static bool same(const struct msl_type *a, const struct msl_type *b)
{
	return a->kind == b->kind && a->scalar == b->scalar && a->cols == b->cols &&
	       a->rows == b->rows && a->packed == b->packed && a->is_const == b->is_const &&
	       a->space == b->space && a->access == b->access && a->tex == b->tex &&
	       a->elem == b->elem && a->array_len == b->array_len && a->strct == b->strct;
}

static const struct msl_type *intern(struct msl_front *f, struct msl_type *proto)
{
	struct type_table *tt = f->types;
	for (size_t i = 0; i < tt->nothers; i++)
		if (same(tt->others[i], proto))
			return tt->others[i];
	struct msl_type *t = msl_alloc(f, sizeof *t);
	*t = *proto;
	void *items = tt->others;
	msl_vec_push(f, &items, &tt->nothers, &tt->cap, &t, sizeof t);
	tt->others = items;
	return t;
}

const struct msl_type *msl_type_matrix(struct msl_front *f, enum msl_scalar s, unsigned cols, unsigned rows)
{
	if (cols < 2 || cols > 4 || rows < 2 || rows > 4 || !msl_scalar_is_float(s))
		return f->types->etype;
	const struct msl_type *col = msl_type_vector(f, s, rows, false);
	struct msl_type p = { .kind = MSL_T_MATRIX, .scalar = s, .cols = (uint8_t)cols, .rows = (uint8_t)rows };
	p.size = col->size * cols;
	p.align = col->align;
	p.elem = col;
	p.name = NULL;
	const struct msl_type *t = intern(f, &p);
	if (!t->name)
		((struct msl_type *)t)->name = msl_sprintf(f, "%s%ux%u", scalar_names[s], cols, rows);
	return t;
}

const struct msl_type *msl_type_array(struct msl_front *f, const struct msl_type *elem, uint32_t n)
{
	struct msl_type p = { .kind = MSL_T_ARRAY, .elem = elem, .array_len = n, .rows = 1 };
	uint64_t size = (uint64_t)elem->size * n;
	p.size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	p.align = elem->align;
	const struct msl_type *t = intern(f, &p);
	if (!t->name)
		((struct msl_type *)t)->name = msl_sprintf(f, "%s[%u]", elem->name, n);
	return t;
}

const struct msl_type *msl_type_pointer(struct msl_front *f, const struct msl_type *elem,
					 enum msl_space space, bool is_const)
{
	struct msl_type p = { .kind = MSL_T_POINTER, .elem = elem, .space = space,
			      .is_const = is_const, .size = 8, .align = 8, .rows = 1 };
	const struct msl_type *t = intern(f, &p);
	if (!t->name)
		((struct msl_type *)t)->name = msl_sprintf(f, "%s %s%s*", msl_space_name(space),
							    is_const ? "const " : "", elem->name);
	return t;
}

static const char *const access_names[] = { "sample", "read", "write", "read_write" };

const struct msl_type *msl_type_texture(struct msl_front *f, enum msl_texture_kind k,
					 enum msl_scalar s, enum msl_access a)
{
	struct msl_type p = { .kind = MSL_T_TEXTURE, .tex = k, .scalar = s, .access = a, .rows = 1 };
	const struct msl_type *t = intern(f, &p);
	if (!t->name)
		((struct msl_type *)t)->name =
			msl_sprintf(f, "%s<%s, access::%s>", k == MSL_TEX_2D ? "texture2d" : "texture2d_ms",
				    scalar_names[s], access_names[a]);
	return t;
}

const struct msl_type *msl_type_struct(struct msl_front *f, const struct msl_struct *s)
{
	struct msl_type p = { .kind = MSL_T_STRUCT, .strct = s, .size = s->size, .align = s->align,
			      .rows = 1, .name = s->name };
	return intern(f, &p);
}

const struct msl_type *msl_type_by_name(struct msl_front *f, const char *name, size_t len)
{
	/* <simd/simd.h> spellings: simd_float4, simd_float4x4 (any shape),
	 * vector_float4 (vectors only), matrix_float4x4 (matrices only) */
	static const struct { const char *prefix; int kind; } simd[] = {
		{ "simd_", -1 }, { "vector_", MSL_T_VECTOR }, { "matrix_", MSL_T_MATRIX },
	};
	for (size_t i = 0; i < sizeof simd / sizeof simd[0]; i++) {
		size_t pl = strlen(simd[i].prefix);
		if (len > pl && memcmp(name, simd[i].prefix, pl) == 0) {
			if (len - pl > 7 && memcmp(name + pl, "packed_", 7) == 0)
				return NULL;
			const struct msl_type *t = msl_type_by_name(f, name + pl, len - pl);
			return t && (simd[i].kind < 0 || (int)t->kind == simd[i].kind) ? t : NULL;
		}
	}
	bool packed = false;
	if (len > 7 && memcmp(name, "packed_", 7) == 0) {
		packed = true;
		name += 7;
		len -= 7;
	}
	for (int s = 0; s < 9; s++) {
		size_t sl = strlen(scalar_names[s]);
		if (len < sl || memcmp(name, scalar_names[s], sl) != 0)
			continue;
		const char *rest = name + sl;
		size_t rl = len - sl;
		if (rl == 0)
			return packed ? NULL : msl_type_scalar(f, (enum msl_scalar)s);
		if (rl == 1 && rest[0] >= '2' && rest[0] <= '4')
			return msl_type_vector(f, (enum msl_scalar)s, (unsigned)(rest[0] - '0'), packed);
		if (!packed && rl == 3 && rest[0] >= '2' && rest[0] <= '4' && rest[1] == 'x' &&
		    rest[2] >= '2' && rest[2] <= '4' && msl_scalar_is_float((enum msl_scalar)s))
			return msl_type_matrix(f, (enum msl_scalar)s, (unsigned)(rest[0] - '0'),
					       (unsigned)(rest[2] - '0'));
	}
	return NULL;
}

void msl_struct_layout(struct msl_struct *s)
{
	uint64_t off = 0;
	uint32_t align = 1;
	for (size_t i = 0; i < s->member_count; i++) {
		const struct msl_type *t = s->members[i].type;
		uint32_t a = t->align ? t->align : 1;
		off = (off + a - 1) / a * a;
		s->members[i].offset = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
		off += t->size;
		if (a > align)
			align = a;
	}
	off = (off + align - 1) / align * align;
	s->size = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
	s->align = align;
}

const char *msl_space_name(enum msl_space s)
{
	switch (s) {
	case MSL_SPACE_THREAD: return "thread";
	case MSL_SPACE_DEVICE: return "device";
	case MSL_SPACE_CONSTANT: return "constant";
	case MSL_SPACE_THREADGROUP: return "threadgroup";
	}
	return "?";
}

const char *msl_stage_name(enum msl_stage s)
{
	switch (s) {
	case MSL_STAGE_VERTEX: return "vertex";
	case MSL_STAGE_FRAGMENT: return "fragment";
	case MSL_STAGE_KERNEL: return "kernel";
	case MSL_STAGE_NONE: break;
	}
	return "function";
}

const char *msl_attr_name(enum msl_attr_kind k)
{
	static const char *const names[] = {
		"none", "stage_in", "position", "attribute", "buffer", "texture", "sampler", "color",
		"vertex_id", "instance_id", "front_facing", "sample_id", "flat",
		"thread_position_in_grid", "thread_position_in_threadgroup",
		"threadgroup_position_in_grid", "threads_per_threadgroup",
		"thread_index_in_threadgroup", "point_size", "point_coord"
	};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
