#!/usr/bin/env bash
# Runs every test suite, even after one fails, then prints one summary line
# with the passed counts per suite. Exits non-zero if any suite failed.
# Expects a built pkg/ (make test builds first). Logs: target/test-logs/.
#
#   native       cargo test --all-targets, then cargo test --doc
#                (--no-fail-fast everywhere, so the counts cover every target)
#   wasm         wasm-bindgen-test in headless Chromium (tests/web*.rs)
#   wasm-firefox the same in headless Firefox ESR (geckodriver), when installed
#   schema       scripts/check-schema.mjs (skipped until the schema exists)
#   e2e          node --test tests/e2e/*.test.mjs (playwright-core + Chromium)
#   size-budget  scripts/size-budget.mjs, when that file exists
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d "$HOME/.cargo/bin" ] && PATH="$HOME/.cargo/bin:$PATH"
PATH="$PWD/node_modules/.bin:$PATH"
logs=target/test-logs
rm -rf "$logs" && mkdir -p "$logs"

summary=()
failed_suites=()

# record NAME RC PASSED [FAILED]  (PASSED may be "skipped")
record() {
    local name=$1 rc=$2 passed=$3 failed=${4:-0} text
    if [ "$passed" = skipped ]; then
        text="$name skipped"
    else
        text="$name $passed passed"
        [ "$failed" != 0 ] && text+=" ($failed failed)"
    fi
    if [ "$rc" != 0 ]; then
        failed_suites+=("$name")
        [ "$failed" = 0 ] && text+=" (FAILED, exit $rc)"
    fi
    summary+=("$text")
}

# Sum the "test result: ... N passed; M failed" lines of cargo's test output.
cargo_counts() {
    grep -hoE 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$@" \
        | awk '{ p += $4; f += $6 } END { printf "%d %d\n", p, f }'
}

banner() { printf '\n==== %s ====\n' "$*"; }

# --- native ------------------------------------------------------------------
banner "native: cargo test --all-targets && cargo test --doc"
cargo test --no-fail-fast --all-targets 2>&1 | tee "$logs/native.log"
rc=${PIPESTATUS[0]}
cargo test --no-fail-fast --doc 2>&1 | tee -a "$logs/native.log"
rc_doc=${PIPESTATUS[0]}
[ "$rc" = 0 ] && rc=$rc_doc
read -r p f < <(cargo_counts "$logs/native.log")
record native "$rc" "$p" "$f"

# --- wasm in the browser -----------------------------------------------------
# Every tests/web*.rs file is a wasm-bindgen-test binary; each runs in its own
# page, so the engine's per-page state starts fresh for each file.
wasm_tests=()
for f in tests/web*.rs; do wasm_tests+=(--test "$(basename "$f" .rs)"); done
banner "wasm: cargo test --target wasm32-unknown-unknown ${wasm_tests[*]} (Chromium)"
env -u GECKODRIVER -u SAFARIDRIVER CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --no-fail-fast --target wasm32-unknown-unknown "${wasm_tests[@]}" 2>&1 | tee "$logs/wasm.log"
rc=${PIPESTATUS[0]}
read -r p f < <(cargo_counts "$logs/wasm.log")
record wasm "$rc" "$p" "$f"

# --- the same wasm tests in Firefox ------------------------------------------
# Firefox ESR through geckodriver (scripts/install.sh installs both); skipped
# where either is missing. GECKODRIVER wins over CHROMEDRIVER, so unset that.
geckodriver=$(command -v geckodriver || true)
banner "wasm-firefox: cargo test --target wasm32-unknown-unknown ${wasm_tests[*]} (Firefox)"
if [ -n "$geckodriver" ] && [ -x /usr/bin/firefox-esr ]; then
    env -u CHROMEDRIVER -u SAFARIDRIVER GECKODRIVER="$geckodriver" \
        cargo test --no-fail-fast --target wasm32-unknown-unknown "${wasm_tests[@]}" 2>&1 | tee "$logs/wasm-firefox.log"
    rc=${PIPESTATUS[0]}
    read -r p f < <(cargo_counts "$logs/wasm-firefox.log")
    record wasm-firefox "$rc" "$p" "$f"
else
    echo "skipped: geckodriver or /usr/bin/firefox-esr missing (make install)"
    record wasm-firefox 0 skipped
fi

# --- cookie table JSON schema -----------------------------------------------
banner "schema: node scripts/check-schema.mjs"
node scripts/check-schema.mjs 2>&1 | tee "$logs/schema.log"
rc=${PIPESTATUS[0]}
if grep -q '^schema: skipped' "$logs/schema.log"; then
    record schema "$rc" skipped
else
    line=$(grep -oE '^schema: [0-9]+ passed, [0-9]+ failed' "$logs/schema.log" | tail -1)
    read -r p f < <(awk '{ print $2, $4 }' <<<"${line:-schema: 0 passed, 0 failed}")
    record schema "$rc" "$p" "$f"
fi

# --- end-to-end --------------------------------------------------------------
banner "e2e: node --test tests/e2e/*.test.mjs"
shopt -s nullglob
e2e_files=(tests/e2e/*.test.mjs)
shopt -u nullglob
if [ "${#e2e_files[@]}" = 0 ]; then
    echo "no tests/e2e/*.test.mjs"
    record e2e 0 skipped
else
    # spec for people, TAP in a file for the counts
    node --test --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$logs/e2e.tap" \
        "${e2e_files[@]}" 2>&1 | tee "$logs/e2e.log"
    rc=${PIPESTATUS[0]}
    p=$(awk '/^# pass / { print $3 }' "$logs/e2e.tap" 2>/dev/null | tail -1)
    f=$(awk '/^# fail / { print $3 }' "$logs/e2e.tap" 2>/dev/null | tail -1)
    record e2e "$rc" "${p:-0}" "${f:-0}"
fi

# --- size budget -------------------------------------------------------------
banner "size-budget: node scripts/size-budget.mjs"
if [ -f scripts/size-budget.mjs ]; then
    node scripts/size-budget.mjs 2>&1 | tee "$logs/size-budget.log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" = 0 ]; then record size-budget 0 1; else record size-budget "$rc" 0 1; fi
else
    echo "skipped: scripts/size-budget.mjs does not exist yet"
    record size-budget 0 skipped
fi

# --- summary -----------------------------------------------------------------
echo
joined=$(printf '%s, ' "${summary[@]}")
joined=${joined%, }
if [ "${#failed_suites[@]}" = 0 ]; then
    echo "summary: $joined -- all suites passed"
else
    echo "summary: $joined -- FAILED: ${failed_suites[*]} (logs in $logs/)"
    exit 1
fi
