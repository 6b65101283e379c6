/*
 * msl/exec.h — run lowered MSL entry points over batches of lanes.
 *
 * This is the software renderer's inner loop. A checked program (msl.h) is
 * lowered once into an executable module; the renderer then looks up entry
 * points by name, asks for their interface (what it must feed in and what
 * comes out), and runs them:
 *
 *   - a VERTEX batch: up to MSL_EXEC_MAX_LANES vertices at once;
 *   - a FRAGMENT batch: up to MSL_EXEC_MAX_QUADS 2x2 quads at once, so
 *     dfdx/dfdy/fwidth work (coarse derivatives per quad, as Metal does);
 *   - a COMPUTE threadgroup: any size up to MSL_EXEC_MAX_THREADGROUP threads,
 *     sharing its `threadgroup` variables (in the context, zeroed per
 *     group) and meeting at every threadgroup_barrier; a barrier some
 *     threads of the group miss is MSL_EXEC_ERR_BARRIER (docs/MSL.md
 *     "Threadgroup memory and barriers").
 *
 * Promises:
 *   - Deterministic to the bit: the same module, inputs and texture
 *     callbacks give the same outputs on every host and every run.
 *   - Bounded: every loop has a trip limit (MSL_EXEC_DEFAULT_LOOP_LIMIT
 *     iterations per loop entry, settable per context) and all loops of a
 *     batch together at most MSL_EXEC_MAX_BATCH_TRIPS (so nested loops
 *     cannot multiply their limits); exceeding either stops the batch with
 *     MSL_EXEC_ERR_LOOP_LIMIT. Out-of-bounds buffer access and
 *     missing bindings stop the batch with an error. Nothing a shader does
 *     can crash the host, hang it, or trigger undefined behaviour in C.
 *   - No allocation while running: a context (one per thread) owns all
 *     scratch memory; modules are immutable after creation and may be shared
 *     between threads.
 *
 * All data crosses this API as plain C: per-lane records are array-of-
 * structures (lane-major) so the renderer can fill them straight from its
 * vertex/interpolation code; the executor transposes internally.
 *
 * Scalars in records are 32-bit floats. Integer-typed attributes and colour
 * outputs are converted by value (float <-> int, as a Metal conversion
 * would), bool as 0.0/1.0. Integer and bool VARYINGS instead travel as
 * their raw 32-bit patterns stored in the float slot (copy them, never do
 * arithmetic on them); the interface marks them MSL_EXEC_INTERP_FLAT.
 */
#ifndef MSL_EXEC_H
#define MSL_EXEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct msl_program; /* a checked program, from msl/msl.h */

#define MSL_EXEC_MAX_LANES 64                    /* lanes per batch */
#define MSL_EXEC_MAX_QUADS (MSL_EXEC_MAX_LANES / 4)
#define MSL_EXEC_MAX_THREADGROUP 1024            /* threads per threadgroup */
#define MSL_EXEC_MAX_BUFFERS 31                  /* [[buffer(0..30)]] */
#define MSL_EXEC_MAX_TEXTURES 32                 /* [[texture(0..31)]] */
#define MSL_EXEC_MAX_SAMPLERS 16                 /* [[sampler(0..15)]] */
#define MSL_EXEC_MAX_COLORS 8                    /* [[color(0..7)]] */
#define MSL_EXEC_DEFAULT_LOOP_LIMIT (1u << 20)   /* = MSL_MAX_LOOP_TRIPS (msl.h) */
#define MSL_EXEC_MAX_BATCH_TRIPS (1u << 22)      /* all loops of one batch together */

enum msl_exec_status {
	MSL_EXEC_OK = 0,
	MSL_EXEC_ERR_LOOP_LIMIT = -1,   /* a loop ran past the trip limit */
	MSL_EXEC_ERR_BOUNDS = -2,       /* buffer/array access out of bounds */
	MSL_EXEC_ERR_BINDING = -3,      /* a resource the shader uses is not bound */
	MSL_EXEC_ERR_ARGUMENT = -4,     /* bad batch (lane count, wrong stage, ...) */
	MSL_EXEC_ERR_UNSUPPORTED = -5,  /* construct the executor cannot run */
	MSL_EXEC_ERR_NOMEM = -6,
	MSL_EXEC_ERR_CALL_DEPTH = -7,   /* helper-function recursion/too deep */
	MSL_EXEC_ERR_BARRIER = -8       /* a barrier not reached by every thread of
					 * the threadgroup (divergent: undefined in Metal) */
};

