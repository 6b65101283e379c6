/* tools/common/fields.c — see fields.h. */
#include "fields.h"

#include <string.h>

#include "json.h"

struct emit {
	tool_field_fn fn;
	void *ctx;
};

static void emit_u(struct emit *e, const char *name, uint64_t v)
{
	struct tool_field f = {.name = name, .type = TOOL_FIELD_UINT, .u = v};
	e->fn(e->ctx, &f);
}

static void emit_i(struct emit *e, const char *name, int64_t v)
{
	struct tool_field f = {.name = name, .type = TOOL_FIELD_INT, .i = v};
	e->fn(e->ctx, &f);
}

static void emit_f(struct emit *e, const char *name, double v)
{
	struct tool_field f = {.name = name, .type = TOOL_FIELD_FLOAT, .f = v};
	e->fn(e->ctx, &f);
}

static void emit_h(struct emit *e, const char *name, uint32_t v)
{
	struct tool_field f = {.name = name, .type = TOOL_FIELD_HANDLE, .u = v};
	e->fn(e->ctx, &f);
}

static void emit_e(struct emit *e, const char *name, unsigned v, const char *(*namer)(unsigned))
{
	struct tool_field f = {.name = name, .type = TOOL_FIELD_ENUM, .u = v, .str = namer(v)};
	e->fn(e->ctx, &f);
}

static void emit_b(struct emit *e, const char *name, enum tool_field_type t, const uint8_t *p, size_t len)
{
	struct tool_field f = {.name = name, .type = t, .bytes = p, .len = len};
	e->fn(e->ctx, &f);
}

