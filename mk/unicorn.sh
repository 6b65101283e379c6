#!/bin/sh
# Provide Unicorn >= 2.1 for the hypervisor build (issue 7 part 0).
#
# Debian bookworm ships Unicorn 2.0.1, whose stores all take a slow path.
# When no system Unicorn >= 2.1 exists, fetch Debian trixie's libunicorn2t64
# and libunicorn-dev with `apt-get download` from the mirror this machine's
# apt already uses, through a TEMPORARY sources list, lists and cache
# directory (the system's apt configuration is never touched and nothing is
# installed system-wide), and unpack them into the project-local prefix
# .deps/unicorn, with a pkg-config file that points there.
#
# --quiet: print nothing when there is nothing to do.
set -e
cd "$(dirname "$0")/.."
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ $quiet -eq 1 ] || echo "unicorn: $*"; }

PREFIX_DIR="$(pwd)/.deps/unicorn"

if pkg-config --atleast-version=2.1 unicorn 2>/dev/null; then
	say "system Unicorn $(pkg-config --modversion unicorn) is >= 2.1, nothing to do"
	exit 0
fi
if [ -f "$PREFIX_DIR/lib/pkgconfig/unicorn.pc" ]; then
	say "project-local Unicorn already in .deps/unicorn"
	exit 0
fi

# The mirror the machine already uses: first Debian URI in the apt sources
# (deb822 "URIs:" lines or one-line "deb URI suite" entries).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	mirror=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /debian\/?$/ && $i !~ /security/) { print $i; exit } }' "$f")
	[ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/ && $i ~ /debian\/?$/ && $i !~ /security/) { print $i; exit } }' "$f")
		[ -n "$mirror" ] && break
	done
fi
[ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
mirror=${mirror%/}

arch=$(dpkg --print-architecture)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [arch=$arch signed-by=$keyring] $mirror trixie main" > "$tmp/sources.list"
APT_OPTS="-o Dir::Etc::sourcelist=$tmp/sources.list -o Dir::Etc::sourceparts=- \
-o Dir::State::Lists=$tmp/lists -o Dir::Cache=$tmp/cache -o APT::Get::List-Cleanup=0 \
-o Debug::NoLocking=1"

echo "unicorn: fetching Unicorn >= 2.1 from $mirror trixie into .deps/unicorn"
# shellcheck disable=SC2086
apt-get $APT_OPTS -q update >"$tmp/update.log" 2>&1 || {
	cat "$tmp/update.log" >&2
	echo "unicorn: apt-get update of the temporary trixie list failed" >&2
	exit 1
}
# shellcheck disable=SC2086
(cd "$tmp/debs" && apt-get $APT_OPTS -q download libunicorn2t64 libunicorn-dev) || {
	echo "unicorn: apt-get download libunicorn2t64 libunicorn-dev failed" >&2
	exit 1
}

rm -rf "$PREFIX_DIR.tmp"
mkdir -p "$PREFIX_DIR.tmp/root"
for deb in "$tmp"/debs/*.deb; do
	dpkg-deb -x "$deb" "$PREFIX_DIR.tmp/root"
done

# Flatten usr/{include,lib/<triplet>} into PREFIX/{include,lib}.
root="$PREFIX_DIR.tmp/root/usr"
mkdir -p "$PREFIX_DIR.tmp/include" "$PREFIX_DIR.tmp/lib/pkgconfig"
cp -a "$root/include/." "$PREFIX_DIR.tmp/include/"
libdir=$(dirname "$(find "$root/lib" -name 'libunicorn.so*' | head -n 1)")
cp -a "$libdir"/libunicorn.so* "$PREFIX_DIR.tmp/lib/"
[ -e "$PREFIX_DIR.tmp/lib/libunicorn.so" ] || {
	real=$(cd "$PREFIX_DIR.tmp/lib" && ls libunicorn.so.* | head -n 1)
	ln -s "$real" "$PREFIX_DIR.tmp/lib/libunicorn.so"
}
pc=$(find "$root/lib" -name unicorn.pc | head -n 1)
version=$(sed -n 's/^Version:[[:space:]]*//p' "$pc")
cat > "$PREFIX_DIR.tmp/lib/pkgconfig/unicorn.pc" <<PC
prefix=$PREFIX_DIR
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: unicorn
Description: Unicorn emulator engine (project-local copy of Debian trixie's package)
Version: $version
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lunicorn
Cflags: -I\${includedir}
PC
rm -rf "$PREFIX_DIR.tmp/root"
rm -rf "$PREFIX_DIR"
mv "$PREFIX_DIR.tmp" "$PREFIX_DIR"
echo "unicorn: Unicorn $version ready in .deps/unicorn"
