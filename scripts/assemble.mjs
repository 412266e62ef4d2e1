#!/usr/bin/env node
// Writes pkg/consent-guard.js: ONE classic (non-module) script that, placed
// first in <head>, compiles and starts the wasm synchronously, before the parser
// reaches the next element. Layout:
//
//   <U+FEFF>/*! consent-guard <version> */
//   (function (CONFIG, WASM_BYTES) {
//   "use strict";
//   <wasm-bindgen --target no-modules glue>      defines `wasm_bindgen`
//   <js/shell.js>                                 uses wasm_bindgen, WASM_BYTES, CONFIG
//   })(/*@@CONSENT_GUARD_CONFIG@@*/null, "<optimised wasm, a character per byte>");
//
// Everything lives inside the IIFE: the page sees no globals but the ones the
// shell sets on purpose. The CLI's `bundle` command replaces the marker (which
// must therefore occur exactly once) with a validated cookie table.
//
// The function body (glue + shell) is minified with terser for pkg/; the
// marker and the wasm stay outside it, as arguments, so minifying can neither
// drop the marker nor fold the table away. `--no-minify` keeps it readable.
//
// Usage: node scripts/assemble.mjs [--no-minify] [--glue F] [--wasm F] [--shell F] [--out F]
// (defaults: target/bindgen/classic/consent_guard{.js,_bg.wasm}, js/shell.js,
// pkg/consent-guard.js; relative to the repo root).

import { readFileSync, writeFileSync, renameSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CONFIG_MARKER = "/*@@CONSENT_GUARD_CONFIG@@*/null";

function fail(message) {
  console.error(`assemble: error: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = {
    glue: "target/bindgen/classic/consent_guard.js",
    wasm: "target/bindgen/classic/consent_guard_bg.wasm",
    shell: "js/shell.js",
    out: "pkg/consent-guard.js",
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in opts) || argv[i + 1] === undefined) fail(`bad argument ${argv[i]}`);
    opts[key] = argv[i + 1];
  }
  for (const key of Object.keys(opts)) opts[key] = resolve(root, opts[key]);
  return opts;
}

function crateVersion() {
  const toml = readFileSync(resolve(root, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((section) => section.startsWith("package]"));
  const m = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) fail("no [package] version in Cargo.toml");
  return m[1];
}

// The file starts with a UTF-8 byte order mark. The Encoding standard lets a
// BOM override every other charset (a server's Content-Type, the page's
// <meta charset>, the script's charset attribute), so the characters of
// byteString() below reach the JS engine exactly as written on any site.
const BOM = "\uFEFF";

// The wasm bytes as a JS string literal with one character (U+0000-U+00FF)
// per byte, which the shell turns back into bytes with charCodeAt.
//
// Why not base64: base64 maps 3 bytes to 4 characters, so a repeated byte
// sequence encodes differently at each of its three alignments and gzip and
// brotli stop finding the repeats of the code. Measured on the 207,481-byte
// wasm of 2026-11-28 (itself 91,386 B gzip): as base64 118,498 B gzip /
// 100,436 B brotli, as this literal 96,882 / 81,127 B.
//
// Escaped: the quote, the backslash and the two line terminators (the only
// characters a string literal cannot hold as is), NUL (as \0, or \x00 before
// a digit, where \0 would be an octal escape, a syntax error in strict mode),
// and every "<", so that no "</script" or "<!--" appears when a site inlines
// the file in an HTML <script> element.
export function byteString(bytes) {
  const parts = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) parts.push('\\"');
    else if (b === 0x5c) parts.push("\\\\");
    else if (b === 0x0a) parts.push("\\n");
    else if (b === 0x0d) parts.push("\\r");
    else if (b === 0x3c) parts.push("\\x3c");
    else if (b === 0x00) {
      const next = bytes[i + 1];
      parts.push(next >= 0x30 && next <= 0x39 ? "\\x00" : "\\0");
    } else parts.push(String.fromCharCode(b));
  }
  return `"${parts.join("")}"`;
}

function count(haystack, needle) {
  return haystack.split(needle).length - 1;
}

function checkParts({ glue, shell }) {
  // The no-modules glue is `let wasm_bindgen = (function(exports) {...})(...);`.
  // If a wasm-bindgen upgrade changes that, the shell would fail at run time in
  // every page; fail here instead.
  if (!/^(let|var|const) wasm_bindgen = /m.test(glue)) {
    fail("the no-modules glue does not define `wasm_bindgen` any more");
  }
  if (/^\s*(import|export)\s/m.test(glue)) fail("the no-modules glue contains import/export");
  for (const [name, text] of [["glue", glue], ["shell", shell]]) {
    if (text.includes("@@CONSENT_GUARD_CONFIG@@")) fail(`${name} contains the config marker`);
  }
}

// The script around `fn`, the source of a function (CONFIG, WASM_BYTES):
// called at once with the marker and the wasm.
function wrap(version, fn, wasmBytes) {
  const js = `${BOM}/*! consent-guard ${version} */\n(${fn})(${CONFIG_MARKER}, ${byteString(wasmBytes)});\n`;
  if (count(js, CONFIG_MARKER) !== 1) fail("config marker must occur exactly once");
  return js;
}

export function assemble({ version, glue, wasmBytes, shell }) {
  checkParts({ glue, shell });
  const fn = `function (CONFIG, WASM_BYTES) {\n"use strict";\n${glue.trimEnd()}\n${shell.trimEnd()}\n}`;
  return wrap(version, fn, wasmBytes);
}

// The same script with the function body (glue + shell) minified.
export async function assembleMinified({ version, glue, wasmBytes, shell }) {
  checkParts({ glue, shell });
  const { minify } = await import("terser");
  const body = `function consentGuard(CONFIG, WASM_BYTES) {\n"use strict";\n${glue}\n${shell}\n}`;
  const out = await minify(body, {
    ecma: 2019,
    module: false,
    toplevel: false,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (!out.code || !out.code.startsWith("function consentGuard(")) fail("terser did not return the function");
  return wrap(version, out.code, wasmBytes);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const argv = process.argv.slice(2);
  const readable = argv.includes("--no-minify");
  const opts = parseArgs(argv.filter((a) => a !== "--no-minify"));
  const read = (file, enc) => {
    try {
      return readFileSync(file, enc);
    } catch (e) {
      fail(`cannot read ${file}: ${e.message} (run scripts/build.sh)`);
    }
  };
  const parts = {
    version: crateVersion(),
    glue: read(opts.glue, "utf8"),
    wasmBytes: read(opts.wasm),
    shell: read(opts.shell, "utf8"),
  };
  const js = readable ? assemble(parts) : await assembleMinified(parts);
  // Written beside the target and renamed, so a server reading pkg/ during a
  // build never sees half a file.
  mkdirSync(dirname(opts.out), { recursive: true });
  const tmp = `${opts.out}.tmp-${process.pid}`;
  writeFileSync(tmp, js);
  renameSync(tmp, opts.out);
  console.log(`assemble: wrote ${opts.out.slice(root.length + 1)}`);
}
