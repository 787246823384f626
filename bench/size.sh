#!/usr/bin/env bash
# What release build settings cost and gain in bytes: builds the wasm once per
# setting (each in its own target directory under target/size/, so nothing
# else is disturbed), runs wasm-bindgen as Trunk does and wasm-opt with each
# flag set, and prints raw / gzip -9 / brotli -11 sizes of the wasm.
#
#   bench/size.sh [VARIANT...]    # default: all; names below
#
# Slow: every variant is a full release build with LTO (~5 min on 2 cores).
# The README's "Release bundle" table was made with it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# name | cargo profile overrides (env) | a change to one file of a copy of the
# crate, as FILE::SED-EXPRESSION (or -)
VARIANTS=(
  "current|CARGO_PROFILE_RELEASE_OPT_LEVEL=z|-"
  "opt-s|CARGO_PROFILE_RELEASE_OPT_LEVEL=s|-"
  "opt-3|CARGO_PROFILE_RELEASE_OPT_LEVEL=3|-"
  "cgu-16|CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16|-"
  "lto-off|CARGO_PROFILE_RELEASE_LTO=false|-"
  "unwind|CARGO_PROFILE_RELEASE_PANIC=unwind|-"
  "serde-json-alloc|-|Cargo.toml::s/^serde_json = .*/serde_json = { version = \"1\", default-features = false, features = [\"alloc\", \"raw_value\"] }/"
  "interning|-|Cargo.toml::s/^wasm-bindgen = \"=0.2.130\"/wasm-bindgen = { version = \"=0.2.130\", features = [\"enable-interning\"] }/"
  "no-update-notice|-|src/ui/mod.rs::/<update_notice::UpdateNotice \/>/d"
)
# wasm-opt flag sets tried on the current profile's output (others get -Oz only).
OPTS=("none" "-Oz" "-Os" "-O3" "-O4" "-Oz --converge")

want=("$@")
root="$PWD"
sizes() { # file → "raw gzip brotli" in bytes
  node -e '
    const z = require("zlib"), d = require("fs").readFileSync(process.argv[1]);
    const br = z.brotliCompressSync(d, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: d.length } });
    console.log(d.length, z.gzipSync(d, { level: 9 }).length, br.length);' "$1"
}

printf '| variant | wasm-opt | raw | gzip -9 | brotli -11 |\n|---|---|---|---|---|\n'
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name envs sedexpr <<<"$v"
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " =~ " $name " ]]; then continue; fi
  dir="target/size/$name"
  mkdir -p "$dir"
  src="."
  if [ "$sedexpr" != "-" ]; then
    # A copy of the crate with one file changed.
    src="$dir/crate"
    rm -rf "$src" && mkdir -p "$src"
    cp -r Cargo.toml Cargo.lock src seeds bench examples tests .cargo "$src/"
    sed -i "${sedexpr#*::}" "$src/${sedexpr%%::*}"
  fi
  # shellcheck disable=SC2086
  (cd "$src" && env $( [ "$envs" != "-" ] && echo "$envs" ) CARGO_TARGET_DIR="$root/$dir/target" \
     cargo build -q --release --target wasm32-unknown-unknown --bin claimmark) >&2 2>"$dir/build.log" || {
    echo "| $name | build failed (see $dir/build.log) | | | |"; continue; }
  wasm-bindgen --target web --no-typescript --out-dir "$dir/out" "$dir/target/wasm32-unknown-unknown/release/claimmark.wasm"
  opts=("-Oz")
  [ "$name" = "current" ] && opts=("${OPTS[@]}")
  for o in "${opts[@]}"; do
    f="$dir/out/claimmark_bg.wasm"
    if [ "$o" != "none" ]; then
      # shellcheck disable=SC2086
      wasm-opt $o --output "$dir/opt.wasm" "$f" # as Trunk calls it
      f="$dir/opt.wasm"
    fi
    read -r raw gz br <<<"$(sizes "$f")"
    printf '| %s | %s | %d | %d | %d |\n' "$name" "$o" "$raw" "$gz" "$br"
  done
done
