/*
 * ir.c — building, finishing and printing IR entries (msl/ir.h).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msl/ir.h"

static const char *const op_names[IR_OP_COUNT] = {
	"const", "mov", "select",
	"fadd", "fsub", "fmul", "fdiv", "fneg", "fabs", "fmin", "fmax", "ffma",
	"ffloor", "fceil", "ffract", "fround", "ftrunc", "fsqrt", "frsqrt",
	"fexp", "fexp2", "flog", "flog2", "fsin", "fcos", "ftan",
	"fasin", "facos", "fatan", "fatan2", "fpow", "fmod", "fsign", "fsat", "fhalf",
	"feq", "fne", "flt", "fle", "fgt", "fge", "fisnan", "fisinf",
	"iadd", "isub", "imul", "ineg", "sdiv", "udiv", "srem", "urem",
	"iand", "ior", "ixor", "inot", "shl", "sshr", "ushr",
	"smin", "smax", "umin", "umax", "iabs", "ssign",
	"ieq", "ine", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge",
	"sext8", "sext16", "zext8", "zext16", "bool",
	"s2f", "u2f", "f2s", "f2u", "fmath", "ibits",
	"dfdx", "dfdy",
	"ldidx", "stidx", "check", "load", "store",
	"tex_sample", "tex_read", "tex_write", "tex_size",
	"if", "else", "endif", "loop", "break", "breakifnot", "continue",
	"contpoint", "endloop", "func_begin", "return", "func_end", "discard",
	"barrier",
};

const char *msl_ir_op_name(enum msl_ir_op op)
{
	return (unsigned)op < IR_OP_COUNT ? op_names[op] : "?";
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	uint32_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, (size_t)n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static char *keep_string(struct msl_exec_entry *e, const char *s)
{
	char *copy = strdup(s ? s : "");
	char **list = realloc(e->strings, sizeof(char *) * (e->n_strings + 1));
	if (!copy || !list) {
		free(copy);
		if (list)
			e->strings = list;
		e->oom = 1;
		return NULL;
	}
	e->strings = list;
	e->strings[e->n_strings++] = copy;
	return copy;
}

struct msl_exec_entry *msl_ir_entry_new(const char *name, enum msl_exec_stage stage)
{
	struct msl_exec_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->name = strdup(name);
	if (!e->name) {
		free(e);
		return NULL;
	}
	e->stage = stage;
	return e;
}

void msl_ir_entry_free(struct msl_exec_entry *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; i < e->n_strings; i++)
		free(e->strings[i]);
	free(e->strings);
	free(e->name);
	free(e->code);
	free(e->inputs);
	free(e->outputs);
	free(e->samplers);
	free(e->slots);
	free(e->resources);
	free(e);
}

uint32_t msl_ir_regs(struct msl_exec_entry *e, uint32_t n)
{
	if (n > MSL_IR_MAX_REGS || e->n_regs > MSL_IR_MAX_REGS - n)
		return MSL_IR_NONE;
	uint32_t r = e->n_regs;
	e->n_regs += n;
	return r;
}

uint32_t msl_ir_emit(struct msl_exec_entry *e, enum msl_ir_op op, uint32_t dst,
		     uint32_t a, uint32_t b, uint32_t c)
{
	if (e->n_code >= MSL_IR_MAX_CODE ||
	    grow((void **)&e->code, &e->cap_code, e->n_code + 1, sizeof(*e->code))) {
		e->oom = 1;
		return MSL_IR_NONE;
	}
	struct msl_ir_inst *in = &e->code[e->n_code];
	memset(in, 0, sizeof(*in));
	in->op = (uint16_t)op;
	in->dst = dst;
	in->a = a;
	in->b = b;
	in->c = c;
	in->target = MSL_IR_NONE;
	return e->n_code++;
}

uint32_t msl_ir_const_u(struct msl_exec_entry *e, uint32_t dst, uint32_t bits)
{
	uint32_t pc = msl_ir_emit(e, IR_CONST, dst, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	if (pc != MSL_IR_NONE)
		e->code[pc].imm.u = bits;
	return pc;
}

uint32_t msl_ir_const_f(struct msl_exec_entry *e, uint32_t dst, float f)
{
	uint32_t pc = msl_ir_emit(e, IR_CONST, dst, MSL_IR_NONE, MSL_IR_NONE, MSL_IR_NONE);
	if (pc != MSL_IR_NONE)
		e->code[pc].imm.f = f;
	return pc;
}

static void add_io(struct msl_exec_entry *e, struct msl_ir_io **list, uint32_t *n, uint32_t *cap,
		   uint32_t kind, uint32_t reg, uint32_t offset, enum msl_exec_scalar s)
{
	if (grow((void **)list, cap, *n + 1, sizeof(**list))) {
		e->oom = 1;
		return;
	}
	(*list)[(*n)++] = (struct msl_ir_io){ kind, reg, offset, s };
}

void msl_ir_add_input(struct msl_exec_entry *e, enum msl_ir_input_kind k, uint32_t reg,
		      uint32_t offset, enum msl_exec_scalar s)
{
	add_io(e, &e->inputs, &e->n_inputs, &e->cap_inputs, k, reg, offset, s);
	switch (k) {
	case IR_IN_POSITION: e->iface.uses_position = 1; break;
	case IR_IN_FRONT_FACING: e->iface.uses_front_facing = 1; break;
	case IR_IN_SAMPLE_ID: e->iface.uses_sample_id = 1; break;
	case IR_IN_VERTEX_ID: e->iface.uses_vertex_id = 1; break;
	case IR_IN_INSTANCE_ID: e->iface.uses_instance_id = 1; break;
	case IR_IN_POINT_COORD: e->iface.uses_point_coord = 1; break;
	default: break;
	}
}

void msl_ir_add_output(struct msl_exec_entry *e, enum msl_ir_output_kind k, uint32_t reg,
		       uint32_t offset, enum msl_exec_scalar s)
{
	add_io(e, &e->outputs, &e->n_outputs, &e->cap_outputs, k, reg, offset, s);
	if (k == IR_OUT_POINT_SIZE)
		e->iface.writes_point_size = 1;
}

/* Slots are kept grouped by kind in one array: attributes, varyings, colors.
 * The kind is stored in the interp field's high bits during building. */
