/*
 * hv/src/capture.h — what happens at a present: captures (--capture, the
 * --events script, SIGUSR1) and scripted input (--events), keyed by the
 * guest's frame_id.
 *
 * A frame action fires at the first PRESENT_AND_COMMIT whose frame_id
 * matches (DESIGN.md §3: "--capture N matches the first present with
 * frame_id N"). After the last --capture frame is written the machine is
 * asked to exit with status 0.
 *
 * The --events file is a line script (docs/HYPERVISOR.md, "Events script"):
 *
 *     # comment
 *     FRAME key CODE down|up|press      keyboard (CODE: Linux KEY_ number or a name: a..z 0..9
 *                                       enter space esc tab backspace up down left right)
 *     FRAME move X Y                    tablet, absolute framebuffer pixels
 *     FRAME button left|right|middle down|up|press
 *     FRAME click X Y                   move, then left press
 *     FRAME capture PATH                write that frame as PNG
 *
 * Errors name FILE:LINE:COL.
 */
#ifndef HV_CAPTURE_H
#define HV_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct machine;
struct hv_config;
struct replay_engine;

/* Linux input event codes used by the script and virtio-input. */
#define EV_SYN 0x00
#define EV_KEY 0x01
#define EV_ABS 0x03
#define SYN_REPORT 0
#define ABS_X 0x00
#define ABS_Y 0x01
#define BTN_LEFT 0x110
#define BTN_RIGHT 0x111
#define BTN_MIDDLE 0x112

/* One virtio-input event (virtio 1.2, 5.8.6.1): le16 type, le16 code, le32 value. */
struct input_event_le {
	uint16_t type, code;
	uint32_t value;
};

enum input_target { INPUT_KEYBOARD = 0, INPUT_TABLET = 1 };

/* Where scripted input goes: the virtio-input devices. */
typedef void (*capture_input_fn)(void *ctx, enum input_target target, const struct input_event_le *ev,
				 unsigned n);
/* A capture was written (for a MTLREC_CAPTURE record). */
typedef void (*capture_taken_fn)(void *ctx, uint32_t frame_id);

struct frame_actions;

/* Build from --capture options and the --events file. NULL with err
 * ("FILE:LINE:COL: why") on a script error or no memory. */
struct frame_actions *frame_actions_create(struct machine *m, const struct hv_config *cfg, char *err,
					   size_t errlen);
void frame_actions_set_hooks(struct frame_actions *fa, capture_input_fn input, capture_taken_fn taken, void *ctx);
void frame_actions_destroy(struct frame_actions *fa);

/* Run everything due at this present (the frame is final in engine). */
void frame_actions_on_present(struct frame_actions *fa, struct replay_engine *engine, uint32_t frame_id,
			      uint64_t frame_index);

/* SIGUSR1: capture the next presented frame to `path` (a "%u" in it is
 * replaced by the frame_id). The handler only sets a flag. */
int frame_actions_install_sigusr1(void);
#define CAPTURE_SIGUSR1_DEFAULT "metalvisor-capture-%u.png"

/* Parse one script line (exposed for tests). Returns the number of input
 * events written to ev (≤ max), 0 for blank/comment/capture lines; -1 with
 * err on a syntax error. */
int frame_script_parse_line(const char *line, uint32_t width, uint32_t height, uint32_t *frame,
			    enum input_target *target, struct input_event_le *ev, unsigned max,
			    char *capture_path, size_t pathlen, unsigned *errcol, char *err, size_t errlen);

#endif
