/*
 * mtlproto/src/rec_reader.c — the .mtlrec reader (docs/MTLREC.md).
 *
 * Open checks the header, then looks for the trailer and footer index at
 * the end of the file. Without a usable footer (a recording cut off by a
 * crash) it scans chunk headers forward from the file header and keeps
 * every chunk that is wholly present. Records are read one chunk at a
 * time; a dependent chunk needs its key chunk's raw content as zstd
 * prefix, which is cached, so any chunk costs at most two decompressions.
 *
 * Memory is bounded by the file: a chunk's compressed bytes must lie in
 * the file before they are read, and its declared raw size must be at most
 * REC_MAX_CHUNK_RAW and at most what zstd can expand its compressed size to.
 */
#include "rec_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "mtlproto/wire.h"

/* zstd's largest expansion: a 128 KiB RLE block costs 4 bytes. */
#define REC_ZSTD_MAX_EXPANSION 32768u

struct chunk_ref {
	uint64_t offset;
	struct rec_chunk_header h;
};

struct mtlrec_reader {
	char *path;
	int fd;
	struct mtlrec_info info;
	uint64_t data_start;      /* first chunk */
	uint64_t data_end;        /* end of the last whole chunk (index offset with a footer) */

	int has_index;
	uint64_t index_offset;
	uint64_t frame_entries;

	struct chunk_ref *chunks; /* scan mode: every whole chunk */
	size_t nchunks;
	int scan_error;           /* a corrupt chunk header stopped the scan at data_end */
	char scan_msg[160];

	ZSTD_DCtx *dctx;
	uint8_t *cbuf;            /* compressed bytes of the chunk being loaded */
	size_t cbuf_cap;
	uint8_t *buf;             /* raw content of a dependent chunk */
	size_t buf_cap;
	uint8_t *key;             /* raw content of the cached key chunk */
	size_t key_cap, key_len;
	uint64_t key_off;
	int have_key;

	/* position */
	int have_cur;
	const uint8_t *cur;       /* raw content of the current chunk (buf or key) */
	size_t cur_len;
	struct rec_chunk_header cur_h;
	uint64_t cur_off;
	size_t pos;
	uint32_t rec_in_chunk;
	uint64_t next_off;        /* next chunk to load */
	uint64_t n_record, n_submission, n_command, n_frame;
};