void msl_ir_add_slot(struct msl_exec_entry *e, int kind, const char *name, uint32_t index,
		     enum msl_exec_scalar s, uint8_t comps, enum msl_exec_interp interp,
		     uint32_t offset)
{
	if (grow((void **)&e->slots, &e->cap_slots, e->n_slots + 1, sizeof(*e->slots))) {
		e->oom = 1;
		return;
	}
	/* insert after the last slot of a kind <= `kind` (stable grouping) */
	uint32_t at = 0;
	uint32_t n_att = e->iface.n_attributes, n_var = e->iface.n_varyings;
	if (kind == 0)
		at = n_att;
	else if (kind == 1)
		at = n_att + n_var;
	else
		at = e->n_slots;
	memmove(&e->slots[at + 1], &e->slots[at], sizeof(*e->slots) * (e->n_slots - at));
	e->slots[at] = (struct msl_exec_slot){ keep_string(e, name), index, s, comps, interp, offset };
	e->n_slots++;
	if (kind == 0) {
		e->iface.n_attributes++;
		if (offset + comps > e->iface.attribute_floats)
			e->iface.attribute_floats = offset + comps;
	} else if (kind == 1) {
		e->iface.n_varyings++;
		if (offset + comps > e->iface.varying_floats)
			e->iface.varying_floats = offset + comps;
	} else {
		e->iface.n_colors++;
	}
}

void msl_ir_add_resource(struct msl_exec_entry *e, const struct msl_exec_resource *r)
{
	if (grow((void **)&e->resources, &e->cap_resources, e->n_resources + 1,
		 sizeof(*e->resources))) {
		e->oom = 1;
		return;
	}
	struct msl_exec_resource *d = &e->resources[e->n_resources++];
	*d = *r;
	d->name = keep_string(e, r->name);
}

uint32_t msl_ir_add_sampler(struct msl_exec_entry *e, const struct msl_exec_sampler *s)
{
	struct msl_exec_sampler *p = realloc(e->samplers, sizeof(*p) * (e->n_samplers + 1));
	if (!p) {
		e->oom = 1;
		return 0;
	}
	e->samplers = p;
	p[e->n_samplers] = *s;
	return e->n_samplers++;
}

/* Match structured control instructions with a stack and fill targets:
 * IF -> its ELSE or ENDIF, ELSE -> ENDIF, LOOP <-> ENDLOOP. */
