/*
 * mtlproto/rec.h — the .mtlrec recording container (docs/MTLREC.md is the
 * exact format).
 *
 * A recording holds every submission a guest made, byte for byte, malformed
 * or not, plus display config, vsync, input and capture-marker records, in
 * zstd-compressed chunks with a footer index from frame number to chunk.
 *
 * Writer: records are handed to a background thread that compresses and
 * writes, so a recording guest never waits on zstd. Reader: validates the
 * header, reads the footer index when there is one, and otherwise recovers
 * every whole chunk of a file cut off by a crash (reporting that it did).
 * Every error names the file and the byte offset.
 */
#ifndef MTLPROTO_REC_H
#define MTLPROTO_REC_H

#include <stddef.h>
#include <stdint.h>

#define MTLREC_VERSION 1u

struct mtlrec_display {
	uint32_t width, height, refresh_hz, scale, has_display;
};

enum mtlrec_kind {
	MTLREC_SUBMISSION = 1, /* bytes = commands exactly as the guest submitted them */
	MTLREC_CONFIG = 2,     /* bytes = a new struct mtlrec_display, 5 x u32 LE */
	MTLREC_VSYNC = 3,      /* no bytes */
	MTLREC_INPUT = 4,      /* bytes = virtio-input events (u16 type, u16 code, u32 value)... */
	MTLREC_CAPTURE = 5     /* bytes = u32 frame_id of a capture the recorder took */
};

/* One record as the reader yields it. bytes points into the reader's
 * decompressed chunk and stays valid until the next mtlrec_reader_* call
 * that moves to another chunk. */
struct mtlrec_record {
	uint8_t queue;        /* 0 setup, 1 render; 0 for non-submission kinds */
	uint8_t kind;         /* enum mtlrec_kind, or an unknown kind the reader passes through */
	uint64_t timestamp;   /* guest time in nanoseconds since the recording started */
	uint32_t len;
	const uint8_t *bytes;
	uint64_t index;       /* 0-based over all records of the file */
	uint32_t frame;       /* number of PRESENT_AND_COMMITs before this record's first command */
	uint64_t command;     /* SUBMISSION: 0-based index over the whole file of its first
			         command (mtlrec_count_commands' rule); others: commands before it */
	uint64_t submission;  /* SUBMISSION: its 0-based index among the file's submissions;
			         others: submissions before it */
};

struct mtlrec_writer_options {
	int level;               /* zstd level; 0 = default (3) */
	size_t chunk_target;     /* raw bytes after which a chunk closes at the next frame end; 0 = default */
	const char *tool;        /* producer name and version written in the header, e.g. "metalvisor 0.1" */
	uint64_t key_interval;   /* raw bytes after which the next chunk is a key chunk
				    (compressed on its own); 0 = default (64 MiB); 1 = every chunk */
};

struct mtlrec_writer;

/* Returns NULL and fills err on failure. */
struct mtlrec_writer *mtlrec_writer_open(const char *path, const struct mtlrec_display *display,
					 const struct mtlrec_writer_options *opt, char *err, size_t errlen);
/* Queue a record; copies bytes, never blocks on compression (it may block
 * only when far behind, bounded by a memory limit). Frames are found by the
 * writer itself: each PRESENT_AND_COMMIT in a submission ends a frame.
 * Returns 0, or -1 after a write error (then mtlrec_writer_error says why). */
int mtlrec_writer_add(struct mtlrec_writer *w, uint8_t queue, uint8_t kind, uint64_t timestamp,
		      const void *bytes, uint32_t len);
/* Flush everything, write the footer index, close the file. Returns 0 or -1 with err filled. */
int mtlrec_writer_close(struct mtlrec_writer *w, char *err, size_t errlen);
const char *mtlrec_writer_error(const struct mtlrec_writer *w);

struct mtlrec_info {
	uint32_t version;
	struct mtlrec_display display;
	char tool[64];
	uint64_t records, submissions, frames, chunks;
	uint64_t bytes_raw;      /* uncompressed record payload bytes */
	uint64_t bytes_file;     /* size of the file */
	int truncated;           /* 1 when the footer was missing or unusable and chunks were recovered */
	uint64_t bytes_recovered; /* file bytes that held whole chunks when truncated */
};

struct mtlrec_reader;

/* Returns NULL and fills err ("FILE: offset N: why") for wrong magic, a
 * newer version, an unreadable file, a corrupt header. */
struct mtlrec_reader *mtlrec_reader_open(const char *path, char *err, size_t errlen);
void mtlrec_reader_close(struct mtlrec_reader *r);
const struct mtlrec_info *mtlrec_reader_info(const struct mtlrec_reader *r);

/* Next record in file order: 1 = record, 0 = end, -1 = error (a corrupt
 * chunk: err names file and offset; records before it were delivered). */
int mtlrec_reader_next(struct mtlrec_reader *r, struct mtlrec_record *rec, char *err, size_t errlen);
/* Position so that the next record returned is the first one of frame N
 * (the record holding the first command after the Nth present). 0 or -1. */
int mtlrec_reader_seek_frame(struct mtlrec_reader *r, uint64_t frame, char *err, size_t errlen);
/* Back to the first record. */
int mtlrec_reader_rewind(struct mtlrec_reader *r, char *err, size_t errlen);

/* 1 when the first bytes of a file are the .mtlrec magic. */
int mtlrec_is_recording(const void *head, size_t len);

/*
 * The number of PRESENT_AND_COMMITs in a submission's bytes, by the rule
 * writer, reader and tools share (docs/MTLREC.md "Frames"): walk the 8-byte
 * headers; a command whose method is PRESENT_AND_COMMIT and whose payload
 * lies wholly inside the bytes counts, whatever its flags or payload size.
 * The walk stops at a header whose payload runs past the end.
 */
uint32_t mtlrec_count_presents(const void *bytes, size_t len);
/* The number of commands a decoder yields for a submission's bytes: every
 * header whose payload lies inside, plus one for leftover bytes (a truncated
 * header, or a header whose payload runs past the end, and all after it). */
uint32_t mtlrec_count_commands(const void *bytes, size_t len);

#endif
