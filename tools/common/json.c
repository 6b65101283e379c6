/* tools/common/json.c — see json.h. */
#include "json.h"

#include <inttypes.h>
#include <math.h>

/* Length of the valid UTF-8 sequence starting at p (n bytes left), or 0.
 * Rejects overlongs, surrogates and code points above U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void tool_json_write_string(FILE *f, const void *s, size_t len)
{
	const unsigned char *p = s;
	fputc('"', f);
	for (size_t i = 0; i < len;) {
		unsigned c = p[i];
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc((int)c, f);
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			switch (c) {
			case '\n': fputs("\\n", f); break;
			case '\r': fputs("\\r", f); break;
			case '\t': fputs("\\t", f); break;
			default: fprintf(f, "\\u%04x", c); break;
			}
			i++;
		} else if (c < 0x80) {
			fputc((int)c, f);
			i++;
		} else {
			size_t n = utf8_seq_len(p + i, len - i);
			if (n == 0) {
				fprintf(f, "\\u%04x", c);
				i++;
			} else {
				fwrite(p + i, 1, n, f);
				i += n;
			}
		}
	}
	fputc('"', f);
}

void tool_json_write_cstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	size_t n = 0;
	while (s[n])
		n++;
	tool_json_write_string(f, s, n);
}

void tool_json_write_double(FILE *f, double v)
{
	if (!isfinite(v))
		fputs("null", f);
	else
		fprintf(f, "%.9g", v);
}

void tool_json_begin(struct tool_json *j, FILE *f)
{
	j->f = f;
	j->n = 0;
	fputc('{', f);
}

void tool_json_end(struct tool_json *j) { fputc('}', j->f); }

void tool_json_begin_array(struct tool_json *j, FILE *f)
{
	j->f = f;
	j->n = 0;
	fputc('[', f);
}

void tool_json_end_array(struct tool_json *j) { fputc(']', j->f); }

void tool_json_elem(struct tool_json *j)
{
	if (j->n++)
		fputc(',', j->f);
}

void tool_json_key(struct tool_json *j, const char *key)
{
	tool_json_elem(j);
	tool_json_write_cstr(j->f, key);
	fputc(':', j->f);
}

void tool_json_key_u64(struct tool_json *j, const char *key, uint64_t v)
{
	tool_json_key(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void tool_json_key_i64(struct tool_json *j, const char *key, int64_t v)
{
	tool_json_key(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void tool_json_key_double(struct tool_json *j, const char *key, double v)
{
	tool_json_key(j, key);
	tool_json_write_double(j->f, v);
}

void tool_json_key_bool(struct tool_json *j, const char *key, int v)
{
	tool_json_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void tool_json_key_str(struct tool_json *j, const char *key, const char *s)
{
	tool_json_key(j, key);
	tool_json_write_cstr(j->f, s);
}

void tool_json_key_bytes_str(struct tool_json *j, const char *key, const void *s, size_t len)
{
	tool_json_key(j, key);
	tool_json_write_string(j->f, s, len);
}

void tool_json_key_null(struct tool_json *j, const char *key)
{
	tool_json_key(j, key);
	fputs("null", j->f);
}
