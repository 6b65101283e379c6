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