/* What went wrong and where: the shader source position of the failing
 * operation when known (line/col 1-based, 0 when unknown). */
struct msl_exec_error {
	enum msl_exec_status status;
	uint32_t line, col;
	char message[256];
};

enum msl_exec_stage { MSL_EXEC_VERTEX, MSL_EXEC_FRAGMENT, MSL_EXEC_KERNEL };

enum msl_exec_scalar {
	MSL_EXEC_BOOL, MSL_EXEC_CHAR, MSL_EXEC_UCHAR, MSL_EXEC_SHORT,
	MSL_EXEC_USHORT, MSL_EXEC_INT, MSL_EXEC_UINT, MSL_EXEC_HALF,
	MSL_EXEC_FLOAT
};

enum msl_exec_interp {
	MSL_EXEC_INTERP_PERSPECTIVE = 0,  /* the default (center_perspective) */
	MSL_EXEC_INTERP_FLAT,             /* [[flat]]: provoking vertex value */
	MSL_EXEC_INTERP_NO_PERSPECTIVE    /* [[center_no_perspective]] */
};

/* A value slot in a per-lane record: `components` floats from `offset`. */
struct msl_exec_slot {
	const char *name;                 /* member name in the source struct; for varyings
					   * its [[user(NAME)]] when it has one (the link key) */
	uint32_t index;                   /* [[attribute(n)]] / [[color(n)]]; else 0 */
	enum msl_exec_scalar scalar;
	uint8_t components;               /* 1..4 */
	enum msl_exec_interp interp;      /* varyings only */
	uint32_t offset;                  /* in floats, inside the lane record */
};

enum msl_exec_resource_kind {
	MSL_EXEC_RES_BUFFER, MSL_EXEC_RES_TEXTURE, MSL_EXEC_RES_SAMPLER
};
enum msl_exec_access { /* textures */
	MSL_EXEC_ACCESS_SAMPLE, MSL_EXEC_ACCESS_READ, MSL_EXEC_ACCESS_WRITE,
	MSL_EXEC_ACCESS_READ_WRITE
};

struct msl_exec_resource {
	enum msl_exec_resource_kind kind;
	uint32_t index;                   /* [[buffer(n)]] / [[texture(n)]] / [[sampler(n)]] */
	const char *name;
	int writable;                     /* buffers: device (1) vs constant (0) */
	uint32_t min_size;                /* buffers: bytes the pointee type needs, 0 unknown */
	enum msl_exec_access access;      /* textures */
	enum msl_exec_scalar texel;       /* textures: T in texture2d<T> */
	int multisample;                  /* texture2d_ms */
};

/* The interface of one entry point. Record strides are in floats. */
struct msl_exec_interface {
	const char *name;
	enum msl_exec_stage stage;

	/* VERTEX in: [[stage_in]] attributes, one record of attribute_floats
	 * floats per vertex; slot.index is the attribute number. */
	uint32_t n_attributes;
	const struct msl_exec_slot *attributes;
	uint32_t attribute_floats;

	/* VERTEX out: clip-space position (always 4 floats) plus varyings in
	 * one record of varying_floats floats per vertex.
	 * FRAGMENT in: the varyings of its [[stage_in]] struct (not the
	 * [[position]] member, which comes in as position), same layout rule;
	 * match them to the vertex outputs with msl_exec_link_varyings. */
	uint32_t n_varyings;
	const struct msl_exec_slot *varyings;
	uint32_t varying_floats;

	/* FRAGMENT out: [[color(n)]] outputs. A fragment function returning a
	 * bare float4/half4 has one output, index 0. Each occupies 4 floats
	 * at offset 4*slot_number in the lane's colour record. */
	uint32_t n_colors;
	const struct msl_exec_slot *colors;

	uint32_t n_resources;
	const struct msl_exec_resource *resources;

	/* What the entry point reads, so the renderer can skip work. */
	unsigned uses_position : 1, uses_front_facing : 1, uses_sample_id : 1,
		uses_vertex_id : 1, uses_instance_id : 1, uses_derivatives : 1,
		uses_discard : 1,
		uses_point_coord : 1,   /* FRAGMENT: reads [[point_coord]] */
		writes_point_size : 1;  /* VERTEX: has a [[point_size]] output */
};

/* ---- resources the renderer binds -------------------------------------- */

enum msl_exec_filter { MSL_EXEC_FILTER_NEAREST = 0, MSL_EXEC_FILTER_LINEAR = 1 };
enum msl_exec_address {
	MSL_EXEC_ADDR_CLAMP_TO_EDGE = 0, MSL_EXEC_ADDR_REPEAT = 1,
	MSL_EXEC_ADDR_MIRRORED_REPEAT = 2, MSL_EXEC_ADDR_CLAMP_TO_ZERO = 3,
	MSL_EXEC_ADDR_CLAMP_TO_BORDER = 4
};
enum msl_exec_coord { MSL_EXEC_COORD_NORMALIZED = 0, MSL_EXEC_COORD_PIXEL = 1 };

/* Sampler state: from a bound [[sampler(n)]] or a constexpr sampler. */
struct msl_exec_sampler {
	uint8_t min_filter, mag_filter;   /* enum msl_exec_filter */
	uint8_t mip_filter;               /* 0 none (we have no mipmaps) */
	uint8_t s_address, t_address;     /* enum msl_exec_address */
	uint8_t coord;                    /* enum msl_exec_coord */
	uint8_t border;                   /* 0 transparent black, 1 opaque black, 2 opaque white */
};

/*
 * A texture view the renderer implements. Calls are batched: n lanes,
 * `active` has one byte per lane (non-zero = do it); inputs and outputs are
 * structure-of-arrays (out[c * n + lane], c = 0..3 for r,g,b,a). Values are
 * floats whatever the texel type; the executor converts to T. Callbacks must
 * not fail: out-of-range coordinates follow Metal's rules as the renderer
 * implements them (read: undefined in Metal — return 0; write: drop).
 * get_width/get_height are answered from width/height.
 */
struct msl_exec_texture {
	void *ctx;
	uint32_t width, height;
	uint32_t sample_count;            /* 1 unless multisample */
	void (*sample)(void *ctx, const struct msl_exec_sampler *s, uint32_t n,
		       const uint8_t *active, const float *u, const float *v,
		       float *out);
	void (*read)(void *ctx, uint32_t n, const uint8_t *active,
		     const uint32_t *x, const uint32_t *y, const uint32_t *sample,
		     float *out);
	void (*write)(void *ctx, uint32_t n, const uint8_t *active,
		      const uint32_t *x, const uint32_t *y, const float *in);
};

/* A bound buffer: bytes the shader sees through a device/constant pointer.
 * `data` must be writable when the shader writes (device, non-const). */
struct msl_exec_buffer {
	void *data;
	size_t size;
};

struct msl_exec_bindings {
	struct msl_exec_buffer buffers[MSL_EXEC_MAX_BUFFERS];
	const struct msl_exec_texture *textures[MSL_EXEC_MAX_TEXTURES];
	const struct msl_exec_sampler *samplers[MSL_EXEC_MAX_SAMPLERS];
};

/* ---- modules, entry points, contexts ------------------------------------ */

typedef struct msl_exec_module msl_exec_module;
typedef struct msl_exec_entry msl_exec_entry;
typedef struct msl_exec_ctx msl_exec_ctx;

/* Lower every entry point of a checked program. Returns NULL and fills err
 * (status MSL_EXEC_ERR_UNSUPPORTED with line:col) when something cannot be
 * lowered. The module does not keep pointers into prog. */
msl_exec_module *msl_exec_module_create(const struct msl_program *prog,
					struct msl_exec_error *err);
void msl_exec_module_free(msl_exec_module *m);

/* NULL when there is no entry point of that name. */
const msl_exec_entry *msl_exec_find_entry(const msl_exec_module *m, const char *name);
uint32_t msl_exec_entry_count(const msl_exec_module *m);
const msl_exec_entry *msl_exec_entry_at(const msl_exec_module *m, uint32_t i);
const struct msl_exec_interface *msl_exec_entry_interface(const msl_exec_entry *e);

/* Per-thread scratch. Any module may run on it. */
msl_exec_ctx *msl_exec_ctx_create(void);
void msl_exec_ctx_free(msl_exec_ctx *c);
void msl_exec_ctx_set_loop_limit(msl_exec_ctx *c, uint32_t iterations);

