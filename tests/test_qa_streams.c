/*
 * test_qa_streams — independent QA streams (tests/qa/qa_streams.h, written
 * byte by byte from DESIGN §3 without the project's encoder) through the
 * decoder and the validator.
 *
 * - every field of every command decodes to exactly the value written, and
 *   the project's encoder re-emits the very same bytes from those fields
 *   (both BEGIN_RENDER_PASS forms, both depth-stencil forms, signed cursor
 *   hot spots, inline data, pixels and sources pointing at the right bytes);
 * - the realistic streams (UI frame, blur, stencil clip, MSAA resolve,
 *   compute + blit, cursor) give no validator error;
 * - each deliberately wrong stream gives its rule first, at the command and
 *   header offset where it was broken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mtlproto/decode.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"
#include "qa/qa_streams.h"

static char *g_src;

/* The decoded fields of a command, in DESIGN §3's order (as qa_wire.h records them). */
static unsigned decoded_fields(const struct mtl_cmd *c, double *f, const uint8_t **tail,
			       size_t *tail_len)
{
	unsigned n = 0;
	*tail = NULL;
	*tail_len = 0;
#define F(v) (f[n++] = (double)(v))
	switch (c->method) {
	case QA_COMPILE_LIBRARY:
		F(c->u.compile_library.lib); F(c->u.compile_library.len);
		*tail = c->u.compile_library.source; *tail_len = c->u.compile_library.len;
		break;
	case QA_GET_FUNCTION:
		F(c->u.get_function.fn); F(c->u.get_function.lib); F(c->u.get_function.len);
		*tail = c->u.get_function.name; *tail_len = c->u.get_function.len;
		break;
	case QA_CREATE_RENDER_PIPELINE: {
		const struct mtl_create_render_pipeline *p = &c->u.create_render_pipeline;
		F(p->pipe); F(p->vertex_fn); F(p->fragment_fn); F(p->blend); F(p->write_mask);
		F(p->stencil_format); F(p->sample_count); F(p->pixel_format);
		break;
	}
	case QA_CREATE_COMPUTE_PIPELINE:
		F(c->u.create_compute_pipeline.pipe); F(c->u.create_compute_pipeline.fn);
		break;
	case QA_CREATE_DEPTH_STENCIL_STATE: {
		const struct mtl_create_depth_stencil_state *d = &c->u.create_depth_stencil_state;
		F(d->state); F(d->stencil_enabled); F(d->front_compare); F(d->front_pass_op);
		F(d->front_fail_op); F(d->back_compare); F(d->back_pass_op); F(d->back_fail_op);
		break;
	}
	case QA_CREATE_SAMPLER: {
		const struct mtl_create_sampler *s = &c->u.create_sampler;
		F(s->sampler); F(s->min); F(s->mag); F(s->s_mode); F(s->t_mode);
		break;
	}
	case QA_CREATE_TEXTURE: {
		const struct mtl_create_texture *t = &c->u.create_texture;
		F(t->tex); F(t->width); F(t->height); F(t->pixel_format); F(t->type);
		F(t->sample_count); F(t->usage);
		break;
	}
	case QA_UPLOAD_TEXTURE: {
		const struct mtl_upload_texture *t = &c->u.upload_texture;
		F(t->tex); F(t->x); F(t->y); F(t->w); F(t->h); F(t->bytes_per_row);
		*tail = t->pixels; *tail_len = t->pixels_len;
		break;
	}
	case QA_BIND_HOST_TEXTURE:
		F(c->u.bind_host_texture.guest_tex); F(c->u.bind_host_texture.host_handle);
		break;
	case QA_DESTROY_OBJECT:
	case QA_SET_RENDER_PIPELINE:
	case QA_SET_DEPTH_STENCIL_STATE:
	case QA_SET_COMPUTE_PIPELINE:
		F(c->u.handle.handle);
		break;
	case QA_BEGIN_RENDER_PASS: {
		const struct mtl_begin_render_pass *r = &c->u.begin_render_pass;
		F(r->color); F(r->resolve); F(r->stencil); F(r->load); F(r->store);
		F(r->stencil_load); F(r->stencil_store);
		F(r->clear[0]); F(r->clear[1]); F(r->clear[2]); F(r->clear[3]);
		break;
	}
	case QA_SET_STENCIL_REF:
		F(c->u.set_stencil_ref.value);
		break;
	case QA_SET_SCISSOR:
		F(c->u.set_scissor.x); F(c->u.set_scissor.y); F(c->u.set_scissor.w); F(c->u.set_scissor.h);
		break;
	case QA_SET_VERTEX_BYTES:
	case QA_SET_FRAGMENT_BYTES:
	case QA_SET_COMPUTE_BYTES:
		F(c->u.set_bytes.index); F(c->u.set_bytes.len);
		*tail = c->u.set_bytes.data; *tail_len = c->u.set_bytes.len;
		break;
	case QA_SET_FRAGMENT_TEXTURE:
	case QA_SET_COMPUTE_TEXTURE:
		F(c->u.set_texture.tex); F(c->u.set_texture.index);
		break;
	case QA_SET_FRAGMENT_SAMPLER:
		F(c->u.set_sampler.sampler); F(c->u.set_sampler.index);
		break;
	case QA_DRAW_PRIMITIVES:
		F(c->u.draw.primitive); F(c->u.draw.start); F(c->u.draw.count);
		break;
	case QA_DISPATCH_THREADS:
		for (int i = 0; i < 3; i++)
			F(c->u.dispatch.grid[i]);
		for (int i = 0; i < 3; i++)
			F(c->u.dispatch.threadgroup[i]);
		break;
	case QA_COPY_TEXTURE_REGION: {
		const struct mtl_copy_texture_region *k = &c->u.copy;
		F(k->src); F(k->dst); F(k->src_x); F(k->src_y); F(k->w); F(k->h); F(k->dst_x); F(k->dst_y);
		break;
	}
	case QA_PRESENT_AND_COMMIT:
		F(c->u.present.frame_id);
		break;
	case QA_SET_CURSOR_IMAGE: {
		const struct mtl_set_cursor_image *k = &c->u.cursor_image;
		F(k->w); F(k->h); F(k->hot_x); F(k->hot_y);
		*tail = k->pixels; *tail_len = k->pixels_len;
		break;
	}
	case QA_SET_CURSOR_POSITION:
		F(c->u.cursor_position.x); F(c->u.cursor_position.y);
		break;
	case QA_SET_CURSOR_VISIBLE:
		F(c->u.cursor_visible.visible);
		break;
	case QA_SET_CURSOR_FROM_TEXTURE: {
		const struct mtl_set_cursor_from_texture *k = &c->u.cursor_from_texture;
		F(k->tex); F(k->w); F(k->h); F(k->hot_x); F(k->hot_y);
		break;
	}
	default:
		break;
	}
#undef F
	return n;
}

