/*
 * mtlproto/validate.h — a stateful validator for command streams.
 *
 * The validator follows a whole stream, one submission at a time, the way
 * the host would: it tracks every object the guest creates (its kind and
 * properties), the pass state, what is bound, and frames. For each misuse it
 * reports a finding with a stable rule ID ("pass.draw-outside"), a severity,
 * and where it happened: the frame, the 0-based index of the command over the
 * whole stream, and the byte offset of the command's header within the
 * submission that carried it. docs/VALIDATION.md documents every rule.
 *
 * Severity: an error is something Metal would reject, that would crash the
 * host driver, or whose behaviour is undefined; a warning is legal but almost
 * surely a bug, or something the reference host does differently from the
 * written protocol (a stream that relies on it renders differently).
 *
 * Live use: the hypervisor creates one validator per guest, calls
 * mtl_validator_submit() for every buffer a queue delivers and
 * mtl_validator_finish() at shutdown. Offline use (tools/mtlvalidate) is the
 * same with submissions from a file.
 *
 * The validator never trusts the stream: it uses the decoder's status for
 * framing, resynchronises only where the decoder does, never crashes and
 * never loops. It allocates (object tables); on allocation failure it stops
 * tracking and reports rule "internal.out-of-memory" once.
 *
 * Not thread-safe: one validator is fed by one thread at a time.
 */
#ifndef MTLPROTO_VALIDATE_H
#define MTLPROTO_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "mtlproto/wire.h"

enum mtl_severity {
	MTL_SEV_WARNING = 1,
	MTL_SEV_ERROR = 2
};

/* "warning" / "error". */
const char *mtl_severity_name(enum mtl_severity s);

/* ------------------------------------------------------------------------
 * Rules. The table is fixed at build time; IDs never change meaning.
 */
struct mtl_rule {
	const char *id;              /* "area.name", e.g. "data.bytes-too-large" */
	enum mtl_severity severity;
	const char *summary;         /* one line */
};

size_t mtl_rule_count(void);
const struct mtl_rule *mtl_rule_at(size_t i);     /* NULL when i >= count */
const struct mtl_rule *mtl_rule_find(const char *id); /* exact ID, NULL when unknown */

/* ------------------------------------------------------------------------
 * Findings, delivered through a callback as they are found.
 */
struct mtl_finding {
	const char *rule;            /* stable ID, as in the rule table */
	enum mtl_severity severity;
	uint64_t frame;              /* PRESENT_AND_COMMITs seen before this command */
	uint64_t command;            /* 0-based index of the command over the whole stream */
	uint64_t submission;         /* the index the caller passed to mtl_validator_submit */
	unsigned queue;              /* the queue the caller passed */
	size_t offset;               /* of the command's header within its submission */
	uint16_t method;             /* 0 for end-of-stream findings that have no command */
	const char *method_name;     /* "DRAW_PRIMITIVES", "0x1234" for unknown, "(truncated)" for a
				      * header cut short, "END" at finish */
	const char *message;         /* with the concrete values; valid during the callback only */
	int has_command;             /* 0 for end-of-stream findings (command/offset then refer
				      * to the position after the last command) */
};

typedef void (*mtl_finding_fn)(void *user, const struct mtl_finding *f);

/* ------------------------------------------------------------------------
 * Optional shader inspector: lets the validator check MSL without mtlproto
 * depending on the MSL front end (render/msl). A program that links the
 * front end (tools/mtlvalidate, the hypervisor) fills this in; when it is
 * absent the MSL-aware rules (shader.*) are simply not checked.
 *
 * compile() parses and checks one library's source and describes it in
 * *out. Everything *out points to must stay valid until release() is
 * called with the returned cookie; the validator copies what it keeps and
 * releases the library before mtl_validator_submit returns. compile()
 * returns NULL only when it could not run at all (out of memory): then no
 * shader rule is checked for that library.
 */
enum mtl_shader_stage {
	MTL_SHADER_VERTEX = 1,
	MTL_SHADER_FRAGMENT = 2,
	MTL_SHADER_KERNEL = 3
};

enum mtl_shader_resource {
	MTL_SHADER_BUFFER = 1,       /* [[buffer(n)]] */
	MTL_SHADER_TEXTURE = 2,      /* [[texture(n)]] */
	MTL_SHADER_SAMPLER = 3       /* [[sampler(n)]] */
};

