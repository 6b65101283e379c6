/*
 * tools/common/stream.h — the input layer every tool reads through.
 *
 * A tool's input FILE is either a .mtlrec recording (recognised by its magic,
 * mtlrec_is_recording) or a raw command buffer: commands back to back exactly
 * as a guest writes them into a virtqueue. --raw forces the raw reading.
 *
 * Both are presented the same way: a sequence of items, in file order —
 *
 *   MTL_STREAM_SUBMISSION  a submission starts (its whole bytes, its queue)
 *   MTL_STREAM_COMMAND     one command of that submission, decoded
 *                          (item.cmd.status < 0 for a malformed one; it is
 *                          still yielded so tools can show it)
 *   MTL_STREAM_RECORD      a non-submission record of a recording: config,
 *                          vsync, input, capture marker, or a kind this
 *                          build does not know (passed through)
 *
 * Every SUBMISSION item is followed by the COMMAND items of its bytes, in
 * order, before the next SUBMISSION or RECORD item.
 *
 * Raw input is split into submissions the way `mtlrec pack` does (see
 * docs/MTLREC.md): methods 0x0001-0x00FF go on queue 0, the rest on queue 1;
 * a run of consecutive commands on one queue is one submission, and a
 * PRESENT_AND_COMMIT also ends its submission. Bytes the decoder cannot walk
 * (a truncated trailing command, or everything after a header whose payload
 * runs past the end) stay in the last submission byte for byte, so packing
 * and unpacking give back the same file; they are yielded as one COMMAND
 * item with the decoder's error.
 *
 * Frames: item.frame is the number of PRESENT_AND_COMMITs before the item
 * (mtlrec_count_presents' rule: a command whose header says
 * PRESENT_AND_COMMIT and whose payload lies inside its submission counts,
 * whatever its flags or payload size).
 *
 * Errors: mtl_stream_open fails (returns NULL) on an unreadable file, or a
 * recording with a wrong magic / newer version / corrupt header; the
 * message is "FILE: ..." (offset included where one applies). A recording
 * whose chunk is corrupt yields every record before it, then
 * mtl_stream_next returns -1 with "FILE: offset N: ...". Malformed commands
 * are never errors of the stream: they are COMMAND items with a status.
 */
#ifndef TOOLS_COMMON_STREAM_H
#define TOOLS_COMMON_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "mtlproto/decode.h"
#include "mtlproto/rec.h"

#include "cli.h"
#include "json.h"

/* Display of raw input when the tool is not told otherwise. */
#define MTL_STREAM_DEFAULT_WIDTH 1024u
#define MTL_STREAM_DEFAULT_HEIGHT 768u
#define MTL_STREAM_DEFAULT_REFRESH_HZ 60u

struct mtl_stream_options {
	int force_raw;                  /* 1: read as raw even if it starts with the magic */
	/* Display config of raw input (a recording carries its own). Zero
	 * width/height means 1024x768; refresh 0 means 60; scale 0 means 1.
	 * has_display is used as given (0 = headless). Use
	 * mtl_stream_options_init for the defaults. */
	struct mtlrec_display raw_display;
};

void mtl_stream_options_init(struct mtl_stream_options *opt);

enum mtl_stream_item_kind {
	MTL_STREAM_SUBMISSION = 1,
	MTL_STREAM_COMMAND = 2,
	MTL_STREAM_RECORD = 3
};

struct mtl_stream_item {
	enum mtl_stream_item_kind kind;
	uint32_t frame;          /* PRESENT_AND_COMMITs before this item */
	uint64_t submission;     /* 0-based submission index (SUBMISSION and COMMAND) */
	uint8_t queue;           /* 0 setup, 1 render (SUBMISSION and COMMAND) */
	uint64_t timestamp;      /* recording: the record's ns timestamp; raw: 0 */

	/* COMMAND only. */
	uint64_t index;          /* 0-based command index over the whole stream */
	uint64_t offset;         /* of the command header: raw: in the file;
				    .mtlrec: within its submission */
	struct mtl_cmd cmd;      /* the decoded command; cmd.offset is within the
				    submission; payload pointers point into bytes
				    of the submission (valid until the next
				    mtl_stream_next that starts a new submission) */
	uint32_t cmd_size;       /* bytes the command occupies (header + payload,
				    or the rest of the submission for a
				    command the decoder stopped at) */

	/* SUBMISSION: the submission's bytes; RECORD: the record's bytes.
	 * COMMAND: the command's bytes (cmd_size of them). Valid until the
	 * next mtl_stream_next call that moves past the submission/record. */
	const uint8_t *bytes;
	uint32_t len;

	/* RECORD only: enum mtlrec_kind or an unknown value. */
	uint8_t record_kind;
	uint64_t record_index;   /* .mtlrec: 0-based index over all records;
				    raw: the submission index */
};

struct mtl_stream;

/* Open FILE ("-" is not special). NULL and err = "FILE: why" on failure:
 * unreadable file, or a recording refused by mtlrec_reader_open. */
struct mtl_stream *mtl_stream_open(const char *path, const struct mtl_stream_options *opt,
				   char *err, size_t errlen);
void mtl_stream_close(struct mtl_stream *s);

/* 1 = *item filled, 0 = end, -1 = error (err "FILE: offset N: why"; items
 * before the error were all delivered). */
int mtl_stream_next(struct mtl_stream *s, struct mtl_stream_item *item, char *err, size_t errlen);

/* Restart from the beginning. 0 or -1 with err. */
int mtl_stream_rewind(struct mtl_stream *s, char *err, size_t errlen);

/* Position so that the next COMMAND item is the first one of frame N
 * (recordings seek via the footer index; raw input scans). Items of the
 * submission holding that command come first (a SUBMISSION item, then its
 * COMMANDs from the first one of frame N). Returns 0, or -1 with err
 * when the stream has no frame N. */
int mtl_stream_seek_frame(struct mtl_stream *s, uint64_t frame, char *err, size_t errlen);

const char *mtl_stream_path(const struct mtl_stream *s);
/* 1 when the input is read as a .mtlrec recording. */
int mtl_stream_is_recording(const struct mtl_stream *s);
/* The display config: the recording's header, or the raw options'. For a
 * recording, CONFIG records are yielded as items and do not change this. */
const struct mtlrec_display *mtl_stream_display(const struct mtl_stream *s);
/* The recording's info (version, chunks, truncated, ...); NULL for raw. */
const struct mtlrec_info *mtl_stream_rec_info(const struct mtl_stream *s);
/* Size of the input file in bytes. */
uint64_t mtl_stream_file_size(const struct mtl_stream *s);

/* Command-line pieces every tool that reads a stream shares. */

/* --resolution WxH: the display of raw input. 0, or TOOL_EXIT_USAGE after
 * "PROG: --resolution: expected WxH, got 'ARG'" and the --help hint. */
int tool_stream_resolution_arg(struct mtl_stream_options *opt, const char *arg);

/* mtl_stream_open that reports its own failure: stdout is flushed first
 * (so the message follows what was already printed), then
 * "PROG: FILE: why" goes to stderr and NULL is returned. */
struct mtl_stream *tool_stream_open(const char *path, const struct mtl_stream_options *opt);

/* A short human name for a record kind ("submission", "config", "vsync",
 * "input", "capture", or "unknown"). */
const char *mtl_stream_record_kind_name(uint8_t kind);

#endif
