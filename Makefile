# metalvisor — top-level build.
#
#   make            build libraries, tools, the hypervisor and tests into build/
#   make check      run every test, then again under ASan+UBSan (build/san/)
#   make bench      benchmarks against their baselines (docs/BENCHMARKS.md)
#   make fuzz       short, bounded libFuzzer runs of every parser
#   make demo       the main job (see README.md)
#   make deps       install missing Debian packages (and the project-local Unicorn)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Sources are found by convention, so adding a file needs no edit here:
#   mtlproto/src/*.c        -> build/lib/libmtlproto.a
#   render/msl/src/*.c      -> build/lib/libmsl.a
#   render/src/*.c          -> build/lib/librender.a
#   tools/common/*.c        -> build/lib/libtoolcommon.a
#   tools/NAME.c            -> build/bin/NAME
#   tests/test_NAME.c       -> build/tests/test_NAME   (cmocka, run by make check)
#   fuzz/fuzz_NAME.c        -> build/fuzz/fuzz_NAME    (clang -fsanitize=fuzzer)
#   bench/bench_NAME.c      -> build/bench/bench_NAME
# Areas with extra rules (hv/, examples/, benchmarks) add a fragment mk/AREA.mk.

.DEFAULT_GOAL := all
BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
SAN ?=
VERSION := 0.1.0

CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif
CLANG ?= clang
PKG_CONFIG ?= pkg-config

OPT ?= -O2
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CPPFLAGS_ALL := -Imtlproto/include -Irender/include -Irender/msl/include -Itools/common \
	-D_GNU_SOURCE -DMETALVISOR_VERSION='"$(VERSION)"'
CFLAGS_ALL := -std=c11 $(OPT) -g $(WARN) -pthread -MMD -MP
LDFLAGS_ALL := -pthread
ifneq ($(SAN),)
CFLAGS_ALL += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS_ALL += -fsanitize=address,undefined
endif

PKGS := libzstd libpng
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

COMPILE = $(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) $(CPPFLAGS)

# --- libraries ------------------------------------------------------------
MTLPROTO_SRC := $(wildcard mtlproto/src/*.c)
MSL_SRC := $(wildcard render/msl/src/*.c)
RENDER_SRC := $(wildcard render/src/*.c)
TOOLCOMMON_SRC := $(wildcard tools/common/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB_MTLPROTO := $(BUILD)/lib/libmtlproto.a
LIB_MSL := $(BUILD)/lib/libmsl.a
LIB_RENDER := $(BUILD)/lib/librender.a
LIB_TOOLCOMMON := $(BUILD)/lib/libtoolcommon.a
# Link order: dependants first.
ALL_LIBS := $(LIB_TOOLCOMMON) $(LIB_RENDER) $(LIB_MSL) $(LIB_MTLPROTO)
LINK_LIBS = $(ALL_LIBS) $(PKG_LIBS) -lm
# A program links every library unless its fragment narrows it, e.g.
#   LIBS_mtldump := $(PROTO_LIBS)      LIBS_test_decode := $(LIB_MTLPROTO)
# so work in progress in one area does not break another area's build.
PROTO_LIBS := $(LIB_TOOLCOMMON) $(LIB_MTLPROTO)
MSL_LIBS := $(LIB_TOOLCOMMON) $(LIB_MSL) $(LIB_MTLPROTO)
libs_of = $(or $(LIBS_$(1)),$(ALL_LIBS))
.SECONDEXPANSION:

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(COMPILE) -c $< -o $@

define static_lib
$(1): $(call obj,$(2))
	@mkdir -p $$(dir $$@)
	rm -f $$@
	ar rcs $$@ $$^
endef
$(eval $(call static_lib,$(LIB_MTLPROTO),$(MTLPROTO_SRC)))
$(eval $(call static_lib,$(LIB_MSL),$(MSL_SRC)))
$(eval $(call static_lib,$(LIB_RENDER),$(RENDER_SRC)))
$(eval $(call static_lib,$(LIB_TOOLCOMMON),$(TOOLCOMMON_SRC)))

# --- programs ---------------------------------------------------------------
TOOL_SRC := $(wildcard tools/*.c)
TOOLS := $(patsubst tools/%.c,$(BUILD)/bin/%,$(TOOL_SRC))
$(BUILD)/bin/%: $(BUILD)/obj/tools/%.o $$(call libs_of,$$*)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(call libs_of,$*) $(PKG_LIBS) -lm

TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(COMPILE) $(CMOCKA_CFLAGS) -c $< -o $@
$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $$(call libs_of,$$*)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(call libs_of,$*) $(PKG_LIBS) -lm $(CMOCKA_LIBS)

BENCH_SRC := $(wildcard bench/bench_*.c)
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $$(call libs_of,$$*)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $< $(call libs_of,$*) $(PKG_LIBS) -lm

# Fuzzers build their own copy of the libraries with clang.
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZERS := $(patsubst fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_LIB_SRC := $(MTLPROTO_SRC) $(MSL_SRC) $(RENDER_SRC)
FUZZ_FLAGS := -std=c11 -O1 -g $(WARN) -pthread -fsanitize=fuzzer,address,undefined $(CPPFLAGS_ALL)
build/fuzz/%: fuzz/%.c $(FUZZ_LIB_SRC) $(wildcard mtlproto/include/*/*.h render/include/*/*.h render/msl/include/*/*.h)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(PKG_LIBS) -lm
FUZZ_SECONDS ?= 20

