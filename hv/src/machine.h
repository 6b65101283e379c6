/*
 * machine.h - the guest machine of DESIGN.md section 2, as devices see it.
 *
 * A struct machine owns guest RAM, the vCPUs (through a cpu.h backend), the
 * interrupt controller, guest time and the MMIO bus.  Devices (virtio-mmio,
 * the PL011, ...) register MMIO windows and timers and drive SPI lines; they
 * never see the CPU backend.  Everything here is called on the single vCPU
 * thread (MMIO handlers and timer callbacks run there), except where stated.
 */
#ifndef HV_MACHINE_H
#define HV_MACHINE_H

#include <stdarg.h>
#include <stdint.h>

#include "config.h"

/* Memory map (DESIGN.md section 2). */
#define HV_GIC_DIST_BASE 0x08000000ull
#define HV_GIC_DIST_SIZE 0x00010000ull
#define HV_GIC_REDIST_BASE 0x080A0000ull
#define HV_GIC_REDIST_STRIDE 0x00020000ull /* 128 KiB per CPU: RD_base + SGI_base */
#define HV_UART_BASE 0x09000000ull
#define HV_UART_SIZE 0x00001000ull
#define HV_UART_SPI 1u
#define HV_VIRTIO_BASE 0x0A000000ull
#define HV_VIRTIO_STRIDE 0x200ull
#define HV_VIRTIO_SLOTS 4u
#define HV_VIRTIO_SPI_BASE 48u /* slot n raises SPI 48+n (INTID 80+n), level-high */
#define HV_RAM_BASE 0x40000000ull
#define HV_DTB_MAX 0x00010000ull /* DTB area at RAM base, 64 KiB; kernels load above */

/* Virtual-time rate: one guest instruction = 1 ns of guest time
 * (a 1 GHz guest), and the generic timer counts at HV_CNTFRQ_HZ. */
#define HV_CNTFRQ_HZ 62500000ull

struct machine;

typedef uint64_t (*hv_mmio_read_fn)(void *ctx, uint64_t off, unsigned size);
typedef void (*hv_mmio_write_fn)(void *ctx, uint64_t off, uint64_t val, unsigned size);
typedef void (*hv_timer_fn)(void *ctx, uint64_t now_ns);

/*
 * Host pointer to guest physical [gpa, gpa+len), or NULL when that range is
 * not entirely inside guest RAM (overflow-safe: a huge len or gpa near
 * UINT64_MAX gives NULL).  len 0 is allowed when gpa is inside RAM.
 */
void *machine_gpa(struct machine *m, uint64_t gpa, uint64_t len);

/* Guest RAM bounds. */
uint64_t machine_ram_base(const struct machine *m);
uint64_t machine_ram_size(const struct machine *m);

/*
 * Register an MMIO window [base, base+size).  read/write get the offset
 * inside the window and the access size in bytes (1, 2, 4 or 8).  Windows
 * must not overlap each other or RAM.  Returns 0, or -1 (logged) on overlap
 * or when the table is full.
 */
int machine_add_mmio(struct machine *m, uint64_t base, uint64_t size, hv_mmio_read_fn read,
		     hv_mmio_write_fn write, void *ctx);

/* Drive a level-triggered SPI line (SPI n = INTID 32+n); level 0 or 1. */
void machine_set_spi(struct machine *m, unsigned spi, int level);

/*
 * Guest time in nanoseconds since boot: virtual by default (derived from
 * executed instructions, so identical runs see identical times), the host
 * monotonic clock with --realtime.
 */
uint64_t machine_now_ns(struct machine *m);

/*
 * One-shot timer: fire(ctx, now) runs on the vCPU thread between guest
 * instruction blocks once guest time reaches deadline_ns.  Re-arm from fire
 * for a periodic timer.  Returns an id >= 0, or -1 when the table is full.
 */
int machine_add_timer(struct machine *m, uint64_t deadline_ns, hv_timer_fn fire, void *ctx);

/* Cancel a timer by id (no effect when it has fired already). */
void machine_cancel_timer(struct machine *m, int id);

/*
 * Stop the machine: the run loop returns after the current instruction
 * block with this exit status (enum hv_exit_status); why is logged.
 * The first request wins.  Async-signal-unsafe; see machine_request_exit_async.
 */
void machine_request_exit(struct machine *m, int status, const char *why);

/* Async-signal-safe: stop the machine after the current time slice, exit
 * status 128 + sig (main.c calls it from its SIGINT/SIGTERM handler). */
void machine_stop_on_signal(struct machine *m, int sig);

/* The parsed configuration the machine was created with. */
const struct hv_config *machine_config(const struct machine *m);

/* Number of vCPUs. */
unsigned machine_ncpus(const struct machine *m);

/* Log to stderr, prefixed "metalvisor: ", only with --verbose. */
void hv_log(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Always log to stderr (errors, warnings about guest misbehaviour). */
void hv_err(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- lifecycle (main.c) ---------------------------------------------------- */

/* Create the machine: RAM, vCPUs, GIC, PL011, timers.  NULL + message on error. */
struct machine *machine_create(const struct hv_config *cfg);
/* Load the kernel ELF and build the DTB.  Returns 0 or an hv_exit_status. */
int machine_load(struct machine *m, const char *kernel_path);
/* Run until an exit is requested; returns the exit status. */
int machine_run(struct machine *m);
void machine_destroy(struct machine *m);

/* Implemented by the virtio area (hv/src/virtio_devices.c). */
int virtio_devices_setup(struct machine *m, const struct hv_config *cfg);
void virtio_devices_teardown(struct machine *m);

#endif