static int fail(char *err, size_t errlen, const char *path, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t errlen, const char *path, uint64_t off, const char *fmt, ...)
{
	if (err && errlen) {
		int n = snprintf(err, errlen, "%s: offset %llu: ", path, (unsigned long long)off);
		if (n > 0 && (size_t)n < errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -1;
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	uint8_t *n = realloc(*buf, need);
	if (!n)
		return -1;
	*buf = n;
	*cap = need;
	return 0;
}

/* Read and check the chunk header at off. */
static int load_chunk_header(struct mtlrec_reader *r, uint64_t off, struct rec_chunk_header *h, char *err,
			     size_t errlen)
{
	uint8_t raw[REC_CHUNK_HEADER];
	if (off + REC_CHUNK_HEADER > r->data_end)
		return fail(err, errlen, r->path, off, "chunk header runs past the data (%llu bytes)",
			    (unsigned long long)r->data_end);
	if (read_at(r->fd, raw, sizeof raw, off) != 0)
		return fail(err, errlen, r->path, off, "cannot read chunk header: %s", strerror(errno));
	int rc = rec_chunk_header_decode(raw, h);
	if (rc == -1)
		return fail(err, errlen, r->path, off, "not a chunk header (bad magic)");
	if (rc == -2)
		return fail(err, errlen, r->path, off, "chunk header checksum mismatch");
	if (h->raw_size > REC_MAX_CHUNK_RAW)
		return fail(err, errlen, r->path, off, "chunk raw size %u is over the %u-byte limit", h->raw_size,
			    REC_MAX_CHUNK_RAW);
	if (h->compressed_size == 0 || off + REC_CHUNK_HEADER + h->compressed_size > r->data_end)
		return fail(err, errlen, r->path, off, "chunk of %u compressed bytes runs past the data",
			    h->compressed_size);
	if ((uint64_t)h->raw_size > (uint64_t)h->compressed_size * REC_ZSTD_MAX_EXPANSION)
		return fail(err, errlen, r->path, off, "chunk claims %u raw bytes from %u compressed", h->raw_size,
			    h->compressed_size);
	if ((uint64_t)h->record_count * REC_RECORD_HEADER > h->raw_size ||
	    h->submission_count > h->record_count)
		return fail(err, errlen, r->path, off, "chunk record counts do not fit its size");
	if (h->flags & REC_CHUNK_KEY) {
		if (h->key_offset != off)
			return fail(err, errlen, r->path, off, "key chunk names another key");
	} else if (h->key_offset >= off || h->key_offset < r->data_start) {
		return fail(err, errlen, r->path, off, "dependent chunk's key offset %llu is not before it",
			    (unsigned long long)h->key_offset);
	}
	return 0;
}

/* Decompress the chunk at off (header h) into *dst (grown as needed). */
static int decompress_chunk(struct mtlrec_reader *r, uint64_t off, const struct rec_chunk_header *h,
			    uint8_t **dst, size_t *dst_cap, const uint8_t *prefix, size_t prefix_len, char *err,
			    size_t errlen)
{
	if (grow(&r->cbuf, &r->cbuf_cap, h->compressed_size) != 0)
		return fail(err, errlen, r->path, off, "out of memory (%u bytes)", h->compressed_size);
	if (read_at(r->fd, r->cbuf, h->compressed_size, off + REC_CHUNK_HEADER) != 0)
		return fail(err, errlen, r->path, off + REC_CHUNK_HEADER, "cannot read chunk: %s", strerror(errno));
	unsigned long long content = ZSTD_getFrameContentSize(r->cbuf, h->compressed_size);
	if (content != h->raw_size)
		return fail(err, errlen, r->path, off + REC_CHUNK_HEADER,
			    "zstd frame size disagrees with the chunk header (%u raw bytes)", h->raw_size);
	if (grow(dst, dst_cap, h->raw_size ? h->raw_size : 1) != 0)
		return fail(err, errlen, r->path, off, "out of memory (%u bytes)", h->raw_size);
	ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
	if (prefix)
		ZSTD_DCtx_refPrefix(r->dctx, prefix, prefix_len);
	size_t got = ZSTD_decompressDCtx(r->dctx, *dst, h->raw_size, r->cbuf, h->compressed_size);
	if (ZSTD_isError(got))
		return fail(err, errlen, r->path, off + REC_CHUNK_HEADER, "corrupt chunk: zstd: %s",
			    ZSTD_getErrorName(got));
	if (got != h->raw_size)
		return fail(err, errlen, r->path, off + REC_CHUNK_HEADER, "chunk decompressed to %zu bytes, not %u",
			    got, h->raw_size);
	return 0;
}

/* Check the record framing of a chunk's raw content. */
static int check_records(struct mtlrec_reader *r, uint64_t off, const struct rec_chunk_header *h,
			 const uint8_t *raw, char *err, size_t errlen)
{
	size_t pos = 0;
	uint32_t n = 0, subs = 0;
	while (pos < h->raw_size) {
		if (h->raw_size - pos < REC_RECORD_HEADER)
			return fail(err, errlen, r->path, off, "record %u: header cut at raw byte %zu", n, pos);
		uint32_t len = mtl_rd32(raw + pos + 4);
		if (raw[pos] == 0)
			return fail(err, errlen, r->path, off, "record %u: kind 0 at raw byte %zu", n, pos);
		if (len > h->raw_size - pos - REC_RECORD_HEADER)
			return fail(err, errlen, r->path, off, "record %u: length %u runs past the chunk at raw byte %zu",
				    n, len, pos);
		if (raw[pos] == MTLREC_SUBMISSION)
			subs++;
		pos += REC_RECORD_HEADER + len;
		n++;
	}
	if (n != h->record_count || subs != h->submission_count)
		return fail(err, errlen, r->path, off, "chunk holds %u records (%u submissions), header says %u (%u)",
			    n, subs, h->record_count, h->submission_count);
	return 0;
}

/* Make the chunk at off current, positioned at its first record, with the
 * running counters from its header. */
static int load_chunk(struct mtlrec_reader *r, uint64_t off, char *err, size_t errlen)
{
	struct rec_chunk_header h;
	r->have_cur = 0;
	if (load_chunk_header(r, off, &h, err, errlen) != 0)
		return -1;
	if (h.flags & REC_CHUNK_KEY) {
		if (!(r->have_key && r->key_off == off)) {
			r->have_key = 0;
			if (decompress_chunk(r, off, &h, &r->key, &r->key_cap, NULL, 0, err, errlen) != 0)
				return -1;
			if (check_records(r, off, &h, r->key, err, errlen) != 0)
				return -1;
			r->have_key = 1;
			r->key_off = off;
			r->key_len = h.raw_size;
		}
		r->cur = r->key;
	} else {
		if (!(r->have_key && r->key_off == h.key_offset)) {
			struct rec_chunk_header kh;
			r->have_key = 0;
			if (load_chunk_header(r, h.key_offset, &kh, err, errlen) != 0)
				return -1;
			if (!(kh.flags & REC_CHUNK_KEY))
				return fail(err, errlen, r->path, off, "its key chunk at offset %llu is not a key chunk",
					    (unsigned long long)h.key_offset);
			if (decompress_chunk(r, h.key_offset, &kh, &r->key, &r->key_cap, NULL, 0, err, errlen) != 0)
				return -1;
			r->have_key = 1;
			r->key_off = h.key_offset;
			r->key_len = kh.raw_size;
		}
		if (decompress_chunk(r, off, &h, &r->buf, &r->buf_cap, r->key, r->key_len, err, errlen) != 0)
			return -1;
		if (check_records(r, off, &h, r->buf, err, errlen) != 0)
			return -1;
		r->cur = r->buf;
	}
	r->have_cur = 1;
	r->cur_len = h.raw_size;
	r->cur_h = h;
	r->cur_off = off;
	r->pos = 0;
	r->rec_in_chunk = 0;
	r->next_off = off + REC_CHUNK_HEADER + h.compressed_size;
	r->n_record = h.first_record;
	r->n_submission = h.first_submission;
	r->n_command = h.first_command;
	r->n_frame = h.first_frame;
	return 0;
}

/* Fill rec from the record at the current position without consuming it. */
static void peek_record(const struct mtlrec_reader *r, struct mtlrec_record *rec)
{
	const uint8_t *p = r->cur + r->pos;
	memset(rec, 0, sizeof *rec);
	rec->kind = p[0];
	rec->queue = p[0] == MTLREC_SUBMISSION ? p[1] : 0;
	rec->len = mtl_rd32(p + 4);
	rec->timestamp = rec_rd64(p + 8);
	rec->bytes = p + REC_RECORD_HEADER;
	rec->index = r->n_record;
	rec->frame = (uint32_t)r->n_frame;
	rec->command = r->n_command;
	rec->submission = r->n_submission;
}

static void consume_record(struct mtlrec_reader *r, const struct mtlrec_record *rec)
{
	if (rec->kind == MTLREC_SUBMISSION) {
		struct rec_walk w;
		rec_walk_submission(rec->bytes, rec->len, &w);
		r->n_frame += w.presents;
		r->n_command += w.commands;
		r->n_submission++;
	}
	r->n_record++;
	r->pos += REC_RECORD_HEADER + rec->len;
	r->rec_in_chunk++;
}

/* Make sure a record is available: 1 yes, 0 end of data, -1 error. */
static int ensure_record(struct mtlrec_reader *r, char *err, size_t errlen)
{
	while (!r->have_cur || r->pos >= r->cur_len) {
		uint64_t off = r->next_off;
		if (off >= r->data_end) {
			if (r->scan_error) {
				if (err && errlen)
					snprintf(err, errlen, "%s", r->scan_msg);
				return -1;
			}
			return 0;
		}
		uint64_t rec = r->n_record, sub = r->n_submission, cmd = r->n_command, frame = r->n_frame;
		if (load_chunk(r, off, err, errlen) != 0)
			return -1;
		/* reading on (from the previous chunk, or from the start): the
		 * chunk's counters must continue where we are */
		if ((r->cur_h.first_record != rec || r->cur_h.first_submission != sub ||
			    r->cur_h.first_command != cmd || r->cur_h.first_frame != frame)) {
			r->have_cur = 0;
			return fail(err, errlen, r->path, off, "chunk counters do not continue the previous chunk's");
		}
	}
	return 1;
}

int mtlrec_reader_next(struct mtlrec_reader *r, struct mtlrec_record *rec, char *err, size_t errlen)
{
	int rc = ensure_record(r, err, errlen);
	if (rc <= 0)
		return rc;
	peek_record(r, rec);
	consume_record(r, rec);
	return 1;
}

int mtlrec_reader_rewind(struct mtlrec_reader *r, char *err, size_t errlen)
{
	r->have_cur = 0;
	r->next_off = r->data_start;
	r->n_record = r->n_submission = r->n_command = r->n_frame = 0;
	/* ensure_record treats "no current chunk" as a fresh start */
	return 0;
}

int mtlrec_reader_seek_frame(struct mtlrec_reader *r, uint64_t frame, char *err, size_t errlen)
{
	uint64_t start;
	uint32_t skip = 0;
	if (r->has_index) {
		if (frame >= r->frame_entries)
			return fail(err, errlen, r->path, r->index_offset, "no frame %llu (the recording has %llu)",
				    (unsigned long long)frame, (unsigned long long)r->frame_entries);
		uint8_t e[REC_INDEX_ENTRY];
		uint64_t eoff = r->index_offset + REC_INDEX_HEADER + frame * REC_INDEX_ENTRY;
		if (read_at(r->fd, e, sizeof e, eoff) != 0)
			return fail(err, errlen, r->path, eoff, "cannot read index entry: %s", strerror(errno));
		start = rec_rd64(e);
		skip = mtl_rd32(e + 8);
	} else {
		size_t i = 0;
		while (i < r->nchunks && r->chunks[i].h.first_frame + r->chunks[i].h.present_count < frame)
			i++;
		if (i == r->nchunks)
			return fail(err, errlen, r->path, r->data_end, "no frame %llu (the recording has %llu)",
				    (unsigned long long)frame, (unsigned long long)r->info.frames);
		start = r->chunks[i].offset;
	}
	if (start < r->data_start || start >= r->data_end)
		return fail(err, errlen, r->path, r->index_offset, "index entry for frame %llu points outside the data",
			    (unsigned long long)frame);
	if (load_chunk(r, start, err, errlen) != 0)
		return -1;
	if (skip >= r->cur_h.record_count)
		return fail(err, errlen, r->path, start, "index entry for frame %llu names record %u of %u",
			    (unsigned long long)frame, skip, r->cur_h.record_count);
	struct mtlrec_record rec;
	for (uint32_t i = 0; i < skip; i++) {
		peek_record(r, &rec);
		consume_record(r, &rec);
	}
	/* walk forward to the submission holding the frame's first command
	 * (immediate with an index; a short scan without) */
	for (;;) {
		int rc = ensure_record(r, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return fail(err, errlen, r->path, r->data_end, "no frame %llu in the recording",
				    (unsigned long long)frame);
		peek_record(r, &rec);
		if (rec.kind == MTLREC_SUBMISSION) {
			struct rec_walk w;
			rec_walk_submission(rec.bytes, rec.len, &w);
			if (rec_submission_holds_frame_start(rec.frame, &w, rec.len, frame))
				return 0;
			if (rec.frame > frame)
				return fail(err, errlen, r->path, r->cur_off, "no frame %llu in the recording",
					    (unsigned long long)frame);
		}
		consume_record(r, &rec);
	}
}

const struct mtlrec_info *mtlrec_reader_info(const struct mtlrec_reader *r) { return &r->info; }

void mtlrec_reader_close(struct mtlrec_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	ZSTD_freeDCtx(r->dctx);
	free(r->cbuf);
	free(r->buf);
	free(r->key);
	free(r->chunks);
	free(r->path);
	free(r);
}

/* ---- open ------------------------------------------------------------------ */

static int read_header(struct mtlrec_reader *r, uint64_t size, char *err, size_t errlen)
{
	uint8_t h[4096] = {0};
	size_t n = size < sizeof h ? (size_t)size : sizeof h;
	if (n && read_at(r->fd, h, n, 0) != 0)
		return fail(err, errlen, r->path, 0, "cannot read: %s", strerror(errno));
	if (!mtlrec_is_recording(h, n))
		return fail(err, errlen, r->path, 0, "not a .mtlrec recording (wrong magic)");
	if (n < REC_HEADER_FIXED)
		return fail(err, errlen, r->path, n, "header cut short (%zu of %u bytes)", n, REC_HEADER_FIXED + 4);
	unsigned major = mtl_rd16(h + 8), minor = mtl_rd16(h + 10);
	if (major > MTLREC_VERSION)
		return fail(err, errlen, r->path, 8,
			    "format version %u.%u is newer than this reader supports (%u.x); use a newer build", major,
			    minor, MTLREC_VERSION);
	if (major == 0)
		return fail(err, errlen, r->path, 8, "format version 0.%u is not a released format", minor);
	uint32_t hsize = mtl_rd32(h + 16);
	uint32_t tool_len = mtl_rd16(h + 40);
	if (hsize < REC_HEADER_FIXED + 4 || hsize > sizeof h)
		return fail(err, errlen, r->path, 16, "header size %u out of range", hsize);
	if (hsize > n)
		return fail(err, errlen, r->path, n, "header cut short (%zu of %u bytes)", n, hsize);
	if (tool_len > hsize - REC_HEADER_FIXED - 4)
		return fail(err, errlen, r->path, 40, "tool string length %u runs past the header", tool_len);
	if (mtl_rd32(h + hsize - 4) != rec_crc32(h, hsize - 4))
		return fail(err, errlen, r->path, hsize - 4, "header checksum mismatch");
	r->info.version = major;
	r->info.display.width = mtl_rd32(h + 20);
	r->info.display.height = mtl_rd32(h + 24);
	r->info.display.refresh_hz = mtl_rd32(h + 28);
	r->info.display.scale = mtl_rd32(h + 32);
	r->info.display.has_display = mtl_rd32(h + 36);
	size_t tl = tool_len < sizeof r->info.tool ? tool_len : sizeof r->info.tool - 1;
	memcpy(r->info.tool, h + REC_HEADER_FIXED, tl);
	r->info.tool[tl] = '\0';
	r->data_start = hsize;
	return 0;
}

/* 1 when a usable footer was found (and r filled from it), else 0. */
static int read_footer(struct mtlrec_reader *r, uint64_t size)
{
	if (size < r->data_start + REC_INDEX_HEADER + REC_TRAILER)
		return 0;
	uint8_t t[REC_TRAILER];
	if (read_at(r->fd, t, sizeof t, size - REC_TRAILER) != 0)
		return 0;
	if (memcmp(t + 24, REC_TRAILER_MAGIC, 8) != 0 || mtl_rd32(t + 20) != rec_crc32(t, 20))
		return 0;
	uint64_t ioff = rec_rd64(t), isize = rec_rd64(t + 8);
	if (ioff < r->data_start || isize < REC_INDEX_HEADER || ioff > size - REC_TRAILER ||
	    isize != size - REC_TRAILER - ioff)
		return 0;
	uint8_t ih[REC_INDEX_HEADER];
	if (read_at(r->fd, ih, sizeof ih, ioff) != 0)
		return 0;
	if (mtl_rd32(ih) != REC_INDEX_MAGIC || mtl_rd32(ih + 68) != rec_crc32(ih, 68) ||
	    mtl_rd32(ih + 4) != REC_INDEX_ENTRY)
		return 0;
	uint64_t entries = rec_rd64(ih + 56);
	if (entries > (isize - REC_INDEX_HEADER) / REC_INDEX_ENTRY ||
	    REC_INDEX_HEADER + entries * REC_INDEX_ENTRY != isize)
		return 0;
	r->has_index = 1;
	r->index_offset = ioff;
	r->frame_entries = entries;
	r->data_end = ioff;
	r->info.chunks = rec_rd64(ih + 8);
	r->info.records = rec_rd64(ih + 16);
	r->info.submissions = rec_rd64(ih + 24);
	r->info.frames = rec_rd64(ih + 40);
	r->info.bytes_raw = rec_rd64(ih + 48);
	r->info.truncated = 0;
	r->info.bytes_recovered = 0;
	return 1;
}

/* Without a footer: keep every whole chunk from the start. */
static int scan_chunks(struct mtlrec_reader *r, uint64_t size, char *err, size_t errlen)
{
	uint64_t pos = r->data_start;
	size_t cap = 0;
	r->data_end = size;
	while (pos + REC_CHUNK_HEADER <= size) {
		uint8_t raw[REC_CHUNK_HEADER];
		struct rec_chunk_header h;
		if (read_at(r->fd, raw, sizeof raw, pos) != 0)
			return fail(err, errlen, r->path, pos, "cannot read: %s", strerror(errno));
		if (mtl_rd32(raw) == REC_INDEX_MAGIC)
			break; /* the footer index starts here; its trailer is cut or damaged */
		char msg[sizeof r->scan_msg];
		if (load_chunk_header(r, pos, &h, msg, sizeof msg) != 0) {
			int partial = rec_chunk_header_decode(raw, &h) == 0 &&
				      pos + REC_CHUNK_HEADER + h.compressed_size > size;
			if (!partial) {
				/* a damaged chunk in the middle: deliver what precedes it, then say so */
				r->scan_error = 1;
				snprintf(r->scan_msg, sizeof r->scan_msg, "%s", msg);
			}
			break;
		}
		if (r->nchunks == cap) {
			cap = cap ? cap * 2 : 64;
			struct chunk_ref *n = realloc(r->chunks, cap * sizeof *n);
			if (!n)
				return fail(err, errlen, r->path, pos, "out of memory for the chunk table");
			r->chunks = n;
		}
		r->chunks[r->nchunks].offset = pos;
		r->chunks[r->nchunks].h = h;
		r->nchunks++;
		r->info.records += h.record_count;
		r->info.submissions += h.submission_count;
		r->info.frames += h.present_count;
		r->info.bytes_raw += h.raw_size - (uint64_t)h.record_count * REC_RECORD_HEADER;
		pos += REC_CHUNK_HEADER + h.compressed_size;
	}
	r->data_end = pos;
	r->info.chunks = r->nchunks;
	r->info.truncated = 1;
	r->info.bytes_recovered = pos;
	return 0;
}

struct mtlrec_reader *mtlrec_reader_open(const char *path, char *err, size_t errlen)
{
	struct mtlrec_reader *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->fd = -1;
	r->path = strdup(path);
	if (!r->path) {
		snprintf(err, errlen, "%s: out of memory", path);
		mtlrec_reader_close(r);
		return NULL;
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		mtlrec_reader_close(r);
		return NULL;
	}
	struct stat st;
	if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		mtlrec_reader_close(r);
		return NULL;
	}
	uint64_t size = (uint64_t)st.st_size;
	r->info.bytes_file = size;
	r->dctx = ZSTD_createDCtx();
	if (!r->dctx) {
		snprintf(err, errlen, "%s: out of memory", path);
		mtlrec_reader_close(r);
		return NULL;
	}
	if (read_header(r, size, err, errlen) != 0 ||
	    (!read_footer(r, size) && scan_chunks(r, size, err, errlen) != 0)) {
		mtlrec_reader_close(r);
		return NULL;
	}
	mtlrec_reader_rewind(r, NULL, 0);
	return r;
}
