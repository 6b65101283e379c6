#!/bin/sh
# tests/tools/rec_tools.sh — the .mtlrec tools end to end:
#   mtlrec pack -> mtlinfo --json -> mtldump --json -> mtlrec unpack
# on every corpus/*.bin and on a generated stream with malformed commands
# and a trailing partial command; exit codes 0/1/2; --frames; truncated and
# newer-version recordings.
#
# usage: tests/tools/rec_tools.sh BINDIR   (run from the top of the tree)
set -eu
BIN=${1:?usage: rec_tools.sh BINDIR}
T=$(mktemp -d "${TMPDIR:-/tmp}/rec_tools.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# expect CODE CMD...: run CMD, check its exit status
expect() {
	want=$1; shift
	set +e; "$@" >"$T/out" 2>"$T/err"; got=$?; set -e
	if [ "$got" -ne "$want" ]; then
		fail "exit $got (wanted $want): $*"; sed 's/^/    /' "$T/err" | head -5
		return 1
	fi
	return 0
}

# A generated raw stream: setup and render commands, a present ending a
# frame mid-file, a command with bad flags, an unknown method, and a
# trailing partial command: every byte must survive pack/unpack.
python3 - "$T/gen.bin" <<'EOF'
import struct, sys
def cmd(method, payload, flags=0):
    return struct.pack('<HHI', method, flags, len(payload)) + payload
out = b''
out += cmd(0x0020, struct.pack('<IHHBBBB', 5, 64, 64, 2, 0, 1, 1))          # CREATE_TEXTURE
out += cmd(0x0013, struct.pack('<IBBBB', 3, 1, 1, 0, 0))                   # CREATE_SAMPLER
for f in range(4):
    out += cmd(0x0100, struct.pack('<IIIBBBB4f', 0xFFFFFFFF, 0, 0, 2, 1, 0, 0, .1, .2, .3, 1))
    out += cmd(0x0130, struct.pack('<BBHII', 0, 0, 0, 0, 3 + f))
    out += cmd(0x0101, b'')
    out += cmd(0x0F00, struct.pack('<I', f))
out += cmd(0x0112, struct.pack('<I', 7), flags=1)                          # bad flags
out += cmd(0x0777, b'\x01\x02\x03')                                        # unknown method
out += cmd(0x0011, struct.pack('<II', 1, 2))                               # back to queue 0
out += struct.pack('<HHI', 0x0130, 0, 12) + b'\x00\x00'                    # partial command
open(sys.argv[1], 'wb').write(out)
EOF

inputs=$(ls corpus/*.bin 2>/dev/null || true)
for f in $inputs "$T/gen.bin"; do
	n=$(basename "$f" .bin)
	rec="$T/$n.mtlrec"
	expect 0 "$BIN/mtlrec" pack --resolution 800x600 "$f" -o "$rec" || continue
	expect 0 "$BIN/mtlinfo" --json "$rec" || continue
	cp "$T/out" "$T/$n.info.json"
	expect 0 "$BIN/mtlinfo" --json "$f" || continue
	cp "$T/out" "$T/$n.rawinfo.json"
	expect 0 "$BIN/mtldump" --json "$rec" || continue
	cp "$T/out" "$T/$n.dump.jsonl"
	expect 0 "$BIN/mtldump" --json "$f" || continue
	cp "$T/out" "$T/$n.rawdump.jsonl"
	expect 0 "$BIN/mtlrec" unpack "$rec" -o "$T/$n.out" || continue
	if ! cmp -s "$f" "$T/$n.out"; then fail "$n: unpack differs from the packed input"; continue; fi
	if ! python3 - "$f" "$T/$n.info.json" "$T/$n.rawinfo.json" "$T/$n.dump.jsonl" "$T/$n.rawdump.jsonl" <<'EOF'
import json, os, sys
raw, info_p, rawinfo_p, dump_p, rawdump_p = sys.argv[1:]
info = json.load(open(info_p))
rawinfo = json.load(open(rawinfo_p))
for k in ('frames', 'submissions', 'commands', 'methods', 'bytes_raw', 'bytes_file', 'truncated',
          'display', 'version', 'chunks', 'ratio', 'bytes_recovered'):
    assert k in info, 'mtlinfo --json lacks ' + k
for k in ('width', 'height', 'refresh_hz', 'scale', 'has_display'):
    assert k in info['display'], 'display lacks ' + k
assert info['display']['width'] == 800 and info['display']['height'] == 600, info['display']
assert rawinfo['display']['width'] == 1024 and rawinfo['display']['height'] == 768
assert info['format'] == 'mtlrec' and rawinfo['format'] == 'raw'
assert info['truncated'] is False
assert info['bytes_raw'] == os.path.getsize(raw), (info['bytes_raw'], os.path.getsize(raw))
assert info['bytes_file'] == os.path.getsize(info_p.replace('.info.json', '.mtlrec'))
for k in ('frames', 'submissions', 'commands', 'methods', 'malformed_commands'):
    assert info[k] == rawinfo[k], (k, info[k], rawinfo[k])
assert info['commands'] > 0
dump = [json.loads(l) for l in open(dump_p)]
rawdump = [json.loads(l) for l in open(rawdump_p)]
assert len(dump) == info['commands'] == len(rawdump), (len(dump), info['commands'])
counts = {}
frames = 0
for i, (d, r) in enumerate(zip(dump, rawdump)):
    for k in ('frame', 'index', 'queue', 'offset', 'method', 'size'):
        assert k in d, 'mtldump --json lacks %s in line %d' % (k, i)
    assert d['index'] == i and r['index'] == i
    for k in ('frame', 'queue', 'method', 'size', 'submission'):
        assert d[k] == r[k], (i, k, d[k], r[k])
    whole = 'status' not in d or d.get('payload_size', -9) + 8 == d['size']
    if whole and d['method'] in info['methods']:
        counts[d['method']] = counts.get(d['method'], 0) + 1
# raw offsets are file offsets: sizes tile the file exactly
pos = 0
for r in rawdump:
    assert r['offset'] == pos, (r['offset'], pos)
    pos += r['size']
assert pos == os.path.getsize(raw)
for m, c in info['methods'].items():
    if m != 'unknown':
        assert counts.get(m) == c, (m, counts.get(m), c)
EOF
	then fail "$n: JSON checks"; continue; fi
	ok "$n: pack -> mtlinfo --json -> mtldump --json -> unpack"
done

# the generated stream's malformed commands are reported, not fatal
python3 - "$T/gen.dump.jsonl" <<'EOF' || fail "gen: malformed commands not reported"
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
st = [x.get('status') for x in d if 'status' in x]
assert len(st) == 3, st                   # bad flags, unknown method, partial
assert d[-1]['method'] == 'DRAW_PRIMITIVES' and 'error' in d[-1]
assert d[-1]['size'] == 10
EOF

# --frames A-B selects frames (and seeks in a recording)
if [ -f "$T/many-frames.mtlrec" ]; then rec="$T/many-frames.mtlrec"; else rec="$T/gen.mtlrec"; fi
expect 0 "$BIN/mtldump" --json --frames 2-3 "$rec" &&
python3 - "$T/out" <<'EOF' && ok "--frames 2-3" || fail "--frames 2-3"
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
assert d and all(2 <= x['frame'] <= 3 for x in d)
assert {x['frame'] for x in d} == {2, 3}
EOF
expect 0 "$BIN/mtldump" --frames 100000- "$rec" && [ ! -s "$T/out" ] && ok "empty range" || fail "empty range"
expect 0 "$BIN/mtldump" --hex "$T/gen.mtlrec" && grep -q '^    ' "$T/out" && ok "--hex" || fail "--hex"
expect 0 "$BIN/mtlinfo" "$T/gen.mtlrec" && grep -q 'frames: *4' "$T/out" && ok "mtlinfo text" || fail "mtlinfo text"

# exit codes and messages naming the file
for t in mtlrec mtlinfo mtldump; do
	expect 0 "$BIN/$t" --help && ok "$t --help" || true
done
expect 2 "$BIN/mtlinfo" "$T/missing.mtlrec" && grep -q "missing.mtlrec" "$T/err" && ok "mtlinfo: missing file -> 2" || fail "mtlinfo missing file message"
expect 2 "$BIN/mtldump" "$T/missing.mtlrec" && ok "mtldump: missing file -> 2" || true
expect 2 "$BIN/mtlrec" unpack "$T/missing.mtlrec" -o "$T/x.bin" && ok "unpack: missing file -> 2" || true
expect 2 "$BIN/mtlrec" pack "$T/missing.bin" -o "$T/x.mtlrec" && [ ! -e "$T/x.mtlrec" ] && ok "pack: missing input -> 2, no output" || fail "pack missing input left output"
expect 2 "$BIN/mtlinfo" && ok "mtlinfo: no args -> 2" || true
expect 2 "$BIN/mtldump" --frames 5-2 "$T/gen.bin" && ok "mtldump: bad range -> 2" || true
expect 2 "$BIN/mtlrec" pack --resolution 10by10 "$T/gen.bin" -o "$T/x.mtlrec" && ok "pack: bad resolution -> 2" || true
expect 2 "$BIN/mtlrec" frobnicate && ok "mtlrec: unknown command -> 2" || true

# a newer format version is refused clearly
python3 - "$T/gen.mtlrec" "$T/newer.mtlrec" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[8] = 9
open(sys.argv[2], 'wb').write(b)
EOF
expect 2 "$BIN/mtlinfo" "$T/newer.mtlrec" && grep -q "newer.mtlrec: offset 8: format version 9" "$T/err" && ok "newer version refused" || fail "newer version message: $(cat "$T/err")"
# --raw reads a recording's bytes as commands instead (no crash, exit 0)
expect 0 "$BIN/mtldump" --raw "$T/gen.mtlrec" && ok "--raw on a recording" || true

# a recording cut short (no footer): info says so; unpack writes a prefix, exit 1
big="$T/gen.mtlrec"
[ -f "$T/many-frames.bin" ] || true
if [ -f corpus/many-frames.bin ]; then
	expect 0 "$BIN/mtlrec" pack --chunk 4096 corpus/many-frames.bin -o "$T/mf.mtlrec" && big="$T/mf.mtlrec"
fi
size=$(wc -c <"$big")
head -c $((size * 2 / 3)) "$big" >"$T/cut.mtlrec"
expect 0 "$BIN/mtlinfo" --json "$T/cut.mtlrec" &&
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["truncated"] is True and 0 < d["bytes_recovered"] <= d["bytes_file"], d' "$T/out" &&
ok "truncated recording reported" || fail "truncated recording info"
expect 1 "$BIN/mtlrec" unpack "$T/cut.mtlrec" -o "$T/cut.bin" && grep -q "truncated" "$T/err" || fail "unpack of a cut recording should exit 1"
src=corpus/many-frames.bin; [ "$big" = "$T/gen.mtlrec" ] && src="$T/gen.bin"
n=$(wc -c <"$T/cut.bin")
if [ "$n" -gt 0 ] && cmp -s -n "$n" "$T/cut.bin" "$src"; then ok "cut recording unpacks to a prefix ($n bytes)"; else fail "cut recording prefix"; fi

# a corrupt chunk: error names the file and offset, exit 2
python3 - "$big" "$T/bad.mtlrec" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
i = len(b) // 2
b[i] ^= 0xFF; b[i + 1] ^= 0xFF
open(sys.argv[2], 'wb').write(b)
EOF
expect 2 "$BIN/mtldump" "$T/bad.mtlrec" && grep -q "bad.mtlrec: offset [0-9]*" "$T/err" && ok "corrupt chunk -> 2 with offset" || fail "corrupt chunk: $(cat "$T/err")"

if [ "$fails" -ne 0 ]; then echo "rec_tools: $fails failed"; exit 1; fi
echo "rec_tools: all passed"
