# mk/virtio.mk — virtio devices, the hello-triangle and hostile guests'
# tests, and the frame-rate benchmarks (area "virtio and guest").
#
# The hv/src/*.c objects themselves are built and linked into metalvisor by
# mk/hv.mk; this fragment only adds narrow test links and scripted checks.

# The walker's unit test links just the walker: nothing else can break it.
LIBS_test_virtq := $(BUILD)/obj/hv/src/virtq.o
# The transport's test links the transport and the walker only.
LIBS_test_virtq_mmio := $(BUILD)/obj/hv/src/virtio_mmio.o $(BUILD)/obj/hv/src/virtq.o
# virtio-input, the --events parser and frame actions, with the machine
# and the replay engine faked inside the test itself.
LIBS_test_virtq_input := $(BUILD)/obj/hv/src/capture.o $(BUILD)/obj/hv/src/virtio_input.o \
	$(BUILD)/obj/hv/src/virtio_mmio.o $(BUILD)/obj/hv/src/virtq.o
# The 9P server against a temporary directory.
LIBS_test_virtq_9p := $(BUILD)/obj/hv/src/virtio_9p.o $(BUILD)/obj/hv/src/virtio_mmio.o $(BUILD)/obj/hv/src/virtq.o

# --- guest-level checks and benchmarks --------------------------------------
# They boot real guests under metalvisor, so they exist only once the
# hypervisor's main program does (hv/src/main.c, mk/hv.mk) and need the
# aarch64 cross compiler for the guests (mk/examples.mk).
VIRTIO_MV := $(BUILD)/bin/metalvisor
VIRTIO_HELLO := $(BUILD)/examples/hello-triangle.elf
VIRTIO_HOSTILE := $(BUILD)/examples/hostile.elf
VIRTIO_REPLAY := $(if $(wildcard tools/mtlreplay.c),$(BUILD)/bin/mtlreplay)

.PHONY: check-hv-hello check-hv-input check-hv-hostile bench-hv-frames
ifneq ($(wildcard hv/src/main.c),)
ifeq ($(HAVE_GUEST_CC),yes)
check-hv-hello: $(VIRTIO_MV) $(VIRTIO_HELLO) $(VIRTIO_REPLAY)
	tests/hv/hello_capture.sh $(VIRTIO_MV) $(VIRTIO_HELLO) $(VIRTIO_REPLAY)
check-hv-input: $(VIRTIO_MV) $(VIRTIO_HELLO)
	tests/hv/virtio_input.sh $(VIRTIO_MV) $(VIRTIO_HELLO)
check-hv-hostile: $(VIRTIO_MV) $(VIRTIO_HOSTILE)
	tests/hv/virtio_hostile.sh $(VIRTIO_MV) $(VIRTIO_HOSTILE)
bench-hv-frames: $(VIRTIO_MV) $(VIRTIO_HELLO)
	bench/hv_frames.sh $(VIRTIO_MV) $(VIRTIO_HELLO) $(HV_BENCH_FRAMES) $(HV_BENCH_REPEAT)
CHECK_TARGETS += check-hv-hello check-hv-input check-hv-hostile
BENCH_TARGETS += bench-hv-frames
HV_BENCH_FRAMES ?= 120
HV_BENCH_REPEAT ?= 3
endif
endif
