/*
 * mtlproto/src/rec_writer.c — the .mtlrec writer (docs/MTLREC.md).
 *
 * The caller's thread only copies: mtlrec_writer_add appends the record to
 * the chunk being assembled and, when that chunk closes, hands it to a
 * queue. A background thread takes chunks off the queue, compresses each
 * into one zstd frame (a key chunk on its own, any other chunk with the
 * latest key chunk's raw content as zstd prefix) and writes header and
 * frame before taking the next one, so the file is a valid, if truncated,
 * recording between any two writes. The caller blocks only when more than
 * REC_WRITER_QUEUE_MAX raw bytes wait for the thread.
 */
#include "rec_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "mtlproto/wire.h"

struct pending_chunk {
	uint8_t *raw;
	size_t len, cap;
	struct rec_chunk_header h;   /* counts and firsts; flags/sizes/key set by the thread */
	uint64_t seq;
	struct pending_chunk *next;
};

struct frame_entry {
	uint64_t chunk_seq;
	uint32_t record_in_chunk;
};

struct mtlrec_writer {
	char *path;
	int fd;
	int level;
	size_t chunk_target, chunk_hard;
	uint64_t key_interval;

	/* producer side (under add_lock) */
	pthread_mutex_t add_lock;
	struct pending_chunk *cur;
	uint64_t next_seq;
	uint64_t records, submissions, commands, presents, bytes_raw;
	struct frame_entry *entries;
	size_t nentries, entries_cap;
	int entries_oom;

	/* queue between producer and thread (under q_lock) */
	pthread_mutex_t q_lock;
	pthread_cond_t q_cond;        /* signalled on push, pop, finish, failure */
	struct pending_chunk *q_head, *q_tail;
	size_t q_bytes;
	int finishing;
	int failed;
	char errmsg[256];

	/* thread side */
	pthread_t thread;
	int thread_started;
	ZSTD_CCtx *cctx;
	ZSTD_CDict *key_dict;         /* the key's content, indexed once for all its dependents */
	uint8_t *key_raw;
	size_t key_len;
	uint64_t key_offset;
	uint64_t raw_since_key;
	int have_key;
	uint64_t file_pos;
	uint64_t *chunk_offsets;      /* by seq */
	size_t chunk_offsets_cap;
	uint64_t chunks_written;
};

