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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_rec", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64], err[512];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
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
