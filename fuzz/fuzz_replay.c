/*
 * fuzz_replay.c — arbitrary command bytes through the replay engine.
 *
 * The first input byte picks the backend (soft or null), strict mode and a
 * split point, so state that spans submissions (open passes, objects,
 * bindings) is exercised; the rest is the stream. The drawable is small so
 * that every draw is cheap and a run stays fast: what is fuzzed is the
 * engine's handling of hostile commands and shaders, not raster throughput.
 * Every presented frame is read back, as a capture would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "render/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct replay_engine *engine; /* libFuzzer runs one input at a time */

static void on_present(void *user, uint32_t frame_id)
{
	struct replay_frame f;
	(void)user, (void)frame_id;
	if (replay_read_frame(engine, &f) == 0 && f.width && f.height)
		(void)((volatile const uint8_t *)f.pixels)[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	data++, size--;

	struct replay_config cfg = {0};
	cfg.width = 64;
	cfg.height = 48;
	cfg.backend = (mode & 1) ? "null" : "soft";
	cfg.threads = 1;
	cfg.strict = (mode >> 1) & 1;
	cfg.on_present = on_present;

	char err[256];
	struct replay_engine *e = replay_create(&cfg, err, sizeof err);
	if (!e)
		abort(); /* a valid configuration must always give an engine */
	engine = e;

	size_t split = size ? ((size_t)(mode >> 2) * size) / 63 : 0;
	if (split > size)
		split = size;
	replay_submit(e, data, split);
	replay_submit(e, data + split, size - split);

	struct replay_stats st;
	replay_get_stats(e, &st);
	replay_destroy(e);
	return 0;
}