/* Decode b and compare every command with what qa_wire.h wrote. */
static void check_decodes_as_written(const struct qa_buf *b)
{
	struct mtl_decoder d;
	struct mtl_cmd c;
	mtl_decoder_init(&d, b->p, b->len);
	unsigned i = 0;
	while (mtl_decoder_next(&d, &c) != MTL_END) {
		assert_true(i < b->ncmd);
		const struct qa_expect *e = &b->cmd[i];
		assert_int_equal(c.status, MTL_OK);
		assert_int_equal(c.offset, e->offset);
		assert_int_equal(c.method, e->method);
		assert_true(c.fields_valid);
		double f[QA_MAX_FIELDS];
		const uint8_t *tail;
		size_t tail_len;
		unsigned n = decoded_fields(&c, f, &tail, &tail_len);
		assert_int_equal(n, e->nfields);
		for (unsigned k = 0; k < n; k++) {
			if (f[k] != e->field[k])
				fail_msg("command %u (method 0x%04X) field %u: decoded %g, wrote %g", i,
					 e->method, k, f[k], e->field[k]);
		}
		assert_int_equal(tail_len, e->tail_len);
		if (e->tail_len) {
			assert_ptr_equal(tail, b->p + e->tail_off);
		}
		/* the project's encoder (what guests compile) writes the same bytes */
		{
			static uint8_t again[70000];
			struct mtl_encoder enc;
			mtl_enc_init(&enc, again, sizeof again);
			size_t n_again = mtl_enc_command(&enc, &c);
			size_t n_orig = 8u + c.payload_size;
			if (n_again != n_orig || memcmp(again, b->p + c.offset, n_orig) != 0)
				fail_msg("command %u (method 0x%04X, %zu bytes): the encoder writes different bytes (%zu)",
					 i, e->method, n_orig, n_again);
		}
		if (c.method == QA_BEGIN_RENDER_PASS)
			assert_int_equal(c.u.begin_render_pass.has_alpha, c.payload_size == 32);
		if (c.method == QA_CREATE_DEPTH_STENCIL_STATE)
			assert_int_equal(c.u.create_depth_stencil_state.long_form, c.payload_size == 12);
		i++;
	}
	assert_int_equal(i, b->ncmd);
}

