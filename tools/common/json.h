/*
 * tools/common/json.h — a tiny JSON writer for tools' --json output.
 *
 * Strings are escaped per RFC 8259: '"', '\\' and control characters are
 * escaped; valid UTF-8 passes through; a byte that is not part of a valid
 * UTF-8 sequence is written as \u00XX (its Latin-1 reading), so the output is
 * always valid JSON whatever bytes a guest sent.
 *
 * The object helpers track whether a comma is needed:
 *     struct tool_json j; tool_json_begin(&j, stdout);
 *     tool_json_key_u64(&j, "frame", 3); tool_json_key_str(&j, "method", "DRAW");
 *     tool_json_end(&j); fputc('\n', stdout);
 */
#ifndef TOOLS_COMMON_JSON_H
#define TOOLS_COMMON_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Write a quoted, escaped string of len bytes. */
void tool_json_write_string(FILE *f, const void *s, size_t len);
/* Same for a NUL-terminated string; NULL is written as null. */
void tool_json_write_cstr(FILE *f, const char *s);
/* A finite double as a JSON number (NaN/inf become null, since JSON has none). */
void tool_json_write_double(FILE *f, double v);

/* One nesting level of an object or array being written. */
struct tool_json {
	FILE *f;
	int n;         /* members written so far at this level */
};

void tool_json_begin(struct tool_json *j, FILE *f);       /* writes '{' */
void tool_json_end(struct tool_json *j);                   /* writes '}' */
void tool_json_begin_array(struct tool_json *j, FILE *f); /* writes '[' */
void tool_json_end_array(struct tool_json *j);             /* writes ']' */

/* Write the key (with a comma when needed) and the ':'; then the caller
 * writes the value, e.g. a nested object begun with tool_json_begin. */
void tool_json_key(struct tool_json *j, const char *key);
/* Before an array element: the comma when needed. */
void tool_json_elem(struct tool_json *j);

void tool_json_key_u64(struct tool_json *j, const char *key, uint64_t v);
void tool_json_key_i64(struct tool_json *j, const char *key, int64_t v);
void tool_json_key_double(struct tool_json *j, const char *key, double v);
void tool_json_key_bool(struct tool_json *j, const char *key, int v);
void tool_json_key_str(struct tool_json *j, const char *key, const char *s);   /* NULL -> null */
void tool_json_key_bytes_str(struct tool_json *j, const char *key, const void *s, size_t len);
void tool_json_key_null(struct tool_json *j, const char *key);

#endif