static void set_failed(struct mtlrec_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_failed(struct mtlrec_writer *w, const char *fmt, ...)
{
	pthread_mutex_lock(&w->q_lock);
	if (!w->failed) {
		int n = snprintf(w->errmsg, sizeof w->errmsg, "%s: ", w->path);
		va_list ap;
		va_start(ap, fmt);
		if (n > 0 && (size_t)n < sizeof w->errmsg)
			vsnprintf(w->errmsg + n, sizeof w->errmsg - (size_t)n, fmt, ap);
		va_end(ap);
		w->failed = 1;
	}
	pthread_cond_broadcast(&w->q_cond);
	pthread_mutex_unlock(&w->q_lock);
}

static int is_failed(struct mtlrec_writer *w)
{
	pthread_mutex_lock(&w->q_lock);
	int f = w->failed;
	pthread_mutex_unlock(&w->q_lock);
	return f;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- the compression thread ------------------------------------------- */

static int thread_write_chunk(struct mtlrec_writer *w, struct pending_chunk *c)
{
	/* A chunk over the hard limit holds one big record (a texture upload):
	 * it is compressed on its own and never becomes the prefix of others,
	 * which keeps every prefix within the hard limit. */
	int big = c->len > w->chunk_hard;
	int key = big || !w->have_key || w->raw_since_key >= w->key_interval;
	size_t bound = ZSTD_compressBound(c->len);
	uint8_t *dst = malloc(REC_CHUNK_HEADER + bound);
	if (!dst) {
		set_failed(w, "out of memory compressing a chunk of %zu bytes", c->len);
		return -1;
	}
	ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_only);
	/* The key's raw content is the history every dependent chunk is
	 * compressed against (the reader uses it as zstd prefix). It is
	 * indexed once into a CDict rather than per chunk with refPrefix:
	 * same frames, half the work. */
	ZSTD_CCtx_refCDict(w->cctx, key ? NULL : w->key_dict);
	size_t csize = ZSTD_compress2(w->cctx, dst + REC_CHUNK_HEADER, bound, c->raw, c->len);
	if (ZSTD_isError(csize)) {
		free(dst);
		set_failed(w, "zstd: %s", ZSTD_getErrorName(csize));
		return -1;
	}
	uint64_t offset = w->file_pos;
	c->h.flags = key ? REC_CHUNK_KEY : 0;
	c->h.raw_size = (uint32_t)c->len;
	c->h.compressed_size = (uint32_t)csize;
	c->h.key_offset = key ? offset : w->key_offset;
	rec_chunk_header_encode(dst, &c->h);
	if (write_all(w->fd, dst, REC_CHUNK_HEADER + csize) != 0) {
		int e = errno;
		free(dst);
		set_failed(w, "offset %llu: write failed: %s", (unsigned long long)offset, strerror(e));
		return -1;
	}
	free(dst);
	w->file_pos += REC_CHUNK_HEADER + csize;

	if (c->seq >= w->chunk_offsets_cap) {
		size_t ncap = w->chunk_offsets_cap ? w->chunk_offsets_cap * 2 : 256;
		while (ncap <= c->seq)
			ncap *= 2;
		uint64_t *n = realloc(w->chunk_offsets, ncap * sizeof *n);
		if (!n) {
			set_failed(w, "out of memory for the chunk table");
			return -1;
		}
		w->chunk_offsets = n;
		w->chunk_offsets_cap = ncap;
	}
	w->chunk_offsets[c->seq] = offset;
	w->chunks_written++;

	if (big) {
		/* independent, but the current key stays the prefix */
	} else if (key) {
		/* this chunk's raw content is the prefix of those that follow */
		free(w->key_raw);
		ZSTD_freeCDict(w->key_dict);
		w->key_dict = NULL;
		w->key_raw = c->raw;
		w->key_len = c->len;
		c->raw = NULL;
		w->key_offset = offset;
		w->have_key = 1;
		w->raw_since_key = c->len;
		/* ZSTD_createCDict reads content that starts with zstd's dictionary
		 * magic (37 A4 30 EC) as a formatted dictionary; a chunk starts
		 * with a record header whose bytes 2-3 are 0, so it never does and
		 * is taken as raw content, exactly what the reader's prefix is. */
		w->key_dict = ZSTD_createCDict(w->key_raw, w->key_len, w->level);
		if (!w->key_dict) {
			set_failed(w, "out of memory indexing a key chunk of %zu bytes", w->key_len);
			return -1;
		}
	} else {
		w->raw_since_key += c->len;
	}
	return 0;
}

static void *writer_thread(void *arg)
{
	struct mtlrec_writer *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->q_lock);
		while (!w->q_head && !w->finishing && !w->failed)
			pthread_cond_wait(&w->q_cond, &w->q_lock);
		struct pending_chunk *c = w->q_head;
		int stop = !c || w->failed;
		if (c && !w->failed) {
			w->q_head = c->next;
			if (!w->q_head)
				w->q_tail = NULL;
		}
		pthread_mutex_unlock(&w->q_lock);
		if (stop)
			break;
		int rc = thread_write_chunk(w, c);
		pthread_mutex_lock(&w->q_lock);
		w->q_bytes -= c->len;
		pthread_cond_broadcast(&w->q_cond);
		pthread_mutex_unlock(&w->q_lock);
		free(c->raw);
		free(c);
		if (rc != 0)
			break;
	}
	return NULL;
}

/* ---- producer side ----------------------------------------------------- */

static struct pending_chunk *new_chunk(struct mtlrec_writer *w)
{
	struct pending_chunk *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->seq = w->next_seq++;
	c->h.first_record = w->records;
	c->h.first_submission = w->submissions;
	c->h.first_command = w->commands;
	c->h.first_frame = w->presents;
	return c;
}

