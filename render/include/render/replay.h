/*
 * render/replay.h — the replay engine: executes Metal-over-virtio command
 * submissions against a rendering backend.
 *
 * The engine owns the handle tables (libraries, functions, pipelines,
 * depth-stencil states, samplers, textures), object lifetimes and the pass
 * state machine. It decodes each submission with mtlproto's decoder and
 * calls a backend ("soft": the reference software renderer; "null": state
 * only) through the small interface in render/backend.h.
 *
 * Leniency follows the reference host (DESIGN.md §3): malformed or short
 * commands, commands outside their pass, draws before a pipeline, invalid
 * handles and out-of-range enums are ignored, counted by reason, and
 * reported through the issue callback; the engine never crashes on input.
 * With `strict` set, the first such misuse stops the submission:
 * replay_submit returns REPLAY_STOPPED and every later submit does nothing.
 *
 * Threading: one engine is used by one thread at a time. replay_submit
 * executes the whole submission before it returns (the hypervisor relies on
 * this: the guest reuses its buffer at once). The soft backend uses its own
 * worker threads internally; its output is bit-identical whatever the
 * thread count.
 */
#ifndef RENDER_REPLAY_H
#define RENDER_REPLAY_H

#include <stddef.h>
#include <stdint.h>

struct replay_engine;

/* 2 GiB: above what real guest UIs use, far below what would take a host
 * down; four 8192x8192 rgba16Float textures fit, a stream of them does not. */
#define REPLAY_DEFAULT_MEMORY_BUDGET (2ull << 30)

/* Why a command was ignored (or, in strict mode, why replay stopped). */
enum replay_reason {
	REPLAY_IGN_MALFORMED = 0,   /* decoder error: truncated, bad flags, unknown method, short payload */
	REPLAY_IGN_OUTSIDE_PASS,    /* render/compute/blit command outside its pass; pass begun inside another */
	REPLAY_IGN_NO_PIPELINE,     /* draw/dispatch before a pipeline was set */
	REPLAY_IGN_INVALID_HANDLE,  /* handle 0, unknown, destroyed, or of the wrong kind */
	REPLAY_IGN_BAD_ARGUMENT,    /* enum out of range, index/size over a limit, region outside a texture */
	REPLAY_IGN_SHADER,          /* MSL compile error, function not found, wrong function kind */
	REPLAY_IGN_UNSUPPORTED,     /* valid but refused like the reference host (texture > 8192, ...) */
	REPLAY_IGN_BACKEND,         /* the backend failed (out of memory, ...) */
	REPLAY_REASON_COUNT
};

/* Stable short name ("outside-pass", ...). */
const char *replay_reason_name(enum replay_reason r);

/* One ignored command, for diagnostics. */
struct replay_issue {
	enum replay_reason reason;
	uint64_t submission;   /* 0-based index of the submission */
	uint64_t command;      /* 0-based index of the command within all submissions */
	size_t offset;         /* byte offset of the command within its submission */
	uint16_t method;       /* 0 when the header itself was unreadable */
	const char *message;   /* a sentence; valid only during the callback */
};

struct replay_config {
	uint32_t width, height;   /* display (drawable) size in pixels; 0 -> 1280x800 */
	uint32_t refresh_hz;      /* informational; 0 -> 60 */
	const char *backend;      /* "soft" (default when NULL) or "null" */
	unsigned threads;         /* soft backend worker threads; 0 = all online cores */
	int strict;               /* stop at the first misuse */
	/* Bytes all guest textures together may hold (width x height x bytes per
	 * pixel x samples); a texture past it is refused like an over-size one.
	 * 0 -> REPLAY_DEFAULT_MEMORY_BUDGET. */
	uint64_t memory_budget;
	/* Called at every PRESENT_AND_COMMIT after the frame (cursor included)
	 * is final; the callee may call replay_read_frame / replay_write_png. */
	void (*on_present)(void *user, uint32_t frame_id);
	/* Called for every ignored command (may be NULL). */
	void (*on_issue)(void *user, const struct replay_issue *issue);
	void *user;
};

/*
 * Create an engine. Returns NULL and writes a sentence into err (when
 * errlen > 0) for an unknown backend name, a size over 16384, or no memory.
 */
struct replay_engine *replay_create(const struct replay_config *cfg, char *err, size_t errlen);
void replay_destroy(struct replay_engine *e);

/*
 * The display changed size (a CONFIG record, the hypervisor's window):
 * the drawable is re-created at the new size from the next pass on.
 * Returns 0, or -1 for a zero or > 16384 size (nothing changes).
 */
int replay_set_display(struct replay_engine *e, uint32_t width, uint32_t height);

enum replay_result {
	REPLAY_OK = 0,       /* executed (possibly with ignored commands: see stats) */
	REPLAY_STOPPED = 1   /* strict mode hit a misuse; replay_last_error says what */
};

/* Decode and execute one whole submission (len bytes of commands). */
enum replay_result replay_submit(struct replay_engine *e, const void *bytes, size_t len);

/* The last misuse, as "submission S, command C (METHOD) at byte O: why";
 * "" when none. Valid until the next call on the engine. */
const char *replay_last_error(const struct replay_engine *e);

/*
 * The last presented frame with the cursor plane composited, as 8-bit
 * sRGB-encoded RGBA (byte order R, G, B, A; alpha 255 where opaque).
 * `pixels` is owned by the engine and valid until the next submit, set
 * display or destroy. Before any present the frame is width x height of
 * transparent black. The null backend returns that same blank frame.
 */
struct replay_frame {
	const uint8_t *pixels;
	uint32_t width, height;
	size_t stride;        /* bytes per row, >= 4 * width */
	uint32_t frame_id;    /* of the present that produced it; 0 before any */
	uint64_t frame_index; /* number of presents before it (0-based) */
};
int replay_read_frame(struct replay_engine *e, struct replay_frame *out);

/* Write a frame (e.g. from replay_read_frame) as an RGBA PNG through
 * libpng. Returns 0, or -1 with "PATH: why" in err. */
int replay_write_png(const char *path, const struct replay_frame *frame, char *err, size_t errlen);
/* Convenience: replay_read_frame + replay_write_png. */
int replay_capture_png(struct replay_engine *e, const char *path, char *err, size_t errlen);

struct replay_stats {
	uint64_t submissions;
	uint64_t bytes;               /* command bytes submitted */
	uint64_t commands;            /* decoded commands, including ignored ones */
	uint64_t executed;            /* commands that took effect */
	uint64_t ignored;             /* sum of ignored_by[] */
	uint64_t ignored_by[REPLAY_REASON_COUNT];
	uint64_t frames;              /* PRESENT_AND_COMMITs */
	uint64_t draws, dispatches, passes;
	uint64_t primitives;          /* triangles/lines/points submitted to the backend */
	uint64_t live_objects;        /* entries currently in the handle tables */
};
void replay_get_stats(const struct replay_engine *e, struct replay_stats *out);

/* Name of the engine's backend ("soft", "null"). */
const char *replay_backend_name(const struct replay_engine *e);

#endif
