/*
 * fdt.c - a small read-only flattened device tree reader (DTSpec v0.4
 * structure block: BEGIN_NODE / END_NODE / PROP / NOP / END tokens).
 * Node "offsets" are offsets of BEGIN_NODE tokens in the structure block.
 */
#include "runtime.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

static const uint8_t *blob;
static const uint8_t *structs;
static const char *strings;
static uint32_t struct_size, strings_size;

int dt_init(const void *dtb)
{
	const uint8_t *b = dtb;
	if (!b || dt_be32(b) != FDT_MAGIC)
		return -1;
	uint32_t total = dt_be32(b + 4), off_struct = dt_be32(b + 8), off_strings = dt_be32(b + 12);
	strings_size = dt_be32(b + 32);
	struct_size = dt_be32(b + 36);
	if (off_struct > total || struct_size > total - off_struct || off_strings > total ||
	    strings_size > total - off_strings)
		return -1;
	blob = b;
	structs = b + off_struct;
	strings = (const char *)b + off_strings;
	return 0;
}

static uint32_t align4(uint32_t v) { return (v + 3) & ~3u; }

/* Token at off; *next = offset of the following token.  FDT_END on error. */
static uint32_t token(uint32_t off, uint32_t *next)
{
	if (!blob || off + 4 > struct_size)
		return FDT_END;
	uint32_t t = dt_be32(structs + off);
	off += 4;
	switch (t) {
	case FDT_BEGIN_NODE: {
		const char *name = (const char *)structs + off;
		uint32_t n = 0;
		while (off + n < struct_size && name[n])
			n++;
		*next = align4(off + n + 1);
		break;
	}
	case FDT_PROP: {
		if (off + 8 > struct_size)
			return FDT_END;
		uint32_t len = dt_be32(structs + off);
		*next = align4(off + 8 + len);
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
		*next = off;
		break;
	default:
		return FDT_END;
	}
	return *next <= struct_size ? t : FDT_END;
}

static const char *node_name(int node) { return (const char *)structs + node + 4; }

/* Offset of the token after this node's END_NODE. */
static int skip_node(int node)
{
	uint32_t off = (uint32_t)node, next;
	int depth = 0;
	for (;;) {
		uint32_t t = token(off, &next);
		if (t == FDT_END)
			return -1;
		if (t == FDT_BEGIN_NODE)
			depth++;
		else if (t == FDT_END_NODE && --depth == 0)
			return (int)next;
		off = next;
	}
}

/* First child of node, or -1. Children come after the node's properties. */
static int first_child(int node)
{
	uint32_t off, t;
	if (token((uint32_t)node, &off) != FDT_BEGIN_NODE)
		return -1;
	for (;;) {
		uint32_t next;
		t = token(off, &next);
		if (t == FDT_BEGIN_NODE)
			return (int)off;
		if (t != FDT_PROP && t != FDT_NOP)
			return -1;
		off = next;
	}
}

static int next_sibling(int node)
{
	int off = skip_node(node);
	while (off >= 0) {
		uint32_t next, t = token((uint32_t)off, &next);
		if (t == FDT_BEGIN_NODE)
			return off;
		if (t != FDT_NOP)
			return -1;
		off = (int)next;
	}
	return -1;
}

int dt_path(const char *path)
{
	int node = 0;
	if (!blob || token(0, &(uint32_t){ 0 }) != FDT_BEGIN_NODE || path[0] != '/')
		return -1;
	path++;
	while (*path) {
		size_t n = 0;
		while (path[n] && path[n] != '/')
			n++;
		int child;
		for (child = first_child(node); child >= 0; child = next_sibling(child)) {
			const char *name = node_name(child);
			/* "name" matches "name" and "name@unit" */
			if (strncmp(name, path, n) == 0 && (name[n] == '\0' || name[n] == '@'))
				break;
		}
		if (child < 0)
			return -1;
		node = child;
		path += n;
		while (*path == '/')
			path++;
	}
	return node;
}

const void *dt_prop(int node, const char *name, uint32_t *len)
{
	uint32_t off, next;
	if (node < 0 || token((uint32_t)node, &off) != FDT_BEGIN_NODE)
		return NULL;
	for (;;) {
		uint32_t t = token(off, &next);
		if (t == FDT_NOP) {
			off = next;
			continue;
		}
		if (t != FDT_PROP)
			return NULL;
		uint32_t plen = dt_be32(structs + off + 4), nameoff = dt_be32(structs + off + 8);
		if (nameoff < strings_size && strcmp(strings + nameoff, name) == 0) {
			if (len)
				*len = plen;
			return structs + off + 12;
		}
		off = next;
	}
}

int dt_find_compatible(int after, const char *compat)
{
	uint32_t off = 0, next;
	if (after >= 0 && token((uint32_t)after, &next) == FDT_BEGIN_NODE)
		off = next;
	for (;;) {
		uint32_t t = token(off, &next);
		if (t == FDT_END)
			return -1;
		if (t == FDT_BEGIN_NODE && (int)off != after) {
			uint32_t len;
			const char *list = dt_prop((int)off, "compatible", &len);
			for (uint32_t i = 0; list && i < len;) {
				if (strcmp(list + i, compat) == 0)
					return (int)off;
				i += (uint32_t)strlen(list + i) + 1;
			}
		}
		off = next;
	}
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | dt_be32(p + 4 * i);
	return v;
}

int dt_reg(int node, unsigned index, uint64_t *base, uint64_t *size)
{
	uint32_t len, ac = 2, sc = 1;
	const void *p = dt_prop(0, "#address-cells", &len);
	if (p && len == 4)
		ac = dt_be32(p);
	p = dt_prop(0, "#size-cells", &len);
	if (p && len == 4)
		sc = dt_be32(p);
	const uint8_t *reg = dt_prop(node, "reg", &len);
	uint32_t entry = 4 * (ac + sc);
	if (!reg || ac > 2 || sc > 2 || entry == 0 || (index + 1) * entry > len)
		return -1;
	*base = read_cells(reg + index * entry, ac);
	*size = read_cells(reg + index * entry + 4 * ac, sc);
	return 0;
}

const char *dt_bootargs(void)
{
	uint32_t len;
	const char *s = dt_prop(dt_path("/chosen"), "bootargs", &len);
	return s && len > 0 && s[len - 1] == '\0' ? s : "";
}

unsigned dt_count_cpus(void)
{
	unsigned n = 0;
	for (int c = first_child(dt_path("/cpus")); c >= 0; c = next_sibling(c))
		if (strncmp(node_name(c), "cpu@", 4) == 0)
			n++;
	return n;
}
