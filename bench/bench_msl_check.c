/*
 * bench_msl_check — how long the MSL front end takes to check a realistic
 * shader library (tests/msl/valid/ui_library_big.metal: ~420 lines, 23
 * entry points), against a baseline measured in the same run: lexing and
 * preprocessing the same source without parsing or checking it. The ratio
 * says what parsing + semantic analysis + building the AST cost on top of
 * merely reading the tokens. Target (issue 5): a full check well under 5 ms.
 *
 * Run from the top of the tree: build/bench/bench_msl_check [FILE.metal]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msl/msl.h"
#include "../render/msl/src/front.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

#define REPS 201

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/msl/valid/ui_library_big.metal";
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_msl_check: %s: cannot open (run from the top of the tree)\n", path);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *src = malloc((size_t)len + 1);
	if (!src || fread(src, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "bench_msl_check: %s: cannot read\n", path);
		return 2;
	}
	fclose(f);
	size_t lines = 0;
	for (long i = 0; i < len; i++)
		lines += src[i] == '\n';

	static double t_check[REPS], t_lex[REPS];
	size_t tokens = 0, entries = 0;
	for (int r = 0; r < REPS; r++) {
		double t0 = now_s();
		tokens = msl_front_tokenize_only(src, (size_t)len);
		double t1 = now_s();
		struct msl_diag_list d;
		msl_diag_list_init(&d);
		struct msl_program *p = msl_compile(src, (size_t)len, path, &d);
		double t2 = now_s();
		if (!p) {
			msl_diag_print(&d, src, (size_t)len, stderr);
			return 1;
		}
		entries = msl_program_entry_count(p);
		msl_program_free(p);
		msl_diag_list_free(&d);
		t_lex[r] = t1 - t0;
		t_check[r] = t2 - t1;
	}
	qsort(t_lex, REPS, sizeof(double), cmp_d);
	qsort(t_check, REPS, sizeof(double), cmp_d);
	double lex_ms = t_lex[REPS / 2] * 1e3, check_ms = t_check[REPS / 2] * 1e3;
	printf("bench_msl_check: %s: %zu lines, %ld bytes, %zu tokens, %zu entry points\n", path, lines,
	       len, tokens, entries);
	printf("  baseline lex+preprocess   median %.3f ms  p90 %.3f ms  (%.1f Mtokens/s)\n", lex_ms,
	       t_lex[REPS * 9 / 10] * 1e3, (double)tokens / (t_lex[REPS / 2] * 1e6));
	printf("  full check (all stages)   median %.3f ms  p90 %.3f ms\n", check_ms,
	       t_check[REPS * 9 / 10] * 1e3);
	printf("  ratio check/lex           %.2fx\n", check_ms / lex_ms);
	printf("  target < 5 ms             %s (%.1fx headroom)\n", check_ms < 5.0 ? "met" : "MISSED",
	       5.0 / check_ms);
	free(src);
	return check_ms < 5.0 ? 0 : 1;
}
