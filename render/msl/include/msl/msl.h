/*
 * msl/msl.h — the MSL front end: compile (preprocess, lex, parse, check)
 * Metal Shading Language source into a checked program, with diagnostics,
 * and reflect its entry points.
 *
 * The front end accepts the subset of MSL that real guest drivers write
 * (docs/MSL.md lists it). Anything outside the subset is an error saying
 * "not supported", never a silently different program. Input is untrusted:
 * every limit below is enforced with a diagnostic, and no input makes the
 * front end crash, recurse without bound or run for long.
 */
#ifndef MSL_MSL_H
#define MSL_MSL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msl/ast.h"

/* Limits (each exceeded limit is one error, then compilation stops). */
#define MSL_MAX_SOURCE_BYTES  (1u << 20)  /* 1 MiB of source */
#define MSL_MAX_TOKENS        200000u     /* tokens after preprocessing */
#define MSL_MAX_NESTING       128u        /* nested statements/blocks/parentheses/#if */
#define MSL_MAX_EXPR_DEPTH    256u        /* height of one expression tree */
#define MSL_MAX_DIAGS         100u        /* diagnostics kept per compile */
#define MSL_MAX_DEFINE_DEPTH  16u         /* nested #define expansion */
/* Functions active at once when an entry point runs: the entry itself and
 * the helpers it calls, nested. The executor inlines helpers to this
 * depth; the front end rejects an entry point whose deepest call chain
 * is longer, at the entry point's call that starts the chain. */
#define MSL_MAX_CALL_DEPTH    32u
/* Loop trip counts are bounded by the executor, not the front end (a
 * trip count is rarely known before running): at most this many
 * iterations per loop entry by default (msl/exec.h
 * MSL_EXEC_DEFAULT_LOOP_LIMIT has the same value; a context may lower it). */
#define MSL_MAX_LOOP_TRIPS    (1u << 20)
#define MSL_MAX_THREADGROUP_BYTES (32u * 1024) /* threadgroup variables per kernel (Apple GPUs) */

enum msl_severity { MSL_SEV_ERROR, MSL_SEV_WARNING, MSL_SEV_NOTE };

struct msl_diag {
	enum msl_severity severity;
	uint32_t line, col;     /* 1-based; 0:0 when the whole input is concerned */
	char *message;          /* owned by the list */
};

struct msl_diag_list {
	const char *filename;   /* as given to msl_compile; not owned */
	struct msl_diag *items;
	size_t count, cap;
	size_t error_count;
};

void msl_diag_list_init(struct msl_diag_list *list);
void msl_diag_list_free(struct msl_diag_list *list);

/* Print every diagnostic as
 *     file:line:col: error: message
 *         <source line>
 *         ^
 * `src`/`len` is the source the diagnostics refer to (for the excerpt). */
void msl_diag_print(const struct msl_diag_list *list, const char *src, size_t len, FILE *out);

/* Compile `len` bytes of MSL. Returns the checked program, or NULL when there
 * were errors (all of them are in `diags`, which may also hold warnings on
 * success). `filename` is used in messages only; the caller keeps it alive as
 * long as `diags`. `diags` must have been initialised. */
struct msl_program *msl_compile(const char *src, size_t len, const char *filename,
				struct msl_diag_list *diags);
void msl_program_free(struct msl_program *prog);

/* Entry points (vertex, fragment and kernel functions) in definition order. */
size_t msl_program_entry_count(const struct msl_program *prog);
const struct msl_function *msl_program_entry(const struct msl_program *prog, size_t i);
/* Any function (entry or helper) by name; NULL if none. */
const struct msl_function *msl_program_find_function(const struct msl_program *prog,
						     const char *name);

/* ---- reflection ---------------------------------------------------------- */

enum msl_resource_kind { MSL_RES_BUFFER, MSL_RES_TEXTURE, MSL_RES_SAMPLER };

struct msl_reflect_resource {
	enum msl_resource_kind kind;
	uint32_t index;                /* [[buffer(n)]] / [[texture(n)]] / [[sampler(n)]] */
	const char *name;              /* parameter name */
	const char *type;              /* spelling, e.g. "constant Uniforms&", "texture2d<float, access::sample>" */
	enum msl_space space;          /* buffers: device or constant */
	enum msl_access access;        /* textures */
	uint32_t size;                 /* buffers: bytes of the pointee/referent when sized
					* (pointers: of one element); 0 otherwise */
	const struct msl_var *param;
	char type_storage[128];        /* `type` may point here */
};

/* One stage_in member ([[attribute(n)]] for vertex, interpolants for
 * fragment), one built-in input, or one output member. */
struct msl_reflect_field {
	const char *name;
	const char *type;
	enum msl_attr_kind attr;       /* ATTRIBUTE, POSITION, COLOR, VERTEX_ID, ... or NONE */
	uint32_t index;                /* attribute/color index when meaningful */
	uint32_t offset;               /* byte offset in its struct (0 for parameters) */
	int flat;                      /* [[flat]] */
};

struct msl_reflect_function {
	const char *name;
	enum msl_stage stage;
	const char *stage_in_type;     /* struct name, or NULL without [[stage_in]] */
	struct msl_reflect_field *stage_in;
	size_t stage_in_count;
	struct msl_reflect_field *builtins;   /* [[vertex_id]], [[thread_position_in_grid]], ... */
	size_t builtin_count;
	const char *output_type;       /* return type spelling */
	struct msl_reflect_field *outputs;    /* members of a struct return, or the one value */
	size_t output_count;
	struct msl_reflect_resource *resources; /* sorted by kind, then index */
	size_t resource_count;
	const struct msl_function *fn;
};

struct msl_reflection {
	struct msl_reflect_function *functions; /* entry points only, definition order */
	size_t function_count;
};

/* Fill `out` for every entry point of `prog`. Returns 0, or -1 when out of
 * memory. Strings point into `prog` (or are static) and live as long as it. */
int msl_reflect(const struct msl_program *prog, struct msl_reflection *out);
void msl_reflection_free(struct msl_reflection *r);
/* Write the reflection as JSON:
 * {"functions":[{"name","stage","stage_in":[...],"outputs":[...],
 *                "builtins":[...],"resources":[{"kind","index","name","type","size"}]}]} */
void msl_reflection_write_json(const struct msl_reflection *r, FILE *out);
const char *msl_resource_kind_name(enum msl_resource_kind k); /* "buffer", "texture", "sampler" */

#endif
