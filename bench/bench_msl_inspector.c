/*
 * bench_msl_inspector — what the shader inspector (msl/inspector.h) costs
 * metalvisor --validate per COMPILE_LIBRARY, against a baseline measured in
 * the same run: msl_compile of the same source alone, which the replay
 * engine does for every library anyway.
 *
 * The library is tests/msl/valid/ui_library_big.metal (~420 lines, 23 entry
 * points; another .metal file may be named). Each round times, interleaved:
 *   compile     msl_compile + free (the baseline)
 *   inspect     the inspector's compile() + release(): compile, reflect and
 *               describe every entry point
 *   validate    the validator with the inspector over a stream that
 *               compiles the library, fetches every entry point, and makes a
 *               pipeline of each (as a guest's setup submission)
 *   no-msl      the same stream through the validator without inspector
 * and medians are reported with ratios to the baseline.
 *
 * Run from the top of the tree: build/bench/bench_msl_inspector [FILE.metal]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msl/inspector.h"
#include "msl/msl.h"
#include "mtlproto/encode.h"
#include "mtlproto/validate.h"

#define REPS 101
#define MAX_FNS 64

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

static double median(double *t)
{
	qsort(t, REPS, sizeof *t, cmp_d);
	return t[REPS / 2];
}

static unsigned findings;

static void count(void *user, const struct mtl_finding *f)
{
	(void)user;
	(void)f;
	findings++;
}

static double time_validate(const uint8_t *stream, size_t len, const struct mtl_shader_inspector *in)
{
	struct mtl_validate_options o = { 1024, 768, 0, count, NULL, in };
	double t0 = now_s();
	struct mtl_validator *v = mtl_validator_create(&o);
	if (!v) {
		fprintf(stderr, "bench_msl_inspector: out of memory\n");
		exit(2);
	}
	mtl_validator_submit(v, stream, len, 0, 0);
	mtl_validator_destroy(v);
	return now_s() - t0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/msl/valid/ui_library_big.metal";
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_msl_inspector: %s: cannot open (run from the top of the tree)\n", path);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *src = malloc(len > 0 ? (size_t)len : 1);
	if (!src || len <= 0 || fread(src, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "bench_msl_inspector: %s: cannot read\n", path);
		return 2;
	}
	fclose(f);

	/* The entry points, to build the stream a guest would send. */
	const struct mtl_shader_inspector *in = msl_shader_inspector();
	struct mtl_shader_library_info info;
	memset(&info, 0, sizeof info);
	void *cookie = in->compile(in->ctx, src, (size_t)len, &info);
	if (!cookie || info.nerrors) {
		fprintf(stderr, "bench_msl_inspector: %s: does not compile\n", path);
		return 2;
	}
	size_t cap = (size_t)len + 65536;
	uint8_t *stream = malloc(cap);
	if (!stream)
		return 2;
	struct mtl_encoder e;
	mtl_enc_init(&e, stream, cap);
	mtl_enc_compile_library(&e, 1, src, (uint32_t)len);
	size_t nfn = info.nfunctions < MAX_FNS ? info.nfunctions : MAX_FNS;
	uint32_t first_fragment = 0;
	for (size_t i = 0; i < nfn; i++) {
		const char *name = info.functions[i].name;
		mtl_enc_get_function(&e, (uint32_t)(16 + i), 1, name, (uint32_t)strlen(name));
		if (!first_fragment && info.functions[i].stage == MTL_SHADER_FRAGMENT)
			first_fragment = (uint32_t)(16 + i);
	}
	for (size_t i = 0; i < nfn; i++) {
		if (info.functions[i].stage == MTL_SHADER_VERTEX)
			mtl_enc_create_render_pipeline(&e, (uint32_t)(128 + i), (uint32_t)(16 + i), first_fragment, 0,
						       MTL_WRITE_ALL, 0, 1, MTL_DRAWABLE_PIXEL_FORMAT);
		else if (info.functions[i].stage == MTL_SHADER_KERNEL)
			mtl_enc_create_compute_pipeline(&e, (uint32_t)(128 + i), (uint32_t)(16 + i));
	}
	in->release(in->ctx, cookie);
	if (mtl_enc_overflowed(&e))
		return 2;

	static double t_compile[REPS], t_inspect[REPS], t_validate[REPS], t_nomsl[REPS];
	for (int r = 0; r < REPS; r++) {
		double t0 = now_s();
		struct msl_diag_list d;
		msl_diag_list_init(&d);
		struct msl_program *p = msl_compile(src, (size_t)len, "library", &d);
		msl_program_free(p);
		msl_diag_list_free(&d);
		double t1 = now_s();
		struct mtl_shader_library_info li;
		memset(&li, 0, sizeof li);
		void *c = in->compile(in->ctx, src, (size_t)len, &li);
		if (c)
			in->release(in->ctx, c);
		double t2 = now_s();
		t_compile[r] = t1 - t0;
		t_inspect[r] = t2 - t1;
		t_validate[r] = time_validate(stream, e.len, in);
		t_nomsl[r] = time_validate(stream, e.len, NULL);
	}
	if (findings) {
		fprintf(stderr, "bench_msl_inspector: the stream gave %u findings; it should be clean\n", findings);
		return 1;
	}
	double mc = median(t_compile), mi = median(t_inspect), mv = median(t_validate), mn = median(t_nomsl);
	printf("bench_msl_inspector: %s, %ld bytes, %zu entry points, stream %zu bytes, %d rounds (medians)\n", path,
	       len, nfn, e.len, REPS);
	printf("  compile (baseline)        %8.3f ms\n", mc * 1e3);
	printf("  inspector                 %8.3f ms   %.2fx compile\n", mi * 1e3, mi / mc);
	printf("  validate with inspector   %8.3f ms   %.2fx compile\n", mv * 1e3, mv / mc);
	printf("  validate without (--no-msl) %6.3f ms   %.3fx compile\n", mn * 1e3, mn / mc);
	free(stream);
	free(src);
	return 0;
}
