/*
 * gen_qa_streams — write the QA streams of qa_streams.h as raw command
 * buffers into a directory, plus EXPECTED: for each deliberately wrong
 * stream the rule, severity, command index and header offset of its first
 * finding. Used by tests/qa/tools.sh.
 *
 *   gen_qa_streams OUTDIR
 */
#include <stdio.h>
#include <stdlib.h>

#include "qa_streams.h"

static int write_file(const char *dir, const char *name, const struct qa_buf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.bin", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "gen_qa_streams: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_qa_streams OUTDIR\n");
		return 2;
	}
	char *src = qa_read_text(QA_SHADER_PATH);
	if (!src) {
		fprintf(stderr, "gen_qa_streams: cannot read %s (run from the top of the tree)\n",
			QA_SHADER_PATH);
		return 2;
	}
	int rc = 0;
	static struct qa_buf b;
	for (size_t i = 0; i < QA_GOOD_COUNT; i++) {
		free(b.p);
		memset(&b, 0, sizeof b);
		QA_GOOD[i].build(&b, src);
		rc |= write_file(argv[1], QA_GOOD[i].name, &b);
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/EXPECTED", argv[1]);
	FILE *ex = fopen(path, "w");
	if (!ex) {
		fprintf(stderr, "gen_qa_streams: cannot write %s\n", path);
		return 2;
	}
	for (size_t i = 0; i < QA_BAD_COUNT; i++) {
		free(b.p);
		memset(&b, 0, sizeof b);
		unsigned bad = 0;
		QA_BAD[i].build(&b, src, &bad);
		rc |= write_file(argv[1], QA_BAD[i].name, &b);
		fprintf(ex, "%s %s %s %u 0x%zX\n", QA_BAD[i].name, QA_BAD[i].rule, QA_BAD[i].severity,
			bad, b.cmd[bad].offset);
	}
	fclose(ex);
	free(b.p);
	free(src);
	return rc ? 1 : 0;
}