struct mtl_shader_binding {
	enum mtl_shader_resource kind;
	unsigned index;              /* n of [[buffer(n)]] etc. */
	int written;                 /* 1 when the function may write it (access::write / device) */
	const char *name;            /* parameter name, for messages */
	unsigned size;               /* buffers: bytes the parameter needs bound: sizeof(T) for
				      * `constant T &r`, one element for `constant T *p`;
				      * 0 = unknown or unsized (never checked). Ignored for
				      * textures and samplers. */
};

/* One member of a [[stage_in]] struct with an [[attribute(n)]]. */
struct mtl_shader_attribute {
	unsigned index;              /* n of [[attribute(n)]] */
	unsigned components;         /* 1..4 */
	int is_float;                /* float (or half) components; 0 for int/uint/bool */
	unsigned scalar_bytes;       /* 4 for float/int/uint, 2 for half/short */
	const char *name;
	unsigned line, col;          /* where the member is declared */
};

struct mtl_shader_function {
	const char *name;
	enum mtl_shader_stage stage;
	const struct mtl_shader_binding *bindings;
	size_t nbindings;
	int has_stage_in;
	const struct mtl_shader_attribute *attributes; /* of the stage_in struct */
	size_t nattributes;
};

struct mtl_shader_diag {
	unsigned line, col;          /* 1-based */
	const char *message;
};

struct mtl_shader_library_info {
	const struct mtl_shader_diag *errors;   /* empty when the library compiled */
	size_t nerrors;
	const struct mtl_shader_function *functions;
	size_t nfunctions;
};

struct mtl_shader_inspector {
	void *ctx;
	void *(*compile)(void *ctx, const char *source, size_t len, struct mtl_shader_library_info *out);
	void (*release)(void *ctx, void *cookie);
};

/* ------------------------------------------------------------------------
 * The validator.
 */
struct mtl_validate_options {
	uint32_t width, height;      /* display config (drawable size); 0 = unknown, size checks
				      * against the drawable are then skipped */
	unsigned max_errors;         /* stop reporting after this many errors; 0 = no limit */
	mtl_finding_fn on_finding;   /* may be NULL: only the counters are kept */
	void *user;
	const struct mtl_shader_inspector *shader; /* may be NULL; copied */
};

/* Any queue: for raw streams whose queue is not known. */
#define MTL_VALIDATE_QUEUE_ANY 0xFFu

struct mtl_validator;

/* NULL on allocation failure. */
struct mtl_validator *mtl_validator_create(const struct mtl_validate_options *opt);
void mtl_validator_destroy(struct mtl_validator *v);

/*
 * Turn a rule off. id is an exact rule ID, or an area prefix ending in '.'
 * ("texture.") which turns off every rule of that area. Returns the number of
 * rules disabled; 0 means the name matched nothing (the caller should say so).
 */
int mtl_validator_disable(struct mtl_validator *v, const char *id);

/* The display changed (a config-change interrupt). */
void mtl_validator_set_display(struct mtl_validator *v, uint32_t width, uint32_t height);

/*
 * Validate one submission: len bytes of commands delivered on queue
 * (0 setup, 1 render, or MTL_VALIDATE_QUEUE_ANY), with the caller's
 * submission index (reported back in findings). Findings are delivered
 * through on_finding before this returns. Returns the number of errors this
 * submission produced (after disabling and the max_errors limit).
 */
unsigned mtl_validator_submit(struct mtl_validator *v, const void *bytes, size_t len,
			      unsigned queue, uint64_t submission);

/*
 * End of stream: report what is still wrong when the stream stops (a pass
 * still open, GPU work after the last PRESENT_AND_COMMIT). Call once; later
 * submissions start fresh checks but keep the objects.
 */
void mtl_validator_finish(struct mtl_validator *v);

/* Counts of reported findings so far (suppressed ones not included). */
uint64_t mtl_validator_errors(const struct mtl_validator *v);
uint64_t mtl_validator_warnings(const struct mtl_validator *v);
/* 1 once max_errors was reached and later errors were dropped. */
int mtl_validator_limit_reached(const struct mtl_validator *v);
/* Commands seen, frames seen. */
uint64_t mtl_validator_commands(const struct mtl_validator *v);
uint64_t mtl_validator_frames(const struct mtl_validator *v);

#endif