/* For each fragment varying i, vs_offset_of[i] = the offset of the vertex
 * output of the same name (Metal matches stage_in members by name).
 * Returns MSL_EXEC_OK, or MSL_EXEC_ERR_ARGUMENT naming the missing or
 * mismatched member. vs_offset_of has fs->n_varyings entries. */
enum msl_exec_status msl_exec_link_varyings(const struct msl_exec_interface *vs,
					    const struct msl_exec_interface *fs,
					    uint32_t *vs_offset_of,
					    struct msl_exec_error *err);

/* ---- running ------------------------------------------------------------ */

struct msl_exec_vertex_batch {
	uint32_t count;                   /* 1..MSL_EXEC_MAX_LANES */
	const uint32_t *vertex_id;        /* count entries */
	const uint32_t *instance_id;      /* count entries, or NULL for 0 */
	const float *attributes;          /* count * attribute_floats, or NULL if none */
	float *position;                  /* out: count * 4 (clip x, y, z, w) */
	float *varyings;                  /* out: count * varying_floats */
};

/* Lanes are quads: lane 4q+0 (x,y), 4q+1 (x+1,y), 4q+2 (x,y+1),
 * 4q+3 (x+1,y+1). Lanes outside live_mask are helper lanes: they run (so
 * derivatives are right) but their outputs, texture writes and buffer writes
 * are dropped. */
struct msl_exec_fragment_batch {
	uint32_t quads;                   /* 1..MSL_EXEC_MAX_QUADS */
	uint64_t live_mask;               /* bit l = lane l covers the pixel */
	const float *position;            /* 4 * lanes: window x, y (pixel centre), z, 1/w */
	const float *varyings;            /* lanes * varying_floats (interpolated) */
	const uint8_t *front_facing;      /* lanes entries, or NULL for all 1 */
	const uint32_t *sample_id;        /* lanes entries, or NULL for 0 */
	float *colors;                    /* out: lanes * 4 * MSL_EXEC_MAX_COLORS */
	uint64_t discard_mask;            /* out: live lanes that discarded */
	const float *point_coord;         /* 2 * lanes: [[point_coord]] x, y, or NULL for 0 */
};

struct msl_exec_compute_group {
	uint32_t threadgroup_position[3]; /* [[threadgroup_position_in_grid]] */
	uint32_t threads_per_threadgroup[3];
	/* Threads whose thread_position_in_grid is >= grid_size in any
	 * dimension do not run (dispatchThreads with a partial threadgroup).
	 * For whole-threadgroup dispatch pass threadgroups * threads_per_tg. */
	uint32_t grid_size[3];
	uint32_t threadgroups_per_grid[3];
};

enum msl_exec_status msl_exec_run_vertex(msl_exec_ctx *c, const msl_exec_entry *e,
					 const struct msl_exec_bindings *b,
					 struct msl_exec_vertex_batch *batch,
					 struct msl_exec_error *err);
/* As msl_exec_run_vertex, and also the [[point_size]] output: point_size
 * gets batch->count floats, the shader's value as written (unclamped), or
 * 1.0 for every vertex when the entry point has no [[point_size]] member
 * (Metal leaves that size undefined; the renderer draws 1-pixel points). */
enum msl_exec_status msl_exec_run_vertex_points(msl_exec_ctx *c, const msl_exec_entry *e,
						const struct msl_exec_bindings *b,
						struct msl_exec_vertex_batch *batch,
						float *point_size,
						struct msl_exec_error *err);
enum msl_exec_status msl_exec_run_fragment(msl_exec_ctx *c, const msl_exec_entry *e,
					   const struct msl_exec_bindings *b,
					   struct msl_exec_fragment_batch *batch,
					   struct msl_exec_error *err);
enum msl_exec_status msl_exec_run_compute(msl_exec_ctx *c, const msl_exec_entry *e,
					  const struct msl_exec_bindings *b,
					  const struct msl_exec_compute_group *group,
					  struct msl_exec_error *err);

const char *msl_exec_status_name(enum msl_exec_status s);

/* `mtlshader run FILE.metal --kernel NAME --grid X,Y[,Z] ...` (see
 * docs/MSL.md "## Executor"); argv[0] is "run". Returns the exit code. */
int msl_tool_run(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* MSL_EXEC_H */