void tool_cmd_fields(const struct mtl_cmd *c, tool_field_fn fn, void *ctx)
{
	struct emit e = {fn, ctx};
	if (!c->fields_valid)
		return;
	switch (c->method) {
	case MTL_CMD_COMPILE_LIBRARY:
		emit_h(&e, "lib", c->u.compile_library.lib);
		emit_u(&e, "len", c->u.compile_library.len);
		emit_b(&e, "source", TOOL_FIELD_TEXT, c->u.compile_library.source, c->u.compile_library.len);
		break;
	case MTL_CMD_GET_FUNCTION:
		emit_h(&e, "fn", c->u.get_function.fn);
		emit_h(&e, "lib", c->u.get_function.lib);
		emit_u(&e, "len", c->u.get_function.len);
		emit_b(&e, "name", TOOL_FIELD_TEXT, c->u.get_function.name, c->u.get_function.len);
		break;
	case MTL_CMD_CREATE_RENDER_PIPELINE: {
		const struct mtl_create_render_pipeline *p = &c->u.create_render_pipeline;
		emit_h(&e, "pipe", p->pipe);
		emit_h(&e, "vertex_fn", p->vertex_fn);
		emit_h(&e, "fragment_fn", p->fragment_fn);
		emit_u(&e, "blend", p->blend);
		emit_u(&e, "write_mask", p->write_mask);
		emit_u(&e, "stencil_format", p->stencil_format);
		emit_u(&e, "sample_count", p->sample_count);
		emit_e(&e, "pixel_format", p->pixel_format, mtl_pixel_format_name);
		break;
	}
	case MTL_CMD_CREATE_COMPUTE_PIPELINE:
		emit_h(&e, "pipe", c->u.create_compute_pipeline.pipe);
		emit_h(&e, "fn", c->u.create_compute_pipeline.fn);
		break;
	case MTL_CMD_CREATE_DEPTH_STENCIL_STATE: {
		const struct mtl_create_depth_stencil_state *s = &c->u.create_depth_stencil_state;
		emit_h(&e, "state", s->state);
		emit_u(&e, "stencil_enabled", s->stencil_enabled);
		emit_e(&e, "compare", s->front_compare, mtl_compare_name);
		emit_e(&e, "pass_op", s->front_pass_op, mtl_stencil_op_name);
		emit_e(&e, "fail_op", s->front_fail_op, mtl_stencil_op_name);
		if (s->long_form) {
			emit_e(&e, "back_compare", s->back_compare, mtl_compare_name);
			emit_e(&e, "back_pass_op", s->back_pass_op, mtl_stencil_op_name);
			emit_e(&e, "back_fail_op", s->back_fail_op, mtl_stencil_op_name);
		}
		break;
	}
	case MTL_CMD_CREATE_SAMPLER: {
		const struct mtl_create_sampler *s = &c->u.create_sampler;
		emit_h(&e, "sampler", s->sampler);
		emit_e(&e, "min", s->min, mtl_filter_name);
		emit_e(&e, "mag", s->mag, mtl_filter_name);
		emit_e(&e, "s_mode", s->s_mode, mtl_address_mode_name);
		emit_e(&e, "t_mode", s->t_mode, mtl_address_mode_name);
		break;
	}
	case MTL_CMD_CREATE_TEXTURE: {
		const struct mtl_create_texture *t = &c->u.create_texture;
		emit_h(&e, "tex", t->tex);
		emit_u(&e, "width", t->width);
		emit_u(&e, "height", t->height);
		emit_e(&e, "pixel_format", t->pixel_format, mtl_pixel_format_name);
		emit_e(&e, "type", t->type, mtl_texture_type_name);
		emit_u(&e, "sample_count", t->sample_count);
		emit_u(&e, "usage", t->usage);
		break;
	}
	case MTL_CMD_UPLOAD_TEXTURE: {
		const struct mtl_upload_texture *u = &c->u.upload_texture;
		emit_h(&e, "tex", u->tex);
		emit_u(&e, "x", u->x);
		emit_u(&e, "y", u->y);
		emit_u(&e, "w", u->w);
		emit_u(&e, "h", u->h);
		emit_u(&e, "bytes_per_row", u->bytes_per_row);
		emit_b(&e, "pixels", TOOL_FIELD_BYTES, u->pixels, u->pixels_len);
		break;
	}
	case MTL_CMD_BIND_HOST_TEXTURE:
		emit_h(&e, "guest_tex", c->u.bind_host_texture.guest_tex);
		emit_h(&e, "host_handle", c->u.bind_host_texture.host_handle);
		break;
	case MTL_CMD_DESTROY_OBJECT:
		emit_h(&e, "handle", c->u.handle.handle);
		break;
	case MTL_CMD_BEGIN_RENDER_PASS: {
		const struct mtl_begin_render_pass *b = &c->u.begin_render_pass;
		emit_h(&e, "color", b->color);
		emit_h(&e, "resolve", b->resolve);
		emit_h(&e, "stencil", b->stencil);
		emit_e(&e, "load", b->load, mtl_load_action_name);
		emit_e(&e, "store", b->store, mtl_store_action_name);
		emit_e(&e, "stencil_load", b->stencil_load, mtl_load_action_name);
		emit_e(&e, "stencil_store", b->stencil_store, mtl_store_action_name);
		emit_f(&e, "clear_r", b->clear[0]);
		emit_f(&e, "clear_g", b->clear[1]);
		emit_f(&e, "clear_b", b->clear[2]);
		emit_f(&e, "clear_a", b->clear[3]);
		break;
	}
	case MTL_CMD_SET_RENDER_PIPELINE:
	case MTL_CMD_SET_COMPUTE_PIPELINE:
		emit_h(&e, "pipe", c->u.handle.handle);
		break;
	case MTL_CMD_SET_DEPTH_STENCIL_STATE:
		emit_h(&e, "state", c->u.handle.handle);
		break;
	case MTL_CMD_SET_STENCIL_REF:
		emit_u(&e, "value", c->u.set_stencil_ref.value);
		break;
	case MTL_CMD_SET_SCISSOR:
		emit_u(&e, "x", c->u.set_scissor.x);
		emit_u(&e, "y", c->u.set_scissor.y);
		emit_u(&e, "w", c->u.set_scissor.w);
		emit_u(&e, "h", c->u.set_scissor.h);
		break;
	case MTL_CMD_SET_VERTEX_BYTES:
	case MTL_CMD_SET_FRAGMENT_BYTES:
	case MTL_CMD_SET_COMPUTE_BYTES:
		emit_u(&e, "buffer_index", c->u.set_bytes.index);
		emit_u(&e, "len", c->u.set_bytes.len);
		emit_b(&e, "data", TOOL_FIELD_BYTES, c->u.set_bytes.data, c->u.set_bytes.len);
		break;
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		emit_h(&e, "tex", c->u.set_texture.tex);
		emit_u(&e, "texture_index", c->u.set_texture.index);
		break;
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
		emit_h(&e, "sampler", c->u.set_sampler.sampler);
		emit_u(&e, "sampler_index", c->u.set_sampler.index);
		break;
	case MTL_CMD_DRAW_PRIMITIVES:
		emit_e(&e, "primitive", c->u.draw.primitive, mtl_primitive_name);
		emit_u(&e, "start", c->u.draw.start);
		emit_u(&e, "count", c->u.draw.count);
		break;
	case MTL_CMD_DISPATCH_THREADS:
		emit_u(&e, "grid_x", c->u.dispatch.grid[0]);
		emit_u(&e, "grid_y", c->u.dispatch.grid[1]);
		emit_u(&e, "grid_z", c->u.dispatch.grid[2]);
		emit_u(&e, "threadgroup_x", c->u.dispatch.threadgroup[0]);
		emit_u(&e, "threadgroup_y", c->u.dispatch.threadgroup[1]);
		emit_u(&e, "threadgroup_z", c->u.dispatch.threadgroup[2]);
		break;
	case MTL_CMD_COPY_TEXTURE_REGION: {
		const struct mtl_copy_texture_region *r = &c->u.copy;
		emit_h(&e, "src", r->src);
		emit_h(&e, "dst", r->dst);
		emit_u(&e, "src_x", r->src_x);
		emit_u(&e, "src_y", r->src_y);
		emit_u(&e, "w", r->w);
		emit_u(&e, "h", r->h);
		emit_u(&e, "dst_x", r->dst_x);
		emit_u(&e, "dst_y", r->dst_y);
		break;
	}
	case MTL_CMD_PRESENT_AND_COMMIT:
		emit_u(&e, "frame_id", c->u.present.frame_id);
		break;
	case MTL_CMD_SET_CURSOR_IMAGE: {
		const struct mtl_set_cursor_image *ci = &c->u.cursor_image;
		emit_u(&e, "w", ci->w);
		emit_u(&e, "h", ci->h);
		emit_i(&e, "hot_x", ci->hot_x);
		emit_i(&e, "hot_y", ci->hot_y);
		emit_b(&e, "pixels", TOOL_FIELD_BYTES, ci->pixels, ci->pixels_len);
		break;
	}
	case MTL_CMD_SET_CURSOR_POSITION:
		emit_f(&e, "x", c->u.cursor_position.x);
		emit_f(&e, "y", c->u.cursor_position.y);
		break;
	case MTL_CMD_SET_CURSOR_VISIBLE:
		emit_u(&e, "visible", c->u.cursor_visible.visible);
		break;
	case MTL_CMD_SET_CURSOR_FROM_TEXTURE: {
		const struct mtl_set_cursor_from_texture *t = &c->u.cursor_from_texture;
		emit_h(&e, "tex", t->tex);
		emit_u(&e, "w", t->w);
		emit_u(&e, "h", t->h);
		emit_i(&e, "hot_x", t->hot_x);
		emit_i(&e, "hot_y", t->hot_y);
		break;
	}
	default: /* END_*_PASS, BEGIN_COMPUTE/BLIT_PASS: no fields */
		break;
	}
}

