/*
 * tests/common/msl_shader.h — load a shader from tests/msl/exec/, compile and
 * lower it, and find its entry points, failing the cmocka test with the
 * file, line:col and reason when any step does. Include after <cmocka.h>.
 */
#ifndef TESTS_COMMON_MSL_SHADER_H
#define TESTS_COMMON_MSL_SHADER_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "msl/exec.h"
#include "msl/msl.h"

#define MSL_EXEC_CASES "tests/msl/exec/"

struct shader {
	char *src;
	struct msl_program *prog;
	msl_exec_module *mod;
};

static inline void load(struct shader *sh, const char *file)
{
	char path[256];
	snprintf(path, sizeof(path), MSL_EXEC_CASES "%s", file);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	sh->src = malloc(1 << 20);
	assert_non_null(sh->src);
	size_t n = fread(sh->src, 1, (1 << 20) - 1, f);
	fclose(f);
	struct msl_diag_list d;
	msl_diag_list_init(&d);
	sh->prog = msl_compile(sh->src, n, path, &d);
	if (!sh->prog)
		msl_diag_print(&d, sh->src, n, stderr);
	msl_diag_list_free(&d);
	assert_non_null(sh->prog);
	struct msl_exec_error err;
	sh->mod = msl_exec_module_create(sh->prog, &err);
	if (!sh->mod)
		fail_msg("%s:%u:%u: lowering failed: %s", path, err.line, err.col, err.message);
}

static inline void unload(struct shader *sh)
{
	msl_exec_module_free(sh->mod);
	msl_program_free(sh->prog);
	free(sh->src);
}

static inline const msl_exec_entry *entry(struct shader *sh, const char *name)
{
	const msl_exec_entry *e = msl_exec_find_entry(sh->mod, name);
	if (!e)
		fail_msg("no entry point '%s'", name);
	return e;
}

static inline void near(float got, float want, float tol, const char *what, int i)
{
	if (isnan(got) && isnan(want))
		return;
	if (!(fabsf(got - want) <= tol * fmaxf(1.0f, fabsf(want))))
		fail_msg("%s[%d]: got %.9g, want %.9g", what, i, (double)got, (double)want);
}

#endif
