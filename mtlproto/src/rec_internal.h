/*
 * mtlproto/src/rec_internal.h — the .mtlrec on-disk layout shared by the
 * writer and the reader (docs/MTLREC.md is the normative description; the
 * offsets here must match it).
 */
#ifndef MTLPROTO_REC_INTERNAL_H
#define MTLPROTO_REC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mtlproto/rec.h"

/* File header: fixed part, tool string, CRC-32 of everything before it. */
#define REC_MAGIC "MTLREC\r\n"
#define REC_MAGIC_LEN 8u
#define REC_HEADER_FIXED 44u      /* magic .. tool_len */
#define REC_TOOL_MAX 63u          /* fits mtlrec_info.tool with its NUL */
#define REC_VERSION_MINOR 0u

/* Chunk header (80 bytes), then compressed_size bytes of one zstd frame. */
#define REC_CHUNK_MAGIC 0x4B43524Du /* "MRCK" */
#define REC_CHUNK_HEADER 80u
#define REC_CHUNK_KEY 1u            /* flags bit 0: independent (no prefix) */

/* Record header inside a chunk's raw content (16 bytes), then len bytes. */
#define REC_RECORD_HEADER 16u

/* Footer index and trailer. */
#define REC_INDEX_MAGIC 0x5849524Du /* "MRIX" */
#define REC_INDEX_HEADER 72u
#define REC_INDEX_ENTRY 16u
#define REC_TRAILER 32u
#define REC_TRAILER_MAGIC "MTLREND\n"

/* Limits a reader enforces so a hostile file cannot make it allocate
 * without bound (and the writer respects). */
#define REC_MAX_RECORD_LEN (1u << 30)                       /* 1 GiB */
#define REC_MAX_CHUNK_RAW (REC_MAX_RECORD_LEN + REC_RECORD_HEADER)

/* Writer defaults. */
#define REC_DEFAULT_LEVEL 3
#define REC_DEFAULT_CHUNK_TARGET (1u << 20)      /* 1 MiB */
#define REC_CHUNK_HARD_FACTOR 4u                 /* hard limit = 4 x target */
#define REC_DEFAULT_KEY_INTERVAL (64ull << 20)   /* raw bytes between key chunks */
#define REC_WRITER_QUEUE_MAX (64u << 20)         /* raw bytes waiting for the thread */

struct rec_chunk_header {
	uint32_t flags;
	uint32_t raw_size;
	uint32_t compressed_size;
	uint64_t key_offset;        /* file offset of the key chunk (own offset for a key) */
	uint64_t first_record;
	uint64_t first_submission;
	uint64_t first_command;
	uint64_t first_frame;
	uint32_t record_count;
	uint32_t submission_count;
	uint32_t command_count;
	uint32_t present_count;
};

struct rec_index_header {
	uint64_t chunks, records, submissions, commands, presents, bytes_raw;
	uint64_t frame_entries;     /* entries that follow, one per frame from 0 */
};

uint32_t rec_crc32(const void *buf, size_t len);

static inline void rec_wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint64_t rec_rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void rec_chunk_header_encode(uint8_t out[REC_CHUNK_HEADER], const struct rec_chunk_header *h);
/* 0 ok; -1 wrong magic; -2 bad CRC. */
int rec_chunk_header_decode(const uint8_t in[REC_CHUNK_HEADER], struct rec_chunk_header *h);

/* What a submission's bytes hold, by the shared walking rule (see
 * mtlrec_count_presents): presents, commands, and where the command after
 * the last present starts (0 when there is no present). */
struct rec_walk {
	uint32_t presents;
	uint32_t commands;
	size_t after_last_present;
};
void rec_walk_submission(const void *bytes, size_t len, struct rec_walk *w);

/* 1 when frame's first command lies in a submission that starts at frame
 * `first` and walks as w (len bytes). */
int rec_submission_holds_frame_start(uint64_t first, const struct rec_walk *w, size_t len, uint64_t frame);

#endif
