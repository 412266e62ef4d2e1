#!/usr/bin/env node
// Builds target/shell-stub/<pid>/consent-guard.js: js/shell.js assembled exactly as
// scripts/assemble.mjs does for pkg/, but with tests/e2e/shell/stub-engine.js
// in place of the wasm-bindgen glue (and an empty wasm module), so the shell
// can be tested before and independently of the Rust engine.
//   node tests/e2e/shell/build-stub.mjs [SHELL_FILE]
// SHELL_FILE (or $CG_SHELL) replaces js/shell.js, e.g. a deliberately broken
// copy, to check that the tests fail.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assemble, CONFIG_MARKER } from "../../../scripts/assemble.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
// One directory per process: test runs (and check-mutants.mjs's broken
// copies) may build at the same time in one work tree.
export const STUB_DIR = join(root, "target/shell-stub", String(process.pid));

// The smallest valid module: "\0asm", version 1.
const EMPTY_WASM = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

/** Writes consent-guard.js and, with `config`, bundled.js (CONFIG inlined). */
export function buildStub({ shell = process.env.CG_SHELL || join(root, "js/shell.js"), config } = {}) {
  const js = assemble({
    version: "stub",
    glue: readFileSync(join(root, "tests/e2e/shell/stub-engine.js"), "utf8"),
    wasmBytes: EMPTY_WASM,
    shell: readFileSync(resolve(root, shell), "utf8"),
  });
  mkdirSync(STUB_DIR, { recursive: true });
  writeFileSync(join(STUB_DIR, "consent-guard.js"), js);
  if (config !== undefined) {
    // What `consent-guard bundle` does: the marker becomes the table.
    writeFileSync(join(STUB_DIR, "bundled.js"), js.replace(CONFIG_MARKER, JSON.stringify(config)));
  }
  return STUB_DIR;
}

/** Removes this process's build. */
export function removeStub() {
  rmSync(STUB_DIR, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildStub({ shell: process.argv[2] });
  console.log(`build-stub: wrote ${STUB_DIR}/consent-guard.js`);
}