/* Hand the open chunk to the thread; blocks while the queue is full. */
static int submit_chunk(struct mtlrec_writer *w)
{
	struct pending_chunk *c = w->cur;
	if (!c || c->len == 0)
		return 0;
	w->cur = NULL;
	pthread_mutex_lock(&w->q_lock);
	while (!w->failed && w->q_bytes > 0 && w->q_bytes + c->len > REC_WRITER_QUEUE_MAX)
		pthread_cond_wait(&w->q_cond, &w->q_lock);
	if (w->failed) {
		pthread_mutex_unlock(&w->q_lock);
		free(c->raw);
		free(c);
		return -1;
	}
	c->next = NULL;
	if (w->q_tail)
		w->q_tail->next = c;
	else
		w->q_head = c;
	w->q_tail = c;
	w->q_bytes += c->len;
	pthread_cond_broadcast(&w->q_cond);
	pthread_mutex_unlock(&w->q_lock);
	return 0;
}

static int push_entry(struct mtlrec_writer *w, uint64_t seq, uint32_t rec_in_chunk)
{
	if (w->nentries == w->entries_cap) {
		size_t ncap = w->entries_cap ? w->entries_cap * 2 : 1024;
		struct frame_entry *n = realloc(w->entries, ncap * sizeof *n);
		if (!n)
			return -1;
		w->entries = n;
		w->entries_cap = ncap;
	}
	w->entries[w->nentries].chunk_seq = seq;
	w->entries[w->nentries].record_in_chunk = rec_in_chunk;
	w->nentries++;
	return 0;
}

int mtlrec_writer_add(struct mtlrec_writer *w, uint8_t queue, uint8_t kind, uint64_t timestamp,
		      const void *bytes, uint32_t len)
{
	if (is_failed(w))
		return -1;
	if (len > REC_MAX_RECORD_LEN) {
		set_failed(w, "a record of %u bytes is over the %u-byte limit", len, REC_MAX_RECORD_LEN);
		return -1;
	}
	if (kind == 0) {
		set_failed(w, "record kind 0 is reserved");
		return -1;
	}
	if (len && !bytes) {
		set_failed(w, "record of %u bytes with no data", len);
		return -1;
	}
	pthread_mutex_lock(&w->add_lock);
	size_t need = REC_RECORD_HEADER + (size_t)len;
	if (w->cur && w->cur->len && w->cur->len + need > w->chunk_hard) {
		if (submit_chunk(w) != 0)
			goto fail;
	}
	if (!w->cur && !(w->cur = new_chunk(w))) {
		set_failed(w, "out of memory");
		goto fail;
	}
	struct pending_chunk *c = w->cur;
	if (c->len + need > c->cap) {
		size_t ncap = c->cap ? c->cap : 64 * 1024;
		while (ncap < c->len + need)
			ncap *= 2;
		uint8_t *n = realloc(c->raw, ncap);
		if (!n) {
			set_failed(w, "out of memory buffering %zu bytes", ncap);
			goto fail;
		}
		c->raw = n;
		c->cap = ncap;
	}
	uint8_t *p = c->raw + c->len;
	p[0] = kind;
	p[1] = kind == MTLREC_SUBMISSION ? queue : 0;
	p[2] = p[3] = 0;
	mtl_wr32(p + 4, len);
	rec_wr64(p + 8, timestamp);
	if (len)
		memcpy(p + REC_RECORD_HEADER, bytes, len);
	c->len += need;

	uint32_t rec_in_chunk = c->h.record_count++;
	w->records++;
	w->bytes_raw += len;
	int ends_frame = 0;
	if (kind == MTLREC_SUBMISSION) {
		struct rec_walk walk;
		rec_walk_submission(bytes, len, &walk);
		while (rec_submission_holds_frame_start(w->presents, &walk, len, w->nentries)) {
			if (push_entry(w, c->seq, rec_in_chunk) != 0) {
				set_failed(w, "out of memory for the frame index");
				goto fail;
			}
		}
		c->h.submission_count++;
		c->h.command_count += walk.commands;
		c->h.present_count += walk.presents;
		w->submissions++;
		w->commands += walk.commands;
		w->presents += walk.presents;
		ends_frame = walk.presents > 0;
	}
	if ((ends_frame && c->len >= w->chunk_target) || c->len >= w->chunk_hard) {
		if (submit_chunk(w) != 0)
			goto fail;
	}
	pthread_mutex_unlock(&w->add_lock);
	return 0;
fail:
	pthread_mutex_unlock(&w->add_lock);
	return -1;
}

