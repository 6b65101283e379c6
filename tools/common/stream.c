/* tools/common/stream.c — see stream.h. */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct mtl_stream {
	char *path;
	int is_rec;
	struct mtlrec_display display;
	uint64_t file_size;

	/* raw input: the whole file, mapped (or NULL when empty) */
	const uint8_t *data;
	size_t size;
	size_t raw_pos;           /* where the next submission starts */

	/* .mtlrec input */
	struct mtlrec_reader *rd;

	/* the submission being walked */
	int in_sub;
	const uint8_t *sub;
	uint32_t sub_len;
	uint64_t sub_base;        /* raw: file offset of the submission; rec: 0 */
	uint8_t sub_queue;
	uint64_t sub_timestamp;
	struct mtl_decoder dec;

	uint64_t subs;            /* submissions started so far */
	uint64_t cmd_index;       /* index of the next command */
	uint32_t frame;           /* presents so far */
	uint64_t skip_before_frame; /* after a seek: commands of earlier frames are skipped */
};

void mtl_stream_options_init(struct mtl_stream_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->raw_display.width = MTL_STREAM_DEFAULT_WIDTH;
	opt->raw_display.height = MTL_STREAM_DEFAULT_HEIGHT;
	opt->raw_display.refresh_hz = MTL_STREAM_DEFAULT_REFRESH_HZ;
	opt->raw_display.scale = 1;
	opt->raw_display.has_display = 0;
}

const char *mtl_stream_record_kind_name(uint8_t kind)
{
	switch (kind) {
	case MTLREC_SUBMISSION: return "submission";
	case MTLREC_CONFIG: return "config";
	case MTLREC_VSYNC: return "vsync";
	case MTLREC_INPUT: return "input";
	case MTLREC_CAPTURE: return "capture";
	default: return "unknown";
	}
}

static void reset_walk(struct mtl_stream *s)
{
	s->raw_pos = 0;
	s->in_sub = 0;
	s->subs = 0;
	s->cmd_index = 0;
	s->frame = 0;
	s->skip_before_frame = 0;
}

