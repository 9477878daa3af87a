#!/usr/bin/env bash
# Installs the aftersales C API under DESTDIR/PREFIX, the layout a
# distribution package has:
#   lib/libaftersales.so.X.Y.Z       the shared library (SONAME libaftersales.so.ABI)
#   lib/libaftersales.so.ABI         -> libaftersales.so.X.Y.Z (what programs load)
#   lib/libaftersales.so             -> libaftersales.so.ABI (what the linker finds)
#   lib/libaftersales.a              the static library
#   lib/pkgconfig/aftersales.pc      cc prog.c $(pkg-config --cflags --libs aftersales)
#   lib/pkgconfig/aftersales-static.pc  the same, linking the static library
#   include/aftersales.h             the C header
#   include/aftersales_ffi.h         the same declarations for FFIs (PHP FFI, cffi, LuaJIT)
#   share/aftersales/schemas/        the JSON Schemas of tickets, answers, reports, errors
#   share/aftersales/errors.md, reasons.md  the error kinds and reason codes
#   share/doc/aftersales/README.md   the C API's guide
# ABI is the ABI version (ffi-c/build.rs); X.Y.Z the release's version.
#
# Usage: scripts/install-c.sh PREFIX
#   DESTDIR=/tmp/stage scripts/install-c.sh /usr   stages a package's files
#   under /tmp/stage/usr while the .pc files say /usr (as `make install
#   DESTDIR=...` does).
# Builds the C library with the release-c profile (link-time optimized,
# stripped; Cargo.toml) and strips the static library of debug info; AFTERSALES_PROFILE=debug installs the debug build
# instead (what scripts/test-c.sh does, to save a release build).
# Honours CARGO_TARGET_DIR.
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 PREFIX    (e.g. $0 /usr/local or $0 \$HOME/.local)" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
destdir="${DESTDIR:-}"
if [ -n "$destdir" ]; then
  case "$1" in /*) prefix="$1" ;; *) echo "with DESTDIR, PREFIX must be absolute" >&2; exit 2 ;; esac
else
  mkdir -p "$1"
  prefix="$(cd "$1" && pwd)"
fi
stage="$destdir$prefix"
profile="${AFTERSALES_PROFILE:-release}"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"

case "$profile" in
  release) cargo build --profile release-c --locked -p aftersales-ffi; out="$target/release-c" ;;
  debug) cargo build --locked -p aftersales-ffi; out="$target/debug" ;;
  *) echo "AFTERSALES_PROFILE must be release or debug, not '$profile'" >&2; exit 2 ;;
esac

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
# What a Rust static library needs from the system on Linux
# (`cargo rustc -p aftersales-ffi --crate-type staticlib -- --print native-static-libs`).
native_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

abi="$(sed -n 's/^const ABI_VERSION: u32 = \([0-9]*\);/\1/p' ffi-c/build.rs)"
if [ -z "$abi" ]; then
  echo "no ABI_VERSION in ffi-c/build.rs" >&2
  exit 1
fi

install -d "$stage/lib/pkgconfig" "$stage/include" "$stage/share/aftersales/schemas" \
  "$stage/share/doc/aftersales"
# The crate's library is libaftersales_ffi (the name `aftersales` is the
# core crate's); C programs link it as libaftersales.
install -m 0755 "$out/libaftersales_ffi.so" "$stage/lib/libaftersales.so.$version"
ln -sfn "libaftersales.so.$version" "$stage/lib/libaftersales.so.$abi"
ln -sfn "libaftersales.so.$abi" "$stage/lib/libaftersales.so"
# The static library: the archive cargo makes, linked into one object
# whose only global symbols are the aftersales_* functions (the Rust
# runtime's and the dependencies' become local, so they cannot clash with
# a program's or another Rust library's), without the LLVM bitcode Rust's
# link-time optimization reads, and for the release without debug info.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ld -r --whole-archive "$out/libaftersales_ffi.a" -o "$work/whole.o"
strip_debug=()
[ "$profile" = release ] && strip_debug=(--strip-debug)
objcopy "${strip_debug[@]}" -R .llvmbc -R .llvmcmd --wildcard --keep-global-symbol='aftersales_*' \
  "$work/whole.o" "$work/aftersales.o"
rm -f "$stage/lib/libaftersales.a"
ar rcs "$stage/lib/libaftersales.a" "$work/aftersales.o"
chmod 0644 "$stage/lib/libaftersales.a"
install -m 0644 ffi-c/include/aftersales.h ffi-c/include/aftersales_ffi.h "$stage/include/"
install -m 0644 schemas/*.json "$stage/share/aftersales/schemas/"
install -m 0644 docs/errors.md docs/reasons.md "$stage/share/aftersales/"
install -m 0644 ffi-c/README.md "$stage/share/doc/aftersales/README.md"
for pc in aftersales aftersales-static; do
  sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" -e "s|@NATIVE_LIBS@|$native_libs|" \
    "ffi-c/$pc.pc.in" > "$stage/lib/pkgconfig/$pc.pc"
done
echo "installed aftersales $version ($profile, ABI $abi) under $stage"
echo "  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}"
echo "  cc prog.c \$(pkg-config --cflags --libs aftersales)"
