/*
 * validate.c — the stateful stream validator (mtlproto/validate.h).
 *
 * One pass over each submission with the decoder; per command, a handler
 * checks the command against the state the stream has built so far (objects
 * by handle, the open pass and what is bound in it) and then applies the
 * command to that state the way the reference host would: a command the
 * host ignores (outside its pass, shorter than its fields, a draw without
 * pipeline) changes nothing here either, so one mistake gives one finding
 * rather than a cascade.
 *
 * docs/VALIDATION.md explains every rule; the table below is the source of
 * the IDs, severities and one-line summaries.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtlproto/decode.h"
#include "mtlproto/validate.h"

#define E MTL_SEV_ERROR
#define W MTL_SEV_WARNING

/* Every rule: enum name, stable ID, severity, summary. IDs never change. */
#define MTL_VALIDATE_RULES(X) \
	X(R_FRAME_FLAGS, "frame.flags", E, "command header flags are not 0") \
	X(R_FRAME_UNKNOWN_METHOD, "frame.unknown-method", E, "the method is not one the protocol defines") \
	X(R_FRAME_PAYLOAD_SIZE, "frame.payload-size", E, "payload_size is wrong for the method") \
	X(R_FRAME_INNER_LENGTH, "frame.inner-length", E, "an inner length field disagrees with payload_size") \
	X(R_FRAME_TRUNCATED, "frame.truncated", E, "the buffer ends inside a command") \
	X(R_ENUM_OUT_OF_RANGE, "enum.out-of-range", E, "an enum field has a value the protocol does not define") \
	X(R_HANDLE_RESERVED, "handle.reserved", E, "a create uses handle 0 or a host-range handle") \
	X(R_HANDLE_DRAWABLE_NOT_ALLOWED, "handle.drawable-not-allowed", E, "DRAWABLE_HANDLE used where only a real object is allowed") \
	X(R_HANDLE_UNDEFINED, "handle.undefined", E, "a handle that was never created is used") \
	X(R_HANDLE_WRONG_KIND, "handle.wrong-kind", E, "a handle names an object of another kind") \
	X(R_HANDLE_RECREATE, "handle.recreate", E, "a create reuses the handle of a live object") \
	X(R_HANDLE_DESTROY_UNKNOWN, "handle.destroy-unknown", E, "DESTROY_OBJECT of a handle that is not live") \
	X(R_HANDLE_USE_AFTER_DESTROY, "handle.use-after-destroy", E, "a destroyed handle is used") \
	X(R_HANDLE_BIND_NOT_HOST, "handle.bind-not-host", E, "BIND_HOST_TEXTURE with a host_handle outside the host range") \
	X(R_PASS_DRAW_OUTSIDE, "pass.draw-outside", E, "DRAW_PRIMITIVES outside a render pass") \
	X(R_PASS_RENDER_OUTSIDE, "pass.render-outside", E, "a render-pass command outside a render pass") \
	X(R_PASS_COMPUTE_OUTSIDE, "pass.compute-outside", E, "a compute-pass command outside a compute pass") \
	X(R_PASS_BLIT_OUTSIDE, "pass.blit-outside", E, "a blit-pass command outside a blit pass") \
	X(R_PASS_NESTED, "pass.nested", E, "a pass begins while another is open") \
	X(R_PASS_END_WITHOUT_BEGIN, "pass.end-without-begin", E, "END of a pass that is not open") \
	X(R_PASS_OPEN_AT_PRESENT, "pass.open-at-present", E, "PRESENT_AND_COMMIT while a pass is open") \
	X(R_PASS_OPEN_AT_END, "pass.open-at-end", W, "the stream ends with a pass open") \
	X(R_RPASS_SHORT_FORM, "rpass.short-form", W, "28-byte BEGIN_RENDER_PASS (no clear alpha; the reference host uses 1.0)") \
	X(R_RPASS_NO_COLOR, "rpass.no-color", E, "BEGIN_RENDER_PASS without a color attachment") \
	X(R_RPASS_NOT_RENDER_TARGET, "rpass.not-render-target", E, "an attachment texture lacks renderTarget usage") \
	X(R_RPASS_COLOR_FORMAT, "rpass.color-format", E, "the color attachment has a stencil format") \
	X(R_RPASS_STENCIL_FORMAT, "rpass.stencil-format", E, "the stencil attachment is not stencil8") \
	X(R_RPASS_STENCIL_SIZE, "rpass.stencil-size", E, "the stencil attachment's size differs from the color attachment's") \
	X(R_RPASS_STENCIL_SAMPLE_COUNT, "rpass.stencil-sample-count", E, "the stencil attachment's sample count differs from the color attachment's") \
	X(R_RPASS_RESOLVE_SIZE, "rpass.resolve-size", E, "the resolve target's size differs from the color attachment's") \
	X(R_RPASS_RESOLVE_NOT_MSAA, "rpass.resolve-not-msaa", E, "multisampleResolve with a color texture that is not multisampled") \
	X(R_RPASS_RESOLVE_MISSING, "rpass.resolve-missing", E, "multisampleResolve without a resolve target") \
	X(R_RPASS_RESOLVE_UNUSED, "rpass.resolve-unused", W, "a resolve target without the multisampleResolve store action") \
	X(R_RPASS_RESOLVE_FORMAT, "rpass.resolve-format", E, "the resolve target's format differs from the color's, or it is multisampled") \
	X(R_RPASS_STENCIL_ACTION_IGNORED, "rpass.stencil-action-ignored", W, "stencil load/store the reference host ignores (it clears to 0, never stores)") \
	X(R_RPASS_BLIT_RETAINED_MISMATCH, "rpass.blit-retained-mismatch", W, "blitRetained with no presented frame, or into a color attachment unlike the drawable") \
	X(R_RPASS_SCISSOR_OUTSIDE, "rpass.scissor-outside", E, "the scissor rectangle extends outside the attachment") \
	X(R_DRAW_NO_PIPELINE, "draw.no-pipeline", E, "DRAW_PRIMITIVES before any render pipeline is set") \
	X(R_DRAW_SAMPLE_COUNT_MISMATCH, "draw.sample-count-mismatch", E, "the pipeline's sample count differs from the color attachment's") \
	X(R_DRAW_FORMAT_MISMATCH, "draw.format-mismatch", E, "the pipeline's pixel format differs from the color attachment's") \
	X(R_DRAW_STENCIL_FORMAT_MISMATCH, "draw.stencil-format-mismatch", E, "the pipeline's stencil format does not match the pass's stencil attachment") \
	X(R_DRAW_STENCIL_WITHOUT_ATTACHMENT, "draw.stencil-without-attachment", W, "a stencil-enabled depth-stencil state in a pass without stencil attachment") \
	X(R_DRAW_VERTEX_OVERRUN, "draw.vertex-overrun", E, "vertex_start + count runs past the vertex data bound at buffer 0") \
	X(R_DRAW_TRIANGLE_COUNT, "draw.triangle-count", W, "a triangle list whose vertex count is not a multiple of 3") \
	X(R_DATA_BYTES_TOO_LARGE, "data.bytes-too-large", E, "inline bytes over 4096") \
	X(R_DATA_BYTES_TOO_SMALL, "data.bytes-too-small", E, "inline bytes shorter than the shader's buffer parameter") \
	X(R_DATA_BUFFER_INDEX, "data.buffer-index", E, "buffer index over 30") \
	X(R_DATA_TEXTURE_INDEX, "data.texture-index", E, "texture index over 30") \
	X(R_DATA_SAMPLER_INDEX, "data.sampler-index", E, "sampler index over 15") \
	X(R_TEXTURE_SIZE_ZERO, "texture.size-zero", E, "a texture with width or height 0") \
	X(R_TEXTURE_TOO_LARGE, "texture.too-large", E, "a texture over 16384 in a dimension") \
	X(R_TEXTURE_HOST_TOO_LARGE, "texture.host-too-large", W, "a texture over 8192 in a dimension (the reference host refuses it)") \
	X(R_TEXTURE_SAMPLE_COUNT, "texture.sample-count", E, "a sample count other than 1 or 4") \
	X(R_TEXTURE_TYPE_MISMATCH, "texture.type-mismatch", E, "type and sample count disagree (2DMultisample needs 4, 2D needs 1)") \
	X(R_TEXTURE_USAGE_ZERO, "texture.usage-zero", W, "usage 0 (the reference host treats it as shaderRead only)") \
	X(R_TEXTURE_UPLOAD_OUTSIDE, "texture.upload-outside", E, "UPLOAD_TEXTURE region outside the texture") \
	X(R_TEXTURE_UPLOAD_ROW_SHORT, "texture.upload-row-short", E, "UPLOAD_TEXTURE bytes_per_row smaller than one row") \
	X(R_TEXTURE_UPLOAD_SIZE, "texture.upload-size", E, "UPLOAD_TEXTURE pixel data size does not match the region") \
	X(R_TEXTURE_UPLOAD_MSAA, "texture.upload-msaa", E, "UPLOAD_TEXTURE into a multisampled texture") \
	X(R_TEXTURE_NOT_READABLE, "texture.not-readable", E, "a texture read by a shader lacks shaderRead usage") \
	X(R_TEXTURE_NOT_WRITABLE, "texture.not-writable", E, "a texture written by a kernel lacks shaderWrite usage") \
	X(R_COPY_OUT_OF_BOUNDS, "copy.out-of-bounds", E, "COPY_TEXTURE_REGION outside the source or destination") \
	X(R_COPY_FORMAT_MISMATCH, "copy.format-mismatch", E, "COPY_TEXTURE_REGION between different pixel formats or sample counts") \
	X(R_COMPUTE_NO_PIPELINE, "compute.no-pipeline", E, "DISPATCH_THREADS without a compute pipeline") \
	X(R_COMPUTE_ZERO_GRID, "compute.zero-grid", E, "DISPATCH_THREADS with a zero grid or threadgroup dimension") \
	X(R_COMPUTE_THREADGROUP_TOO_LARGE, "compute.threadgroup-too-large", E, "a threadgroup over 1024 threads") \
	X(R_CURSOR_TOO_LARGE, "cursor.too-large", E, "a cursor image over 256x256") \
	X(R_CURSOR_DATA_SIZE, "cursor.data-size", E, "cursor pixel data size is not w*h*4") \
	X(R_CURSOR_TEXTURE_FORMAT, "cursor.texture-format", E, "SET_CURSOR_FROM_TEXTURE from a texture that is not bgra8") \
	X(R_CURSOR_TEXTURE_REGION, "cursor.texture-region", E, "SET_CURSOR_FROM_TEXTURE larger than the texture") \
	X(R_SAMPLER_ADDRESS_MODE_DIFFERS, "sampler.address-mode-differs", W, "an address mode other than clampToEdge (the reference host always clamps)") \
	X(R_PIPELINE_SAMPLE_COUNT, "pipeline.sample-count", E, "a render pipeline sample count other than 1 or 4") \
	X(R_PIPELINE_COLOR_FORMAT, "pipeline.color-format", E, "a render pipeline whose color format is stencil8") \
	X(R_SHADER_COMPILE_ERROR, "shader.compile-error", E, "COMPILE_LIBRARY source does not compile") \
	X(R_SHADER_FUNCTION_MISSING, "shader.function-missing", E, "GET_FUNCTION of a name the library does not define") \
	X(R_SHADER_STAGE_MISMATCH, "shader.stage-mismatch", E, "a function used in a stage it was not declared for") \
	X(R_SHADER_UNBOUND_SLOT, "shader.unbound-slot", E, "a shader uses a buffer/texture/sampler slot nothing is bound to") \
	X(R_SHADER_STAGE_IN_LAYOUT, "shader.stage-in-layout", E, "a stage_in struct does not fit the fixed 32-byte vertex layout") \
	X(R_STREAM_UNCOMMITTED, "stream.uncommitted", W, "GPU work after the last PRESENT_AND_COMMIT is never committed") \
	X(R_INTERNAL_OUT_OF_MEMORY, "internal.out-of-memory", E, "the validator ran out of memory and stopped tracking objects")

