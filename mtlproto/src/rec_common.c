/* mtlproto/src/rec_common.c — layout helpers shared by the .mtlrec writer
 * and reader, and the frame/command counting rule everyone shares. */
#include "rec_internal.h"

#include <pthread.h>
#include <string.h>

#include "mtlproto/wire.h"

/* CRC-32 (IEEE 802.3 polynomial, reflected, as zlib and PNG use). Only
 * headers are checksummed this way (zstd checks chunk content), so a
 * byte-at-a-time table is fast enough. */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t rec_crc32(const void *buf, size_t len)
{
	pthread_once(&crc_once, crc_init);
	const uint8_t *p = buf;
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

void rec_chunk_header_encode(uint8_t out[REC_CHUNK_HEADER], const struct rec_chunk_header *h)
{
	memset(out, 0, REC_CHUNK_HEADER);
	mtl_wr32(out + 0, REC_CHUNK_MAGIC);
	mtl_wr32(out + 4, h->flags);
	mtl_wr32(out + 8, h->raw_size);
	mtl_wr32(out + 12, h->compressed_size);
	rec_wr64(out + 16, h->key_offset);
	rec_wr64(out + 24, h->first_record);
	rec_wr64(out + 32, h->first_submission);
	rec_wr64(out + 40, h->first_command);
	rec_wr64(out + 48, h->first_frame);
	mtl_wr32(out + 56, h->record_count);
	mtl_wr32(out + 60, h->submission_count);
	mtl_wr32(out + 64, h->command_count);
	mtl_wr32(out + 68, h->present_count);
	/* 72..75 reserved, zero */
	mtl_wr32(out + 76, rec_crc32(out, 76));
}

int rec_chunk_header_decode(const uint8_t in[REC_CHUNK_HEADER], struct rec_chunk_header *h)
{
	if (mtl_rd32(in) != REC_CHUNK_MAGIC)
		return -1;
	if (mtl_rd32(in + 76) != rec_crc32(in, 76))
		return -2;
	h->flags = mtl_rd32(in + 4);
	h->raw_size = mtl_rd32(in + 8);
	h->compressed_size = mtl_rd32(in + 12);
	h->key_offset = rec_rd64(in + 16);
	h->first_record = rec_rd64(in + 24);
	h->first_submission = rec_rd64(in + 32);
	h->first_command = rec_rd64(in + 40);
	h->first_frame = rec_rd64(in + 48);
	h->record_count = mtl_rd32(in + 56);
	h->submission_count = mtl_rd32(in + 60);
	h->command_count = mtl_rd32(in + 64);
	h->present_count = mtl_rd32(in + 68);
	return 0;
}

void rec_walk_submission(const void *bytes, size_t len, struct rec_walk *w)
{
	const uint8_t *p = bytes;
	size_t pos = 0;
	memset(w, 0, sizeof *w);
	while (pos < len) {
		if (len - pos < MTL_HEADER_SIZE) {
			w->commands++; /* a truncated header: one malformed command */
			break;
		}
		uint64_t size = (uint64_t)MTL_HEADER_SIZE + mtl_rd32(p + pos + 4);
		if (size > len - pos) {
			w->commands++; /* payload past the end: the rest is one command */
			break;
		}
		w->commands++;
		pos += (size_t)size;
		if (mtl_rd16(p + pos - size) == MTL_CMD_PRESENT_AND_COMMIT) {
			w->presents++;
			w->after_last_present = pos;
		}
	}
}

int rec_submission_holds_frame_start(uint64_t first, const struct rec_walk *w, size_t len, uint64_t frame)
{
	if (w->commands == 0 || frame < first)
		return 0;
	if (frame < first + w->presents)
		return 1;
	/* the last frame this submission touches: needs a command after its
	 * last present (or, with no present, any command at all) */
	return frame == first + w->presents && (w->presents == 0 || w->after_last_present < len);
}

uint32_t mtlrec_count_presents(const void *bytes, size_t len)
{
	struct rec_walk w;
	rec_walk_submission(bytes, len, &w);
	return w.presents;
}

uint32_t mtlrec_count_commands(const void *bytes, size_t len)
{
	struct rec_walk w;
	rec_walk_submission(bytes, len, &w);
	return w.commands;
}

int mtlrec_is_recording(const void *head, size_t len)
{
	return len >= REC_MAGIC_LEN && memcmp(head, REC_MAGIC, REC_MAGIC_LEN) == 0;
}
