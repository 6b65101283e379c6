# Example guests (issue 7 part 5): examples/NAME/*.c + examples/common/*.{c,S}
# + mtlproto's freestanding encoder -> $(BUILD)/examples/NAME.elf, built with
# the aarch64 cross compiler when it exists (`make examples`).
CROSS ?= aarch64-linux-gnu-
GUEST_CC := $(CROSS)gcc
HAVE_GUEST_CC := $(shell command -v $(GUEST_CC) >/dev/null 2>&1 && echo yes)

GUEST_CFLAGS := -std=c11 -O2 -g -ffreestanding -nostdlib -fno-builtin-printf -fno-stack-protector \
	-fno-pic -fno-pie -march=armv8-a -mstrict-align -mno-outline-atomics \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iexamples/common -Imtlproto/include
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,examples/common/link.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
EXAMPLE_NAMES := $(filter-out common,$(notdir $(patsubst %/,%,$(dir $(wildcard examples/*/*.c)))))
EXAMPLE_NAMES := $(sort $(EXAMPLE_NAMES))
EXAMPLE_ELFS := $(patsubst %,$(BUILD)/examples/%.elf,$(EXAMPLE_NAMES))
GUEST_COMMON_SRC := $(wildcard examples/common/*.c examples/common/*.S) mtlproto/src/encode.c
gobj = $(patsubst %,$(BUILD)/gobj/%.o,$(1))

$(BUILD)/gobj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/gobj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

# One link rule per example: its own sources plus the common runtime.
define example_rule
$(BUILD)/examples/$(1).elf: $(call gobj,$(wildcard examples/$(1)/*.c) $(GUEST_COMMON_SRC)) examples/common/link.ld
	@mkdir -p $$(dir $$@)
	$(GUEST_CC) $(GUEST_LDFLAGS) -o $$@ $$(filter %.o,$$^) -lgcc
endef
$(foreach e,$(EXAMPLE_NAMES),$(eval $(call example_rule,$(e))))

.PHONY: examples
ifeq ($(HAVE_GUEST_CC),yes)
examples: $(EXAMPLE_ELFS)
ALL_TARGETS += $(EXAMPLE_ELFS)
else
examples:
	@echo "examples: $(GUEST_CC) not found (install gcc-aarch64-linux-gnu: make deps)"; exit 1
endif
-include $(shell find $(BUILD)/gobj -name '*.d' 2>/dev/null)