struct mtl_stream *mtl_stream_open(const char *path, const struct mtl_stream_options *opt,
				   char *err, size_t errlen)
{
	struct mtl_stream_options defaults;
	if (!opt) {
		mtl_stream_options_init(&defaults);
		opt = &defaults;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	uint8_t head[16];
	ssize_t got = pread(fd, head, sizeof head, 0);
	if (got < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	struct mtl_stream *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(s);
		close(fd);
		return NULL;
	}
	s->file_size = (uint64_t)st.st_size;
	if (!opt->force_raw && mtlrec_is_recording(head, (size_t)got)) {
		close(fd);
		s->is_rec = 1;
		s->rd = mtlrec_reader_open(path, err, errlen);
		if (!s->rd) {
			mtl_stream_close(s);
			return NULL;
		}
		s->display = mtlrec_reader_info(s->rd)->display;
		return s;
	}
	s->display = opt->raw_display;
	if (!s->display.width || !s->display.height) {
		s->display.width = MTL_STREAM_DEFAULT_WIDTH;
		s->display.height = MTL_STREAM_DEFAULT_HEIGHT;
	}
	if (!s->display.refresh_hz)
		s->display.refresh_hz = MTL_STREAM_DEFAULT_REFRESH_HZ;
	if (!s->display.scale)
		s->display.scale = 1;
	s->size = (size_t)st.st_size;
	if (s->size) {
		void *m = mmap(NULL, s->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			snprintf(err, errlen, "%s: cannot map: %s", path, strerror(errno));
			close(fd);
			mtl_stream_close(s);
			return NULL;
		}
		s->data = m;
	}
	close(fd);
	reset_walk(s);
	return s;
}

int tool_stream_resolution_arg(struct mtl_stream_options *opt, const char *arg)
{
	if (tool_parse_resolution(arg, &opt->raw_display.width, &opt->raw_display.height) != 0)
		return tool_usage_error("--resolution: expected WxH, got '%s'", arg);
	return 0;
}

struct mtl_stream *tool_stream_open(const char *path, const struct mtl_stream_options *opt)
{
	char err[512];
	struct mtl_stream *s = mtl_stream_open(path, opt, err, sizeof err);
	if (!s) {
		fflush(stdout);
		tool_error_msg(err);
	}
	return s;
}

void mtl_stream_close(struct mtl_stream *s)
{
	if (!s)
		return;
	if (s->rd)
		mtlrec_reader_close(s->rd);
	if (s->data)
		munmap((void *)s->data, s->size);
	free(s->path);
	free(s);
}

const char *mtl_stream_path(const struct mtl_stream *s) { return s->path; }
int mtl_stream_is_recording(const struct mtl_stream *s) { return s->is_rec; }
const struct mtlrec_display *mtl_stream_display(const struct mtl_stream *s) { return &s->display; }
const struct mtlrec_info *mtl_stream_rec_info(const struct mtl_stream *s)
{
	return s->is_rec ? mtlrec_reader_info(s->rd) : NULL;
}
uint64_t mtl_stream_file_size(const struct mtl_stream *s) { return s->file_size; }

/* Size of the command at p (n bytes left) when its payload lies inside,
 * else 0 (the rest is a tail the decoder stops at). */
static size_t whole_command_size(const uint8_t *p, size_t n)
{
	if (n < MTL_HEADER_SIZE)
		return 0;
	uint64_t size = (uint64_t)MTL_HEADER_SIZE + mtl_rd32(p + 4);
	return size <= n ? (size_t)size : 0;
}

/* Largest raw submission: records hold a u32 length, and a recording's
 * chunk limit is lower still; split long runs at a command boundary. */
#define RAW_SUBMISSION_MAX (256u << 20)

/* The extent of the raw submission starting at pos (see stream.h for the
 * rule); returns its length and its queue. */
static size_t raw_submission_extent(const uint8_t *data, size_t size, size_t pos, uint8_t *queue)
{
	size_t end = pos;
	int first = 1;
	for (;;) {
		size_t n = whole_command_size(data + end, size - end);
		if (n == 0) {
			/* tail: the rest of the file belongs to this submission */
			if (first) {
				*queue = size - end >= 2 ? (uint8_t)mtl_method_queue(mtl_rd16(data + end))
							 : MTL_QUEUE_RENDER;
			}
			return size - pos;
		}
		uint16_t method = mtl_rd16(data + end);
		uint8_t q = (uint8_t)mtl_method_queue(method);
		if (first) {
			*queue = q;
		} else if (q != *queue || (end - pos) + n > RAW_SUBMISSION_MAX) {
			break;
		}
		first = 0;
		end += n;
		if (method == MTL_CMD_PRESENT_AND_COMMIT || end == size)
			break;
	}
	/* Leftover bytes that are not a whole command go with this submission
	 * (so a file's tail stays in its last submission). */
	if (end < size && whole_command_size(data + end, size - end) == 0)
		return size - pos;
	return end - pos;
}

static void begin_submission(struct mtl_stream *s, const uint8_t *bytes, uint32_t len, uint64_t base,
			     uint8_t queue, uint64_t timestamp, struct mtl_stream_item *it)
{
	s->in_sub = 1;
	s->sub = bytes;
	s->sub_len = len;
	s->sub_base = base;
	s->sub_queue = queue;
	s->sub_timestamp = timestamp;
	mtl_decoder_init(&s->dec, bytes, len);
	memset(it, 0, sizeof *it);
	it->kind = MTL_STREAM_SUBMISSION;
	it->frame = s->frame;
	it->submission = s->subs;
	it->queue = queue;
	it->timestamp = timestamp;
	it->index = s->cmd_index;
	it->offset = base;
	it->bytes = bytes;
	it->len = len;
	it->record_kind = MTLREC_SUBMISSION;
	s->subs++;
}

/* The next command of the current submission: 1, or 0 at its end. */
static int next_command(struct mtl_stream *s, struct mtl_stream_item *it)
{
	for (;;) {
		size_t at = s->dec.pos;
		struct mtl_cmd cmd;
		memset(&cmd, 0, sizeof cmd);
		enum mtl_status st = mtl_decoder_next(&s->dec, &cmd);
		if (st == MTL_END) {
			s->in_sub = 0;
			return 0;
		}
		size_t size;
		int whole = st != MTL_ERR_TRUNCATED_HEADER && st != MTL_ERR_PAYLOAD_PAST_END;
		if (whole) {
			size = MTL_HEADER_SIZE + (size_t)cmd.payload_size;
		} else {
			size = s->sub_len - at;
			/* the decoder stops here; make sure we do too */
			s->dec.pos = s->sub_len;
		}
		uint64_t index = s->cmd_index++;
		uint32_t frame = s->frame;
		if (whole && cmd.method == MTL_CMD_PRESENT_AND_COMMIT)
			s->frame++;
		if (frame < s->skip_before_frame)
			continue;
		s->skip_before_frame = 0;
		memset(it, 0, sizeof *it);
		it->kind = MTL_STREAM_COMMAND;
		it->frame = frame;
		it->submission = s->subs - 1;
		it->queue = s->sub_queue;
		it->timestamp = s->sub_timestamp;
		it->index = index;
		it->offset = s->sub_base + at;
		it->cmd = cmd;
		it->cmd.offset = at;
		it->cmd_size = (uint32_t)size;
		it->bytes = s->sub + at;
		it->len = (uint32_t)size;
		it->record_index = s->subs - 1;
		return 1;
	}
}

static int next_raw(struct mtl_stream *s, struct mtl_stream_item *it)
{
	if (s->raw_pos >= s->size)
		return 0;
	uint8_t queue = MTL_QUEUE_RENDER;
	size_t len = raw_submission_extent(s->data, s->size, s->raw_pos, &queue);
	/* a tail longer than a record can hold is cut (and reported by the
	 * decoder as a malformed command at the cut) */
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	begin_submission(s, s->data + s->raw_pos, (uint32_t)len, s->raw_pos, queue, 0, it);
	it->record_index = it->submission;
	s->raw_pos += len;
	return 1;
}

static int next_rec(struct mtl_stream *s, struct mtl_stream_item *it, char *err, size_t errlen)
{
	struct mtlrec_record rec;
	int rc = mtlrec_reader_next(s->rd, &rec, err, errlen);
	if (rc <= 0)
		return rc;
	s->frame = rec.frame;
	s->cmd_index = rec.command;
	s->subs = rec.submission;
	if (rec.kind == MTLREC_SUBMISSION) {
		begin_submission(s, rec.bytes, rec.len, 0, rec.queue, rec.timestamp, it);
		it->record_index = rec.index;
		return 1;
	}
	memset(it, 0, sizeof *it);
	it->kind = MTL_STREAM_RECORD;
	it->frame = rec.frame;
	it->submission = s->subs;
	it->timestamp = rec.timestamp;
	it->index = s->cmd_index;
	it->bytes = rec.bytes;
	it->len = rec.len;
	it->record_kind = rec.kind;
	it->record_index = rec.index;
	return 1;
}

int mtl_stream_next(struct mtl_stream *s, struct mtl_stream_item *it, char *err, size_t errlen)
{
	for (;;) {
		if (s->in_sub) {
			if (next_command(s, it))
				return 1;
			continue;
		}
		int rc = s->is_rec ? next_rec(s, it, err, errlen) : next_raw(s, it);
		if (rc <= 0)
			return rc;
		/* after a seek, records before the wanted frame are not shown */
		if (s->skip_before_frame && it->kind == MTL_STREAM_RECORD)
			continue;
		return 1;
	}
}

int mtl_stream_rewind(struct mtl_stream *s, char *err, size_t errlen)
{
	reset_walk(s);
	if (s->is_rec)
		return mtlrec_reader_rewind(s->rd, err, errlen);
	return 0;
}

/* Offset just after the last present of a submission (0 when none) and the
 * number of presents (mtlrec_count_presents' rule). */
static uint32_t presents_and_end(const uint8_t *p, size_t n, size_t *after_last)
{
	uint32_t presents = 0;
	size_t pos = 0;
	*after_last = 0;
	for (;;) {
		size_t sz = whole_command_size(p + pos, n - pos);
		if (!sz)
			break;
		if (mtl_rd16(p + pos) == MTL_CMD_PRESENT_AND_COMMIT) {
			presents++;
			*after_last = pos + sz;
		}
		pos += sz;
	}
	return presents;
}

static int seek_raw(struct mtl_stream *s, uint64_t frame, char *err, size_t errlen)
{
	size_t pos = 0;
	uint64_t f = 0, cmds = 0, subs = 0;
	while (pos < s->size) {
		uint8_t queue;
		size_t len = raw_submission_extent(s->data, s->size, pos, &queue);
		if (len > UINT32_MAX)
			len = UINT32_MAX;
		size_t after_last;
		uint32_t p = presents_and_end(s->data + pos, len, &after_last);
		/* commands of frame `frame` lie here when the frame begins in this
		 * submission or a present-free stretch continues it */
		if (f <= frame && (frame < f + p || (frame == f + p && after_last < len))) {
			s->raw_pos = pos;
			s->in_sub = 0;
			s->subs = subs;
			s->cmd_index = cmds;
			s->frame = (uint32_t)f;
			s->skip_before_frame = frame;
			return 0;
		}
		f += p;
		cmds += mtlrec_count_commands(s->data + pos, len);
		subs++;
		pos += len;
	}
	snprintf(err, errlen, "%s: no frame %llu (the stream has commands up to frame %llu)", s->path,
		 (unsigned long long)frame, (unsigned long long)(f ? f - 1 : 0));
	return -1;
}

int mtl_stream_seek_frame(struct mtl_stream *s, uint64_t frame, char *err, size_t errlen)
{
	if (frame > UINT32_MAX) {
		snprintf(err, errlen, "%s: no frame %llu", s->path, (unsigned long long)frame);
		return -1;
	}
	if (!s->is_rec)
		return seek_raw(s, frame, err, errlen);
	if (mtlrec_reader_seek_frame(s->rd, frame, err, errlen) != 0)
		return -1;
	s->in_sub = 0;
	s->skip_before_frame = frame;
	return 0;
}
