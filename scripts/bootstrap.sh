#!/usr/bin/env bash
# Install whatever claimmark's build and tests need and is missing.
# Idempotent: each step checks first and says what it installs.
# Recipes: ../shared/TOOLCHAIN.md (proven on these machines).
#
#   scripts/bootstrap.sh build   # wasm32 target, trunk, wasm-bindgen, wasm-opt, workbox-build
#   scripts/bootstrap.sh test    # build tools + Chromium, chromedriver, pdftotext, Noto fonts, playwright-core, axe-core
#   scripts/bootstrap.sh size    # build tools + twiggy (make bench-parts: what each part costs in the wasm)
set -euo pipefail
cd "$(dirname "$0")/.."

want="${1:-test}"
TRUNK_VERSION="0.21.14"
say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mbootstrap: %s\033[0m\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs) first."
command -v rustup >/dev/null || die "rustup is missing: the wasm32 target is added with rustup."

# wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
if [ ! -f Cargo.lock ]; then cargo generate-lockfile >/dev/null; fi
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "could not read the wasm-bindgen version from Cargo.lock"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (cargo install, ~10 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB_VERSION" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WB_VERSION (cargo install, ~6 min; not --locked, see TOOLCHAIN.md)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

command -v npm >/dev/null || die "npm is missing: install Node.js 20+ and npm (Debian: apt-get install nodejs npm)."
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ ! -d node_modules/workbox-build ] || [ ! -d node_modules/axe-core ] \
   || [ ! -x node_modules/.bin/pouchdb-server ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev tools: binaryen (wasm-opt 132), playwright-core, workbox-build (the release build's service worker), axe-core, pouchdb-server (the team tests' CouchDB-compatible server, ~1 min)"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
node_modules/.bin/wasm-opt --version | grep -q "version 132" || die "node_modules/.bin/wasm-opt is not version 132"

TWIGGY_VERSION="0.8.0"
if [ "$want" = "size" ] && [ "$(twiggy --version 2>/dev/null)" != "twiggy-opt $TWIGGY_VERSION" ]; then
  say "installing twiggy $TWIGGY_VERSION (cargo install, ~3 min)"
  cargo install twiggy --version "$TWIGGY_VERSION" --locked
fi

if [ "$want" = "test" ] || [ "$want" = "bench" ]; then
  # pdftotext (poppler-utils) reads the text of the PDF the print test makes;
  # curl runs couchdb/setup.sh, which the team tests use to set up their server;
  # Noto fonts draw Arabic, Hebrew, Thai, Chinese and Japanese articles in the
  # screenshots and printed PDFs (without them Chromium draws empty boxes).
  NOTO=/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf
  NOTO_CJK=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v pdftotext >/dev/null \
     || ! command -v curl >/dev/null || [ ! -f "$NOTO" ] || [ ! -f "$NOTO_CJK" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      say "installing Debian packages chromium, chromium-driver, poppler-utils, curl, fonts-noto-core and fonts-noto-cjk (~70 MB)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils curl \
        fonts-noto-core fonts-noto-cjk
    else
      die "Chromium, pdftotext, curl or the Noto fonts are missing. As root run: apt-get install chromium chromium-driver poppler-utils curl fonts-noto-core fonts-noto-cjk (needs /usr/bin/chromium, /usr/bin/chromedriver, pdftotext, curl, $NOTO and $NOTO_CJK)"
    fi
  fi
  c="$(/usr/bin/chromium --version | grep -o '[0-9]*' | head -1)"
  d="$(/usr/bin/chromedriver --version | grep -o '[0-9]*' | head -1)"
  [ "$c" = "$d" ] || die "chromium ($c) and chromedriver ($d) major versions differ"
fi
say "ready (trunk $TRUNK_VERSION, wasm-bindgen $WB_VERSION, wasm-opt 132)"