# Area fragments (hv/, examples/, benchmarks, demo) extend these lists.
ALL_TARGETS := $(ALL_LIBS) $(TOOLS) $(TESTS) $(BENCHES) $(BUILD)/lib/pkgconfig/mtlproto.pc
CHECK_TARGETS :=
BENCH_TARGETS :=
-include $(sort $(wildcard mk/*.mk))

.PHONY: all check test test-run check-san bench fuzz demo deps install clean
all: $(ALL_TARGETS)

$(BUILD)/lib/pkgconfig/mtlproto.pc: mtlproto/mtlproto.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# Tests run from the top of the tree so they find corpus/ by relative path.
test-run: all
	@set -e; fails=0; n=0; \
	for t in $(TESTS); do n=$$((n+1)); \
		echo "== $$t"; if ! $$t; then fails=$$((fails+1)); echo "FAILED: $$t"; fi; \
	done; \
	for t in $(CHECK_TARGETS); do n=$$((n+1)); \
		echo "== $$t"; if ! $(MAKE) --no-print-directory BUILD=$(BUILD) SAN=$(SAN) $$t; then fails=$$((fails+1)); echo "FAILED: $$t"; fi; \
	done; \
	echo "$$((n-fails)) $$fails" > $(BUILD)/test-counts; \
	echo "$(BUILD): $$((n-fails)) passed, $$fails failed"; test $$fails -eq 0

test: test-run

check: deps-if-needed
	$(MAKE) --no-print-directory BUILD=build test-run
	$(MAKE) --no-print-directory BUILD=build/san SAN=1 OPT=-O1 test-run
	@cat build/test-counts build/san/test-counts | \
		awk '{p += $$1; f += $$2} END {printf "check: %d passed, %d failed\n", p, f}'

bench: all $(BENCH_TARGETS)

fuzz: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do \
		n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
		seeds=; test -d fuzz/seeds/$$n && seeds=fuzz/seeds/$$n; \
		echo "== $$n ($(FUZZ_SECONDS)s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 build/fuzz/corpus-$$n $$seeds; \
	done

deps:
	./mk/deps.sh

# make check/demo install what is missing but stay quiet when nothing is.
deps-if-needed:
	@./mk/deps.sh --quiet

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/mtlproto
	install -m 755 $(TOOLS) $(INSTALL_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIB_MTLPROTO) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 mtlproto/include/mtlproto/*.h $(DESTDIR)$(PREFIX)/include/mtlproto/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' mtlproto/mtlproto.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/mtlproto.pc

clean:
	rm -rf build

# Keep intermediate objects so a second make does not rebuild them.
.SECONDARY:

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
