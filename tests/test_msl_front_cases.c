/*
 * test_msl_front_cases — every shader case in tests/msl/:
 *   valid/NAME.metal    must check with no errors;
 *   invalid/NAME.metal  must fail with exactly the errors its header lists,
 *                    one per line as  // EXPECT: LINE:COL: message-substring
 *                    (same positions, each message containing the substring,
 *                    and no other errors).
 * Run from the top of the tree.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "msl/msl.h"

#define CASE_DIR "tests/msl"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.metal names in dir; returns the count. */
static size_t list_cases(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	char **v = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l > 6 && strcmp(e->d_name + l - 6, ".metal") == 0) {
			v = realloc(v, (n + 1) * sizeof *v);
			assert_non_null(v);
			v[n++] = strdup(e->d_name);
		}
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_str);
	*out = v;
	return n;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_valid_cases(void **state)
{
	(void)state;
	char **names;
	size_t n = list_cases(CASE_DIR "/valid", &names);
	assert_true(n >= 40);
	size_t failed = 0;
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof path, CASE_DIR "/valid/%s", names[i]);
		size_t len;
		char *src = slurp(path, &len);
		assert_non_null(src);
		struct msl_diag_list d;
		msl_diag_list_init(&d);
		struct msl_program *prog = msl_compile(src, len, path, &d);
		if (!prog) {
			msl_diag_print(&d, src, len, stderr);
			failed++;
		} else {
			assert_true(msl_program_entry_count(prog) >= 1);
		}
		msl_program_free(prog);
		msl_diag_list_free(&d);
		free(src);
	}
	free_list(names, n);
	assert_int_equal(failed, 0);
}

struct expect { unsigned line, col; char msg[200]; int matched; };

static size_t parse_expects(const char *src, struct expect *ex, size_t max)
{
	size_t n = 0;
	const char *p = src;
	while ((p = strstr(p, "// EXPECT: ")) != NULL && n < max) {
		p += strlen("// EXPECT: ");
		unsigned l, c;
		int used = 0;
		if (sscanf(p, "%u:%u: %n", &l, &c, &used) == 2 && used > 0) {
			const char *m = p + used;
			const char *e = strchr(m, '\n');
			size_t ml = e ? (size_t)(e - m) : strlen(m);
			if (ml >= sizeof ex[n].msg)
				ml = sizeof ex[n].msg - 1;
			ex[n].line = l;
			ex[n].col = c;
			memcpy(ex[n].msg, m, ml);
			ex[n].msg[ml] = 0;
			ex[n].matched = 0;
			n++;
		}
	}
	return n;
}

static void test_invalid_cases(void **state)
{
	(void)state;
	char **names;
	size_t n = list_cases(CASE_DIR "/invalid", &names);
	assert_true(n >= 40);
	size_t failed = 0;
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof path, CASE_DIR "/invalid/%s", names[i]);
		size_t len;
		char *src = slurp(path, &len);
		assert_non_null(src);
		struct expect ex[16];
		size_t nex = parse_expects(src, ex, 16);
		if (nex == 0) {
			fprintf(stderr, "%s: no // EXPECT: lines\n", path);
			failed++;
			free(src);
			continue;
		}
		struct msl_diag_list d;
		msl_diag_list_init(&d);
		struct msl_program *prog = msl_compile(src, len, path, &d);
		bool ok = prog == NULL;
		if (!ok)
			fprintf(stderr, "%s: compiled, but errors were expected\n", path);
		size_t errors = 0;
		for (size_t k = 0; k < d.count; k++) {
			const struct msl_diag *g = &d.items[k];
			if (g->severity != MSL_SEV_ERROR)
				continue;
			errors++;
			bool found = false;
			for (size_t j = 0; j < nex; j++)
				if (!ex[j].matched && ex[j].line == g->line && ex[j].col == g->col &&
				    strstr(g->message, ex[j].msg)) {
					ex[j].matched = 1;
					found = true;
					break;
				}
			if (!found) {
				fprintf(stderr, "%s: unexpected error %u:%u: %s\n", path, g->line, g->col, g->message);
				ok = false;
			}
		}
		for (size_t j = 0; j < nex; j++)
			if (!ex[j].matched) {
				fprintf(stderr, "%s: expected error %u:%u: %s was not reported\n", path, ex[j].line,
					ex[j].col, ex[j].msg);
				ok = false;
			}
		if (errors != nex)
			ok = false;
		if (!ok) {
			msl_diag_print(&d, src, len, stderr);
			failed++;
		}
		msl_program_free(prog);
		msl_diag_list_free(&d);
		free(src);
	}
	free_list(names, n);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_cases),
		cmocka_unit_test(test_invalid_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
