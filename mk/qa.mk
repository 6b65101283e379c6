# mk/qa.mk — independent QA: streams written byte by byte from DESIGN §3
# (tests/qa/qa_wire.h, not the project's encoder), realistic MSL, and
# hostile inputs, run through the libraries and every tool.

LIBS_test_qa_streams := $(LIB_MTLPROTO)

# The tool-level scripts read JSON with jq and PNG pixels with python3
# (tests/qa/pngpix.py). Where either is missing they are not registered and
# check-qa-deps says so loudly (mk/deps.sh does not install them yet).
QA_HAVE_TOOLS := $(shell command -v jq >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 && echo yes)
ifneq ($(QA_HAVE_TOOLS),yes)
.PHONY: check-qa-deps
check-qa-deps:
	@echo "check-qa-*: SKIPPED: jq and python3 are needed for the tool-level QA checks (apt-get install jq python3)"
CHECK_TARGETS += check-qa-deps
endif

# The stream generator is standalone (no project library): its bytes come
# from the spec alone.
QA_GEN := $(BUILD)/qa/gen_qa_streams
$(QA_GEN): tests/qa/gen_qa_streams.c tests/qa/qa_streams.h tests/qa/qa_wire.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g $(WARN) -ffp-contract=off $(CFLAGS) -o $@ $< -lm
ALL_TARGETS += $(QA_GEN)

# Every tool over the QA streams (tests/qa/tools.sh).
.PHONY: check-qa-tools
check-qa-tools: $(QA_GEN) $(BUILD)/bin/mtldump $(BUILD)/bin/mtlvalidate $(BUILD)/bin/mtlrec \
		$(BUILD)/bin/mtlinfo $(BUILD)/bin/mtlreplay
	@tests/qa/tools.sh $(BUILD)
ifeq ($(QA_HAVE_TOOLS),yes)
CHECK_TARGETS += check-qa-tools
endif

# Realistic, wrong and hostile MSL through mtlshader (tests/qa/shaders.sh).
.PHONY: check-qa-shaders
check-qa-shaders: $(BUILD)/bin/mtlshader
	@tests/qa/shaders.sh $(BUILD)
ifeq ($(QA_HAVE_TOOLS),yes)
CHECK_TARGETS += check-qa-shaders
endif

# Hostile streams and corrupted recordings through every tool (tests/qa/hostile.sh).
QA_HOSTILE_GEN := $(BUILD)/qa/gen_qa_hostile
$(QA_HOSTILE_GEN): tests/qa/gen_qa_hostile.c tests/qa/qa_streams.h tests/qa/qa_wire.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g $(WARN) $(CFLAGS) -o $@ $< -lm
ALL_TARGETS += $(QA_HOSTILE_GEN)
.PHONY: check-qa-hostile
check-qa-hostile: $(QA_HOSTILE_GEN) $(BUILD)/bin/mtldump $(BUILD)/bin/mtlvalidate $(BUILD)/bin/mtlrec \
		$(BUILD)/bin/mtlinfo $(BUILD)/bin/mtlreplay
	@tests/qa/hostile.sh $(BUILD)
ifeq ($(QA_HAVE_TOOLS),yes)
CHECK_TARGETS += check-qa-hostile
endif

# Metal semantics, one rule per stream, checked by pixel (tests/qa/sem.sh).
QA_SEM_GEN := $(BUILD)/qa/gen_qa_sem
$(QA_SEM_GEN): tests/qa/gen_qa_sem.c tests/qa/qa_streams.h tests/qa/qa_wire.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g $(WARN) -ffp-contract=off $(CFLAGS) -o $@ $< -lm
ALL_TARGETS += $(QA_SEM_GEN)
.PHONY: check-qa-sem
check-qa-sem: $(QA_SEM_GEN) $(BUILD)/bin/mtlreplay
	@tests/qa/sem.sh $(BUILD)
ifeq ($(QA_HAVE_TOOLS),yes)
CHECK_TARGETS += check-qa-sem
endif

# An independent guest (tests/qa/guest, its own virtio driver) submits the QA
# streams to metalvisor: recordings byte-identical, captures equal to replay.
# Needs the aarch64 cross compiler and metalvisor (Unicorn >= 2.1).
ifeq ($(HAVE_GUEST_CC)$(UNICORN_OK),yesyes)
.PHONY: check-qa-guest
check-qa-guest: $(QA_GEN) $(METALVISOR) $(BUILD)/bin/mtlrec $(BUILD)/bin/mtlreplay \
		tests/qa/guest/guest.c tests/qa/guest/start.S tests/qa/guest/link.ld
	@CROSS=$(CROSS) tests/qa/guest.sh $(BUILD)
CHECK_TARGETS += check-qa-guest
endif
