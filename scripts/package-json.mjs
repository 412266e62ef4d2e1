#!/usr/bin/env node
// Writes pkg/package.json, so pkg/ is the npm package DESIGN.md promises
// bundler users: the classic script (the embed, first in <head>), its
// TypeScript declarations for window.consentGuard, the ES-module build of the
// engine with wasm-bindgen's declarations, and the cookie-table schema.
// The version is the crate's, so the two cannot drift apart.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const toml = readFileSync(resolve(root, "Cargo.toml"), "utf8");
const pkgSection = toml.split(/^\[/m).find((s) => s.startsWith("package]")) || "";
const field = (name) => (pkgSection.match(new RegExp(`^${name}\\s*=\\s*"([^"]+)"`, "m")) || [])[1];

const manifest = {
  name: "consent-guard",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  main: "consent-guard.js",
  types: "consent-guard.d.ts",
  exports: {
    ".": { types: "./consent-guard.d.ts", default: "./consent-guard.js" },
    "./esm": { types: "./esm/consent_guard.d.ts", default: "./esm/consent_guard.js" },
    "./esm/consent_guard_bg.wasm": "./esm/consent_guard_bg.wasm",
    "./cookies.schema.json": "./cookies.schema.json",
  },
  files: ["consent-guard.js", "consent-guard.d.ts", "cookies.schema.json", "esm/"],
  sideEffects: ["./consent-guard.js"],
};
writeFileSync(resolve(root, "pkg/package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log("package-json: wrote pkg/package.json");