enum vrule {
#define X(name, id, sev, summary) name,
	MTL_VALIDATE_RULES(X)
#undef X
	R_COUNT
};

static const struct mtl_rule rule_table[R_COUNT] = {
#define X(name, id, sev, summary) { id, sev, summary },
	MTL_VALIDATE_RULES(X)
#undef X
};

size_t mtl_rule_count(void)
{
	return R_COUNT;
}

const struct mtl_rule *mtl_rule_at(size_t i)
{
	return i < R_COUNT ? &rule_table[i] : NULL;
}

const struct mtl_rule *mtl_rule_find(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < R_COUNT; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return &rule_table[i];
	return NULL;
}

const char *mtl_severity_name(enum mtl_severity s)
{
	return s == MTL_SEV_ERROR ? "error" : "warning";
}

/* ------------------------------------------------------------------------
 * Shader descriptions copied out of the inspector, kept in an arena until
 * the validator is destroyed (pipelines outlive the functions and
 * libraries they were made from, as in Metal).
 */
struct fnbind {
	enum mtl_shader_resource kind;
	unsigned index;
	int written;
	const char *name;
	unsigned size; /* buffers: bytes needed, 0 unknown */
};

struct fnattr {
	unsigned index, components, line, col;
	int is_float;
	const char *name;
};

struct fninfo {
	const char *name;
	size_t name_len;
	enum mtl_shader_stage stage;
	struct fnbind *bind;
	size_t nbind;
	int has_stage_in;
	struct fnattr *attr;
	size_t nattr;
};

struct libinfo {
	int had_errors;
	struct fninfo *fn;
	size_t nfn;
};

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

/* ------------------------------------------------------------------------
 * Objects by handle: one open-addressing table for every kind (handles
 * share one namespace: DESTROY_OBJECT takes any of them). Destroyed
 * objects stay as entries with live = 0 so a later use can be told apart
 * from a handle that never existed.
 */
enum okind {
	K_NONE, K_LIBRARY, K_FUNCTION, K_RENDER_PIPELINE, K_COMPUTE_PIPELINE,
	K_DEPTH_STENCIL, K_SAMPLER, K_TEXTURE
};

static const char *const kind_names[] = {
	"nothing", "library", "function", "render pipeline", "compute pipeline",
	"depth-stencil state", "sampler", "texture"
};

#define TEX_KNOWN_PROPS 1u /* format, samples, usage */
#define TEX_KNOWN_SIZE 2u

struct texprops {
	uint16_t w, h;
	uint8_t format, samples, usage;
	uint8_t known;
};

struct rpipe {
	uint8_t samples, format, stencil_format;
	const struct fninfo *vfn, *ffn;
};

struct obj {
	uint32_t handle; /* 0: empty slot */
	uint8_t kind;
	uint8_t live;
	union {
		struct texprops tex;
		struct rpipe rp;
		const struct fninfo *fn;     /* K_FUNCTION, K_COMPUTE_PIPELINE */
		const struct libinfo *lib;   /* K_LIBRARY */
		uint8_t stencil_enabled;     /* K_DEPTH_STENCIL */
	} u;
};

enum pass { P_NONE, P_RENDER, P_COMPUTE, P_BLIT };
static const char *const pass_names[] = { "no", "render", "compute", "blit" };

#define NBUF (MTL_MAX_BUFFER_INDEX + 1)
#define NTEX (MTL_MAX_TEXTURE_INDEX + 1)
#define NSAMP (MTL_MAX_SAMPLER_INDEX + 1)

struct render_state {
	struct texprops color;      /* known = 0 when there is none or it is unknown */
	int has_stencil;
	int have_pipe;
	struct rpipe pipe;
	int have_ds;
	uint8_t ds_stencil;
	int64_t vbytes[NBUF], fbytes[NBUF]; /* length bound, -1 none */
	uint32_t ftex[NTEX], fsamp[NSAMP];
};

struct compute_state {
	int have_pipe;
	const struct fninfo *fn;
	int64_t cbytes[NBUF];
	uint32_t ctex[NTEX];
};

struct mtl_validator {
	struct mtl_validate_options opt;
	struct mtl_shader_inspector inspector;
	int has_inspector;
	unsigned char disabled[R_COUNT];

	struct obj *slots;
	size_t cap, used;
	int oom;
	struct arena_block *arena;

	enum pass pass;
	uint64_t pass_begin;
	uint64_t work;              /* passes, draws, dispatches, copies since the last present */
	uint64_t first_work;        /* command index of the first of them */        /* command index of the open pass's BEGIN */
	struct render_state rs;
	struct compute_state cs;

	/* the command being checked */
	uint64_t command, frame, submission;
	size_t sub_len;
	unsigned queue;
	size_t offset;
	uint16_t method;
	int has_command;
	int header_truncated;

	uint64_t commands, frames, errors, warnings, sub_errors;
	int limit_reached;
	char msg[640];
	char mname[16];
};

/* ------------------------------------------------------------------------
 * Reporting.
 */
static const char *method_label(struct mtl_validator *v, uint16_t method)
{
	const char *n = mtl_method_name(method);
	if (n)
		return n;
	snprintf(v->mname, sizeof v->mname, "0x%04X", (unsigned)method);
	return v->mname;
}

static void report(struct mtl_validator *v, enum vrule r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct mtl_validator *v, enum vrule r, const char *fmt, ...)
{
	if (v->disabled[r])
		return;
	if (v->limit_reached)
		return;
	const struct mtl_rule *rule = &rule_table[r];
	if (rule->severity == MTL_SEV_ERROR && v->opt.max_errors && v->errors >= v->opt.max_errors) {
		v->limit_reached = 1;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof v->msg, fmt, ap);
	va_end(ap);
	if (rule->severity == MTL_SEV_ERROR) {
		v->errors++;
		v->sub_errors++;
	} else {
		v->warnings++;
	}
	if (!v->opt.on_finding)
		return;
	struct mtl_finding f;
	f.rule = rule->id;
	f.severity = rule->severity;
	f.frame = v->frame;
	f.command = v->command;
	f.submission = v->submission;
	f.queue = v->queue;
	f.offset = v->offset;
	f.method = v->has_command ? v->method : 0;
	f.method_name = !v->has_command ? "END" : v->header_truncated ? "(truncated)" : method_label(v, v->method);
	f.message = v->msg;
	f.has_command = v->has_command;
	v->opt.on_finding(v->opt.user, &f);
}

/* ------------------------------------------------------------------------
 * Arena.
 */
static void *arena_alloc(struct mtl_validator *v, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct arena_block *b = v->arena;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->next = v->arena;
		b->used = 0;
		b->cap = cap;
		v->arena = b;
	}
	void *p = (unsigned char *)b->data + b->used;
	b->used += n;
	return p;
}

static char *arena_strndup(struct mtl_validator *v, const char *s, size_t n)
{
	char *p = arena_alloc(v, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static void out_of_memory(struct mtl_validator *v)
{
	if (v->oom)
		return;
	v->oom = 1;
	report(v, R_INTERNAL_OUT_OF_MEMORY, "out of memory: object tracking stopped, later handle findings are unreliable");
}

/* ------------------------------------------------------------------------
 * The object table.
 */
static size_t slot_of(uint32_t h, size_t cap)
{
	return (size_t)((h * 2654435761u) ^ (h >> 15)) & (cap - 1);
}

static struct obj *obj_find(struct mtl_validator *v, uint32_t h)
{
	if (!v->cap || h == 0)
		return NULL;
	for (size_t i = slot_of(h, v->cap);; i = (i + 1) & (v->cap - 1)) {
		if (v->slots[i].handle == h)
			return &v->slots[i];
		if (v->slots[i].handle == 0)
			return NULL;
	}
}

static int obj_grow(struct mtl_validator *v)
{
	size_t ncap = v->cap ? v->cap * 2 : 256;
	struct obj *ns = calloc(ncap, sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < v->cap; i++) {
		if (!v->slots[i].handle)
			continue;
		size_t j = slot_of(v->slots[i].handle, ncap);
		while (ns[j].handle)
			j = (j + 1) & (ncap - 1);
		ns[j] = v->slots[i];
	}
	free(v->slots);
	v->slots = ns;
	v->cap = ncap;
	return 0;
}

/* The entry for h, created when absent. Pointers into the table are valid
 * until the next obj_insert. NULL when out of memory. */
static struct obj *obj_insert(struct mtl_validator *v, uint32_t h)
{
	struct obj *o = obj_find(v, h);
	if (o)
		return o;
	if (v->oom)
		return NULL;
	if ((v->used + 1) * 2 > v->cap && obj_grow(v) < 0) {
		out_of_memory(v);
		return NULL;
	}
	size_t i = slot_of(h, v->cap);
	while (v->slots[i].handle)
		i = (i + 1) & (v->cap - 1);
	v->used++;
	memset(&v->slots[i], 0, sizeof v->slots[i]);
	v->slots[i].handle = h;
	return &v->slots[i];
}

/* A handle a create names. 1 when the object may be created. */
static int create_ok(struct mtl_validator *v, uint32_t h, const char *what)
{
	if (h == MTL_DRAWABLE_HANDLE) {
		report(v, R_HANDLE_DRAWABLE_NOT_ALLOWED,
		       "%s is DRAWABLE_HANDLE 0xFFFFFFFF; a create needs a guest handle 1..0x7FFFFFFF", what);
		return 0;
	}
	if (h == 0 || h >= MTL_HANDLE_HOST_MIN) {
		report(v, R_HANDLE_RESERVED,
		       "%s 0x%X is %s; a create needs a guest handle 1..0x7FFFFFFF", what, h,
		       h == 0 ? "the invalid handle" : "in the host range 0x80000000..0xFFFFFFFE");
		return 0;
	}
	struct obj *o = obj_find(v, h);
	if (o && o->live)
		report(v, R_HANDLE_RECREATE, "%s 0x%X is already a live %s (destroy it first)", what, h,
		       kind_names[o->kind]);
	return 1;
}

/* Record a created object; returns its entry (valid until the next insert). */
static struct obj *create_obj(struct mtl_validator *v, uint32_t h, enum okind k)
{
	struct obj *o = obj_insert(v, h);
	if (!o)
		return NULL;
	memset(&o->u, 0, sizeof o->u);
	o->kind = (uint8_t)k;
	o->live = 1;
	return o;
}

/*
 * A handle used as an argument that must name a live object of kind k.
 * Returns the object (valid until the next insert) or NULL after reporting.
 */
static struct obj *use_obj(struct mtl_validator *v, uint32_t h, enum okind k, const char *what)
{
	if (h == MTL_DRAWABLE_HANDLE) {
		report(v, R_HANDLE_DRAWABLE_NOT_ALLOWED, "%s is DRAWABLE_HANDLE; a %s is needed here", what,
		       kind_names[k]);
		return NULL;
	}
	struct obj *o = obj_find(v, h);
	if (!o) {
		if (v->oom)
			return NULL;
		if (h == 0)
			report(v, R_HANDLE_UNDEFINED, "%s is handle 0, which is never valid (a %s is needed)",
			       what, kind_names[k]);
		else
			report(v, R_HANDLE_UNDEFINED, "%s 0x%X was never created (a %s is needed)", what, h,
			       kind_names[k]);
		return NULL;
	}
	if (!o->live) {
		report(v, R_HANDLE_USE_AFTER_DESTROY, "%s 0x%X (a %s) was destroyed", what, h,
		       kind_names[o->kind]);
		return NULL;
	}
	if (o->kind != k) {
		report(v, R_HANDLE_WRONG_KIND, "%s 0x%X is a %s, not a %s", what, h, kind_names[o->kind],
		       kind_names[k]);
		return NULL;
	}
	return o;
}

static struct texprops drawable_props(const struct mtl_validator *v)
{
	struct texprops t;
	t.w = (uint16_t)(v->opt.width > 0xFFFF ? 0xFFFF : v->opt.width);
	t.h = (uint16_t)(v->opt.height > 0xFFFF ? 0xFFFF : v->opt.height);
	t.format = MTL_DRAWABLE_PIXEL_FORMAT;
	t.samples = 1;
	t.usage = MTL_USAGE_RENDER_TARGET;
	t.known = TEX_KNOWN_PROPS | ((v->opt.width && v->opt.height) ? TEX_KNOWN_SIZE : 0);
	return t;
}

/* A texture argument. 1 and *out filled when it names a live texture (or
 * the drawable where allowed); 0 after reporting. */
static int use_texture(struct mtl_validator *v, uint32_t h, const char *what, int allow_drawable,
		       struct texprops *out)
{
	if (h == MTL_DRAWABLE_HANDLE && allow_drawable) {
		*out = drawable_props(v);
		return 1;
	}
	struct obj *o = use_obj(v, h, K_TEXTURE, what);
	if (!o)
		return 0;
	*out = o->u.tex;
	return 1;
}

static int size_known(const struct texprops *t)
{
	return (t->known & TEX_KNOWN_SIZE) != 0;
}

static int props_known(const struct texprops *t)
{
	return (t->known & TEX_KNOWN_PROPS) != 0;
}

static const char *fmt_name(unsigned f)
{
	const char *n = mtl_pixel_format_name(f);
	return n ? n : "?";
}

/* An enum field: 1 when in range, else reported. */
static int enum_ok(struct mtl_validator *v, unsigned value, unsigned lo, unsigned hi, const char *field)
{
	if (value >= lo && value <= hi)
		return 1;
	report(v, R_ENUM_OUT_OF_RANGE, "%s %u is out of range (%u..%u)", field, value, lo, hi);
	return 0;
}

/* ------------------------------------------------------------------------
 * Shader inspector results.
 */
static const struct fninfo *lib_find_fn(const struct libinfo *lib, const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < lib->nfn; i++)
		if (lib->fn[i].name_len == len && memcmp(lib->fn[i].name, name, len) == 0)
			return &lib->fn[i];
	return NULL;
}

static const char *stage_name(enum mtl_shader_stage s)
{
	switch (s) {
	case MTL_SHADER_VERTEX: return "vertex";
	case MTL_SHADER_FRAGMENT: return "fragment";
	case MTL_SHADER_KERNEL: return "kernel";
	}
	return "unknown";
}

static const char *resource_attr(enum mtl_shader_resource k)
{
	switch (k) {
	case MTL_SHADER_BUFFER: return "buffer";
	case MTL_SHADER_TEXTURE: return "texture";
	case MTL_SHADER_SAMPLER: return "sampler";
	}
	return "?";
}

/* Copy the inspector's description into the arena. NULL when out of memory. */
static struct libinfo *copy_library(struct mtl_validator *v, const struct mtl_shader_library_info *in)
{
	struct libinfo *lib = arena_alloc(v, sizeof *lib);
	if (!lib)
		return NULL;
	lib->had_errors = in->nerrors > 0;
	lib->nfn = 0;
	lib->fn = in->nfunctions ? arena_alloc(v, in->nfunctions * sizeof *lib->fn) : NULL;
	if (in->nfunctions && !lib->fn)
		return NULL;
	for (size_t i = 0; i < in->nfunctions; i++) {
		const struct mtl_shader_function *sf = &in->functions[i];
		struct fninfo *f = &lib->fn[i];
		memset(f, 0, sizeof *f);
		const char *nm = sf->name ? sf->name : "";
		f->name_len = strlen(nm);
		f->name = arena_strndup(v, nm, f->name_len);
		f->stage = sf->stage;
		f->has_stage_in = sf->has_stage_in;
		if (!f->name)
			return NULL;
		if (sf->nbindings) {
			f->bind = arena_alloc(v, sf->nbindings * sizeof *f->bind);
			if (!f->bind)
				return NULL;
			for (size_t j = 0; j < sf->nbindings; j++) {
				const struct mtl_shader_binding *b = &sf->bindings[j];
				const char *bn = b->name ? b->name : "";
				f->bind[j].kind = b->kind;
				f->bind[j].index = b->index;
				f->bind[j].written = b->written;
				f->bind[j].size = b->kind == MTL_SHADER_BUFFER ? b->size : 0;
				f->bind[j].name = arena_strndup(v, bn, strlen(bn));
				if (!f->bind[j].name)
					return NULL;
			}
			f->nbind = sf->nbindings;
		}
		if (sf->nattributes) {
			f->attr = arena_alloc(v, sf->nattributes * sizeof *f->attr);
			if (!f->attr)
				return NULL;
			for (size_t j = 0; j < sf->nattributes; j++) {
				const struct mtl_shader_attribute *a = &sf->attributes[j];
				const char *an = a->name ? a->name : "";
				f->attr[j].index = a->index;
				f->attr[j].components = a->components;
				f->attr[j].is_float = a->is_float;
				f->attr[j].line = a->line;
				f->attr[j].col = a->col;
				f->attr[j].name = arena_strndup(v, an, strlen(an));
				if (!f->attr[j].name)
					return NULL;
			}
			f->nattr = sf->nattributes;
		}
		lib->nfn = i + 1;
	}
	return lib;
}

#define MAX_COMPILE_ERRORS_REPORTED 10u

static void on_compile_library(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_compile_library *cl = &c->u.compile_library;
	if (!create_ok(v, cl->lib, "COMPILE_LIBRARY lib"))
		return;
	const struct libinfo *lib = NULL;
	if (v->has_inspector) {
		struct mtl_shader_library_info info;
		memset(&info, 0, sizeof info);
		void *cookie = v->inspector.compile(v->inspector.ctx, (const char *)cl->source, cl->len, &info);
		if (cookie) {
			for (size_t i = 0; i < info.nerrors && i < MAX_COMPILE_ERRORS_REPORTED; i++)
				report(v, R_SHADER_COMPILE_ERROR, "library 0x%X: %u:%u: %s", cl->lib,
				       info.errors[i].line, info.errors[i].col,
				       info.errors[i].message ? info.errors[i].message : "error");
			if (info.nerrors > MAX_COMPILE_ERRORS_REPORTED)
				report(v, R_SHADER_COMPILE_ERROR, "library 0x%X: %zu more errors not shown", cl->lib,
				       info.nerrors - MAX_COMPILE_ERRORS_REPORTED);
			lib = copy_library(v, &info);
			if (v->inspector.release)
				v->inspector.release(v->inspector.ctx, cookie);
			if (!lib)
				out_of_memory(v);
		}
	}
	struct obj *o = create_obj(v, cl->lib, K_LIBRARY);
	if (o)
		o->u.lib = lib;
}

static void on_get_function(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_get_function *gf = &c->u.get_function;
	int ok = create_ok(v, gf->fn, "GET_FUNCTION fn");
	const struct fninfo *fn = NULL;
	struct obj *lo = use_obj(v, gf->lib, K_LIBRARY, "GET_FUNCTION lib");
	if (lo && lo->u.lib && !lo->u.lib->had_errors) {
		fn = lib_find_fn(lo->u.lib, gf->name, gf->len);
		if (!fn) {
			char name[80];
			size_t n = gf->len < sizeof name - 1 ? gf->len : sizeof name - 1;
			for (size_t i = 0; i < n; i++)
				name[i] = (gf->name[i] >= 0x20 && gf->name[i] < 0x7F) ? (char)gf->name[i] : '?';
			name[n] = 0;
			report(v, R_SHADER_FUNCTION_MISSING, "library 0x%X has no function '%s%s'", gf->lib, name,
			       gf->len > n ? "..." : "");
		}
	}
	if (!ok)
		return;
	struct obj *o = create_obj(v, gf->fn, K_FUNCTION);
	if (o)
		o->u.fn = fn;
}

/* The fixed vertex layout: attribute index -> float components. */
static const unsigned fixed_layout_components[3] = { 2, 2, 4 };
static const char *const fixed_layout_names[3] = { "float2 position @0", "float2 texCoord @8",
						   "float4 color @16" };

static void check_stage_in(struct mtl_validator *v, const struct fninfo *f)
{
	for (size_t i = 0; i < f->nattr; i++) {
		const struct fnattr *a = &f->attr[i];
		if (a->index > 2)
			report(v, R_SHADER_STAGE_IN_LAYOUT,
			       "vertex function '%s': stage_in member '%s' (%u:%u) is [[attribute(%u)]]; the fixed "
			       "32-byte layout has attributes 0..2 only", f->name, a->name, a->line, a->col, a->index);
		else if (!a->is_float)
			report(v, R_SHADER_STAGE_IN_LAYOUT,
			       "vertex function '%s': stage_in member '%s' (%u:%u) is an integer type; attribute %u "
			       "is %s in the fixed layout", f->name, a->name, a->line, a->col, a->index,
			       fixed_layout_names[a->index]);
		else if (a->components > 4 || a->components == 0)
			report(v, R_SHADER_STAGE_IN_LAYOUT,
			       "vertex function '%s': stage_in member '%s' (%u:%u) has %u components; attribute %u "
			       "is %s", f->name, a->name, a->line, a->col, a->components, a->index,
			       fixed_layout_names[a->index]);
	}
	(void)fixed_layout_components;
}

/* ------------------------------------------------------------------------
 * Object creation.
 */
static void on_create_render_pipeline(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_create_render_pipeline *p = &c->u.create_render_pipeline;
	int ok = create_ok(v, p->pipe, "CREATE_RENDER_PIPELINE pipe");
	struct rpipe rp;
	memset(&rp, 0, sizeof rp);
	struct obj *vf = use_obj(v, p->vertex_fn, K_FUNCTION, "CREATE_RENDER_PIPELINE vertex_fn");
	if (vf)
		rp.vfn = vf->u.fn;
	if (p->fragment_fn) { /* 0 = no fragment function, as Metal allows */
		struct obj *ff = use_obj(v, p->fragment_fn, K_FUNCTION, "CREATE_RENDER_PIPELINE fragment_fn");
		if (ff)
			rp.ffn = ff->u.fn;
	}
	if (rp.vfn && rp.vfn->stage != MTL_SHADER_VERTEX)
		report(v, R_SHADER_STAGE_MISMATCH, "vertex_fn 0x%X is '%s', a %s function, used as the vertex function",
		       p->vertex_fn, rp.vfn->name, stage_name(rp.vfn->stage));
	else if (rp.vfn)
		check_stage_in(v, rp.vfn);
	if (rp.ffn && rp.ffn->stage != MTL_SHADER_FRAGMENT)
		report(v, R_SHADER_STAGE_MISMATCH,
		       "fragment_fn 0x%X is '%s', a %s function, used as the fragment function", p->fragment_fn,
		       rp.ffn->name, stage_name(rp.ffn->stage));
	enum_ok(v, p->write_mask, 0, MTL_WRITE_ALL, "write_mask");
	enum_ok(v, p->stencil_format, 0, MTL_STENCIL_FORMAT_STENCIL8, "stencil_format");
	if (enum_ok(v, p->pixel_format, 1, MTL_PIXEL_FORMAT_MAX, "pixel_format") &&
	    p->pixel_format == MTL_PIXEL_STENCIL8)
		report(v, R_PIPELINE_COLOR_FORMAT, "pixel_format is stencil8, which is not a color format");
	if (p->sample_count != 1 && p->sample_count != 4)
		report(v, R_PIPELINE_SAMPLE_COUNT, "sample_count %u: render pipelines use 1 or 4", p->sample_count);
	if (!ok)
		return;
	rp.samples = p->sample_count;
	rp.format = p->pixel_format;
	rp.stencil_format = p->stencil_format;
	struct obj *o = create_obj(v, p->pipe, K_RENDER_PIPELINE);
	if (o)
		o->u.rp = rp;
}

static void on_create_compute_pipeline(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_create_compute_pipeline *p = &c->u.create_compute_pipeline;
	int ok = create_ok(v, p->pipe, "CREATE_COMPUTE_PIPELINE pipe");
	const struct fninfo *fn = NULL;
	struct obj *f = use_obj(v, p->fn, K_FUNCTION, "CREATE_COMPUTE_PIPELINE fn");
	if (f)
		fn = f->u.fn;
	if (fn && fn->stage != MTL_SHADER_KERNEL)
		report(v, R_SHADER_STAGE_MISMATCH, "fn 0x%X is '%s', a %s function, used as a compute kernel", p->fn,
		       fn->name, stage_name(fn->stage));
	if (!ok)
		return;
	struct obj *o = create_obj(v, p->pipe, K_COMPUTE_PIPELINE);
	if (o)
		o->u.fn = fn;
}

static void on_create_depth_stencil_state(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_create_depth_stencil_state *s = &c->u.create_depth_stencil_state;
	int ok = create_ok(v, s->state, "CREATE_DEPTH_STENCIL_STATE state");
	enum_ok(v, s->front_compare, 0, MTL_COMPARE_MAX, "compare");
	enum_ok(v, s->front_pass_op, 0, MTL_STENCIL_OP_MAX, "pass_op");
	enum_ok(v, s->front_fail_op, 0, MTL_STENCIL_OP_MAX, "fail_op");
	if (s->long_form) {
		enum_ok(v, s->back_compare, 0, MTL_COMPARE_MAX, "back compare");
		enum_ok(v, s->back_pass_op, 0, MTL_STENCIL_OP_MAX, "back pass_op");
		enum_ok(v, s->back_fail_op, 0, MTL_STENCIL_OP_MAX, "back fail_op");
	}
	if (!ok)
		return;
	struct obj *o = create_obj(v, s->state, K_DEPTH_STENCIL);
	if (o)
		o->u.stencil_enabled = s->stencil_enabled != 0;
}

static void on_create_sampler(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_create_sampler *s = &c->u.create_sampler;
	int ok = create_ok(v, s->sampler, "CREATE_SAMPLER sampler");
	enum_ok(v, s->min, 0, MTL_FILTER_MAX, "min filter");
	enum_ok(v, s->mag, 0, MTL_FILTER_MAX, "mag filter");
	int s_ok = enum_ok(v, s->s_mode, 0, MTL_ADDRESS_MODE_MAX, "s_mode");
	int t_ok = enum_ok(v, s->t_mode, 0, MTL_ADDRESS_MODE_MAX, "t_mode");
	if ((s_ok && s->s_mode != MTL_ADDRESS_CLAMP_TO_EDGE) || (t_ok && s->t_mode != MTL_ADDRESS_CLAMP_TO_EDGE))
		report(v, R_SAMPLER_ADDRESS_MODE_DIFFERS,
		       "address modes s=%s t=%s: the reference host ignores them and clamps to edge, so this "
		       "renders differently there",
		       s_ok ? mtl_address_mode_name(s->s_mode) : "?", t_ok ? mtl_address_mode_name(s->t_mode) : "?");
	if (ok)
		create_obj(v, s->sampler, K_SAMPLER);
}

static void on_create_texture(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_create_texture *t = &c->u.create_texture;
	int ok = create_ok(v, t->tex, "CREATE_TEXTURE tex");
	enum_ok(v, t->pixel_format, 1, MTL_PIXEL_FORMAT_MAX, "pixel_format");
	int type_ok = enum_ok(v, t->type, 0, MTL_TEXTURE_2D_MULTISAMPLE, "type");
	if (t->usage & ~MTL_USAGE_ALL)
		report(v, R_ENUM_OUT_OF_RANGE, "usage 0x%X has bits outside shaderRead|shaderWrite|renderTarget (0x7)",
		       t->usage);
	unsigned big = t->width > t->height ? t->width : t->height;
	if (t->width == 0 || t->height == 0)
		report(v, R_TEXTURE_SIZE_ZERO, "texture 0x%X is %ux%u", t->tex, t->width, t->height);
	else if (big > MTL_MAX_TEXTURE_DIM_METAL)
		report(v, R_TEXTURE_TOO_LARGE, "texture 0x%X is %ux%u; Metal's limit is 16384", t->tex, t->width,
		       t->height);
	else if (big > MTL_MAX_TEXTURE_DIM_HOST)
		report(v, R_TEXTURE_HOST_TOO_LARGE,
		       "texture 0x%X is %ux%u; the reference host refuses textures over 8192", t->tex, t->width,
		       t->height);
	if (t->sample_count != 1 && t->sample_count != 4)
		report(v, R_TEXTURE_SAMPLE_COUNT, "sample_count %u: textures use 1 or 4", t->sample_count);
	else if (type_ok && (t->type == MTL_TEXTURE_2D_MULTISAMPLE) != (t->sample_count > 1))
		report(v, R_TEXTURE_TYPE_MISMATCH, "type %s with sample_count %u", mtl_texture_type_name(t->type),
		       t->sample_count);
	if (t->usage == 0)
		report(v, R_TEXTURE_USAGE_ZERO,
		       "texture 0x%X has usage 0; the reference host treats it as shaderRead only", t->tex);
	if (!ok)
		return;
	struct obj *o = create_obj(v, t->tex, K_TEXTURE);
	if (!o)
		return;
	o->u.tex.w = t->width;
	o->u.tex.h = t->height;
	o->u.tex.format = t->pixel_format;
	o->u.tex.samples = t->sample_count;
	o->u.tex.usage = t->usage ? t->usage : MTL_USAGE_SHADER_READ;
	o->u.tex.known = TEX_KNOWN_PROPS | TEX_KNOWN_SIZE;
}

static void on_upload_texture(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_upload_texture *u = &c->u.upload_texture;
	struct texprops t;
	if (!use_texture(v, u->tex, "UPLOAD_TEXTURE tex", 0, &t) || !props_known(&t))
		return;
	if (t.samples > 1) {
		report(v, R_TEXTURE_UPLOAD_MSAA, "texture 0x%X is multisampled (%u samples); it cannot be uploaded to",
		       u->tex, t.samples);
		return;
	}
	if (size_known(&t) && ((uint32_t)u->x + u->w > t.w || (uint32_t)u->y + u->h > t.h))
		report(v, R_TEXTURE_UPLOAD_OUTSIDE, "region (%u,%u) %ux%u is outside texture 0x%X of %ux%u", u->x, u->y,
		       u->w, u->h, u->tex, t.w, t.h);
	unsigned bpp = mtl_pixel_format_bytes(t.format);
	if (!bpp || u->w == 0 || u->h == 0)
		return;
	uint64_t row = (uint64_t)u->w * bpp;
	if (u->bytes_per_row < row) {
		report(v, R_TEXTURE_UPLOAD_ROW_SHORT, "bytes_per_row %u is less than one row: %u pixels x %u bytes = %llu",
		       u->bytes_per_row, u->w, bpp, (unsigned long long)row);
		return;
	}
	uint64_t min = (uint64_t)u->bytes_per_row * (u->h - 1u) + row;
	uint64_t max = (uint64_t)u->bytes_per_row * u->h;
	if (u->pixels_len < min || u->pixels_len > max) {
		if (min == max)
			report(v, R_TEXTURE_UPLOAD_SIZE, "%u bytes of pixels; a %ux%u region with bytes_per_row %u needs %llu",
			       u->pixels_len, u->w, u->h, u->bytes_per_row, (unsigned long long)max);
		else
			report(v, R_TEXTURE_UPLOAD_SIZE,
			       "%u bytes of pixels; a %ux%u region with bytes_per_row %u needs %llu..%llu",
			       u->pixels_len, u->w, u->h, u->bytes_per_row, (unsigned long long)min,
			       (unsigned long long)max);
	}
}

static void on_bind_host_texture(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_bind_host_texture *b = &c->u.bind_host_texture;
	int ok = create_ok(v, b->guest_tex, "BIND_HOST_TEXTURE guest_tex");
	if (b->host_handle < MTL_HANDLE_HOST_MIN || b->host_handle > MTL_HANDLE_HOST_MAX)
		report(v, R_HANDLE_BIND_NOT_HOST, "host_handle 0x%X is not in the host range 0x80000000..0xFFFFFFFE",
		       b->host_handle);
	if (!ok)
		return;
	struct obj *o = create_obj(v, b->guest_tex, K_TEXTURE);
	if (o)
		o->u.tex.known = 0; /* a host texture: its properties are the host's */
}

static void on_destroy(struct mtl_validator *v, const struct mtl_cmd *c)
{
	uint32_t h = c->u.handle.handle;
	if (h == MTL_DRAWABLE_HANDLE) {
		report(v, R_HANDLE_DRAWABLE_NOT_ALLOWED, "DESTROY_OBJECT of DRAWABLE_HANDLE; the drawable is the host's");
		return;
	}
	struct obj *o = obj_find(v, h);
	if (!o || !o->live) {
		if (!o && v->oom)
			return;
		report(v, R_HANDLE_DESTROY_UNKNOWN, "handle 0x%X %s", h,
		       !o ? (h == 0 ? "is the invalid handle" : "was never created") : "is already destroyed");
		return;
	}
	o->live = 0;
}

/* ------------------------------------------------------------------------
 * Passes.
 */
static void begin_pass(struct mtl_validator *v, enum pass p)
{
	if (v->pass != P_NONE)
		report(v, R_PASS_NESTED, "a %s pass begins while the %s pass begun at command %llu is still open",
		       pass_names[p], pass_names[v->pass], (unsigned long long)v->pass_begin);
	v->pass = p;
	v->pass_begin = v->command;
	if (p == P_RENDER) {
		memset(&v->rs, 0, sizeof v->rs);
		for (unsigned i = 0; i < NBUF; i++)
			v->rs.vbytes[i] = v->rs.fbytes[i] = -1;
	} else if (p == P_COMPUTE) {
		memset(&v->cs, 0, sizeof v->cs);
		for (unsigned i = 0; i < NBUF; i++)
			v->cs.cbytes[i] = -1;
	}
}

static void end_pass(struct mtl_validator *v, enum pass p)
{
	if (v->pass != p) {
		if (v->pass == P_NONE)
			report(v, R_PASS_END_WITHOUT_BEGIN, "no pass is open");
		else
			report(v, R_PASS_END_WITHOUT_BEGIN, "this ends a %s pass but the open one is a %s pass (begun at "
			       "command %llu)", pass_names[p], pass_names[v->pass], (unsigned long long)v->pass_begin);
		return;
	}
	v->pass = P_NONE;
}

static void on_begin_render_pass(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_begin_render_pass *b = &c->u.begin_render_pass;
	begin_pass(v, P_RENDER);
	if (!b->has_alpha)
		report(v, R_RPASS_SHORT_FORM, "28-byte BEGIN_RENDER_PASS: clear alpha is taken as 1.0 (the reference "
		       "host's reading; send the 32-byte form)");
	enum_ok(v, b->load, 0, MTL_LOAD_ACTION_MAX, "load");
	int store_ok = enum_ok(v, b->store, 0, MTL_STORE_ACTION_MAX, "store");
	enum_ok(v, b->stencil_load, 0, MTL_LOAD_ACTION_MAX, "stencil_load");
	enum_ok(v, b->stencil_store, 0, MTL_STORE_ACTION_MAX, "stencil_store");

	struct texprops color;
	memset(&color, 0, sizeof color);
	if (b->color == 0)
		report(v, R_RPASS_NO_COLOR, "color attachment is 0; a render pass needs a color texture");
	else if (use_texture(v, b->color, "color attachment", 1, &color) && props_known(&color)) {
		if (!(color.usage & MTL_USAGE_RENDER_TARGET))
			report(v, R_RPASS_NOT_RENDER_TARGET, "color attachment 0x%X has usage 0x%X without renderTarget (4)",
			       b->color, color.usage);
		if (color.format == MTL_PIXEL_STENCIL8)
			report(v, R_RPASS_COLOR_FORMAT, "color attachment 0x%X is stencil8", b->color);
	}
	v->rs.color = color;

	if (b->load == MTL_LOAD_BLIT_RETAINED && b->color) {
		struct texprops d = drawable_props(v);
		if (v->frames == 0)
			report(v, R_RPASS_BLIT_RETAINED_MISMATCH,
			       "load blitRetained before any PRESENT_AND_COMMIT: there is no presented frame to copy");
		else if (props_known(&color) &&
			 (color.format != d.format || color.samples != 1 ||
			  (size_known(&color) && size_known(&d) && (color.w != d.w || color.h != d.h))))
			report(v, R_RPASS_BLIT_RETAINED_MISMATCH,
			       "load blitRetained copies the last presented %ux%u %s frame into color attachment 0x%X, "
			       "which is %ux%u %s with %u sample(s)", d.w, d.h, fmt_name(d.format), b->color, color.w,
			       color.h, fmt_name(color.format), color.samples);
	}

	if (b->stencil) {
		struct texprops st;
		v->rs.has_stencil = 1;
		if (use_texture(v, b->stencil, "stencil attachment", 0, &st) && props_known(&st)) {
			if (st.format != MTL_PIXEL_STENCIL8)
				report(v, R_RPASS_STENCIL_FORMAT, "stencil attachment 0x%X is %s, not stencil8", b->stencil,
				       fmt_name(st.format));
			if (!(st.usage & MTL_USAGE_RENDER_TARGET))
				report(v, R_RPASS_NOT_RENDER_TARGET,
				       "stencil attachment 0x%X has usage 0x%X without renderTarget (4)", b->stencil, st.usage);
			if (size_known(&st) && size_known(&color) && (st.w != color.w || st.h != color.h))
				report(v, R_RPASS_STENCIL_SIZE, "stencil attachment 0x%X is %ux%u, color attachment is %ux%u "
				       "(the reference host drops the stencil)", b->stencil, st.w, st.h, color.w, color.h);
			/* Metal: every attachment of a pass has the same sample count */
			unsigned st_samples = st.samples ? st.samples : 1;
			unsigned color_samples = color.samples ? color.samples : 1;
			if (props_known(&color) && st_samples != color_samples)
				report(v, R_RPASS_STENCIL_SAMPLE_COUNT,
				       "stencil attachment 0x%X has %u sample(s), color attachment 0x%X has %u", b->stencil,
				       st_samples, b->color, color_samples);
		}
		if (b->stencil_load == MTL_LOAD_LOAD || b->stencil_load == MTL_LOAD_BLIT_RETAINED ||
		    b->stencil_store == MTL_STORE_STORE || b->stencil_store == MTL_STORE_MULTISAMPLE_RESOLVE)
			report(v, R_RPASS_STENCIL_ACTION_IGNORED,
			       "stencil_load %u / stencil_store %u: the reference host ignores them, clears the stencil "
			       "to 0 and never stores it", b->stencil_load, b->stencil_store);
	}

	if (store_ok && b->store == MTL_STORE_MULTISAMPLE_RESOLVE) {
		if (props_known(&color) && color.samples <= 1)
			report(v, R_RPASS_RESOLVE_NOT_MSAA, "multisampleResolve but color attachment 0x%X has %u sample(s)",
			       b->color, color.samples);
		if (b->resolve == 0) {
			report(v, R_RPASS_RESOLVE_MISSING, "multisampleResolve without a resolve target");
		} else {
			struct texprops r;
			if (use_texture(v, b->resolve, "resolve target", 1, &r) && props_known(&r)) {
				if (!(r.usage & MTL_USAGE_RENDER_TARGET))
					report(v, R_RPASS_NOT_RENDER_TARGET,
					       "resolve target 0x%X has usage 0x%X without renderTarget (4)", b->resolve, r.usage);
				if (size_known(&r) && size_known(&color) && (r.w != color.w || r.h != color.h))
					report(v, R_RPASS_RESOLVE_SIZE, "resolve target 0x%X is %ux%u, color attachment is %ux%u",
					       b->resolve, r.w, r.h, color.w, color.h);
				if (r.samples > 1)
					report(v, R_RPASS_RESOLVE_FORMAT, "resolve target 0x%X is multisampled (%u samples)",
					       b->resolve, r.samples);
				else if (props_known(&color) && r.format != color.format)
					report(v, R_RPASS_RESOLVE_FORMAT, "resolve target 0x%X is %s, color attachment is %s",
					       b->resolve, fmt_name(r.format), fmt_name(color.format));
			}
		}
	} else if (b->resolve) {
		struct texprops r;
		if (use_texture(v, b->resolve, "resolve target", 1, &r))
			report(v, R_RPASS_RESOLVE_UNUSED,
			       "resolve target 0x%X is given but store is %s, not multisampleResolve: it is not written",
			       b->resolve, store_ok ? mtl_store_action_name(b->store) : "?");
	}
}

/* 1 when a command of pass p may run; else reported (the host ignores it). */
static int in_pass(struct mtl_validator *v, enum pass p, enum vrule r)
{
	if (v->pass == p)
		return 1;
	if (v->pass == P_NONE)
		report(v, r, "no pass is open; the reference host ignores this command");
	else
		report(v, r, "the open pass is a %s pass; the reference host ignores this command", pass_names[v->pass]);
	return 0;
}

static int buffer_index_ok(struct mtl_validator *v, unsigned index)
{
	if (index <= MTL_MAX_BUFFER_INDEX)
		return 1;
	report(v, R_DATA_BUFFER_INDEX, "buffer index %u is over Metal's limit of 30", index);
	return 0;
}

static void on_set_bytes(struct mtl_validator *v, const struct mtl_cmd *c, int64_t *slots)
{
	const struct mtl_set_bytes *b = &c->u.set_bytes;
	if (b->len > MTL_MAX_INLINE_BYTES)
		report(v, R_DATA_BYTES_TOO_LARGE, "%u inline bytes; Metal allows at most 4096 (use a buffer)", b->len);
	if (buffer_index_ok(v, b->index))
		slots[b->index] = b->len;
}

static void on_set_scissor(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_set_scissor *s = &c->u.set_scissor;
	const struct texprops *t = &v->rs.color;
	if (size_known(t) && ((uint32_t)s->x + s->w > t->w || (uint32_t)s->y + s->h > t->h))
		report(v, R_RPASS_SCISSOR_OUTSIDE, "scissor (%u,%u) %ux%u extends outside the %ux%u attachment", s->x, s->y,
		       s->w, s->h, t->w, t->h);
}

static void on_set_fragment_texture(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_set_texture *s = &c->u.set_texture;
	int idx_ok = s->index <= MTL_MAX_TEXTURE_INDEX;
	if (!idx_ok)
		report(v, R_DATA_TEXTURE_INDEX, "texture index %u is over Metal's limit of 30", s->index);
	struct texprops t;
	if (!use_texture(v, s->tex, "SET_FRAGMENT_TEXTURE tex", 0, &t))
		return;
	if (props_known(&t) && !(t.usage & MTL_USAGE_SHADER_READ))
		report(v, R_TEXTURE_NOT_READABLE, "texture 0x%X (usage 0x%X) is bound for sampling without shaderRead (1)",
		       s->tex, t.usage);
	if (idx_ok)
		v->rs.ftex[s->index] = s->tex;
}

static void on_set_fragment_sampler(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_set_sampler *s = &c->u.set_sampler;
	int idx_ok = s->index <= MTL_MAX_SAMPLER_INDEX;
	if (!idx_ok)
		report(v, R_DATA_SAMPLER_INDEX, "sampler index %u is over Metal's limit of 15", s->index);
	if (use_obj(v, s->sampler, K_SAMPLER, "SET_FRAGMENT_SAMPLER sampler") && idx_ok)
		v->rs.fsamp[s->index] = s->sampler;
}

/* Usage of a texture a shader binds, when the shader's access is known. */
static void check_texture_access(struct mtl_validator *v, uint32_t h, const struct fninfo *f,
				 const struct fnbind *b, int check_read)
{
	struct obj *o = obj_find(v, h);
	if (!o || !o->live || o->kind != K_TEXTURE || !props_known(&o->u.tex))
		return;
	unsigned usage = o->u.tex.usage;
	if (!(usage & (MTL_USAGE_SHADER_READ | MTL_USAGE_SHADER_WRITE)))
		return; /* reported when it was bound */
	if (b->written && !(usage & MTL_USAGE_SHADER_WRITE))
		report(v, R_TEXTURE_NOT_WRITABLE, "'%s' writes [[texture(%u)]] '%s' but texture 0x%X (usage 0x%X) lacks "
		       "shaderWrite (2)", f->name, b->index, b->name, h, usage);
	else if (!b->written && check_read && !(usage & MTL_USAGE_SHADER_READ))
		report(v, R_TEXTURE_NOT_READABLE, "'%s' reads [[texture(%u)]] '%s' but texture 0x%X (usage 0x%X) lacks "
		       "shaderRead (1)", f->name, b->index, b->name, h, usage);
}

/* Every slot a shader function uses must have something bound, and a
 * sized buffer parameter at least its size (data.bytes-too-small). */
static void check_bindings(struct mtl_validator *v, const struct fninfo *f, const char *stage,
			   const int64_t *bytes, const uint32_t *tex, const uint32_t *samp, int check_read)
{
	for (size_t i = 0; i < f->nbind; i++) {
		const struct fnbind *b = &f->bind[i];
		int bound = 0;
		switch (b->kind) {
		case MTL_SHADER_BUFFER: {
			/* the stage_in vertex data is buffer 0: checked by draw.vertex-overrun */
			int fixed_layout = f->stage == MTL_SHADER_VERTEX && f->has_stage_in && b->index == 0;
			bound = b->index < NBUF && bytes && bytes[b->index] >= 0;
			if (bound && !fixed_layout && b->size && bytes[b->index] < (int64_t)b->size)
				report(v, R_DATA_BYTES_TOO_SMALL,
				       "%s function '%s' needs %u bytes at [[buffer(%u)]] '%s' but only %lld bytes "
				       "are bound to %s buffer %u",
				       stage, f->name, b->size, b->index, b->name, (long long)bytes[b->index], stage,
				       b->index);
			if (!bound && fixed_layout)
				bound = 1;
			break;
		}
		case MTL_SHADER_TEXTURE:
			bound = b->index < NTEX && tex && tex[b->index] != 0;
			if (bound)
				check_texture_access(v, tex[b->index], f, b, check_read);
			break;
		case MTL_SHADER_SAMPLER:
			bound = b->index < NSAMP && samp && samp[b->index] != 0;
			break;
		}
		if (!bound)
			report(v, R_SHADER_UNBOUND_SLOT, "%s function '%s' uses [[%s(%u)]] '%s' but nothing is bound to %s %s %u",
			       stage, f->name, resource_attr(b->kind), b->index, b->name, stage, resource_attr(b->kind),
			       b->index);
	}
}

static void on_draw(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_draw_primitives *d = &c->u.draw;
	struct render_state *rs = &v->rs;
	enum_ok(v, d->primitive, 0, MTL_PRIMITIVE_MAX, "primitive");
	if (!rs->have_pipe) {
		report(v, R_DRAW_NO_PIPELINE, "no render pipeline is set in this pass; the reference host ignores the draw");
		return;
	}
	const struct rpipe *p = &rs->pipe;
	if (props_known(&rs->color)) {
		if (p->samples != rs->color.samples)
			report(v, R_DRAW_SAMPLE_COUNT_MISMATCH, "pipeline sample_count %u, color attachment has %u",
			       p->samples, rs->color.samples);
		if (p->format != rs->color.format)
			report(v, R_DRAW_FORMAT_MISMATCH, "pipeline pixel_format %s, color attachment is %s",
			       fmt_name(p->format), fmt_name(rs->color.format));
	}
	if ((p->stencil_format == MTL_STENCIL_FORMAT_STENCIL8) != (rs->has_stencil != 0))
		report(v, R_DRAW_STENCIL_FORMAT_MISMATCH, "pipeline stencil_format %s, the pass has %s",
		       p->stencil_format ? "stencil8" : "none",
		       rs->has_stencil ? "a stencil attachment" : "no stencil attachment");
	if (rs->have_ds && rs->ds_stencil && !rs->has_stencil)
		report(v, R_DRAW_STENCIL_WITHOUT_ATTACHMENT,
		       "the depth-stencil state enables the stencil test but the pass has no stencil attachment");
	uint64_t end = (uint64_t)d->start + d->count;
	if (rs->vbytes[0] >= 0) {
		uint64_t avail = (uint64_t)rs->vbytes[0] / MTL_VERTEX_STRIDE;
		if (end > avail)
			report(v, R_DRAW_VERTEX_OVERRUN,
			       "vertices %u..%llu drawn but buffer 0 holds %lld bytes = %llu vertices of 32 bytes", d->start,
			       (unsigned long long)(end ? end - 1 : 0), (long long)rs->vbytes[0], (unsigned long long)avail);
	} else if (p->vfn && p->vfn->has_stage_in && d->count) {
		report(v, R_DRAW_VERTEX_OVERRUN, "vertex function '%s' reads [[stage_in]] but no vertex data is bound at "
		       "buffer 0", p->vfn->name);
	}
	if (d->primitive == MTL_PRIMITIVE_TRIANGLE && d->count % 3)
		report(v, R_DRAW_TRIANGLE_COUNT, "triangle list of %u vertices is not a multiple of 3; the last %u are "
		       "dropped", d->count, d->count % 3);
	if (p->vfn)
		check_bindings(v, p->vfn, "vertex", rs->vbytes, NULL, NULL, 1);
	if (p->ffn)
		check_bindings(v, p->ffn, "fragment", rs->fbytes, rs->ftex, rs->fsamp, 0);
}

static void on_set_compute_texture(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_set_texture *s = &c->u.set_texture;
	int idx_ok = s->index <= MTL_MAX_TEXTURE_INDEX;
	if (!idx_ok)
		report(v, R_DATA_TEXTURE_INDEX, "texture index %u is over Metal's limit of 30", s->index);
	struct texprops t;
	if (!use_texture(v, s->tex, "SET_COMPUTE_TEXTURE tex", 0, &t))
		return;
	if (props_known(&t) && !(t.usage & (MTL_USAGE_SHADER_READ | MTL_USAGE_SHADER_WRITE)))
		report(v, R_TEXTURE_NOT_WRITABLE,
		       "texture 0x%X (usage 0x%X) is bound to a kernel with neither shaderWrite (2) nor shaderRead (1)",
		       s->tex, t.usage);
	if (idx_ok)
		v->cs.ctex[s->index] = s->tex;
}

static void on_dispatch(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_dispatch_threads *d = &c->u.dispatch;
	if (!v->cs.have_pipe) {
		report(v, R_COMPUTE_NO_PIPELINE, "no compute pipeline is set in this pass");
		return;
	}
	if (!d->grid[0] || !d->grid[1] || !d->grid[2] || !d->threadgroup[0] || !d->threadgroup[1] ||
	    !d->threadgroup[2])
		report(v, R_COMPUTE_ZERO_GRID, "grid %ux%ux%u, threadgroup %ux%ux%u: every dimension must be at least 1",
		       d->grid[0], d->grid[1], d->grid[2], d->threadgroup[0], d->threadgroup[1], d->threadgroup[2]);
	uint64_t threads = (uint64_t)d->threadgroup[0] * d->threadgroup[1] * d->threadgroup[2];
	if (threads > MTL_MAX_THREADS_PER_THREADGROUP)
		report(v, R_COMPUTE_THREADGROUP_TOO_LARGE, "threadgroup %ux%ux%u = %llu threads; the limit is 1024",
		       d->threadgroup[0], d->threadgroup[1], d->threadgroup[2], (unsigned long long)threads);
	if (v->cs.fn)
		check_bindings(v, v->cs.fn, "kernel", v->cs.cbytes, v->cs.ctex, NULL, 1);
}

static void on_copy(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_copy_texture_region *cp = &c->u.copy;
	struct texprops s, d;
	int s_ok = use_texture(v, cp->src, "COPY_TEXTURE_REGION src", 0, &s);
	int d_ok = use_texture(v, cp->dst, "COPY_TEXTURE_REGION dst", 1, &d);
	if (s_ok && size_known(&s) && ((uint32_t)cp->src_x + cp->w > s.w || (uint32_t)cp->src_y + cp->h > s.h))
		report(v, R_COPY_OUT_OF_BOUNDS, "source region (%u,%u) %ux%u is outside src 0x%X of %ux%u", cp->src_x,
		       cp->src_y, cp->w, cp->h, cp->src, s.w, s.h);
	if (d_ok && size_known(&d) && ((uint32_t)cp->dst_x + cp->w > d.w || (uint32_t)cp->dst_y + cp->h > d.h))
		report(v, R_COPY_OUT_OF_BOUNDS, "destination region (%u,%u) %ux%u is outside dst 0x%X of %ux%u",
		       cp->dst_x, cp->dst_y, cp->w, cp->h, cp->dst, d.w, d.h);
	if (s_ok && d_ok && props_known(&s) && props_known(&d) && s.format != d.format)
		report(v, R_COPY_FORMAT_MISMATCH, "src 0x%X is %s, dst 0x%X is %s", cp->src, fmt_name(s.format), cp->dst,
		       fmt_name(d.format));
	/* Metal: the destination "has the same pixel format and sample count
	 * as sourceTexture"; a blit never resolves or replicates samples. */
	unsigned s_samples = s.samples ? s.samples : 1, d_samples = d.samples ? d.samples : 1;
	if (s_ok && d_ok && props_known(&s) && props_known(&d) && s_samples != d_samples)
		report(v, R_COPY_FORMAT_MISMATCH, "src 0x%X has %u samples, dst 0x%X has %u: a copy needs equal sample counts",
		       cp->src, s_samples, cp->dst, d_samples);
}

static void on_present(struct mtl_validator *v)
{
	v->work = 0;
	if (v->pass != P_NONE) {
		report(v, R_PASS_OPEN_AT_PRESENT, "the %s pass begun at command %llu is still open", pass_names[v->pass],
		       (unsigned long long)v->pass_begin);
		v->pass = P_NONE;
	}
}

static void on_cursor_image(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_set_cursor_image *ci = &c->u.cursor_image;
	if (ci->w > MTL_MAX_CURSOR_DIM || ci->h > MTL_MAX_CURSOR_DIM)
		report(v, R_CURSOR_TOO_LARGE, "cursor image %ux%u is over 256x256", ci->w, ci->h);
	uint64_t need = (uint64_t)ci->w * ci->h * 4u;
	if (ci->pixels_len != need)
		report(v, R_CURSOR_DATA_SIZE, "%u bytes of pixels; a %ux%u BGRA cursor needs %llu", ci->pixels_len, ci->w,
		       ci->h, (unsigned long long)need);
}

static void on_cursor_from_texture(struct mtl_validator *v, const struct mtl_cmd *c)
{
	const struct mtl_set_cursor_from_texture *ct = &c->u.cursor_from_texture;
	if (ct->w > MTL_MAX_CURSOR_DIM || ct->h > MTL_MAX_CURSOR_DIM)
		report(v, R_CURSOR_TOO_LARGE, "cursor %ux%u is over 256x256", ct->w, ct->h);
	struct texprops t;
	if (!use_texture(v, ct->tex, "SET_CURSOR_FROM_TEXTURE tex", 0, &t))
		return;
	if (props_known(&t) && t.format != MTL_PIXEL_BGRA8_UNORM && t.format != MTL_PIXEL_BGRA8_UNORM_SRGB)
		report(v, R_CURSOR_TEXTURE_FORMAT, "texture 0x%X is %s; a cursor texture must be bgra8Unorm(_srgb)", ct->tex,
		       fmt_name(t.format));
	if (size_known(&t) && (ct->w > t.w || ct->h > t.h))
		report(v, R_CURSOR_TEXTURE_REGION, "cursor %ux%u is larger than texture 0x%X of %ux%u", ct->w, ct->h,
		       ct->tex, t.w, t.h);
}

/* ------------------------------------------------------------------------
 * One command.
 */
static void framing(struct mtl_validator *v, const struct mtl_cmd *c)
{
	switch (c->status) {
	case MTL_ERR_TRUNCATED_HEADER:
		report(v, R_FRAME_TRUNCATED, "%zu byte(s) left, fewer than the 8 of a header",
		       v->sub_len > c->offset ? v->sub_len - c->offset : (size_t)0);
		break;
	case MTL_ERR_PAYLOAD_PAST_END:
		report(v, R_FRAME_TRUNCATED, "payload_size %u runs past the end of the buffer; the rest of the buffer is "
		       "not decoded", c->payload_size);
		break;
	case MTL_ERR_FLAGS:
		report(v, R_FRAME_FLAGS, "flags 0x%04X, must be 0; the command is not decoded", c->flags);
		break;
	case MTL_ERR_UNKNOWN_METHOD:
		report(v, R_FRAME_UNKNOWN_METHOD, "method 0x%04X is not defined (payload of %u bytes skipped)", c->method,
		       c->payload_size);
		break;
	case MTL_ERR_PAYLOAD_SIZE:
		report(v, R_FRAME_PAYLOAD_SIZE, "payload_size %u is wrong for %s%s", c->payload_size,
		       method_label(v, c->method),
		       c->fields_valid ? " (too long: the fields are read, the rest ignored)"
				       : " (shorter than its fields: the reference host ignores it)");
		break;
	case MTL_ERR_INNER_LENGTH:
		report(v, R_FRAME_INNER_LENGTH, "the length field at byte %zu of the command (%u) disagrees with "
		       "payload_size %u%s", c->error_offset - c->offset,
		       c->payload_size >= c->error_offset - c->offset - MTL_HEADER_SIZE + 4
			       ? mtl_rd32(c->payload + (c->error_offset - c->offset - MTL_HEADER_SIZE))
			       : 0u,
		       c->payload_size,
		       c->fields_valid ? " (shorter: the extra bytes are ignored)" : " (longer: the command is ignored)");
		break;
	default:
		break;
	}
}

/* GPU work the next PRESENT_AND_COMMIT commits. */
static void note_work(struct mtl_validator *v)
{
	if (v->work++ == 0)
		v->first_work = v->command;
}

static void check_command(struct mtl_validator *v, const struct mtl_cmd *c)
{
	switch (c->method) {
	case MTL_CMD_COMPILE_LIBRARY: on_compile_library(v, c); break;
	case MTL_CMD_GET_FUNCTION: on_get_function(v, c); break;
	case MTL_CMD_CREATE_RENDER_PIPELINE: on_create_render_pipeline(v, c); break;
	case MTL_CMD_CREATE_COMPUTE_PIPELINE: on_create_compute_pipeline(v, c); break;
	case MTL_CMD_CREATE_DEPTH_STENCIL_STATE: on_create_depth_stencil_state(v, c); break;
	case MTL_CMD_CREATE_SAMPLER: on_create_sampler(v, c); break;
	case MTL_CMD_CREATE_TEXTURE: on_create_texture(v, c); break;
	case MTL_CMD_UPLOAD_TEXTURE: on_upload_texture(v, c); break;
	case MTL_CMD_BIND_HOST_TEXTURE: on_bind_host_texture(v, c); break;
	case MTL_CMD_DESTROY_OBJECT: on_destroy(v, c); break;
	case MTL_CMD_BEGIN_RENDER_PASS:
		on_begin_render_pass(v, c);
		note_work(v);
		break;
	case MTL_CMD_END_RENDER_PASS: end_pass(v, P_RENDER); break;
	case MTL_CMD_SET_RENDER_PIPELINE:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE)) {
			struct obj *o = use_obj(v, c->u.handle.handle, K_RENDER_PIPELINE, "SET_RENDER_PIPELINE pipe");
			if (o) {
				v->rs.have_pipe = 1;
				v->rs.pipe = o->u.rp;
			}
		}
		break;
	case MTL_CMD_SET_DEPTH_STENCIL_STATE:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE)) {
			struct obj *o = use_obj(v, c->u.handle.handle, K_DEPTH_STENCIL, "SET_DEPTH_STENCIL_STATE state");
			if (o) {
				v->rs.have_ds = 1;
				v->rs.ds_stencil = o->u.stencil_enabled;
			}
		}
		break;
	case MTL_CMD_SET_STENCIL_REF:
		in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE);
		break;
	case MTL_CMD_SET_SCISSOR:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE))
			on_set_scissor(v, c);
		break;
	case MTL_CMD_SET_VERTEX_BYTES:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE))
			on_set_bytes(v, c, v->rs.vbytes);
		break;
	case MTL_CMD_SET_FRAGMENT_BYTES:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE))
			on_set_bytes(v, c, v->rs.fbytes);
		break;
	case MTL_CMD_SET_FRAGMENT_TEXTURE:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE))
			on_set_fragment_texture(v, c);
		break;
	case MTL_CMD_SET_FRAGMENT_SAMPLER:
		if (in_pass(v, P_RENDER, R_PASS_RENDER_OUTSIDE))
			on_set_fragment_sampler(v, c);
		break;
	case MTL_CMD_DRAW_PRIMITIVES:
		if (in_pass(v, P_RENDER, R_PASS_DRAW_OUTSIDE)) {
			on_draw(v, c);
			note_work(v);
		}
		break;
	case MTL_CMD_BEGIN_COMPUTE_PASS: begin_pass(v, P_COMPUTE); break;
	case MTL_CMD_END_COMPUTE_PASS: end_pass(v, P_COMPUTE); break;
	case MTL_CMD_SET_COMPUTE_PIPELINE:
		if (in_pass(v, P_COMPUTE, R_PASS_COMPUTE_OUTSIDE)) {
			struct obj *o = use_obj(v, c->u.handle.handle, K_COMPUTE_PIPELINE, "SET_COMPUTE_PIPELINE pipe");
			if (o) {
				v->cs.have_pipe = 1;
				v->cs.fn = o->u.fn;
			}
		}
		break;
	case MTL_CMD_SET_COMPUTE_TEXTURE:
		if (in_pass(v, P_COMPUTE, R_PASS_COMPUTE_OUTSIDE))
			on_set_compute_texture(v, c);
		break;
	case MTL_CMD_SET_COMPUTE_BYTES:
		if (in_pass(v, P_COMPUTE, R_PASS_COMPUTE_OUTSIDE))
			on_set_bytes(v, c, v->cs.cbytes);
		break;
	case MTL_CMD_DISPATCH_THREADS:
		if (in_pass(v, P_COMPUTE, R_PASS_COMPUTE_OUTSIDE)) {
			on_dispatch(v, c);
			note_work(v);
		}
		break;
	case MTL_CMD_BEGIN_BLIT_PASS: begin_pass(v, P_BLIT); break;
	case MTL_CMD_END_BLIT_PASS: end_pass(v, P_BLIT); break;
	case MTL_CMD_COPY_TEXTURE_REGION:
		if (in_pass(v, P_BLIT, R_PASS_BLIT_OUTSIDE)) {
			on_copy(v, c);
			note_work(v);
		}
		break;
	case MTL_CMD_PRESENT_AND_COMMIT: on_present(v); break;
	case MTL_CMD_SET_CURSOR_IMAGE: on_cursor_image(v, c); break;
	case MTL_CMD_SET_CURSOR_FROM_TEXTURE: on_cursor_from_texture(v, c); break;
	case MTL_CMD_SET_CURSOR_POSITION:
	case MTL_CMD_SET_CURSOR_VISIBLE:
	default:
		break;
	}
}

