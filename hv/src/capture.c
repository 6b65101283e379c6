/*
 * hv/src/capture.c — captures and scripted input at presents (capture.h).
 */
#include "capture.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "machine.h"
#include "mtlproto/rec.h"
#include "render/replay.h"

#define MAX_EVENTS_PER_LINE 8u

struct action {
	uint32_t frame;
	int done;
	int is_capture;
	int from_cli;           /* counts towards "exit after the last --capture" */
	enum input_target target;
	struct input_event_le ev[MAX_EVENTS_PER_LINE];
	unsigned nev;
	char *path;
};

struct frame_actions {
	struct machine *m;
	struct action *a;
	size_t n, cap;
	unsigned cli_pending;   /* --capture frames not written yet */
	const char *sigusr1_path;
	capture_input_fn input;
	capture_taken_fn taken;
	void *hook_ctx;
};

static volatile sig_atomic_t sigusr1_pending;

static void on_sigusr1(int sig)
{
	(void)sig;
	sigusr1_pending = 1;
}

int frame_actions_install_sigusr1(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigusr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	return sigaction(SIGUSR1, &sa, NULL);
}

static struct action *push(struct frame_actions *fa)
{
	if (fa->n == fa->cap) {
		size_t ncap = fa->cap ? 2 * fa->cap : 16;
		struct action *na = realloc(fa->a, ncap * sizeof *na);
		if (!na)
			return NULL;
		fa->a = na;
		fa->cap = ncap;
	}
	struct action *a = &fa->a[fa->n++];
	memset(a, 0, sizeof *a);
	return a;
}

/* --- script parsing -------------------------------------------------------- */

struct key_name { const char *name; uint16_t code; };
static const struct key_name key_names[] = {
	{"esc", 1}, {"1", 2}, {"2", 3}, {"3", 4}, {"4", 5}, {"5", 6}, {"6", 7}, {"7", 8}, {"8", 9}, {"9", 10},
	{"0", 11}, {"backspace", 14}, {"tab", 15}, {"q", 16}, {"w", 17}, {"e", 18}, {"r", 19}, {"t", 20},
	{"y", 21}, {"u", 22}, {"i", 23}, {"o", 24}, {"p", 25}, {"enter", 28}, {"a", 30}, {"s", 31}, {"d", 32},
	{"f", 33}, {"g", 34}, {"h", 35}, {"j", 36}, {"k", 37}, {"l", 38}, {"z", 44}, {"x", 45}, {"c", 46},
	{"v", 47}, {"b", 48}, {"n", 49}, {"m", 50}, {"space", 57}, {"up", 103}, {"left", 105}, {"right", 106},
	{"down", 108},
};

/* Split the next whitespace-separated token; returns its column (1-based) or 0 at end. */
static unsigned next_token(const char *line, size_t *pos, char *tok, size_t toklen)
{
	size_t i = *pos;
	while (line[i] == ' ' || line[i] == '\t')
		i++;
	if (line[i] == 0 || line[i] == '\n' || line[i] == '\r' || line[i] == '#')
		return 0;
	unsigned col = (unsigned)i + 1;
	size_t n = 0;
	while (line[i] && !isspace((unsigned char)line[i])) {
		if (n + 1 < toklen)
			tok[n++] = line[i];
		i++;
	}
	tok[n] = 0;
	*pos = i;
	return col;
}