int msl_ir_finish(struct msl_exec_entry *e)
{
	if (e->oom)
		return -1;
	uint32_t cap = 64, depth = 0, max_depth = 0;
	uint32_t *stack = malloc(sizeof(uint32_t) * cap);
	if (!stack)
		return -1;
	int bad = 0;
	for (uint32_t pc = 0; pc < e->n_code && !bad; pc++) {
		struct msl_ir_inst *in = &e->code[pc];
		switch (in->op) {
		case IR_IF: case IR_LOOP: case IR_FUNC_BEGIN:
			if (depth == cap) {
				uint32_t *s2 = realloc(stack, sizeof(uint32_t) * cap * 2);
				if (!s2) { bad = 1; break; }
				stack = s2;
				cap *= 2;
			}
			stack[depth++] = pc;
			if (depth > max_depth)
				max_depth = depth;
			break;
		case IR_ELSE:
			if (!depth || e->code[stack[depth - 1]].op != IR_IF) { bad = 1; break; }
			e->code[stack[depth - 1]].target = pc;
			stack[depth - 1] = pc; /* ENDIF patches the ELSE */
			break;
		case IR_ENDIF:
			if (!depth || (e->code[stack[depth - 1]].op != IR_IF &&
				       e->code[stack[depth - 1]].op != IR_ELSE)) { bad = 1; break; }
			e->code[stack[--depth]].target = pc;
			break;
		case IR_ENDLOOP:
			if (!depth || e->code[stack[depth - 1]].op != IR_LOOP) { bad = 1; break; }
			e->code[stack[depth - 1]].target = pc;
			in->target = stack[--depth];
			break;
		case IR_FUNC_END:
			if (!depth || e->code[stack[depth - 1]].op != IR_FUNC_BEGIN) { bad = 1; break; }
			e->code[stack[--depth]].target = pc;
			break;
		default:
			break;
		}
	}
	free(stack);
	if (bad || depth)
		return -1;
	e->max_depth = max_depth;
	static atomic_uint_fast64_t next_id = 1;
	e->id = atomic_fetch_add(&next_id, 1);
	uint32_t na = e->iface.n_attributes, nv = e->iface.n_varyings;
	e->iface.name = e->name;
	e->iface.stage = e->stage;
	/* no slots at all: leave the pointers NULL (NULL + 0 is undefined) */
	e->iface.attributes = e->slots;
	e->iface.varyings = e->slots ? e->slots + na : NULL;
	e->iface.colors = e->slots ? e->slots + na + nv : NULL;
	e->iface.resources = e->resources;
	e->iface.n_resources = e->n_resources;
	for (uint32_t pc = 0; pc < e->n_code; pc++) {
		if (e->code[pc].op == IR_DFDX || e->code[pc].op == IR_DFDY)
			e->iface.uses_derivatives = 1;
		if (e->code[pc].op == IR_DISCARD)
			e->iface.uses_discard = 1;
		if (e->code[pc].op == IR_BARRIER)
			e->has_barrier = 1;
	}
	return e->oom ? -1 : 0;
}

void msl_ir_dump(const struct msl_exec_entry *e, void *file)
{
	FILE *f = file;
	fprintf(f, "entry %s: %u regs, %u instructions\n", e->name, e->n_regs, e->n_code);
	for (uint32_t pc = 0; pc < e->n_code; pc++) {
		const struct msl_ir_inst *in = &e->code[pc];
		fprintf(f, "%5u  %-10s", pc, msl_ir_op_name(in->op));
		if (in->dst != MSL_IR_NONE && in->op < IR_IF)
			fprintf(f, " r%u =", in->dst);
		if (in->a != MSL_IR_NONE) fprintf(f, " r%u", in->a);
		if (in->b != MSL_IR_NONE) fprintf(f, " r%u", in->b);
		if (in->c != MSL_IR_NONE) {
			int imm_c = in->op == IR_LDIDX || in->op == IR_STIDX || in->op == IR_CHECK ||
				    in->op == IR_LOAD || in->op == IR_STORE;
			fprintf(f, imm_c ? " #%u" : " r%u", in->c);
		}
		if (in->op == IR_LOAD || in->op == IR_STORE || (in->op >= IR_TEX_SAMPLE && in->op <= IR_TEX_SIZE)) {
			if (in->aux == MSL_IR_THREADGROUP_BINDING && (in->op == IR_LOAD || in->op == IR_STORE))
				fprintf(f, " [threadgroup]");
			else
				fprintf(f, " [binding %u]", in->aux);
		}
		if (in->op == IR_CONST)
			fprintf(f, " 0x%08x (%g)", in->imm.u, (double)in->imm.f);
		if (in->target != MSL_IR_NONE)
			fprintf(f, " -> %u", in->target);
		if (in->line)
			fprintf(f, "    ; %u:%u", in->line, in->col);
		fputc('\n', f);
	}
}

struct msl_exec_module *msl_ir_module_from_entries(struct msl_exec_entry **entries, uint32_t n)
{
	struct msl_exec_module *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->entries = calloc(n ? n : 1, sizeof(*m->entries));
	if (!m->entries) {
		free(m);
		return NULL;
	}
	memcpy(m->entries, entries, sizeof(*entries) * n);
	m->n_entries = n;
	return m;
}
