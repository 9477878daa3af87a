#!/usr/bin/env bash
# Installs the aftersales C API under PREFIX:
#   PREFIX/lib/libaftersales.so, PREFIX/lib/libaftersales.a,
#   PREFIX/include/aftersales.h, PREFIX/lib/pkgconfig/aftersales.pc
# so that `cc prog.c $(pkg-config --cflags --libs aftersales)` works with
# PKG_CONFIG_PATH=PREFIX/lib/pkgconfig (or without it for /usr/local).
#
# Usage: scripts/install-c.sh PREFIX
# Builds the release library; AFTERSALES_PROFILE=debug installs the debug
# build instead (what scripts/test-c.sh does, to save a release build).
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 PREFIX    (e.g. $0 /usr/local or $0 \$HOME/.local)" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
prefix="$(cd "$1" && pwd)"
profile="${AFTERSALES_PROFILE:-release}"
cd "$root"

case "$profile" in
  release) cargo build --release --locked -p aftersales-ffi; out=target/release ;;
  debug) cargo build --locked -p aftersales-ffi; out=target/debug ;;
  *) echo "AFTERSALES_PROFILE must be release or debug, not '$profile'" >&2; exit 2 ;;
esac

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
# What a Rust static library needs from the system on Linux
# (`cargo rustc -p aftersales-ffi --crate-type staticlib -- --print native-static-libs`).
native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

install -d "$prefix/lib/pkgconfig" "$prefix/include"
# The crate's library is libaftersales_ffi (the name `aftersales` is the
# core crate's); C programs link it as libaftersales.
install -m 0755 "$out/libaftersales_ffi.so" "$prefix/lib/libaftersales.so"
install -m 0644 "$out/libaftersales_ffi.a" "$prefix/lib/libaftersales.a"
install -m 0644 ffi-c/include/aftersales.h "$prefix/include/aftersales.h"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" -e "s|@NATIVE_LIBS@|$native_libs|" \
  ffi-c/aftersales.pc.in > "$prefix/lib/pkgconfig/aftersales.pc"
echo "installed aftersales $version ($profile) under $prefix"
echo "  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}"
echo "  cc prog.c \$(pkg-config --cflags --libs aftersales)"