/* ------------------------------------------------------------------------
 * Public API.
 */
struct mtl_validator *mtl_validator_create(const struct mtl_validate_options *opt)
{
	struct mtl_validator *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	if (opt)
		v->opt = *opt;
	if (opt && opt->shader && opt->shader->compile) {
		v->inspector = *opt->shader;
		v->has_inspector = 1;
	}
	v->opt.shader = NULL;
	v->pass = P_NONE;
	return v;
}

void mtl_validator_destroy(struct mtl_validator *v)
{
	if (!v)
		return;
	while (v->arena) {
		struct arena_block *n = v->arena->next;
		free(v->arena);
		v->arena = n;
	}
	free(v->slots);
	free(v);
}

int mtl_validator_disable(struct mtl_validator *v, const char *id)
{
	if (!id || !*id)
		return 0;
	size_t n = strlen(id);
	int prefix = id[n - 1] == '.';
	int count = 0;
	for (size_t i = 0; i < R_COUNT; i++) {
		const char *rid = rule_table[i].id;
		if (prefix ? strncmp(rid, id, n) == 0 : strcmp(rid, id) == 0) {
			v->disabled[i] = 1;
			count++;
		}
	}
	return count;
}

void mtl_validator_set_display(struct mtl_validator *v, uint32_t width, uint32_t height)
{
	v->opt.width = width;
	v->opt.height = height;
}

