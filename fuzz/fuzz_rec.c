/*
 * fuzz/fuzz_rec.c — the .mtlrec reader on hostile files: open, read every
 * record, seek to frames, rewind and read again. Must never crash, leak, or
 * allocate without bound (docs/MTLREC.md "Limits a reader enforces").
 *
 * The input is handed to the reader as a file through a memfd, so the real
 * open/pread path is what runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mtlproto/rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t drain(struct mtlrec_reader *r, char *err, size_t errlen)
{
	struct mtlrec_record rec;
	uint64_t n = 0, sum = 0;
	while (n < 1000000 && mtlrec_reader_next(r, &rec, err, errlen) == 1) {
		/* touch the bytes so a bad pointer shows up under ASan */
		if (rec.len)
			sum += rec.bytes[0] + rec.bytes[rec.len - 1];
		n++;
	}
	return n + (sum & 1);
}

/*
 * Structured mode (first byte 'W'): the rest of the input becomes records
 * written through the real writer with tiny chunks, then one byte of the
 * file (chosen by the input) is flipped. This reaches the zstd, record
 * framing and counter checks behind the header CRCs that random files
 * rarely pass.
 */
static void write_then_damage(const char *path, int fd, const uint8_t *data, size_t size)
{
	char err[256];
	if (size < 4)
		return;
	struct mtlrec_writer_options opt = {0};
	opt.chunk_target = 64 + data[1];
	opt.key_interval = 256u + (uint64_t)data[2] * 16u;
	struct mtlrec_writer *w = mtlrec_writer_open(path, NULL, &opt, err, sizeof err);
	if (!w)
		return;
	size_t pos = 4;
	while (pos < size) {
		size_t len = data[pos - 1] % 48;
		if (len > size - pos)
			len = size - pos;
		uint8_t kind = (data[pos - 1] & 0xC0) == 0xC0 ? (uint8_t)(2 + data[pos - 1] % 5) : MTLREC_SUBMISSION;
		mtlrec_writer_add(w, data[pos - 1] & 1, kind, pos, data + pos, (uint32_t)len);
		pos += len + 1;
	}
	mtlrec_writer_close(w, err, sizeof err);
	off_t end = lseek(fd, 0, SEEK_END);
	if (end > 0) {
		off_t at = (off_t)(((size_t)data[3] * 2654435761u + size) % (size_t)end);
		uint8_t b;
		if (pread(fd, &b, 1, at) == 1) {
			b ^= (uint8_t)(1u << (data[3] & 7));
			if (pwrite(fd, &b, 1, at) != 1)
				return;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_rec", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	char path[64], err[512];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (size && data[0] == 'W') {
		write_then_damage(path, fd, data, size);
	} else if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	(void)mtlrec_is_recording(data, size);
	struct mtlrec_reader *r = mtlrec_reader_open(path, err, sizeof err);
	if (r) {
		const struct mtlrec_info *info = mtlrec_reader_info(r);
		drain(r, err, sizeof err);
		uint64_t frames[4] = {0, 1, info->frames / 2, size ? data[size - 1] : 2};
		for (int i = 0; i < 4; i++) {
			if (mtlrec_reader_seek_frame(r, frames[i], err, sizeof err) == 0)
				drain(r, err, sizeof err);
		}
		mtlrec_reader_rewind(r, err, sizeof err);
		drain(r, err, sizeof err);
		mtlrec_reader_close(r);
	}
	close(fd);
	return 0;
}