const char *mtlrec_writer_error(const struct mtlrec_writer *w)
{
	return w->failed ? w->errmsg : NULL;
}

/* ---- open / close --------------------------------------------------------- */

static void writer_free(struct mtlrec_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->cur) {
		free(w->cur->raw);
		free(w->cur);
	}
	while (w->q_head) {
		struct pending_chunk *c = w->q_head;
		w->q_head = c->next;
		free(c->raw);
		free(c);
	}
	ZSTD_freeCCtx(w->cctx);
	ZSTD_freeCDict(w->key_dict);
	free(w->key_raw);
	free(w->entries);
	free(w->chunk_offsets);
	pthread_mutex_destroy(&w->add_lock);
	pthread_mutex_destroy(&w->q_lock);
	pthread_cond_destroy(&w->q_cond);
	free(w->path);
	free(w);
}

struct mtlrec_writer *mtlrec_writer_open(const char *path, const struct mtlrec_display *display,
					 const struct mtlrec_writer_options *opt, char *err, size_t errlen)
{
	struct mtlrec_writer_options defaults = {0};
	if (!opt)
		opt = &defaults;
	struct mtlrec_writer *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	w->fd = -1;
	pthread_mutex_init(&w->add_lock, NULL);
	pthread_mutex_init(&w->q_lock, NULL);
	pthread_cond_init(&w->q_cond, NULL);
	w->path = strdup(path);
	w->level = opt->level ? opt->level : REC_DEFAULT_LEVEL;
	w->chunk_target = opt->chunk_target ? opt->chunk_target : REC_DEFAULT_CHUNK_TARGET;
	if (w->chunk_target > REC_MAX_CHUNK_RAW / REC_CHUNK_HARD_FACTOR)
		w->chunk_target = REC_MAX_CHUNK_RAW / REC_CHUNK_HARD_FACTOR;
	w->chunk_hard = w->chunk_target * REC_CHUNK_HARD_FACTOR;
	w->key_interval = opt->key_interval ? opt->key_interval : REC_DEFAULT_KEY_INTERVAL;
	if (!w->path) {
		snprintf(err, errlen, "%s: out of memory", path);
		writer_free(w);
		return NULL;
	}
	if (w->level < ZSTD_minCLevel() || w->level > ZSTD_maxCLevel()) {
		snprintf(err, errlen, "%s: zstd level %d out of range %d..%d", path, w->level, ZSTD_minCLevel(),
			 ZSTD_maxCLevel());
		writer_free(w);
		return NULL;
	}
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx) {
		snprintf(err, errlen, "%s: out of memory", path);
		writer_free(w);
		return NULL;
	}
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, w->level);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1);

	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		writer_free(w);
		return NULL;
	}

	const char *tool = opt->tool ? opt->tool : "mtlproto";
	size_t tool_len = strlen(tool);
	if (tool_len > REC_TOOL_MAX)
		tool_len = REC_TOOL_MAX;
	uint8_t hdr[REC_HEADER_FIXED + REC_TOOL_MAX + 4];
	size_t hsize = REC_HEADER_FIXED + tool_len + 4;
	memset(hdr, 0, sizeof hdr);
	memcpy(hdr, REC_MAGIC, REC_MAGIC_LEN);
	mtl_wr16(hdr + 8, MTLREC_VERSION);
	mtl_wr16(hdr + 10, REC_VERSION_MINOR);
	mtl_wr32(hdr + 12, 0); /* flags */
	mtl_wr32(hdr + 16, (uint32_t)hsize);
	struct mtlrec_display d = {0};
	if (display)
		d = *display;
	mtl_wr32(hdr + 20, d.width);
	mtl_wr32(hdr + 24, d.height);
	mtl_wr32(hdr + 28, d.refresh_hz);
	mtl_wr32(hdr + 32, d.scale);
	mtl_wr32(hdr + 36, d.has_display);
	mtl_wr16(hdr + 40, (uint16_t)tool_len);
	memcpy(hdr + REC_HEADER_FIXED, tool, tool_len);
	mtl_wr32(hdr + hsize - 4, rec_crc32(hdr, hsize - 4));
	if (write_all(w->fd, hdr, hsize) != 0) {
		snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
		writer_free(w);
		return NULL;
	}
	w->file_pos = hsize;

	if (pthread_create(&w->thread, NULL, writer_thread, w) != 0) {
		snprintf(err, errlen, "%s: cannot start the writer thread", path);
		writer_free(w);
		return NULL;
	}
	w->thread_started = 1;
	return w;
}

