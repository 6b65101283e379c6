/*
 * cpu_kvm.c - the KVM CPU backend (Linux/arm64 hosts), behind cpu.h.
 *
 * Compiled in CI with aarch64-linux-gnu-gcc (mk/hv.mk: hv-kvm-compile); it
 * has not been run here (this machine is x86-64 with no arm64 KVM).
 *
 * What KVM does itself: the GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3 at the
 * machine's distributor/redistributor addresses), the generic timer, PSCI
 * 0.2+ (KVM_ARM_VCPU_PSCI_0_2; secondaries start powered off and CPU_ON
 * is handled in the kernel), WFI.  What comes back here: MMIO exits (sent
 * to the machine's handlers, the same ones the Unicorn backend calls) and
 * system events (SYSTEM_OFF / SYSTEM_RESET).  There is no instruction
 * count, so the machine runs this backend in real time (--realtime).
 *
 * All vCPUs run on the calling thread in turn.  A vCPU blocked in the
 * kernel (WFI, or powered off) is pulled out by a periodic SIGALRM
 * (KVM_RUN returns EINTR), so the others get their turn.
 */
#include "cpu.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#define GIC_DIST_BASE 0x08000000ull
#define GIC_REDIST_BASE 0x080A0000ull
#define GIC_NR_IRQS 128u
#define SLICE_US 1000 /* SIGALRM period: the longest a vCPU keeps the thread */

struct kvcpu {
	int fd;
	struct kvm_run *run;
	char err[256];
};

struct cpu_backend {
	struct cpu_host host;
	int kvm, vm, gic;
	unsigned ncpus;
	size_t run_size;
	struct kvcpu cpus[];
};

static void on_alarm(int sig) { (void)sig; }

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

static int set_gic_attr(int fd, uint32_t group, uint64_t attr, void *addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)addr };
	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a);
}

struct cpu_backend *hvcpu_create(const struct cpu_host *host, unsigned ncpus,
				 struct cpu_counter *counters, char *err, size_t errlen)
{
	(void)counters; /* KVM cannot count guest instructions */
	struct cpu_backend *b = calloc(1, sizeof *b + ncpus * sizeof b->cpus[0]);
	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->host = *host;
	b->ncpus = ncpus;
	b->gic = b->vm = -1;
	for (unsigned i = 0; i < ncpus; i++)
		b->cpus[i].fd = -1;
	b->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (b->kvm < 0) {
		fail(err, errlen, "open /dev/kvm");
		goto out;
	}
	b->vm = ioctl(b->kvm, KVM_CREATE_VM, 0);
	if (b->vm < 0) {
		fail(err, errlen, "KVM_CREATE_VM");
		goto out;
	}
	int sz = ioctl(b->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		fail(err, errlen, "KVM_GET_VCPU_MMAP_SIZE");
		goto out;
	}
	b->run_size = (size_t)sz;
	struct kvm_vcpu_init init;
	if (ioctl(b->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		fail(err, errlen, "KVM_ARM_PREFERRED_TARGET");
		goto out;
	}
	for (unsigned i = 0; i < ncpus; i++) {
		struct kvcpu *c = &b->cpus[i];
		c->fd = ioctl(b->vm, KVM_CREATE_VCPU, i);
		if (c->fd < 0) {
			fail(err, errlen, "KVM_CREATE_VCPU");
			goto out;
		}
		c->run = mmap(NULL, b->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
		if (c->run == MAP_FAILED) {
			c->run = NULL;
			fail(err, errlen, "mmap kvm_run");
			goto out;
		}
		struct kvm_vcpu_init vi = init;
		memset(vi.features, 0, sizeof vi.features);
		vi.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
		if (i > 0)
			vi.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF; /* started by PSCI CPU_ON */
		if (ioctl(c->fd, KVM_ARM_VCPU_INIT, &vi) < 0) {
			fail(err, errlen, "KVM_ARM_VCPU_INIT");
			goto out;
		}
	}
	/* In-kernel GICv3 at the machine's addresses (after the vCPUs exist). */
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	if (ioctl(b->vm, KVM_CREATE_DEVICE, &cd) < 0) {
		fail(err, errlen, "KVM_CREATE_DEVICE (vGICv3)");
		goto out;
	}
	b->gic = (int)cd.fd;
	uint64_t dist = GIC_DIST_BASE, redist = GIC_REDIST_BASE;
	uint32_t nr = GIC_NR_IRQS;
	if (set_gic_attr(b->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) < 0 ||
	    set_gic_attr(b->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist) < 0 ||
	    set_gic_attr(b->gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr) < 0 ||
	    set_gic_attr(b->gic, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) < 0) {
		fail(err, errlen, "configuring the vGICv3");
		goto out;
	}
	/* Time slices: SIGALRM without SA_RESTART makes KVM_RUN return EINTR. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, SLICE_US }, { 0, SLICE_US } };
	setitimer(ITIMER_REAL, &it, NULL);
	return b;
out:
	hvcpu_destroy(b);
	return NULL;
}

void hvcpu_destroy(struct cpu_backend *b)
{
	if (!b)
		return;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	for (unsigned i = 0; i < b->ncpus; i++) {
		if (b->cpus[i].run)
			munmap(b->cpus[i].run, b->run_size);
		if (b->cpus[i].fd >= 0)
			close(b->cpus[i].fd);
	}
	if (b->gic >= 0)
		close(b->gic);
	if (b->vm >= 0)
		close(b->vm);
	if (b->kvm >= 0)
		close(b->kvm);
	free(b);
}

const char *hvcpu_name(const struct cpu_backend *b) { return "kvm"; }
bool hvcpu_has_irqchip(const struct cpu_backend *b) { return true; }

int hvcpu_map_ram(struct cpu_backend *b, uint64_t gpa, void *host, uint64_t size)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};
	return ioctl(b->vm, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -1 : 0;
}

/* Unbacked guest-physical addresses exit with KVM_EXIT_MMIO: nothing to map. */
int hvcpu_map_mmio(struct cpu_backend *b, uint64_t gpa, uint64_t size) { return 0; }

#define CORE_REG(field)                                                          \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                   \
	 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))
#define CPACR_EL1_REG ARM64_SYS_REG(3, 0, 1, 0, 2)

static int reg_id(enum cpu_reg r, uint64_t *id)
{
	if (r <= 30)
		*id = CORE_REG(regs.regs[0]) + 2 * (uint64_t)r; /* 64-bit regs: 2 words apart */
	else if (r == CPU_REG_SP)
		*id = CORE_REG(sp_el1);
	else if (r == CPU_REG_PC)
		*id = CORE_REG(regs.pc);
	else if (r == CPU_REG_PSTATE)
		*id = CORE_REG(regs.pstate);
	else
		return -1;
	return 0;
}

static int set_one(int fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };
	return ioctl(fd, KVM_SET_ONE_REG, &r);
}