struct collected {
	unsigned n, errors, warnings;
	char first_rule[64];
	char first_sev[16];
	uint64_t first_command;
	size_t first_offset;
	char all[1024];
};

static void on_finding(void *user, const struct mtl_finding *f)
{
	struct collected *c = user;
	if (c->n == 0) {
		snprintf(c->first_rule, sizeof c->first_rule, "%s", f->rule);
		snprintf(c->first_sev, sizeof c->first_sev, "%s", mtl_severity_name(f->severity));
		c->first_command = f->command;
		c->first_offset = f->offset;
	}
	size_t used = strlen(c->all);
	snprintf(c->all + used, sizeof c->all - used, "%s[%s] ", used ? "" : "", f->rule);
	c->n++;
	if (f->severity == MTL_SEV_ERROR)
		c->errors++;
	else
		c->warnings++;
}

static void validate(const struct qa_buf *b, struct collected *out)
{
	memset(out, 0, sizeof *out);
	struct mtl_validate_options o = { .width = QA_W, .height = QA_H, .on_finding = on_finding,
					  .user = out };
	struct mtl_validator *v = mtl_validator_create(&o);
	assert_non_null(v);
	mtl_validator_submit(v, b->p, b->len, 1, 0);
	mtl_validator_finish(v);
	mtl_validator_destroy(v);
}

static void test_good_streams(void **state)
{
	(void)state;
	for (size_t i = 0; i < QA_GOOD_COUNT; i++) {
		static struct qa_buf b;
		memset(&b, 0, sizeof b);
		QA_GOOD[i].build(&b, g_src);
		check_decodes_as_written(&b);
		struct collected c;
		validate(&b, &c);
		if (c.errors)
			fail_msg("%s: %u validator errors: %s", QA_GOOD[i].name, c.errors, c.all);
		/* the only warning allowed: the UI stream's deliberate 28-byte pass */
		if (strcmp(QA_GOOD[i].name, "ui-frame") == 0) {
			assert_int_equal(c.warnings, 1);
			assert_string_equal(c.first_rule, "rpass.short-form");
		} else if (c.warnings) {
			fail_msg("%s: unexpected warnings: %s", QA_GOOD[i].name, c.all);
		}
		free(b.p);
	}
}

static void test_bad_streams(void **state)
{
	(void)state;
	for (size_t i = 0; i < QA_BAD_COUNT; i++) {
		static struct qa_buf b;
		memset(&b, 0, sizeof b);
		unsigned bad = 0;
		QA_BAD[i].build(&b, g_src, &bad);
		check_decodes_as_written(&b);
		struct collected c;
		validate(&b, &c);
		if (c.n == 0 || strcmp(c.first_rule, QA_BAD[i].rule) != 0)
			fail_msg("%s: expected %s first, got: %s", QA_BAD[i].name, QA_BAD[i].rule,
				 c.n ? c.all : "no finding");
		assert_string_equal(c.first_sev, QA_BAD[i].severity);
		assert_int_equal(c.first_command, bad);
		assert_int_equal(c.first_offset, b.cmd[bad].offset);
		free(b.p);
	}
}

