/*
 * fuzz_msl — the MSL front end on arbitrary bytes: compile (preprocess,
 * lex, parse, check), then reflect and print diagnostics and JSON into a
 * null stream, so every path a guest's COMPILE_LIBRARY can reach runs.
 * Seeds: fuzz/seeds/fuzz_msl/ (small shaders, valid and broken).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msl/msl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	struct msl_program *p = msl_compile((const char *)data, size, "fuzz.metal", &d);
	if (sink)
		msl_diag_print(&d, (const char *)data, size, sink);
	if (p) {
		struct msl_reflection r;
		if (msl_reflect(p, &r) == 0) {
			if (sink)
				msl_reflection_write_json(&r, sink);
			msl_reflection_free(&r);
		}
		for (size_t i = 0; i < msl_program_entry_count(p); i++)
			(void)msl_program_find_function(p, msl_program_entry(p, i)->name);
	}
	msl_program_free(p);
	msl_diag_list_free(&d);
	return 0;
}
