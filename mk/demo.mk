# make demo — the main job: boot the hello-triangle guest under metalvisor,
# record what it sends, replay the recording to a PNG without the VM, check
# both PNGs agree bit for bit, and show the recording and the validator's verdict.
DEMO_DIR := $(BUILD)/demo
.PHONY: demo
demo: deps-if-needed
	$(MAKE) --no-print-directory BUILD=$(BUILD) all
	@mkdir -p $(DEMO_DIR)
	@echo "== boot hello-triangle, record, capture frame 3"
	$(BUILD)/bin/metalvisor $(BUILD)/examples/hello-triangle.elf --append frames=5 \
		--record $(DEMO_DIR)/hello.mtlrec --capture 3 $(DEMO_DIR)/boot-frame-3.png
	@echo "== the recording"
	$(BUILD)/bin/mtlinfo $(DEMO_DIR)/hello.mtlrec
	@echo "== replay it without the VM"
	$(BUILD)/bin/mtlreplay $(DEMO_DIR)/hello.mtlrec --capture 3 $(DEMO_DIR)/replay-frame-3.png
	cmp $(DEMO_DIR)/boot-frame-3.png $(DEMO_DIR)/replay-frame-3.png
	@echo "== validate it"
	$(BUILD)/bin/mtlvalidate $(DEMO_DIR)/hello.mtlrec
	@echo "demo: wrote $(DEMO_DIR)/replay-frame-3.png (identical to the frame captured from the running guest)"
