/*
 * msl/inspector.h — the validator's shader inspector, over the MSL front end.
 *
 * mtlproto's validator (mtlproto/validate.h) checks the MSL-aware rules
 * (shader.compile-error, shader.function-missing, shader.stage-mismatch,
 * shader.unbound-slot, shader.stage-in-layout, data.bytes-too-small) only
 * when a program hands it a struct mtl_shader_inspector; mtlproto itself
 * cannot compile MSL, since it must not depend on render/. This module is that inspector: every
 * program that links libmsl (tools/mtlvalidate, metalvisor --validate)
 * uses the same one, so a stream gets the same shader findings offline and
 * live.
 *
 * For each COMPILE_LIBRARY the inspector compiles the source with
 * msl_compile() and describes it to the validator:
 *   - errors: every error diagnostic with its 1-based line:col in the
 *     library's source (0:0 when the whole source is concerned, e.g. over
 *     MSL_MAX_SOURCE_BYTES); a library that fails without a diagnostic still
 *     gets one error, "the library does not compile";
 *   - functions (only when the library compiled): every entry point in
 *     definition order, with its stage, its [[buffer/texture/sampler(n)]]
 *     parameters (written = a texture with access::write or read_write, or
 *     a non-const device buffer; size = for a buffer, the bytes it needs
 *     bound: sizeof(T) for `constant T &r`, one element for `constant T *p`,
 *     0 when the front end cannot size T) and, for vertex functions, the
 *     [[attribute(n)]] members of its [[stage_in]] struct with their type
 *     and declaration line:col.
 *
 * The inspector keeps no state between libraries: it is safe to share one
 * between any number of validators, but, like the validator, one call runs
 * on one thread (msl_compile is reentrant, so separate validators on
 * separate threads are fine). Out of memory makes compile() return NULL,
 * which the validator treats as "shader rules not checked for this library".
 */
#ifndef MSL_INSPECTOR_H
#define MSL_INSPECTOR_H

#include "mtlproto/validate.h"

/* The inspector, ready to put in mtl_validate_options.shader. Static: never
 * freed, valid for the whole program. */
const struct mtl_shader_inspector *msl_shader_inspector(void);

#endif
