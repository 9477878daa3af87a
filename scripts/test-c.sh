#!/usr/bin/env bash
# The C API's tests, from a clean clone:
#  1. builds the library (debug) and the CLI, installs the library into
#     TARGET/c/prefix with scripts/install-c.sh (TARGET is CARGO_TARGET_DIR,
#     else target/);
#  2. compiles the headers alone (aftersales.h as C99 and C++17,
#     aftersales_ffi.h as C99, -Wall -Wextra -Werror -pedantic), the example
#     and the C tests with -Wall -Wextra -Werror -std=c11 against the
#     installed header, through pkg-config (aftersales and
#     aftersales-static);
#  3. runs them: examples/c/evaluate_meter, ffi-c/tests/c/test_api,
#     ffi-c/tests/c/test_ics (a calendar's holidays from an ICS text), the
#     conformance check (the C API's JSON lines for each example pack of
#     examples/packs.txt equal `aftersales eval` byte for byte, each ticket
#     alone equals the case's alone.jsonl, and every hand-worked figure of
#     the case's figures.jsonl holds), and ffi-c/tests/c/memory (a long
#     loop of load, evaluate, free keeps the resident memory flat);
#  4. runs the PHP client ffi-c/tests/php/conformance.php and the example
#     examples/php/evaluate_meter.php (its answer equal to the CLI's) through
#     PHP's FFI with the installed aftersales_ffi.h (installing php-cli with apt-get
#     when PHP is missing and we are root);
#  5. stages an install with DESTDIR (the links, the .pc files' prefix, the
#     schemas) and installs a library of ABI 1 beside ABI 0 (the same code,
#     its SONAME patched): a program linked before loads
#     libaftersales.so.0, one linked after libaftersales.so.1;
#  6. runs the C programs again under valgrind with its default leak kinds
#     (--leak-check=full --error-exitcode=1: definite and possible leaks
#     are errors), installing valgrind with apt-get when it is missing and
#     we are root.
# Set AFTERSALES_NO_VALGRIND=1 to skip step 6 (not for CI).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests use a debug build, often on a loaded machine, and then valgrind,
# which runs every instruction some fifty times slower: widen the rules'
# wall-clock budget (docs/policy.md, Limits) so that it is the operation
# limit, not the clock, that stops the runaway rule of the tests.
export AFTERSALES_RULE_TIME_LIMIT_MS=60000
root="$(pwd)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
target="${CARGO_TARGET_DIR:-$root/target}"
build="$target/c"
prefix="$build/prefix"

echo "== build the library and the CLI"
# Separately: built together, the two would unify features and build the
# library twice.
cargo build --locked -p aftersales-cli
AFTERSALES_PROFILE=debug scripts/install-c.sh "$prefix" > /dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

echo "== compile the headers alone"
if ! command -v c++ > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "== install g++"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ > /dev/null
  else
    echo "c++ is not installed and cannot be installed here (not root, or no apt-get):" >&2
    echo "install it (e.g. sudo apt-get install g++) and run $0 again" >&2
    exit 1
  fi
fi
strict=(-Wall -Wextra -Werror -pedantic -fsyntax-only)
printf '#include "aftersales.h"\nint main(void) { return aftersales_version() == 0; }\n' > "$build/only_header.c"
cc -std=c99 "${strict[@]}" -I"$prefix/include" "$build/only_header.c"
c++ -std=c++17 "${strict[@]}" -x c++ -I"$prefix/include" "$build/only_header.c"
# aftersales_ffi.h has no #include: a C program gives it the standard types.
printf '#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include "aftersales_ffi.h"\nint main(void) { return aftersales_version() == 0 || AFTERSALES_RESULT_OK != 0; }\n' \
  > "$build/only_ffi_header.c"
cc -std=c99 "${strict[@]}" -I"$prefix/include" "$build/only_ffi_header.c"
echo "aftersales.h compiles alone as C99 and C++17, aftersales_ffi.h as C99"

echo "== compile the example and the C tests"
cflags=(-std=c11 -Wall -Wextra -Werror -pthread -g)
# shellcheck disable=SC2207
pc=($(pkg-config --cflags --libs aftersales))
mkdir -p "$build/bin"
cc "${cflags[@]}" -o "$build/bin/evaluate_meter" examples/c/evaluate_meter.c "${pc[@]}"
cc "${cflags[@]}" -o "$build/bin/test_api" ffi-c/tests/c/test_api.c "${pc[@]}"
cc "${cflags[@]}" -o "$build/bin/test_ics" ffi-c/tests/c/test_ics.c "${pc[@]}"
cc "${cflags[@]}" -o "$build/bin/conformance" ffi-c/tests/c/conformance.c "${pc[@]}"
cc "${cflags[@]}" -o "$build/bin/memory" ffi-c/tests/c/memory.c "${pc[@]}"
# The static library links too, through its own pkg-config file.
# shellcheck disable=SC2046
cc "${cflags[@]}" -o "$build/bin/evaluate_meter_static" examples/c/evaluate_meter.c \
  $(pkg-config --cflags --libs aftersales-static)
if grep -q 'libaftersales' <<< "$(readelf -d "$build/bin/evaluate_meter_static")"; then
  echo "FAILED: evaluate_meter_static needs libaftersales.so" >&2
  exit 1
fi
# The static library's global symbols are the API's functions only.
others="$(nm -g --defined-only "$prefix/lib/libaftersales.a" 2> /dev/null | awk 'NF == 3 && $3 !~ /^aftersales_/' | wc -l)"
if [ "$others" -ne 0 ]; then
  echo "FAILED: libaftersales.a defines $others global symbols besides aftersales_*" >&2
  exit 1
fi
# Programs record the SONAME, not the file's name.
if ! grep -q 'NEEDED.*\[libaftersales\.so\.0\]' <<< "$(readelf -d "$build/bin/test_api")"; then
  echo "FAILED: test_api does not record NEEDED libaftersales.so.0" >&2
  exit 1
fi

# run NAME COMMAND...: runs a program, or the same under valgrind.
run() {
  local name="$1"
  shift
  if ! "${wrapper[@]}" "$@"; then
    echo "FAILED: $name" >&2
    exit 1
  fi
}

conformance() {
  local pack as_of seconds figures
  while read -r pack as_of; do
    case "$pack" in '' | '#'*) continue ;; esac
    seconds="$(date -d "$as_of" +%s)"
    "$target/debug/aftersales" eval "examples/policies/$pack.toml" "examples/tickets/$pack.jsonl" \
      --as-of "$as_of" > "$build/$pack.cli.jsonl" || [ $? -eq 1 ]
    run "conformance $pack" "$build/bin/conformance" "examples/policies/$pack.toml" \
      "examples/tickets/$pack.jsonl" "$seconds" > "$build/$pack.c.jsonl"
    if ! cmp "$build/$pack.cli.jsonl" "$build/$pack.c.jsonl"; then
      echo "FAILED: the C API and the CLI differ for $pack" >&2
      exit 1
    fi
    echo "conformance $pack: $(wc -l < "$build/$pack.c.jsonl") answers identical to the CLI's"
    # Every ticket alone, and as a batch of one: the case's answers alone.
    run "conformance $pack alone" "$build/bin/conformance" --alone "examples/policies/$pack.toml" \
      "examples/tickets/$pack.jsonl" "$seconds" > "$build/$pack.alone.c.jsonl"
    if ! cmp "tests/conformance/cases/pack_$pack/alone.jsonl" "$build/$pack.alone.c.jsonl"; then
      echo "FAILED: the C API's answers alone differ from tests/conformance/cases/pack_$pack/alone.jsonl" >&2
      exit 1
    fi
    echo "conformance $pack: every ticket alone and as a batch of one gives the expected answer"
    # The pack's hand-worked figures, in the C API's own answers.
    figures="$(run "conformance $pack figures" "$build/bin/conformance" --figures \
      "tests/conformance/cases/pack_$pack/figures.jsonl" "examples/policies/$pack.toml" \
      "examples/tickets/$pack.jsonl" "$seconds")"
    echo "conformance $pack: $figures"
  done < examples/packs.txt
}

# The flags of reasons on one pack: Simplified Chinese text (2), Chinese with
# codes (2|4), none (8), each equal to the CLI's --lang/--because.
reasons() {
  local pack=hot_water_meter as_of seconds flags lang because
  as_of="$(awk -v p="$pack" '$1 == p {print $2}' examples/packs.txt)"
  seconds="$(date -d "$as_of" +%s)"
  for form in "2 zh-CN text" "6 zh-CN codes" "8 en none"; do
    read -r flags lang because <<< "$form"
    "$target/debug/aftersales" eval "examples/policies/$pack.toml" "examples/tickets/$pack.jsonl" \
      --as-of "$as_of" --lang "$lang" --because "$because" > "$build/$pack.$flags.cli.jsonl" || [ $? -eq 1 ]
    run "reasons $pack $flags" "$build/bin/conformance" "examples/policies/$pack.toml" \
      "examples/tickets/$pack.jsonl" "$seconds" "$flags" > "$build/$pack.$flags.c.jsonl"
    if ! cmp "$build/$pack.$flags.cli.jsonl" "$build/$pack.$flags.c.jsonl"; then
      echo "FAILED: the C API (flags $flags) and the CLI (--lang $lang --because $because) differ" >&2
      exit 1
    fi
    echo "reasons $pack flags $flags: identical to the CLI's --lang $lang --because $because"
  done
}

# A policy set loads through aftersales_policy_load_path like a policy: the
# case policy_set's answers, byte for byte.
policy_set() {
  local dir=tests/conformance/cases/policy_set seconds
  seconds="$(date -d "2026-01-01T01:00:00+08:00" +%s)"
  run "conformance policy_set" "$build/bin/conformance" tests/conformance/policies/versions.toml \
    "$dir/tickets.jsonl" "$seconds" > "$build/policy_set.c.jsonl"
  if ! cmp "$dir/expected.jsonl" "$build/policy_set.c.jsonl"; then
    echo "FAILED: the C API's answers differ from $dir/expected.jsonl" >&2
    exit 1
  fi
  echo "conformance policy_set: every version's answer identical to the case's"
}

suite() {
  run evaluate_meter "$build/bin/evaluate_meter"
  run evaluate_meter_static "$build/bin/evaluate_meter_static" > /dev/null
  run test_api "$build/bin/test_api"
  run test_ics "$build/bin/test_ics"
  run memory "$build/bin/memory"
  conformance
  policy_set
  reasons
}

echo "== run"
wrapper=()
suite

echo "== PHP client (ffi-c/tests/php)"
if ! command -v php > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "== install php-cli"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq php-cli > /dev/null
  else
    echo "PHP is not installed and cannot be installed here (not root, or no apt-get):" >&2
    echo "install it (e.g. sudo apt-get install php-cli) and run $0 again" >&2
    exit 1
  fi
fi
if ! grep -qx FFI <<< "$(php -d ffi.enable=1 -m)"; then
  echo "PHP has no FFI extension (Debian's php-cli has it)" >&2
  exit 1
fi
php -d ffi.enable=1 ffi-c/tests/php/conformance.php "$prefix"
# The example gives the command line's bytes.
printf '%s\n' '{"id": "T-1", "opened_at": "2026-03-02T08:59:30+08:00", "channel": "hotline"}' > "$build/php_ticket.jsonl"
"$target/debug/aftersales" eval examples/policies/hot_water_meter.toml "$build/php_ticket.jsonl" \
  --as-of 2026-03-03T12:00:00+08:00 --lang zh-CN > "$build/php_example.cli.jsonl"
php -d ffi.enable=1 examples/php/evaluate_meter.php "$prefix" > "$build/php_example.php.jsonl"
if ! cmp "$build/php_example.cli.jsonl" "$build/php_example.php.jsonl"; then
  echo "FAILED: examples/php/evaluate_meter.php and the CLI differ" >&2
  exit 1
fi
echo "examples/php/evaluate_meter.php: identical to the CLI's --lang zh-CN"

echo "== install layout and an upgrade side by side"
# A package's staging: DESTDIR holds the files, the .pc files name PREFIX.
stage="$build/stage"
rm -rf "$stage"
DESTDIR="$stage" AFTERSALES_PROFILE=debug scripts/install-c.sh /usr > /dev/null
for link in "libaftersales.so.0:libaftersales.so.$version" "libaftersales.so:libaftersales.so.0"; do
  if [ "$(readlink "$stage/usr/lib/${link%%:*}")" != "${link#*:}" ]; then
    echo "FAILED: $stage/usr/lib/${link%%:*} does not point to ${link#*:}" >&2
    exit 1
  fi
done
grep -qx 'prefix=/usr' "$stage/usr/lib/pkgconfig/aftersales.pc" || { echo "FAILED: aftersales.pc under DESTDIR does not say prefix=/usr" >&2; exit 1; }
test -f "$stage/usr/share/aftersales/schemas/evaluation.schema.json" -a -f "$stage/usr/share/aftersales/errors.md" \
  -a -f "$stage/usr/include/aftersales_ffi.h" || { echo "FAILED: the staged files are incomplete" >&2; exit 1; }
# An upgrade to a new ABI: the library of ABI 1 (here the same code, its
# SONAME patched to libaftersales.so.1, as a build with ABI_VERSION 1 has
# it) installed beside ABI 0. A program linked before the upgrade keeps
# loading libaftersales.so.0; one linked after loads libaftersales.so.1.
side="$build/side"
rm -rf "$side"
cp -a "$prefix" "$side"
cc "${cflags[@]}" -o "$build/bin/linked_before" examples/c/evaluate_meter.c \
  -I"$side/include" -L"$side/lib" -laftersales -Wl,-rpath,"$side/lib"
python3 - "$side/lib/libaftersales.so.$version" "$side/lib/libaftersales.so.1.0.0" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
old, new = b"libaftersales.so.0\0", b"libaftersales.so.1\0"
assert data.count(old) == 1, "the SONAME appears once"
open(sys.argv[2], "wb").write(data.replace(old, new))
PY
chmod 0755 "$side/lib/libaftersales.so.1.0.0"
ln -sfn libaftersales.so.1.0.0 "$side/lib/libaftersales.so.1"
ln -sfn libaftersales.so.1 "$side/lib/libaftersales.so"
cc "${cflags[@]}" -o "$build/bin/linked_after" examples/c/evaluate_meter.c \
  -I"$side/include" -L"$side/lib" -laftersales -Wl,-rpath,"$side/lib"
for program in linked_before:0 linked_after:1; do
  name="${program%%:*}" abi="${program#*:}"
  # Whole outputs, then grep: with pipefail, `grep -q` ending a pipe early
  # would fail the pipe.
  dynamic="$(readelf -d "$build/bin/$name")"
  grep -q "NEEDED.*\[libaftersales\.so\.$abi\]" <<< "$dynamic" \
    || { echo "FAILED: $name does not record libaftersales.so.$abi" >&2; exit 1; }
  loaded="$(ldd "$build/bin/$name")"
  grep -q "libaftersales\.so\.$abi => $side/lib/libaftersales\.so\.$abi" <<< "$loaded" \
    || { echo "FAILED: $name does not load libaftersales.so.$abi" >&2; exit 1; }
  "$build/bin/$name" > /dev/null || { echo "FAILED: $name does not run" >&2; exit 1; }
done
echo "ABI 0 and ABI 1 installed side by side: each program loads the one it was linked with"

if [ "${AFTERSALES_NO_VALGRIND:-}" = 1 ]; then
  echo "== valgrind skipped (AFTERSALES_NO_VALGRIND=1)"
  exit 0
fi
if ! command -v valgrind > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "== install valgrind"
    apt-get update -qq && apt-get install -y -qq valgrind > /dev/null
  else
    echo "valgrind is not installed and cannot be installed here (not root, or no apt-get):" >&2
    echo "install it (e.g. sudo apt-get install valgrind) and run $0 again" >&2
    exit 1
  fi
fi
echo "== run under valgrind"
# One round of the thread test and of the memory loop: valgrind runs the
# threads one at a time.
export AFTERSALES_TEST_ROUNDS=1
# valgrind's default leak kinds: definite and possible leaks are errors.
wrapper=(valgrind --quiet --leak-check=full --error-exitcode=1)
suite
echo "== C API: all tests passed, valgrind clean"
