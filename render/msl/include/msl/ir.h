/*
 * msl/ir.h — the executor's compact typed IR (docs/MSL.md "## Executor").
 *
 * One msl_exec_entry per entry point. Helper functions are inlined when an
 * entry point is lowered (MSL forbids recursion), so an entry is one flat
 * instruction array.
 *
 * Values: every IR register is one 32-bit scalar per lane (float, int32,
 * uint32 or bool 0/1; the opcode says which). Vectors, matrices, structs and
 * thread-space arrays are scalarised into consecutive registers at lowering
 * time. char/short/half live widened in 32 bits; lowering re-narrows after
 * every operation (SEXT8/ZEXT16/FHALF ...), so results are exactly those of
 * the narrow type.
 *
 * Control flow is structured and mask-based (IF/ELSE/ENDIF, LOOP/
 * BREAK/CONTINUE/CONTPOINT/ENDLOOP, FUNC_BEGIN/RETURN/FUNC_END, DISCARD).
 * The executor keeps a lane mask and a small frame stack; see exec.c.
 */
#ifndef MSL_IR_H
#define MSL_IR_H

#include <stdint.h>
#include <stddef.h>

#include "msl/exec.h"

#define MSL_IR_NONE 0xffffffffu   /* no register */
#define MSL_IR_MAX_REGS (1u << 16)
#define MSL_IR_MAX_CODE (1u << 20)

enum msl_ir_op {
	/* data */
	IR_CONST,      /* dst = imm (32 bits); aux 1 = dst is written only here,
			* so the executor may fill it once per context */
	IR_MOV,        /* dst = a */
	IR_SELECT,     /* dst = a ? b : c  (a bool) */
	/* float */
	IR_FADD, IR_FSUB, IR_FMUL, IR_FDIV, IR_FNEG, IR_FABS, IR_FMIN, IR_FMAX,
	IR_FFMA,       /* dst = a*b+c, single rounding */
	IR_FFLOOR, IR_FCEIL, IR_FFRACT, IR_FROUND, IR_FTRUNC, IR_FSQRT, IR_FRSQRT,
	IR_FEXP, IR_FEXP2, IR_FLOG, IR_FLOG2, IR_FSIN, IR_FCOS, IR_FTAN,
	IR_FASIN, IR_FACOS, IR_FATAN, IR_FATAN2, IR_FPOW, IR_FMOD, IR_FSIGN,
	IR_FSAT, IR_FHALF, /* FHALF: round to half precision (RNE) and back */
	IR_FEQ, IR_FNE, IR_FLT, IR_FLE, IR_FGT, IR_FGE, IR_FISNAN, IR_FISINF,
	/* integer (two's complement, wrapping) */
	IR_IADD, IR_ISUB, IR_IMUL, IR_INEG, IR_SDIV, IR_UDIV, IR_SREM, IR_UREM,
	IR_IAND, IR_IOR, IR_IXOR, IR_INOT, IR_SHL, IR_SSHR, IR_USHR,
	IR_SMIN, IR_SMAX, IR_UMIN, IR_UMAX, IR_IABS, IR_SSIGN,
	IR_IEQ, IR_INE, IR_SLT, IR_SLE, IR_SGT, IR_SGE, IR_ULT, IR_ULE, IR_UGT, IR_UGE,
	IR_SEXT8, IR_SEXT16, IR_ZEXT8, IR_ZEXT16, IR_BOOL, /* BOOL: dst = a != 0 */
	/* conversions */
	IR_S2F, IR_U2F, IR_F2S, IR_F2U, /* F2*: NaN -> 0, saturate to the range */
	/* library functions without an op of their own (builtins.c) */
	IR_FMATH,      /* dst = msl_fmath(imm.u, a, b) (b NONE for unary) */
	IR_IBITS,      /* dst = msl_ibits(imm.u, aux, a, b, c) */
	/* derivatives over 2x2 quads (coarse) */
	IR_DFDX, IR_DFDY,
	/* thread arrays: registers base+idx*stride, idx checked < count */
	IR_LDIDX,      /* dst = reg[a + idx(b)*imm.u] ; c = count (immediate) */
	IR_STIDX,      /* reg[dst + idx(b)*imm.u] = a ; c = count (immediate) */
	IR_CHECK,      /* bounds error unless a < c (c immediate) */
	/* memory: aux = binding, a = byte offset register, imm.u = byte offset,
	 * b (STORE) = value; c = width kind (enum msl_ir_mem) */
	IR_LOAD, IR_STORE,
	/* textures: aux = texture binding */
	IR_TEX_SAMPLE, /* dst..dst+3 = sample(tex, sampler imm.u, u=a, v=b);
			* c = NONE, or the first of 6 registers: lod option
			* values c..c+3 and int texel offset c+4, c+5, with
			* target = enum msl_ir_sample_lod | MSL_IR_SAMPLE_OFFSET */
	IR_TEX_READ,   /* dst..dst+3 = read(tex, x=a, y=b, sample=c or NONE) */
	IR_TEX_WRITE,  /* write(tex, x=a, y=b, value=c..c+3) */
	IR_TEX_SIZE,   /* dst = width (imm 0) / height (1) / samples (2) */
	/* structured control */
	IR_IF,         /* a = cond; target = matching ELSE or ENDIF */
	IR_ELSE,       /* target = ENDIF */
	IR_ENDIF,
	IR_LOOP,       /* target = ENDLOOP */
	IR_BREAK, IR_BREAKIFNOT /* a = cond */, IR_CONTINUE,
	IR_CONTPOINT,  /* where continue lands: re-enable continued lanes */
	IR_ENDLOOP,    /* target = LOOP */
	IR_FUNC_BEGIN, IR_RETURN, IR_FUNC_END,
	IR_DISCARD,
	/* threadgroup_barrier / simdgroup_barrier: every lane of the
	 * threadgroup must arrive here together (exec_threadgroup.c) */
	IR_BARRIER,
	IR_OP_COUNT
};