int hvcpu_get_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t *val)
{
	uint64_t id;
	if (cpu >= b->ncpus || reg_id(r, &id) < 0)
		return -1;
	struct kvm_one_reg one = { .id = id, .addr = (uint64_t)(uintptr_t)val };
	return ioctl(b->cpus[cpu].fd, KVM_GET_ONE_REG, &one) < 0 ? -1 : 0;
}

int hvcpu_set_reg(struct cpu_backend *b, unsigned cpu, enum cpu_reg r, uint64_t val)
{
	uint64_t id;
	if (cpu >= b->ncpus || reg_id(r, &id) < 0)
		return -1;
	return set_one(b->cpus[cpu].fd, id, val) < 0 ? -1 : 0;
}

int hvcpu_reset(struct cpu_backend *b, unsigned cpu, uint64_t entry, uint64_t x0)
{
	int fd = b->cpus[cpu].fd;
	/* KVM_ARM_VCPU_INIT reset the vCPU to EL1h with DAIF masked; set the
	 * boot registers and turn FP/SIMD on, as the Unicorn backend does. */
	if (set_one(fd, CORE_REG(regs.pstate), 0x3C5) < 0 || set_one(fd, CORE_REG(regs.pc), entry) < 0 ||
	    set_one(fd, CORE_REG(regs.regs[0]), x0) < 0 || set_one(fd, CPACR_EL1_REG, 3u << 20) < 0) {
		snprintf(b->cpus[cpu].err, sizeof b->cpus[cpu].err, "setting boot registers: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void do_mmio(struct cpu_backend *b, unsigned cpu, struct kvm_run *run)
{
	unsigned len = run->mmio.len;
	if (len == 0 || len > 8)
		return;
	if (run->mmio.is_write) {
		uint64_t v = 0;
		memcpy(&v, run->mmio.data, len); /* little-endian host and guest */
		b->host.mmio_write(b->host.ctx, cpu, run->mmio.phys_addr, v, len);
	} else {
		uint64_t v = b->host.mmio_read(b->host.ctx, cpu, run->mmio.phys_addr, len);
		memcpy(run->mmio.data, &v, len);
	}
}

enum cpu_exit hvcpu_run(struct cpu_backend *b, unsigned cpu)
{
	struct kvcpu *c = &b->cpus[cpu];
	for (;;) {
		if (ioctl(c->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				c->run->immediate_exit = 0;
				return CPU_EXIT_LIMIT; /* time slice over, or kicked */
			}
			snprintf(c->err, sizeof c->err, "KVM_RUN: %s", strerror(errno));
			return CPU_EXIT_ERROR;
		}
		switch (c->run->exit_reason) {
		case KVM_EXIT_MMIO:
			do_mmio(b, cpu, c->run);
			if (c->run->immediate_exit) {
				/* The MMIO handler kicked us: complete the access first. */
				continue;
			}
			break;
		case KVM_EXIT_INTR:
			return CPU_EXIT_LIMIT;
		case KVM_EXIT_SYSTEM_EVENT:
			if (c->run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
				return CPU_EXIT_SYSTEM_OFF;
			if (c->run->system_event.type == KVM_SYSTEM_EVENT_RESET)
				return CPU_EXIT_SYSTEM_RESET;
			snprintf(c->err, sizeof c->err, "system event %u", c->run->system_event.type);
			return CPU_EXIT_ERROR;
		default:
			snprintf(c->err, sizeof c->err, "unexpected KVM exit %u", c->run->exit_reason);
			return CPU_EXIT_ERROR;
		}
	}
}

void hvcpu_kick(struct cpu_backend *b, unsigned cpu)
{
	/* Called between KVM_RUNs (from an MMIO handler): the next KVM_RUN
	 * completes the pending MMIO and returns at once (KVM_CAP_IMMEDIATE_EXIT). */
	b->cpus[cpu].run->immediate_exit = 1;
}

int hvcpu_take_irq(struct cpu_backend *b, unsigned cpu) { return -1; /* the vGIC does it */ }

int hvcpu_set_spi(struct cpu_backend *b, unsigned spi, int level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32u + spi),
		.level = (uint32_t)(level != 0),
	};
	return ioctl(b->vm, KVM_IRQ_LINE, &irq) < 0 ? -1 : 0;
}

const char *hvcpu_last_error(const struct cpu_backend *b, unsigned cpu)
{
	return b->cpus[cpu].err[0] ? b->cpus[cpu].err : "unknown error";
}
