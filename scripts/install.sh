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

# apt-get install PACKAGES, with one `apt-get update` per run at most.
apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        as_root apt-get update
        apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "$@"
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
    apt_install chromium chromium-driver
fi

# 3b. openssl, which the end-to-end tests use to make a throw-away TLS
#     certificate (tests/e2e/lib/certs.mjs). Debian has it wherever
#     ca-certificates is installed; a bare image may not.
if command -v openssl >/dev/null; then
    echo "ok: openssl"
else
    echo "installing: openssl (apt)"
    apt_install openssl
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

# 5. Firefox ESR and geckodriver, so the wasm-bindgen tests also run in a
#    second engine (scripts/test.sh, suite wasm-firefox). geckodriver is
#    built from crates.io (about 6 minutes on 2 cores, once). Playwright's
#    Firefox is a patched build that cannot be downloaded here, so the
#    end-to-end suite stays on Chromium.
if [ -x /usr/bin/firefox-esr ]; then
    echo "ok: firefox-esr"
else
    echo "installing: firefox-esr (apt)"
    apt_install firefox-esr
fi
gd_version=0.37.1
have=$(geckodriver --version 2>/dev/null | head -n 1 || true)
if [ "$have" = "geckodriver $gd_version" ]; then
    echo "ok: geckodriver $gd_version"
else
    echo "installing: geckodriver $gd_version (found: ${have:-none}; takes about 6 minutes)"
    cargo install geckodriver --version "=$gd_version"
fi
