/*
 * reflect.c — the interface of each entry point, read off the checked
 * program: stage_in members with their attribute indices, built-in inputs,
 * outputs, and bound resources sorted by kind and index; plus its JSON form
 * for `mtlshader reflect --json`.
 */
#include <stdlib.h>
#include <string.h>

#include "front.h"

const char *msl_resource_kind_name(enum msl_resource_kind k)
{
	return k == MSL_RES_BUFFER ? "buffer" : k == MSL_RES_TEXTURE ? "texture" : "sampler";
}

static int cmp_res(const void *a, const void *b)
{
	const struct msl_reflect_resource *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Type spelling of a parameter as declared: "constant Uniforms&", "device float4*". */
static const char *param_type_name(const struct msl_var *p, char *buf, size_t n)
{
	if (p->by_ref) {
		snprintf(buf, n, "%s %s%s&", msl_space_name(p->space),
			 p->is_const && p->space != MSL_SPACE_CONSTANT ? "const " : "", p->type->name);
		return buf;
	}
	return p->type->name;
}

static struct msl_reflect_field field_of_member(const struct msl_member *m)
{
	struct msl_reflect_field r = { m->name, m->type->name, m->attr.kind, m->attr.index, m->offset,
				       m->attr.flat };
	return r;
}

int msl_reflect(const struct msl_program *prog, struct msl_reflection *out)
{
	memset(out, 0, sizeof *out);
	size_t n = msl_program_entry_count(prog);
	out->functions = calloc(n ? n : 1, sizeof *out->functions);
	if (!out->functions)
		return -1;
	out->function_count = n;
	for (size_t i = 0; i < n; i++) {
		const struct msl_function *fn = msl_program_entry(prog, i);
		struct msl_reflect_function *rf = &out->functions[i];
		rf->name = fn->name;
		rf->stage = fn->stage;
		rf->fn = fn;
		rf->output_type = fn->return_type->name;
		size_t np = fn->param_count;
		rf->resources = calloc(np ? np : 1, sizeof *rf->resources);
		rf->builtins = calloc(np ? np : 1, sizeof *rf->builtins);
		if (!rf->resources || !rf->builtins) {
			msl_reflection_free(out);
			return -1;
		}
		for (size_t k = 0; k < np; k++) {
			const struct msl_var *p = fn->params[k];
			switch (p->attr.kind) {
			case MSL_ATTR_STAGE_IN: {
				const struct msl_struct *s = p->type->strct;
				rf->stage_in_type = s->name;
				rf->stage_in = calloc(s->member_count, sizeof *rf->stage_in);
				if (!rf->stage_in) {
					msl_reflection_free(out);
					return -1;
				}
				for (size_t m = 0; m < s->member_count; m++)
					rf->stage_in[m] = field_of_member(&s->members[m]);
				rf->stage_in_count = s->member_count;
				break;
			}
			case MSL_ATTR_BUFFER:
			case MSL_ATTR_TEXTURE:
			case MSL_ATTR_SAMPLER: {
				struct msl_reflect_resource *r = &rf->resources[rf->resource_count++];
				r->kind = p->attr.kind == MSL_ATTR_BUFFER ? MSL_RES_BUFFER
					  : p->attr.kind == MSL_ATTR_TEXTURE ? MSL_RES_TEXTURE : MSL_RES_SAMPLER;
				r->index = p->attr.index;
				r->name = p->name;
				r->param = p;
				r->type = param_type_name(p, r->type_storage, sizeof r->type_storage);
				if (r->kind == MSL_RES_BUFFER) {
					const struct msl_type *t = p->by_ref ? p->type : p->type->elem;
					r->space = p->by_ref ? p->space : p->type->space;
					r->size = t ? t->size : 0;
				} else if (r->kind == MSL_RES_TEXTURE) {
					r->access = p->type->access;
				}
				break;
			}
			default: {
				struct msl_reflect_field *b = &rf->builtins[rf->builtin_count++];
				*b = (struct msl_reflect_field){ p->name, p->type->name, p->attr.kind, p->attr.index, 0, 0 };
				break;
			}
			}
		}
		qsort(rf->resources, rf->resource_count, sizeof *rf->resources, cmp_res);
		for (size_t k = 0; k < rf->resource_count; k++) /* storage moved with qsort */
			rf->resources[k].type = param_type_name(rf->resources[k].param, rf->resources[k].type_storage,
								sizeof rf->resources[k].type_storage);
		const struct msl_type *rt = fn->return_type;
		if (rt->kind == MSL_T_STRUCT) {
			rf->outputs = calloc(rt->strct->member_count, sizeof *rf->outputs);
			if (!rf->outputs) {
				msl_reflection_free(out);
				return -1;
			}
			for (size_t m = 0; m < rt->strct->member_count; m++)
				rf->outputs[m] = field_of_member(&rt->strct->members[m]);
			rf->output_count = rt->strct->member_count;
		} else if (rt->kind != MSL_T_VOID) {
			rf->outputs = calloc(1, sizeof *rf->outputs);
			if (!rf->outputs) {
				msl_reflection_free(out);
				return -1;
			}
			rf->outputs[0] = (struct msl_reflect_field){
				fn->stage == MSL_STAGE_VERTEX ? "position" : "color", rt->name,
				fn->stage == MSL_STAGE_VERTEX ? MSL_ATTR_POSITION : MSL_ATTR_COLOR, 0, 0, 0 };
			rf->output_count = 1;
		}
	}
	return 0;
}

void msl_reflection_free(struct msl_reflection *r)
{
	for (size_t i = 0; i < r->function_count; i++) {
		struct msl_reflect_function *f = &r->functions[i];
		free(f->stage_in);
		free(f->builtins);
		free(f->outputs);
		free(f->resources);
	}
	free(r->functions);
	memset(r, 0, sizeof *r);
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_str(FILE *o, const char *s)
{
	if (!s) {
		fputs("null", o);
		return;
	}
	fputc('"', o);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(o, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(o, "\\u%04x", *p);
		else
			fputc(*p, o);
	}
	fputc('"', o);
}

static void json_fields(FILE *o, const struct msl_reflect_field *v, size_t n, bool with_offset)
{
	fputc('[', o);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", o);
		json_str(o, v[i].name);
		fputs(",\"type\":", o);
		json_str(o, v[i].type);
		fputs(",\"attribute\":", o);
		json_str(o, v[i].attr == MSL_ATTR_NONE ? NULL : msl_attr_name(v[i].attr));
		if (v[i].attr == MSL_ATTR_ATTRIBUTE || v[i].attr == MSL_ATTR_COLOR)
			fprintf(o, ",\"index\":%u", v[i].index);
		if (with_offset)
			fprintf(o, ",\"offset\":%u", v[i].offset);
		if (v[i].flat)
			fputs(",\"flat\":true", o);
		fputc('}', o);
	}
	fputc(']', o);
}

void msl_reflection_write_json(const struct msl_reflection *r, FILE *o)
{
	fputs("{\"functions\":[", o);
	for (size_t i = 0; i < r->function_count; i++) {
		const struct msl_reflect_function *f = &r->functions[i];
		fputs(i ? ",{\"name\":" : "{\"name\":", o);
		json_str(o, f->name);
		fputs(",\"stage\":", o);
		json_str(o, msl_stage_name(f->stage));
		fputs(",\"stage_in_type\":", o);
		json_str(o, f->stage_in_type);
		fputs(",\"stage_in\":", o);
		json_fields(o, f->stage_in, f->stage_in_count, true);
		fputs(",\"builtins\":", o);
		json_fields(o, f->builtins, f->builtin_count, false);
		fputs(",\"output_type\":", o);
		json_str(o, f->output_type);
		fputs(",\"outputs\":", o);
		json_fields(o, f->outputs, f->output_count, f->fn && f->fn->return_type->kind == MSL_T_STRUCT);
		fputs(",\"resources\":[", o);
		for (size_t k = 0; k < f->resource_count; k++) {
			const struct msl_reflect_resource *res = &f->resources[k];
			fputs(k ? ",{\"kind\":" : "{\"kind\":", o);
			json_str(o, msl_resource_kind_name(res->kind));
			fprintf(o, ",\"index\":%u,\"name\":", res->index);
			json_str(o, res->name);
			fputs(",\"type\":", o);
			json_str(o, res->type);
			if (res->kind == MSL_RES_BUFFER) {
				fputs(",\"space\":", o);
				json_str(o, msl_space_name(res->space));
				fprintf(o, ",\"size\":%u", res->size);
			}
			fputc('}', o);
		}
		fputs("]}", o);
	}
	fputs("]}\n", o);
}
