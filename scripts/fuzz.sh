#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for FUZZ_SECONDS each (default 120),
# one after the other, and prints per target the execs reached, the corpus
# size and any crash, then one summary line. Exits non-zero if a target
# crashed (a failed invariant is a crash) or timed out.
#
#   FUZZ_SECONDS=600 scripts/fuzz.sh          every target, 10 minutes each
#   FUZZ_TARGETS="host tag" scripts/fuzz.sh   only these
#   FUZZ_SANITIZER=address scripts/fuzz.sh    with ASan (needs a nightly)
#
# Inputs: fuzz/seeds/<target>/ (committed) and fuzz/corpus/<target>/ (grown
# by earlier runs, git-ignored), with fuzz/dicts/<target>.dict. Crashes land
# in fuzz/artifacts/<target>/ and are copied to fuzz/regressions/<target>/,
# which `make test` replays (src/fuzzing.rs): commit the file with the fix.
# Logs: fuzz/target/logs/<target>.log. Cumulative execs per target, over all
# runs on this machine: fuzz/corpus/<target>.execs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d "$HOME/.cargo/bin" ] && PATH="$HOME/.cargo/bin:$PATH"

seconds=${FUZZ_SECONDS:-120}
sanitizer=${FUZZ_SANITIZER:-none}
cargo_fuzz_version=0.13.2

# 1. cargo-fuzz, from crates.io, only when missing.
if have=$(cargo fuzz --version 2>/dev/null); then
    echo "ok: $have"
else
    echo "installing: cargo-fuzz $cargo_fuzz_version (takes a few minutes)"
    cargo install cargo-fuzz --version "=$cargo_fuzz_version" --locked
fi

# 2. The toolchain. cargo-fuzz needs a nightly only for sanitizers (-Z
#    flags). The crate forbids unsafe code, so the targets build without one
#    (--sanitizer none: coverage instrumentation and --cfg fuzzing are stable
#    flags) on the machine's own toolchain, with debug assertions and
#    overflow checks on. ASan on request needs a nightly, installed only if
#    missing (a machine that cannot fetch toolchains stops here).
toolchain=()
if [ "$sanitizer" != none ]; then
    if ! rustup toolchain list | grep -q '^nightly'; then
        echo "installing: rust nightly (for --sanitizer $sanitizer)"
        rustup toolchain install nightly --profile minimal
    fi
    toolchain=(+nightly)
fi

# 3. Build every target once (own workspace and target dir: fuzz/target).
targets=${FUZZ_TARGETS:-$(cargo "${toolchain[@]}" fuzz list)}
# cargo fuzz build takes one target or none (= all of them).
one=()
[ "$(wc -w <<<"$targets")" = 1 ] && one=($targets)
echo "building: cargo fuzz build --sanitizer $sanitizer ${one[*]:-(all targets)}"
cargo "${toolchain[@]}" fuzz build --sanitizer "$sanitizer" "${one[@]}"
triple=$(rustc "${toolchain[@]}" -vV | awk '/^host:/ { print $2 }')
bin=fuzz/target/$triple/release
mkdir -p fuzz/target/logs

# 4. Run each target in turn (one process: the machine's cores are shared).
summary=()
crashed=()
for t in $targets; do
    corpus=fuzz/corpus/$t artifacts=fuzz/artifacts/$t log=fuzz/target/logs/$t.log
    mkdir -p "$corpus" "$artifacts"
    args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$artifacts/")
    [ -f "fuzz/dicts/$t.dict" ] && args+=(-dict="fuzz/dicts/$t.dict")
    # deletion's cost grows with the writes it makes (paths × domains): keep
    # inputs near real ones, still past the 1024-byte attribute limit.
    [ "$t" = deletion ] && args+=(-max_len=1400)
    # Read-only inputs after the corpus: the seeds, and past crashes first
    # of all (a fix that regressed shows at once).
    seeds=()
    for dir in "fuzz/regressions/$t" "fuzz/seeds/$t"; do
        [ -d "$dir" ] && seeds+=("$dir")
    done
    before=$(mktemp)
    printf '\n==== fuzz %s: %ss ====\n' "$t" "$seconds"
    rc=0
    "$bin/$t" "${args[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
    execs=$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log" | tail -1)
    rate=$(awk '/stat::average_exec_per_sec:/ { print $2 }' "$log" | tail -1)
    files=$(find "$corpus" -type f | wc -l)
    execs=${execs:-0}
    total_file=fuzz/corpus/$t.execs
    total=$(($(cat "$total_file" 2>/dev/null || echo 0) + execs))
    echo "$total" >"$total_file"
    new=$(find "$artifacts" -type f -newer "$before" 2>/dev/null || true)
    rm -f "$before"
    echo "$t: $execs execs (${rate:-0}/s), corpus $files files, $total execs over all runs"
    if [ "$rc" = 0 ] && [ -z "$new" ]; then
        summary+=("$t $execs execs")
        continue
    fi
    crashed+=("$t")
    summary+=("$t $execs execs CRASHED")
    echo "$t: CRASH (libFuzzer exit $rc); the end of $log:"
    grep -E "panicked at|^(assertion|thread)|ERROR: libFuzzer|SUMMARY" "$log" | head -8 || true
    mkdir -p "fuzz/regressions/$t"
    for file in $new; do
        cp "$file" "fuzz/regressions/$t/"
        echo "$t: input $file copied to fuzz/regressions/$t/ (make test now replays it)"
    done
done

# 5. One summary line.
echo
joined=$(printf '%s, ' "${summary[@]}")
joined=${joined%, }
if [ "${#crashed[@]}" = 0 ]; then
    echo "fuzz: $joined (${seconds}s each) -- no crash"
else
    echo "fuzz: $joined (${seconds}s each) -- CRASHED: ${crashed[*]}"
    exit 1
fi