const char *tool_method_label(uint16_t method, char buf[8])
{
	const char *n = mtl_method_name(method);
	if (n)
		return n;
	snprintf(buf, 8, "0x%04x", method);
	return buf;
}

void tool_write_hex(FILE *f, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		fputc(digits[p[i] >> 4], f);
		fputc(digits[p[i] & 15], f);
	}
}

void tool_field_print_text(FILE *f, const struct tool_field *fl, size_t max_bytes)
{
	fprintf(f, " %s=", fl->name);
	switch (fl->type) {
	case TOOL_FIELD_UINT:
		fprintf(f, "%llu", (unsigned long long)fl->u);
		break;
	case TOOL_FIELD_INT:
		fprintf(f, "%lld", (long long)fl->i);
		break;
	case TOOL_FIELD_FLOAT:
		fprintf(f, "%.9g", fl->f);
		break;
	case TOOL_FIELD_HANDLE:
		if (fl->u == MTL_DRAWABLE_HANDLE)
			fputs("drawable", f);
		else
			fprintf(f, "%llu", (unsigned long long)fl->u);
		break;
	case TOOL_FIELD_ENUM:
		if (fl->str)
			fputs(fl->str, f);
		else
			fprintf(f, "%llu(unknown)", (unsigned long long)fl->u);
		break;
	case TOOL_FIELD_TEXT: {
		size_t n = max_bytes && fl->len > max_bytes ? max_bytes : fl->len;
		tool_json_write_string(f, fl->bytes, n);
		if (n < fl->len)
			fprintf(f, "...(%zu bytes)", fl->len);
		break;
	}
	case TOOL_FIELD_BYTES: {
		size_t n = max_bytes && fl->len > max_bytes ? max_bytes : fl->len;
		tool_write_hex(f, fl->bytes, n);
		if (n < fl->len)
			fprintf(f, "...(%zu bytes)", fl->len);
		break;
	}
	}
}