unsigned mtl_validator_submit(struct mtl_validator *v, const void *bytes, size_t len, unsigned queue,
			      uint64_t submission)
{
	struct mtl_decoder d;
	struct mtl_cmd c;
	mtl_decoder_init(&d, bytes, len);
	v->sub_errors = 0;
	v->sub_len = len;
	v->submission = submission;
	v->queue = queue;
	v->has_command = 1;
	for (;;) {
		enum mtl_status st = mtl_decoder_next(&d, &c);
		if (st == MTL_END)
			break;
		v->command = v->commands++;
		v->offset = c.offset;
		v->method = c.method;
		v->header_truncated = st == MTL_ERR_TRUNCATED_HEADER;
		v->frame = v->frames;
		if (st < 0)
			framing(v, &c);
		if (c.fields_valid)
			check_command(v, &c);
		/* Frames as mtlrec_count_presents counts them: a PRESENT_AND_COMMIT
		 * header whose payload lies inside the buffer, whatever else. */
		if (c.method == MTL_CMD_PRESENT_AND_COMMIT && st != MTL_ERR_TRUNCATED_HEADER &&
		    st != MTL_ERR_PAYLOAD_PAST_END)
			v->frames++;
	}
	v->has_command = 0;
	v->offset = len;
	return (unsigned)(v->sub_errors > 0xFFFFFFFFu ? 0xFFFFFFFFu : v->sub_errors);
}

void mtl_validator_finish(struct mtl_validator *v)
{
	v->has_command = 0;
	v->command = v->commands;
	v->frame = v->frames;
	if (v->pass != P_NONE) {
		report(v, R_PASS_OPEN_AT_END, "the stream ends with the %s pass begun at command %llu still open",
		       pass_names[v->pass], (unsigned long long)v->pass_begin);
		v->pass = P_NONE;
	} else if (v->work) {
		report(v, R_STREAM_UNCOMMITTED,
		       "%llu pass(es), draw(s), dispatch(es) or copies from command %llu on are never committed: the "
		       "stream ends without a PRESENT_AND_COMMIT after them",
		       (unsigned long long)v->work, (unsigned long long)v->first_work);
	}
	v->work = 0;
}

uint64_t mtl_validator_errors(const struct mtl_validator *v) { return v->errors; }
uint64_t mtl_validator_warnings(const struct mtl_validator *v) { return v->warnings; }
int mtl_validator_limit_reached(const struct mtl_validator *v) { return v->limit_reached; }
uint64_t mtl_validator_commands(const struct mtl_validator *v) { return v->commands; }
uint64_t mtl_validator_frames(const struct mtl_validator *v) { return v->frames; }
