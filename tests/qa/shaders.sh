#!/bin/sh
# tests/qa/shaders.sh BUILD — realistic MSL (tests/qa/shaders/*.metal) must
# check clean and reflect as Metal lays it out; wrong shaders must give their
# first error at the right line:col; hostile shaders (deep nesting, huge
# token counts, recursion, macro loops, endless loops, garbage) must end with
# exit 0/1 in bounded time and memory, never a crash or a hang.
set -u
B=${1:-build}
S="$B/bin/mtlshader"
D=tests/qa/shaders
fails=0
fail() { echo "qa-shaders: FAIL: $*"; fails=$((fails + 1)); }

for f in $D/ui.metal $D/imgui_style.metal $D/blur_weights.metal; do
	"$S" check --quiet "$f" || fail "$f: expected clean"
done

# reflection: Metal's struct layout and bindings
refl() { "$S" reflect --json "$1" | jq -c "$2"; }
expect() { [ "$2" = "$3" ] || fail "$1: got $2, expected $3"; }
expect "ui_rounded_rect buffer 0" "$(refl $D/ui.metal '.functions[]|select(.name=="ui_rounded_rect")|.resources[0]|[.kind,.index,.size]')" '["buffer",0,64]'
expect "ui_gradient buffer 0 (stops array of 48-byte structs)" "$(refl $D/ui.metal '.functions[]|select(.name=="ui_gradient")|.resources[0].size')" '224'
expect "ui_gradient front_facing" "$(refl $D/ui.metal '.functions[]|select(.name=="ui_gradient")|[.builtins[].attribute]')" '["front_facing"]'
expect "path_coverage packed_float3 struct" "$(refl $D/ui.metal '.functions[]|select(.name=="path_coverage")|[.resources[]|select(.kind=="buffer")|.size]')" '[16,32]'
expect "path_coverage stage" "$(refl $D/ui.metal '.functions[]|select(.name=="path_coverage")|.stage')" '"kernel"'
expect "ui_blur bindings" "$(refl $D/ui.metal '.functions[]|select(.name=="ui_blur")|[.resources[]|[.kind,.index]]')" '[["buffer",0],["texture",0],["sampler",0]]'
expect "ui_vertex stage_in" "$(refl $D/ui.metal '.functions[]|select(.name=="ui_vertex")|[.stage_in[]|[.index,.offset,.type]]')" '[[0,0,"float2"],[1,8,"float2"],[2,16,"float4"]]'
expect "ui_vertex flat output" "$(refl $D/ui.metal '.functions[]|select(.name=="ui_vertex")|[.outputs[]|select(.flat)|.name]')" '["layer"]'
expect "imgui uniforms float4x4" "$(refl $D/imgui_style.metal '.functions[]|select(.name=="vertex_main")|.resources[0]|[.index,.size]')" '[1,64]'
expect "blur_vs no stage_in" "$(refl $D/blur_weights.metal '.functions[]|select(.name=="blur_vs")|.builtins[0].attribute')" '"vertex_id"'

# wrong shaders: exit 1, first error where it is
grep -v '^#' $D/wrong/EXPECTED | while read -r f line col; do
	js=$("$S" check --json "$D/wrong/$f")
	rc=$?
	[ $rc -eq 1 ] || echo "qa-shaders: FAIL: $f: exit $rc, expected 1"
	got=$(echo "$js" | jq -c '.files[0].diagnostics[0]|[.line,.col]')
	[ "$got" = "[$line,$col]" ] || echo "qa-shaders: FAIL: $f: first error at $got, expected [$line,$col]"
done | tee "$B/qa-shaders-wrong.log"
[ -s "$B/qa-shaders-wrong.log" ] && fails=$((fails + 1))

# hostile shaders: bounded, never a crash (the big ones are generated)
python3 tests/qa/gen_hostile_shaders.py "$B/qa/hostile-msl" || fail "gen_hostile_shaders.py"
for f in $D/hostile/*.metal "$B"/qa/hostile-msl/*.metal; do
	timeout 30 "$S" check --quiet "$f" >/dev/null 2>&1
	rc=$?
	[ $rc -le 1 ] || fail "$f: mtlshader check exit $rc (crash or hang)"
done
H="$B/qa/hostile-msl"
for f in $D/hostile/recursion.metal $D/hostile/unterminated.metal $D/hostile/huge_array.metal \
	 $D/hostile/huge_array2.metal $H/deep_if.metal $H/deep_parens.metal $H/deep_blocks.metal \
	 $H/deep_unary.metal $H/deep_ternary.metal $H/deep_index.metal $H/deep_swizzle.metal \
	 $H/garbage.metal $H/many_macros.metal $H/long_line_comment.metal $H/nul_bytes.metal; do
	timeout 30 "$S" check --quiet "$f" >/dev/null 2>&1
	[ $? -eq 1 ] || fail "$f: expected an error"
done
for f in infinite_loop huge_loop nested_under_limit; do
	out=$(timeout 60 "$S" run "$D/hostile/$f.metal" --kernel spin --grid 2 --buffer 0=zero:16 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "$f: mtlshader run exit $rc, expected 1 (loop limit)"
	echo "$out" | grep -q "loop-limit" || fail "$f: no loop-limit error: $out"
done

# MSL semantics through the executor (half rounding, fract/fmod/round,
# atan2 order, swizzle writes, matrix column order, float3 vs packed_float3
# layout, integer division/modulo/shifts, unsigned wrap, half overflow)
P=$(python3 -c "import struct;print(struct.pack('<12f',1,2,3,9,42,5,6,7,8,0,0,0).hex())")
got=$("$S" run $D/semantics_kernel.metal --kernel sem --grid 1 --buffer 0=zero:80 --buffer 1=zero:20 \
	--buffer 2=zero:8 --buffer 3=$P --json | jq -r '[.buffers[0,1,2].bytes] | join(" ")' | python3 -c "
import struct, sys
f, i, u = (bytes.fromhex(x) for x in sys.stdin.read().split())
print(' '.join('%.9g' % v for v in struct.unpack('<20f', f)), '|', *struct.unpack('<5i', i), '|', *struct.unpack('<2I', u))")
want="0.333251953 0.75 -1 3 0 1.57079637 1 2.5 5 21 2 3 42 6 8 2 inf 1 1 0.15625 | -1 -3 12 -2 -4 | 4294967295 3"
[ "$got" = "$want" ] || fail "semantics_kernel: got '$got', expected '$want'"

# accepted by check but too deep to run: a clean error, not a stack overflow
out=$(timeout 60 "$S" run "$H/deep_calls.metal" --kernel k --grid 1 --buffer 0=zero:4 2>&1)
[ $? -eq 1 ] || fail "deep_calls: mtlshader run should fail cleanly: $out"

[ $fails -eq 0 ] && echo "qa-shaders: ok" || echo "qa-shaders: $fails failures"
[ $fails -eq 0 ]