enum msl_ir_mem { IR_MEM_U8, IR_MEM_S8, IR_MEM_U16, IR_MEM_S16, IR_MEM_F16, IR_MEM_32 };

/* Sampler reference in TEX_SAMPLE imm.u: bit 31 set = constexpr sampler
 * number (index into entry->samplers), clear = [[sampler(n)]] binding. */
#define MSL_IR_SAMPLER_CONSTEXPR 0x80000000u

/* TEX_SAMPLE's lod option (target & 0xff) and offset flag. LEVEL: lod =
 * c; BIAS: implicit lod + c; MIN_LOD_CLAMP: max(implicit lod, c);
 * GRADIENT: lod from dPdx = (c, c+1), dPdy = (c+2, c+3). */
enum msl_ir_sample_lod {
	IR_SAMPLE_LOD_IMPLICIT = 0, IR_SAMPLE_LOD_LEVEL, IR_SAMPLE_LOD_BIAS,
	IR_SAMPLE_LOD_MIN_CLAMP, IR_SAMPLE_LOD_GRADIENT
};
#define MSL_IR_SAMPLE_LOD_MASK 0xffu
#define MSL_IR_SAMPLE_OFFSET 0x100u

/* LOAD/STORE aux naming the threadgroup's shared memory instead of a
 * [[buffer(n)]] binding: `threadgroup` variables live there at byte
 * offsets the lowering assigns (entry->threadgroup_bytes in all). */
#define MSL_IR_THREADGROUP_BINDING 0xfff0u

struct msl_ir_inst {
	uint16_t op;
	uint16_t aux;
	uint32_t dst, a, b, c;
	union { uint32_t u; int32_t i; float f; } imm;
	uint32_t target;
	uint32_t line, col;
};

