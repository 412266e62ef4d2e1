#!/usr/bin/env bash
# Builds pkg/ from the crate:
#   pkg/consent-guard.js        one classic script (glue + wasm as a byte string + js/shell.js)
#   pkg/consent-guard.d.ts      its TypeScript declarations (js/consent-guard.d.ts)
#   pkg/esm/                    ES module build with .d.ts, for bundlers
#   pkg/cookies.schema.json     the cookie table schema, when schema/ has it
# Intermediate files live in target/bindgen/. The wasm-bindgen + wasm-opt stage
# is skipped when its inputs (the cargo output, tool versions, this script) are
# byte-identical to the last run, because it is the slow part after cargo.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
[ -d "$HOME/.cargo/bin" ] && PATH="$HOME/.cargo/bin:$PATH"
# npm's binaryen first: Debian's /usr/bin/wasm-opt (108) corrupts wasm-bindgen
# output (see TOOLCHAIN.md). We also call it by path below.
PATH="$root/node_modules/.bin:$PATH"
wasm_opt="$root/node_modules/.bin/wasm-opt"

die() { echo "build: error: $*" >&2; exit 1; }

[ -x "$wasm_opt" ] || die "$wasm_opt missing; run 'make install'"
opt_version=$("$wasm_opt" --version 2>&1) || die "$wasm_opt --version failed: $opt_version"
case "$opt_version" in
    "wasm-opt version 132 "*|"wasm-opt version 132") ;;
    *) die "need npm binaryen 132, $wasm_opt says: $opt_version" ;;
esac
bindgen_version=$(wasm-bindgen --version 2>/dev/null) || die "wasm-bindgen missing; run 'make install'"

# 1. Rust -> wasm (cargo does its own incremental work).
echo "build: cargo build --lib --profile wasm --target wasm32-unknown-unknown"
cargo build --lib --profile wasm --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/wasm/consent_guard.wasm
out=target/bindgen

# wasm-opt reads the features from the target_features section that rustc
# writes and wasm-bindgen keeps. We name the same set explicitly, so a missing
# section cannot make it fall back to another set, and refuse a wasm that
# declares anything beyond it (SIMD, GC, exceptions, ...) until someone has
# checked the browsers we support have it. Not --all-features: that lets
# wasm-opt introduce features of its own (the output grew and changed).
features=(--enable-mutable-globals --enable-nontrapping-float-to-int
          --enable-bulk-memory --enable-bulk-memory-opt --enable-sign-ext
          --enable-reference-types --enable-multivalue --enable-call-indirect-overlong)

stamp_now=$( {
    sha256sum "$wasm"
    echo "$bindgen_version / $opt_version / ${features[*]}"
    sha256sum "${BASH_SOURCE[0]}"
} | sha256sum | cut -d' ' -f1 )
stamp_file=$out/stamp
outputs=("$out/classic/consent_guard.js" "$out/classic/consent_guard_bg.wasm"
         "$out/esm/consent_guard.js" "$out/esm/consent_guard_bg.wasm" "$out/esm/consent_guard.d.ts")
all_there=1
for f in "${outputs[@]}"; do [ -f "$f" ] || all_there=0; done

optimise() {
    local f=$1; shift
    local line
    while read -r line; do
        case " ${features[*]} " in
            *" $line "*) ;;
            *) die "$f declares wasm feature '$line' that build.sh does not enable; review and add it to features=()" ;;
        esac
    done < <("$wasm_opt" --print-features "$f" 2>/dev/null)
    "$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers "$@" "$f" -o "$f.opt"
    mv "$f.opt" "$f"
}

if [ "$all_there" = 1 ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp_now" ]; then
    echo "build: wasm unchanged, reusing $out/ (wasm-bindgen + wasm-opt skipped)"
else
    rm -rf "$out" && mkdir -p "$out"
    echo "build: wasm-bindgen --target no-modules"
    wasm-bindgen --target no-modules --no-typescript --out-dir "$out/classic" "$wasm"
    echo "build: wasm-bindgen --target web"
    wasm-bindgen --target web --out-dir "$out/esm" "$wasm"
    echo "build: wasm-opt -Oz (binaryen 132)"
    # The classic copy is only ever embedded in the script: drop the feature
    # section too. The ES module copy keeps it for bundlers that re-optimise.
    optimise "$out/classic/consent_guard_bg.wasm" --strip-target-features &
    pid=$!
    optimise "$out/esm/consent_guard_bg.wasm"
    wait "$pid"
    echo "$stamp_now" > "$stamp_file"
fi

# 2. Assemble pkg/ from target/bindgen (cheap, always done so pkg/ never
#    mixes files from two builds).
mkdir -p pkg
rm -rf pkg/esm
cp -R "$out/esm" pkg/esm
node scripts/assemble.mjs
cp js/consent-guard.d.ts pkg/consent-guard.d.ts
node scripts/package-json.mjs
if [ -f schema/cookies.schema.json ]; then
    cp schema/cookies.schema.json pkg/cookies.schema.json
else
    rm -f pkg/cookies.schema.json
fi

node scripts/sizes.mjs pkg/consent-guard.js pkg/esm/consent_guard_bg.wasm pkg/esm/consent_guard.js
