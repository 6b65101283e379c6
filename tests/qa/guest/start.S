/* QA guest entry: EL1h, MMU off, x0 = DTB. Zero .bss, set sp, run main. */
	.section .text.boot, "ax"
	.global _start
_start:
	ldr	x1, =__stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	qa_main
	/* PSCI SYSTEM_OFF (0x84000008) through HVC, as the DTB's psci node says */
	ldr	w0, =0x84000008
	hvc	#0
3:	wfi
	b	3b

	/* the command stream under test, generated on the host (QA_STREAM_BIN) */
	.section .rodata
	.balign 16
	.global qa_stream, qa_stream_end
qa_stream:
	.incbin QA_STREAM_BIN
qa_stream_end:
