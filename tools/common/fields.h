/*
 * tools/common/fields.h — every decoded field of a command, by name, for
 * tools that print commands (mtldump) or report on them.
 *
 * tool_cmd_fields calls fn once per field of cmd in wire order, with the
 * field names of DESIGN §3 (buffer/texture/sampler slot indices are named
 * buffer_index, texture_index, sampler_index so they never collide with a
 * dump's own "index" key). Enum fields carry both the number and Metal's
 * name (NULL when out of range). Nothing is called for a command whose
 * fields were not decoded (cmd->fields_valid == 0).
 */
#ifndef TOOLS_COMMON_FIELDS_H
#define TOOLS_COMMON_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mtlproto/decode.h"

enum tool_field_type {
	TOOL_FIELD_UINT,   /* u */
	TOOL_FIELD_INT,    /* i */
	TOOL_FIELD_FLOAT,  /* f */
	TOOL_FIELD_HANDLE, /* u; 0xFFFFFFFF is the drawable */
	TOOL_FIELD_ENUM,   /* u, and str = Metal's name or NULL */
	TOOL_FIELD_TEXT,   /* bytes, len: MSL source or a function name */
	TOOL_FIELD_BYTES   /* bytes, len: inline data or pixels */
};

struct tool_field {
	const char *name;
	enum tool_field_type type;
	uint64_t u;
	int64_t i;
	double f;
	const char *str;
	const uint8_t *bytes;
	size_t len;
};

typedef void (*tool_field_fn)(void *ctx, const struct tool_field *field);

void tool_cmd_fields(const struct mtl_cmd *cmd, tool_field_fn fn, void *ctx);

/* The method's name, or "0xNNNN" for an unknown one (buf holds it). */
const char *tool_method_label(uint16_t method, char buf[8]);

/* Text rendering of one field as " name=value" (text and byte fields are
 * shortened to max_bytes, 0 = no limit; bytes as hex). */
void tool_field_print_text(FILE *f, const struct tool_field *field, size_t max_bytes);

/* Lowercase hex of len bytes. */
void tool_write_hex(FILE *f, const uint8_t *p, size_t len);

#endif
