/* test_hv_dtb.c - the machine's device tree, read back with libfdt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "dtb.h"
#include "machine.h"

static uint8_t blob[HV_DTB_MAX];
static char err[256];

static void build(unsigned ncpus, const char *bootargs)
{
	struct fdt_params p = { HV_RAM_BASE, 256ull << 20, ncpus, bootargs, HV_VIRTIO_SLOTS };
	assert_int_equal(hv_fdt_build(&p, blob, sizeof blob, err, sizeof err), 0);
	assert_int_equal(fdt_check_header(blob), 0);
}

static const void *prop(const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(blob, path);
	if (node < 0)
		fail_msg("no node %s", path);
	const void *v = fdt_getprop(blob, node, name, len);
	if (!v)
		fail_msg("no property %s in %s", name, path);
	return v;
}

static uint32_t cell(const void *p, int i) { return fdt32_to_cpu(((const fdt32_t *)p)[i]); }

static void test_root_memory_chosen(void **state)
{
	build(4, "frames=3 console=ttyAMA0");
	int len;
	assert_string_equal(prop("/", "compatible", &len), "linux,dummy-virt");
	assert_int_equal(cell(prop("/", "#address-cells", &len), 0), 2);
	assert_int_equal(cell(prop("/", "#size-cells", &len), 0), 2);
	const void *reg = prop("/memory@40000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(cell(reg, 1), 0x40000000);
	assert_int_equal(cell(reg, 3), 256u << 20);
	assert_string_equal(prop("/memory@40000000", "device_type", &len), "memory");
	assert_string_equal(prop("/chosen", "bootargs", &len), "frames=3 console=ttyAMA0");
	assert_string_equal(prop("/chosen", "stdout-path", &len), "/pl011@9000000");
}

static void test_cpus_and_psci(void **state)
{
	build(3, NULL);
	int len, n = 0, node;
	fdt_for_each_subnode(node, blob, fdt_path_offset(blob, "/cpus")) {
		assert_string_equal(fdt_getprop(blob, node, "enable-method", &len), "psci");
		assert_int_equal(cell(fdt_getprop(blob, node, "reg", &len), 0), n);
		n++;
	}
	assert_int_equal(n, 3);
	const char *compat = prop("/psci", "compatible", &len);
	assert_string_equal(compat, "arm,psci-1.0");
	assert_string_equal(compat + strlen(compat) + 1, "arm,psci-0.2");
	assert_string_equal(prop("/psci", "method", &len), "hvc");
	assert_string_equal(prop("/chosen", "bootargs", &len), "");
}

static void test_gic_timer_uart(void **state)
{
	build(2, "");
	int len;
	int gic = fdt_node_offset_by_compatible(blob, -1, "arm,gic-v3");
	assert_true(gic >= 0);
	assert_int_equal(cell(fdt_getprop(blob, gic, "#interrupt-cells", &len), 0), 3);
	assert_non_null(fdt_getprop(blob, gic, "interrupt-controller", &len));
	const void *reg = fdt_getprop(blob, gic, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(cell(reg, 1), 0x08000000);
	assert_int_equal(cell(reg, 5), 0x080A0000);
	assert_int_equal(cell(reg, 7), 2 * 0x20000); /* one frame per CPU */
	uint32_t phandle = fdt_get_phandle(blob, gic);
	assert_int_equal(cell(prop("/", "interrupt-parent", &len), 0), phandle);

	int timer = fdt_node_offset_by_compatible(blob, -1, "arm,armv8-timer");
	const void *irqs = fdt_getprop(blob, timer, "interrupts", &len);
	assert_int_equal(len, 48);
	static const uint32_t ppis[4] = { 13, 14, 11, 10 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(cell(irqs, 3 * i), 1); /* PPI */
		assert_int_equal(cell(irqs, 3 * i + 1), ppis[i]);
	}

	int uart = fdt_node_offset_by_compatible(blob, -1, "arm,pl011");
	assert_true(uart >= 0);
	assert_int_equal(fdt_node_check_compatible(blob, uart, "arm,primecell"), 0);
	assert_int_equal(cell(fdt_getprop(blob, uart, "reg", &len), 1), 0x09000000);
	const void *clk = fdt_getprop(blob, uart, "clocks", &len);
	assert_int_equal(len, 8);
	int clknode = fdt_node_offset_by_phandle(blob, cell(clk, 0));
	assert_int_equal(fdt_node_check_compatible(blob, clknode, "fixed-clock"), 0);
	assert_int_equal(cell(fdt_getprop(blob, uart, "interrupts", &len), 1), 1); /* SPI 1 */
}

static void test_virtio_nodes(void **state)
{
	build(1, NULL);
	int node = -1, n = 0, len;
	while ((node = fdt_node_offset_by_compatible(blob, node, "virtio,mmio")) >= 0) {
		const void *reg = fdt_getprop(blob, node, "reg", &len);
		assert_int_equal(cell(reg, 1), 0x0A000000 + 0x200 * n);
		assert_int_equal(cell(reg, 3), 0x200);
		const void *irq = fdt_getprop(blob, node, "interrupts", &len);
		assert_int_equal(cell(irq, 0), 0); /* SPI */
		assert_int_equal(cell(irq, 1), 48 + n);
		assert_int_equal(cell(irq, 2), 4); /* level high */
		assert_non_null(fdt_getprop(blob, node, "dma-coherent", &len));
		n++;
	}
	assert_int_equal(n, 4);
}

static void test_too_small_buffer(void **state)
{
	struct fdt_params p = { HV_RAM_BASE, 256ull << 20, 4, "x", HV_VIRTIO_SLOTS };
	assert_int_equal(hv_fdt_build(&p, blob, 256, err, sizeof err), -1);
	assert_non_null(strstr(err, "device tree"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_memory_chosen),
		cmocka_unit_test(test_cpus_and_psci),
		cmocka_unit_test(test_gic_timer_uart),
		cmocka_unit_test(test_virtio_nodes),
		cmocka_unit_test(test_too_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