static int parse_u32(const char *s, uint32_t *out)
{
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (*end || errno || v > 0xFFFFFFFFul)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static void ev_set(struct input_event_le *e, uint16_t type, uint16_t code, uint32_t value)
{
	e->type = type;
	e->code = code;
	e->value = value;
}

#define SYNTAX(colv, ...) do { *errcol = (colv); snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int frame_script_parse_line(const char *line, uint32_t width, uint32_t height, uint32_t *frame,
			    enum input_target *target, struct input_event_le *ev, unsigned max,
			    char *capture_path, size_t pathlen, unsigned *errcol, char *err, size_t errlen)
{
	char tok[256];
	size_t pos = 0;
	unsigned col = next_token(line, &pos, tok, sizeof tok);
	capture_path[0] = 0;
	if (!col)
		return 0;
	if (parse_u32(tok, frame) < 0)
		SYNTAX(col, "expected a frame_id, got '%s'", tok);
	unsigned acol = next_token(line, &pos, tok, sizeof tok);
	if (!acol)
		SYNTAX((unsigned)pos + 1, "expected an action (key, move, button, click, capture)");
	char action[16] = {0};
	memcpy(action, tok, strnlen(tok, sizeof action - 1));
	unsigned n = 0;
	if (max < MAX_EVENTS_PER_LINE)
		SYNTAX(acol, "internal: event buffer too small");
	if (!strcmp(action, "capture")) {
		unsigned pcol = next_token(line, &pos, tok, sizeof tok);
		if (!pcol)
			SYNTAX((unsigned)pos + 1, "capture needs a PNG path");
		snprintf(capture_path, pathlen, "%s", tok);
	} else if (!strcmp(action, "key")) {
		unsigned kcol = next_token(line, &pos, tok, sizeof tok);
		if (!kcol)
			SYNTAX((unsigned)pos + 1, "key needs a key code or name");
		uint32_t code = 0;
		int found = 0;
		for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
			if (!strcmp(key_names[i].name, tok)) {
				code = key_names[i].code;
				found = 1;
			}
		if (!found && (parse_u32(tok, &code) < 0 || code == 0 || code > 0x2ff))
			SYNTAX(kcol, "unknown key '%s' (a Linux KEY_ code 1..767 or a name such as a, enter, space)", tok);
		unsigned scol = next_token(line, &pos, tok, sizeof tok);
		if (!scol)
			SYNTAX((unsigned)pos + 1, "key needs down, up or press");
		*target = INPUT_KEYBOARD;
		if (!strcmp(tok, "down") || !strcmp(tok, "press")) {
			ev_set(&ev[n++], EV_KEY, (uint16_t)code, 1);
			ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
		}
		if (!strcmp(tok, "up") || !strcmp(tok, "press")) {
			ev_set(&ev[n++], EV_KEY, (uint16_t)code, 0);
			ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
		}
		if (n == 0)
			SYNTAX(scol, "expected down, up or press, got '%s'", tok);
	} else if (!strcmp(action, "move") || !strcmp(action, "click")) {
		uint32_t xy[2];
		for (int k = 0; k < 2; k++) {
			unsigned c = next_token(line, &pos, tok, sizeof tok);
			if (!c)
				SYNTAX((unsigned)pos + 1, "%s needs X Y", action);
			if (parse_u32(tok, &xy[k]) < 0 || xy[k] >= (k ? height : width))
				SYNTAX(c, "%s '%s' is not inside the %ux%u display", k ? "Y" : "X", tok, width, height);
		}
		*target = INPUT_TABLET;
		ev_set(&ev[n++], EV_ABS, ABS_X, xy[0]);
		ev_set(&ev[n++], EV_ABS, ABS_Y, xy[1]);
		ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
		if (!strcmp(action, "click")) {
			ev_set(&ev[n++], EV_KEY, BTN_LEFT, 1);
			ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
			ev_set(&ev[n++], EV_KEY, BTN_LEFT, 0);
			ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
		}
	} else if (!strcmp(action, "button")) {
		unsigned bcol = next_token(line, &pos, tok, sizeof tok);
		uint16_t btn = !bcol ? 0 : !strcmp(tok, "left") ? BTN_LEFT : !strcmp(tok, "right") ? BTN_RIGHT
			       : !strcmp(tok, "middle") ? BTN_MIDDLE : 0;
		if (!btn)
			SYNTAX(bcol ? bcol : (unsigned)pos + 1, "button needs left, right or middle");
		unsigned scol = next_token(line, &pos, tok, sizeof tok);
		*target = INPUT_TABLET;
		if (scol && (!strcmp(tok, "down") || !strcmp(tok, "press"))) {
			ev_set(&ev[n++], EV_KEY, btn, 1);
			ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
		}
		if (scol && (!strcmp(tok, "up") || !strcmp(tok, "press"))) {
			ev_set(&ev[n++], EV_KEY, btn, 0);
			ev_set(&ev[n++], EV_SYN, SYN_REPORT, 0);
		}
		if (n == 0)
			SYNTAX(scol ? scol : (unsigned)pos + 1, "expected down, up or press");
	} else {
		SYNTAX(acol, "unknown action '%s' (key, move, button, click, capture)", action);
	}
	unsigned extra = next_token(line, &pos, tok, sizeof tok);
	if (extra)
		SYNTAX(extra, "unexpected '%s' at the end of the line", tok);
	return (int)n;
}