static int write_footer(struct mtlrec_writer *w)
{
	size_t isize = REC_INDEX_HEADER + w->nentries * REC_INDEX_ENTRY;
	uint8_t *buf = malloc(isize + REC_TRAILER);
	if (!buf) {
		set_failed(w, "out of memory writing the index");
		return -1;
	}
	memset(buf, 0, REC_INDEX_HEADER);
	mtl_wr32(buf, REC_INDEX_MAGIC);
	mtl_wr32(buf + 4, REC_INDEX_ENTRY);
	rec_wr64(buf + 8, w->chunks_written);
	rec_wr64(buf + 16, w->records);
	rec_wr64(buf + 24, w->submissions);
	rec_wr64(buf + 32, w->commands);
	rec_wr64(buf + 40, w->presents);
	rec_wr64(buf + 48, w->bytes_raw);
	rec_wr64(buf + 56, w->nentries);
	mtl_wr32(buf + 68, rec_crc32(buf, 68));
	for (size_t i = 0; i < w->nentries; i++) {
		uint8_t *e = buf + REC_INDEX_HEADER + i * REC_INDEX_ENTRY;
		rec_wr64(e, w->chunk_offsets[w->entries[i].chunk_seq]);
		mtl_wr32(e + 8, w->entries[i].record_in_chunk);
		mtl_wr32(e + 12, 0);
	}
	uint8_t *t = buf + isize;
	memset(t, 0, REC_TRAILER);
	rec_wr64(t, w->file_pos);
	rec_wr64(t + 8, isize);
	mtl_wr32(t + 20, rec_crc32(t, 20));
	memcpy(t + 24, REC_TRAILER_MAGIC, 8);
	int rc = write_all(w->fd, buf, isize + REC_TRAILER);
	if (rc != 0)
		set_failed(w, "offset %llu: writing the index failed: %s", (unsigned long long)w->file_pos,
			   strerror(errno));
	free(buf);
	return rc;
}

int mtlrec_writer_close(struct mtlrec_writer *w, char *err, size_t errlen)
{
	if (!w)
		return 0;
	pthread_mutex_lock(&w->add_lock);
	submit_chunk(w);
	pthread_mutex_unlock(&w->add_lock);
	pthread_mutex_lock(&w->q_lock);
	w->finishing = 1;
	pthread_cond_broadcast(&w->q_cond);
	pthread_mutex_unlock(&w->q_lock);
	if (w->thread_started)
		pthread_join(w->thread, NULL);
	int rc = 0;
	if (!w->failed)
		rc = write_footer(w);
	if (!w->failed && close(w->fd) != 0)
		set_failed(w, "close failed: %s", strerror(errno));
	else if (w->failed)
		close(w->fd);
	w->fd = -1;
	if (w->failed) {
		snprintf(err, errlen, "%s", w->errmsg);
		rc = -1;
	}
	writer_free(w);
	return rc;
}
