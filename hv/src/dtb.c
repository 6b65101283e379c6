/* dtb.c - build the DTB: memory, cpus, psci, gic, timer, uart, virtio, chosen. */
#include "dtb.h"

#include "machine.h"

#include <libfdt.h>
#include <stdio.h>

#define PHANDLE_GIC 1u
#define PHANDLE_CLK 2u
/* GIC interrupt specifier: type (0 SPI, 1 PPI), number, flags (4 = level high). */
#define GIC_SPI 0u
#define GIC_PPI 1u
#define IRQ_LEVEL_HIGH 4u

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
	return fdt_property(fdt, "reg", reg, sizeof reg);
}

static int prop_irq(void *fdt, uint32_t type, uint32_t num, uint32_t flags)
{
	fdt32_t v[3] = { cpu_to_fdt32(type), cpu_to_fdt32(num), cpu_to_fdt32(flags) };
	return fdt_property(fdt, "interrupts", v, sizeof v);
}

static int build(const struct fdt_params *p, void *fdt, size_t size)
{
	char name[64];
	int e = 0;
#define TRY(x)                                                                   \
	do {                                                                     \
		if ((e = (x)) < 0)                                               \
			return e;                                                \
	} while (0)
	TRY(fdt_create(fdt, (int)size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(fdt, "model", "metalvisor"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_GIC));

	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "bootargs", p->bootargs ? p->bootargs : ""));
	snprintf(name, sizeof name, "/pl011@%llx", (unsigned long long)HV_UART_BASE);
	TRY(fdt_property_string(fdt, "stdout-path", name));
	TRY(fdt_end_node(fdt));

	snprintf(name, sizeof name, "memory@%llx", (unsigned long long)p->ram_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_reg(fdt, p->ram_base, p->ram_size));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned c = 0; c < p->ncpus; c++) {
		snprintf(name, sizeof name, "cpu@%u", c);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a72"));
		TRY(fdt_property_u32(fdt, "reg", c));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "psci"));
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	TRY(fdt_property(fdt, "compatible", psci_compat, sizeof psci_compat));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	TRY(fdt_end_node(fdt));

	snprintf(name, sizeof name, "intc@%llx", (unsigned long long)HV_GIC_DIST_BASE);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	{
		fdt64_t reg[4] = { cpu_to_fdt64(HV_GIC_DIST_BASE), cpu_to_fdt64(HV_GIC_DIST_SIZE),
				   cpu_to_fdt64(HV_GIC_REDIST_BASE),
				   cpu_to_fdt64(HV_GIC_REDIST_STRIDE * p->ncpus) };
		TRY(fdt_property(fdt, "reg", reg, sizeof reg));
	}
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "timer"));
	static const char timer_compat[] = "arm,armv8-timer";
	TRY(fdt_property(fdt, "compatible", timer_compat, sizeof timer_compat));
	{
		/* secure phys 13, non-secure phys 14, virtual 11, hypervisor 10 */
		static const uint32_t ppis[4] = { 13, 14, 11, 10 };
		fdt32_t v[12];
		for (unsigned i = 0; i < 4; i++) {
			v[3 * i] = cpu_to_fdt32(GIC_PPI);
			v[3 * i + 1] = cpu_to_fdt32(ppis[i]);
			v[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
		}
		TRY(fdt_property(fdt, "interrupts", v, sizeof v));
	}
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	TRY(fdt_property_u32(fdt, "clock-frequency", 24000000));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_CLK));
	TRY(fdt_end_node(fdt));

	snprintf(name, sizeof name, "pl011@%llx", (unsigned long long)HV_UART_BASE);
	TRY(fdt_begin_node(fdt, name));
	static const char uart_compat[] = "arm,pl011\0arm,primecell";
	TRY(fdt_property(fdt, "compatible", uart_compat, sizeof uart_compat));
	TRY(prop_reg(fdt, HV_UART_BASE, HV_UART_SIZE));
	TRY(prop_irq(fdt, GIC_SPI, HV_UART_SPI, IRQ_LEVEL_HIGH));
	{
		fdt32_t clk[2] = { cpu_to_fdt32(PHANDLE_CLK), cpu_to_fdt32(PHANDLE_CLK) };
		TRY(fdt_property(fdt, "clocks", clk, sizeof clk));
		static const char clk_names[] = "uartclk\0apb_pclk";
		TRY(fdt_property(fdt, "clock-names", clk_names, sizeof clk_names));
	}
	TRY(fdt_end_node(fdt));

	for (unsigned s = 0; s < p->virtio_slots; s++) {
		uint64_t base = HV_VIRTIO_BASE + s * HV_VIRTIO_STRIDE;
		snprintf(name, sizeof name, "virtio_mmio@%llx", (unsigned long long)base);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
		TRY(prop_reg(fdt, base, HV_VIRTIO_STRIDE));
		TRY(prop_irq(fdt, GIC_SPI, HV_VIRTIO_SPI_BASE + s, IRQ_LEVEL_HIGH));
		TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
		TRY(fdt_end_node(fdt));
	}

	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
#undef TRY
	return 0;
}

int hv_fdt_build(const struct fdt_params *p, void *buf, size_t size, char *err, size_t errlen)
{
	int e = build(p, buf, size);
	if (e < 0) {
		snprintf(err, errlen, "building the device tree: %s%s", fdt_strerror(e),
			 e == -FDT_ERR_NOSPACE ? " (bootargs too long?)" : "");
		return -1;
	}
	return 0;
}