static int load_script(struct frame_actions *fa, const struct hv_config *cfg, char *err, size_t errlen)
{
	FILE *f = fopen(cfg->events_path, "r");
	if (!f) {
		snprintf(err, errlen, "--events %s: %s", cfg->events_path, strerror(errno));
		return -1;
	}
	char line[1024];
	unsigned lineno = 0;
	int rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u:1: line longer than %zu bytes", cfg->events_path, lineno,
				 sizeof line - 2);
			rc = -1;
			break;
		}
		struct input_event_le ev[MAX_EVENTS_PER_LINE];
		uint32_t frame = 0;
		enum input_target target = INPUT_KEYBOARD;
		char path[512], why[256];
		unsigned col = 0;
		int n = frame_script_parse_line(line, cfg->width, cfg->height, &frame, &target, ev,
						MAX_EVENTS_PER_LINE, path, sizeof path, &col, why, sizeof why);
		if (n < 0) {
			snprintf(err, errlen, "%s:%u:%u: %s", cfg->events_path, lineno, col, why);
			rc = -1;
			break;
		}
		if (n == 0 && !path[0])
			continue;
		struct action *a = push(fa);
		if (!a || (path[0] && !(a->path = strdup(path)))) {
			snprintf(err, errlen, "--events: out of memory");
			rc = -1;
			break;
		}
		a->frame = frame;
		a->is_capture = path[0] != 0;
		a->target = target;
		a->nev = (unsigned)n;
		memcpy(a->ev, ev, (size_t)n * sizeof ev[0]);
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "--events %s: read error", cfg->events_path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

struct frame_actions *frame_actions_create(struct machine *m, const struct hv_config *cfg, char *err,
					   size_t errlen)
{
	struct frame_actions *fa = calloc(1, sizeof *fa);
	if (!fa) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fa->m = m;
	fa->sigusr1_path = cfg->sigusr1_capture_path ? cfg->sigusr1_capture_path : CAPTURE_SIGUSR1_DEFAULT;
	for (unsigned c = 0; c < cfg->ncaptures; c++) {
		const struct hv_capture *hc = &cfg->captures[c];
		for (unsigned k = 0; k < hc->nframes; k++) {
			struct action *a = push(fa);
			char path[1024];
			if (hc->multi)
				snprintf(path, sizeof path, "%s-%03u.png", hc->path, hc->frames[k]);
			else
				snprintf(path, sizeof path, "%s", hc->path);
			if (!a || !(a->path = strdup(path))) {
				snprintf(err, errlen, "out of memory");
				frame_actions_destroy(fa);
				return NULL;
			}
			a->frame = hc->frames[k];
			a->is_capture = 1;
			a->from_cli = 1;
			fa->cli_pending++;
		}
	}
	if (cfg->events_path && load_script(fa, cfg, err, errlen) < 0) {
		frame_actions_destroy(fa);
		return NULL;
	}
	return fa;
}

void frame_actions_set_hooks(struct frame_actions *fa, capture_input_fn input, capture_taken_fn taken, void *ctx)
{
	fa->input = input;
	fa->taken = taken;
	fa->hook_ctx = ctx;
}

void frame_actions_destroy(struct frame_actions *fa)
{
	if (!fa)
		return;
	for (size_t i = 0; i < fa->n; i++)
		free(fa->a[i].path);
	free(fa->a);
	free(fa);
}

static void write_capture(struct frame_actions *fa, struct replay_engine *engine, const char *path,
			  uint32_t frame_id)
{
	char why[512];
	if (replay_capture_png(engine, path, why, sizeof why) < 0) {
		hv_err(fa->m, "capture of frame %u failed: %s", frame_id, why);
		return;
	}
	hv_log(fa->m, "captured frame %u to %s", frame_id, path);
	if (fa->taken)
		fa->taken(fa->hook_ctx, frame_id);
}

/* "%u" in the SIGUSR1 path becomes the frame_id (no other printf). */
static void sigusr1_name(const char *pattern, uint32_t frame_id, char *out, size_t len)
{
	const char *p = strstr(pattern, "%u");
	if (!p) {
		snprintf(out, len, "%s", pattern);
		return;
	}
	snprintf(out, len, "%.*s%u%s", (int)(p - pattern), pattern, frame_id, p + 2);
}

void frame_actions_on_present(struct frame_actions *fa, struct replay_engine *engine, uint32_t frame_id,
			      uint64_t frame_index)
{
	(void)frame_index;
	for (size_t i = 0; i < fa->n; i++) {
		struct action *a = &fa->a[i];
		if (a->done || a->frame != frame_id)
			continue;
		a->done = 1;
		if (a->is_capture) {
			write_capture(fa, engine, a->path, frame_id);
			if (a->from_cli && --fa->cli_pending == 0)
				machine_request_exit(fa->m, HV_EXIT_POWEROFF, "all --capture frames written");
		} else if (fa->input) {
			fa->input(fa->hook_ctx, a->target, a->ev, a->nev);
		}
	}
	if (sigusr1_pending) {
		sigusr1_pending = 0;
		char path[1024];
		sigusr1_name(fa->sigusr1_path, frame_id, path, sizeof path);
		write_capture(fa, engine, path, frame_id);
	}
}