/* The same stream split at every command boundary into separate
 * submissions gives the same findings (the validator is stateful). */
static void test_split_submissions(void **state)
{
	(void)state;
	static struct qa_buf b;
	memset(&b, 0, sizeof b);
	qa_stream_ui(&b, g_src);
	struct collected whole, split;
	validate(&b, &whole);
	memset(&split, 0, sizeof split);
	struct mtl_validate_options o = { .width = QA_W, .height = QA_H, .on_finding = on_finding,
					  .user = &split };
	struct mtl_validator *v = mtl_validator_create(&o);
	assert_non_null(v);
	for (unsigned i = 0; i < b.ncmd; i++) {
		size_t end = i + 1 < b.ncmd ? b.cmd[i + 1].offset : b.len;
		unsigned queue = b.cmd[i].method <= 0xFF ? 0 : 1;
		mtl_validator_submit(v, b.p + b.cmd[i].offset, end - b.cmd[i].offset, queue, i);
	}
	mtl_validator_finish(v);
	mtl_validator_destroy(v);
	assert_int_equal(split.errors, whole.errors);
	assert_int_equal(split.warnings, whole.warnings);
	assert_string_equal(split.first_rule, whole.first_rule);
	assert_int_equal(split.first_command, whole.first_command);
	assert_int_equal(split.first_offset, 0); /* offset within its own submission */
	free(b.p);
}

/* A deterministic pseudo-random generator (xorshift32), so the test never
 * depends on time. */
static uint32_t g_rng = 0x9E3779B9u;
static uint32_t rnd(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 17;
	g_rng ^= g_rng << 5;
	return g_rng;
}
/* Edge values and random ones: 0, 1, max, max-1, and anything. */
static uint32_t rnd_u(uint32_t max)
{
	switch (rnd() % 5) {
	case 0: return 0;
	case 1: return max;
	case 2: return max ? max - 1 : 0;
	case 3: return 1 % (max + 1ull);
	default: return (uint32_t)(rnd() % ((uint64_t)max + 1));
	}
}
static float rnd_f(void)
{
	static const float edge[] = { 0.0f, -0.0f, 1.0f, -1.0f, 1e-38f, 3.4e38f, -3.4e38f, 0.5f };
	if (rnd() % 2)
		return edge[rnd() % 8];
	uint32_t bits;
	do
		bits = rnd();
	while ((bits & 0x7F800000u) == 0x7F800000u); /* no NaN/Inf: compared as numbers */
	float f;
	memcpy(&f, &bits, 4);
	return f;
}

/* Every method with edge and random field values (any enum byte, handles
 * of every range, negative hot spots, both optional forms), written by the
 * independent writer and decoded: each field must come back exactly. */