enum msl_ir_input_kind {
	IR_IN_ATTRIBUTE,  /* vertex stage_in record float `offset` */
	IR_IN_VARYING,    /* fragment varying record float `offset` */
	IR_IN_POSITION,   /* fragment position component `offset` */
	IR_IN_FRONT_FACING, IR_IN_SAMPLE_ID, IR_IN_VERTEX_ID, IR_IN_INSTANCE_ID,
	IR_IN_TPIG, IR_IN_TPITG, IR_IN_TGPIG, IR_IN_TPTG, /* component `offset` */
	IR_IN_TIITG,      /* thread_index_in_threadgroup (linear) */
	IR_IN_POINT_COORD /* fragment [[point_coord]] component `offset` */
};
enum msl_ir_output_kind { IR_OUT_POSITION, IR_OUT_VARYING, IR_OUT_COLOR, IR_OUT_POINT_SIZE };

struct msl_ir_io {
	uint32_t kind;
	uint32_t reg;
	uint32_t offset;                /* float offset in the record / component */
	enum msl_exec_scalar scalar;    /* how to convert from/to float */
};

struct msl_exec_entry {
	char *name;
	enum msl_exec_stage stage;
	struct msl_ir_inst *code;
	uint32_t n_code, cap_code;
	uint32_t n_regs;
	uint32_t max_depth;             /* control frames needed */
	uint64_t id;                    /* process-unique, set by msl_ir_finish */
	struct msl_ir_io *inputs, *outputs;
	uint32_t n_inputs, n_outputs, cap_inputs, cap_outputs;
	struct msl_exec_sampler *samplers; /* constexpr samplers */
	uint32_t n_samplers;
	/* interface storage */
	struct msl_exec_interface iface;
	struct msl_exec_slot *slots;    /* attributes, varyings, colors */
	uint32_t n_slots, cap_slots;
	struct msl_exec_resource *resources;
	uint32_t n_resources, cap_resources;
	char **strings;                 /* owned names */
	uint32_t n_strings;
	int oom;                        /* an allocation failed while building */
	uint32_t threadgroup_bytes;     /* threadgroup variables, laid out (0: none) */
	int has_barrier;                /* IR_BARRIER occurs (set by msl_ir_finish) */
};

struct msl_exec_module {
	struct msl_exec_entry **entries;
	uint32_t n_entries;
};

/* ---- building (lowering and tests) --------------------------------------- */

struct msl_exec_entry *msl_ir_entry_new(const char *name, enum msl_exec_stage stage);
void msl_ir_entry_free(struct msl_exec_entry *e);
/* n consecutive fresh registers; MSL_IR_NONE when past MSL_IR_MAX_REGS. */
uint32_t msl_ir_regs(struct msl_exec_entry *e, uint32_t n);
/* Append; returns the instruction's index (pc), or MSL_IR_NONE on OOM. */
uint32_t msl_ir_emit(struct msl_exec_entry *e, enum msl_ir_op op, uint32_t dst,
		     uint32_t a, uint32_t b, uint32_t c);
uint32_t msl_ir_const_u(struct msl_exec_entry *e, uint32_t dst, uint32_t bits);
uint32_t msl_ir_const_f(struct msl_exec_entry *e, uint32_t dst, float f);
void msl_ir_add_input(struct msl_exec_entry *e, enum msl_ir_input_kind k, uint32_t reg,
		      uint32_t offset, enum msl_exec_scalar s);
void msl_ir_add_output(struct msl_exec_entry *e, enum msl_ir_output_kind k, uint32_t reg,
		       uint32_t offset, enum msl_exec_scalar s);
/* Interface slots; name is copied. kind 0 attribute, 1 varying, 2 color. */
void msl_ir_add_slot(struct msl_exec_entry *e, int kind, const char *name, uint32_t index,
		     enum msl_exec_scalar s, uint8_t comps, enum msl_exec_interp interp,
		     uint32_t offset);
