/*
 * start.S - entry points and exception vectors of the example guests.
 *
 * _start: CPU 0, entered at the ELF entry in EL1h with DAIF masked, MMU off,
 * x0 = DTB physical address.  secondary_entry: every other CPU, entered by
 * PSCI CPU_ON with x0 = the context id (its CPU index, see cpu_start()).
 * Each CPU gets STACK_SIZE bytes of stack below stack_top - index*STACK_SIZE.
 */
#define STACK_SIZE 0x4000
#define FRAME_SIZE (36 * 8 + 32 * 16)

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0			/* keep the DTB pointer */
	/* FP/SIMD on (CPACR_EL1.FPEN = 0b11): metalvisor sets it at entry, but
	 * other loaders (QEMU -kernel with an ELF) leave it trapping. */
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	/* clear BSS (8-byte aligned by the linker script) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	runtime_main		/* never returns */
3:	wfi
	b	3b

	.global secondary_entry
secondary_entry:
	/* x0 = CPU index (context id) */
	/* FP/SIMD on (CPACR_EL1.FPEN = 0b11): metalvisor sets it at entry, but
	 * other loaders (QEMU -kernel with an ELF) leave it trapping. */
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	and	x0, x0, #(8 - 1)
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	x2, #STACK_SIZE
	msub	x1, x0, x2, x1
	mov	sp, x1
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb
	bl	runtime_secondary	/* never returns */
4:	wfi
	b	4b

/*
 * Exception vectors: 16 entries of 0x80 bytes.  Each saves the full
 * integer and FP/SIMD state (handlers are ordinary C and may use NEON)
 * and calls exception_entry(kind, frame).
 */
.macro VENTRY kind
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	save_and_dispatch
.endm

	.balign 0x800
	.global vectors
vectors:
	VENTRY 0	/* current EL, SP_EL0: sync */
	VENTRY 1	/* irq */
	VENTRY 2	/* fiq */
	VENTRY 3	/* serror */
	VENTRY 4	/* current EL, SP_ELx: sync */
	VENTRY 5	/* irq */
	VENTRY 6	/* fiq */
	VENTRY 7	/* serror */
	VENTRY 8	/* lower EL AArch64 */
	VENTRY 9
	VENTRY 10
	VENTRY 11
	VENTRY 12	/* lower EL AArch32 */
	VENTRY 13
	VENTRY 14
	VENTRY 15

save_and_dispatch:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #240]
	str	x3, [sp, #256]
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [sp, #264]
	add	x2, sp, #288
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]
	mov	x1, sp
	bl	exception_entry
	add	x2, sp, #288
	ldp	q0, q1, [x2, #0]
	ldp	q2, q3, [x2, #32]
	ldp	q4, q5, [x2, #64]
	ldp	q6, q7, [x2, #96]
	ldp	q8, q9, [x2, #128]
	ldp	q10, q11, [x2, #160]
	ldp	q12, q13, [x2, #192]
	ldp	q14, q15, [x2, #224]
	ldp	q16, q17, [x2, #256]
	ldp	q18, q19, [x2, #288]
	ldp	q20, q21, [x2, #320]
	ldp	q22, q23, [x2, #352]
	ldp	q24, q25, [x2, #384]
	ldp	q26, q27, [x2, #416]
	ldp	q28, q29, [x2, #448]
	ldp	q30, q31, [x2, #480]
	ldp	x2, x3, [sp, #264]
	msr	fpsr, x2
	msr	fpcr, x3
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret

	.section .stacks, "aw", %nobits
	.balign 16
	.global stack_bottom
stack_bottom:
	.space	STACK_SIZE * 8
	.global stack_top
stack_top:
