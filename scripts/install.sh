#!/usr/bin/env bash
# Installs the build and test tools consent-guard needs, and only those that are
# missing, so a second run costs a few version checks. One line per step:
# "ok: ..." when already satisfied, "installing: ..." when it does work.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d "$HOME/.cargo/bin" ] && PATH="$HOME/.cargo/bin:$PATH"

# Run as root directly, otherwise through sudo (apt needs it).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. The wasm target for rustc.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "ok: rust target wasm32-unknown-unknown"
else
    echo "installing: rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version in Cargo.lock: the CLI refuses
#    wasm built against any other version of the library.
wb_version=$(awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
if [ -z "$wb_version" ]; then
    echo "error: no wasm-bindgen entry in Cargo.lock" >&2
    exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null || true)
if [ "$have" = "wasm-bindgen $wb_version" ]; then
    echo "ok: wasm-bindgen-cli $wb_version"
else
    echo "installing: wasm-bindgen-cli $wb_version (found: ${have:-none}; takes a few minutes)"
    # Not --locked: the CLI's own lock file does not resolve on this toolchain.
    cargo install wasm-bindgen-cli --version "=$wb_version"
fi

# 3. Chromium and its driver, for wasm-bindgen-test and the end-to-end tests.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "ok: chromium + chromedriver"
else
    echo "installing: chromium chromium-driver (apt)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends chromium chromium-driver
fi

# 4. npm dev dependencies (binaryen's wasm-opt, playwright-core, axe-core, ajv),
#    exactly as package-lock.json pins them. The stamp records when node_modules
#    last matched the lock file.
stamp=node_modules/.consent-guard-npm-ci.stamp
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
    echo "ok: node_modules (matches package-lock.json)"
else
    echo "installing: npm ci (node_modules missing or older than package-lock.json)"
    npm ci --no-audit --no-fund
    touch "$stamp"
fi