void msl_ir_add_resource(struct msl_exec_entry *e, const struct msl_exec_resource *r);
uint32_t msl_ir_add_sampler(struct msl_exec_entry *e, const struct msl_exec_sampler *s);
/* Resolve jump targets of structured control, compute max_depth, and fill
 * iface pointers. Returns 0, or -1 when the control structure is malformed
 * or memory ran out. */
int msl_ir_finish(struct msl_exec_entry *e);
/* One instruction per line, for docs and debugging. */
void msl_ir_dump(const struct msl_exec_entry *e, void *file /* FILE* */);
const char *msl_ir_op_name(enum msl_ir_op op);

/* A module from entries built by hand (tests): takes ownership. */
struct msl_exec_module *msl_ir_module_from_entries(struct msl_exec_entry **entries, uint32_t n);

/* ---- scalar semantics shared by executor, lowering and tests ------------ */

/* IR_FMATH functions (imm.u). LDEXP's b register holds an int. */
enum msl_ir_fmath {
	IR_FM_SINH, IR_FM_COSH, IR_FM_TANH, IR_FM_ASINH, IR_FM_ACOSH, IR_FM_ATANH,
	IR_FM_LOG10, IR_FM_EXP10, IR_FM_RINT, IR_FM_SINPI, IR_FM_COSPI, IR_FM_TANPI,
	IR_FM_ASINPI, IR_FM_ACOSPI, IR_FM_ATANPI, IR_FM_ATAN2PI, IR_FM_FDIM, IR_FM_LDEXP,
	IR_FM_COUNT
};
float msl_fmath(uint32_t fn, float a, float b, int32_t bi);

/* IR_IBITS functions (imm.u) on `width`-bit integers (aux: width 8, 16 or
 * 32, plus MSL_IR_IBITS_SIGNED). Operands arrive widened to 32 bits as the
 * registers hold them; only the low `width` bits of the result matter (the
 * lowering re-narrows). */
enum msl_ir_ibits {
	IR_IB_POPCOUNT, IR_IB_CLZ, IR_IB_CTZ, IR_IB_REVERSE_BITS, IR_IB_ROTATE,
	IR_IB_ABSDIFF, IR_IB_EXTRACT_BITS, IR_IB_COUNT
};
#define MSL_IR_IBITS_SIGNED 0x100u
uint32_t msl_ibits(uint32_t fn, uint32_t aux, uint32_t a, uint32_t b, uint32_t c);

float msl_round_half(float f);           /* to nearest-even half, back to float */
float msl_half_bits_to_float(uint16_t h);
uint16_t msl_float_to_half_bits(float f);
int32_t msl_f2s(float f);                /* NaN->0, saturating */
uint32_t msl_f2u(float f);               /* NaN->0, negative->0, saturating */
int32_t msl_sdiv(int32_t a, int32_t b);  /* b==0 -> 0... see docs */
int32_t msl_srem(int32_t a, int32_t b);
uint32_t msl_udiv(uint32_t a, uint32_t b);
uint32_t msl_urem(uint32_t a, uint32_t b);
float msl_fract(float f);
float msl_fsign(float f);
/* IEEE 754-2019 minimumNumber/maximumNumber: a NaN operand is ignored (the
 * other is returned), and -0 orders below +0. C's fminf leaves the sign of
 * fmin(+0, -0) to the library, which would make results host-dependent.
 * Inline: the executor calls these once per lane. */
static inline float msl_fmin(float a, float b)
{
	if (a < b)
		return a;
	if (b < a)
		return b;
	if (a != a)
		return b;
	if (b != b)
		return a;
	return __builtin_signbit(a) ? a : b; /* equal: pick -0 over +0 */
}
static inline float msl_fmax(float a, float b)
{
	if (a > b)
		return a;
	if (b > a)
		return b;
	if (a != a)
		return b;
	if (b != b)
		return a;
	return __builtin_signbit(a) ? b : a;
}
float msl_rsqrt(float f);

#endif