static void test_random_fields(void **state)
{
	(void)state;
	for (int round = 0; round < 40; round++) {
		static struct qa_buf b;
		memset(&b, 0, sizeof b);
		static uint8_t blob[300];
		for (size_t i = 0; i < sizeof blob; i++)
			blob[i] = (uint8_t)rnd();
		char name[8] = "fnXYZ";
		for (int i = 0; i < 300; i++) {
			uint32_t h = rnd_u(0xFFFFFFFFu);
			switch (rnd() % 33) {
			case 0: qa_compile_library(&b, h, "kernel void k() {}"); break;
			case 1: qa_get_function(&b, h, rnd_u(0xFFFFFFFFu), name); break;
			case 2: qa_render_pipeline(&b, h, rnd(), rnd(), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255)); break;
			case 3: qa_compute_pipeline(&b, h, rnd()); break;
			case 4: qa_depth_stencil8(&b, h, rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255)); break;
			case 5: qa_depth_stencil12(&b, h, rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255)); break;
			case 6: qa_sampler(&b, h, rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255)); break;
			case 7: qa_texture(&b, h, rnd_u(65535), rnd_u(65535), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255)); break;
			case 8: qa_upload(&b, h, rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(0xFFFFFFFFu), blob, rnd() % sizeof blob); break;
			case 9: qa_handle_cmd(&b, QA_DESTROY_OBJECT, h); break;
			case 10: qa_begin_render_pass(&b, h, rnd_u(0xFFFFFFFFu), rnd_u(0xFFFFFFFFu), rnd_u(255), rnd_u(255), rnd_u(255), rnd_u(255), rnd_f(), rnd_f(), rnd_f(), rnd_f(), (int)(rnd() % 2)); break;
			case 11: qa_empty_cmd(&b, QA_END_RENDER_PASS); break;
			case 12: qa_handle_cmd(&b, QA_SET_RENDER_PIPELINE, h); break;
			case 13: qa_handle_cmd(&b, QA_SET_DEPTH_STENCIL_STATE, h); break;
			case 14: qa_stencil_ref(&b, h); break;
			case 15: qa_scissor(&b, rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535)); break;
			case 16: qa_set_bytes(&b, QA_SET_VERTEX_BYTES, rnd_u(255), blob, rnd() % sizeof blob); break;
			case 17: qa_set_slot(&b, QA_SET_FRAGMENT_TEXTURE, h, rnd_u(255)); break;
			case 18: qa_set_slot(&b, QA_SET_FRAGMENT_SAMPLER, h, rnd_u(255)); break;
			case 19: qa_set_bytes(&b, QA_SET_FRAGMENT_BYTES, rnd_u(255), blob, rnd() % sizeof blob); break;
			case 20: qa_draw(&b, rnd_u(255), rnd_u(0xFFFFFFFFu), rnd_u(0xFFFFFFFFu)); break;
			case 21: qa_empty_cmd(&b, rnd() % 2 ? QA_BEGIN_COMPUTE_PASS : QA_END_COMPUTE_PASS); break;
			case 22: qa_handle_cmd(&b, QA_SET_COMPUTE_PIPELINE, h); break;
			case 23: qa_set_slot(&b, QA_SET_COMPUTE_TEXTURE, h, rnd_u(255)); break;
			case 24: qa_set_bytes(&b, QA_SET_COMPUTE_BYTES, rnd_u(255), blob, rnd() % sizeof blob); break;
			case 25: qa_dispatch(&b, rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535)); break;
			case 26: qa_empty_cmd(&b, rnd() % 2 ? QA_BEGIN_BLIT_PASS : QA_END_BLIT_PASS); break;
			case 27: qa_copy(&b, h, rnd(), rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535), rnd_u(65535)); break;
			case 28: qa_present(&b, h); break;
			case 29: {
				unsigned w = rnd() % 9, hh = rnd() % 9;
				qa_cursor_image(&b, w, hh, (int)(int16_t)rnd_u(65535), (int)(int16_t)rnd_u(65535), blob);
				break;
			}
			case 30: qa_cursor_position(&b, rnd_f(), rnd_f()); break;
			case 31: qa_cursor_visible(&b, rnd_u(255)); break;
			default: qa_cursor_from_texture(&b, h, rnd_u(65535), rnd_u(65535), (int)(int16_t)rnd_u(65535), (int)(int16_t)rnd_u(65535)); break;
			}
			if (b.ncmd >= QA_MAX_CMDS - 1)
				break;
		}
		check_decodes_as_written(&b);
		free(b.p);
	}
}

static int setup(void **state)
{
	(void)state;
	g_src = qa_read_text(QA_SHADER_PATH);
	if (!g_src) {
		fprintf(stderr, "cannot read %s: run from the top of the tree\n", QA_SHADER_PATH);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(g_src);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_streams),
		cmocka_unit_test(test_bad_streams),
		cmocka_unit_test(test_split_submissions),
		cmocka_unit_test(test_random_fields),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
