#!/bin/sh
# Install the Debian packages metalvisor needs, only when they are missing,
# then the project-local Unicorn >= 2.1 (mk/unicorn.sh).
# --quiet: print nothing when everything is already there.
set -e
cd "$(dirname "$0")/.."
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

PACKAGES="build-essential pkg-config clang libclang-rt-14-dev libzstd-dev zstd libfdt-dev libpng-dev \
libcmocka-dev libunicorn-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm \
libosmesa6-dev libegl-dev libgl-dev libgl1-mesa-dri ca-certificates jq python3"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
elif [ $quiet -eq 0 ]; then
	echo "deps: all Debian packages present"
fi
if [ -x mk/unicorn.sh ]; then
	if [ $quiet -eq 1 ]; then ./mk/unicorn.sh --quiet; else ./mk/unicorn.sh; fi
fi
