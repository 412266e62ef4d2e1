// Smoke test of the built pkg/: the embed is one classic script, first in
// <head>, that has compiled and started the wasm before the parser runs the
// next script. wasm-bindgen-test only exercises the debug build, so this is
// the test that catches a broken optimised build (see TOOLCHAIN.md).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setup, repoRoot } from "./lib/harness.mjs";
import { byteString } from "../../scripts/assemble.mjs";

const crateVersion = readFileSync(join(repoRoot, "Cargo.toml"), "utf8").match(
  /^version\s*=\s*"([^"]+)"/m,
)[1];

let h;
before(async () => {
  h = await setup();
});
after(async () => {
  await h?.close();
});

test("the embed initialises the wasm before the next script runs", async () => {
  const { page, errors } = await h.newPage();
  const response = await page.goto(h.url("/test/smoke.html"));
  assert.equal(response.status(), 200);
  const seen = await page.evaluate(() => window.__seenByNextScript);
  assert.deepEqual(seen, { version: crateVersion, readyState: "loading", bodyParsed: false });
  assert.deepEqual(errors, []);
});

test("the wasm survives a server and a page that declare another charset (the BOM wins)", async () => {
  const script = readFileSync(join(repoRoot, "pkg/consent-guard.js"));
  assert.deepEqual([...script.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  // Shift_JIS reads most byte pairs >= 0x80 as one character, windows-1252
  // remaps 0x80-0x9f: either would corrupt the wasm without the BOM.
  for (const charset of ["shift_jis", "windows-1252"]) {
    const { page, errors } = await h.newPage();
    await page.route("**/pkg/consent-guard.js", (route) =>
      route.fulfill({ status: 200, contentType: `text/javascript; charset=${charset}`, body: script }),
    );
    await page.route("**/test/smoke.html", async (route) => {
      const html = readFileSync(join(repoRoot, "tests/e2e/pages/smoke.html"), "utf8");
      await route.fulfill({ status: 200, contentType: `text/html; charset=${charset}`, body: html.replace('<meta charset="utf-8">', "") });
    });
    await page.goto(h.url("/test/smoke.html"));
    assert.equal(await page.evaluate(() => document.characterSet.toLowerCase()), charset);
    const seen = await page.evaluate(() => window.__seenByNextScript);
    assert.equal(seen.version, crateVersion, charset);
    assert.deepEqual(errors, [], charset);
  }
});

test("the script pasted into an inline <script> element starts the same way", async () => {
  const script = readFileSync(join(repoRoot, "pkg/consent-guard.js"), "utf8");
  const { page, errors } = await h.newPage();
  await page.route("**/test/inline.html", async (route) => {
    const html = readFileSync(join(repoRoot, "tests/e2e/pages/smoke.html"), "utf8");
    await route.fulfill({
      status: 200,
      contentType: "text/html; charset=utf-8",
      body: html.replace('<script src="/pkg/consent-guard.js"></script>', () => `<script>${script}</script>`),
    });
  });
  await page.goto(h.url("/test/inline.html"));
  assert.deepEqual(await page.evaluate(() => window.__seenByNextScript), {
    version: crateVersion,
    readyState: "loading",
    bodyParsed: false,
  });
  assert.deepEqual(errors, []);
});

test("byteString: every byte, in every neighbourhood, comes back; no '<' or line break is written", () => {
  const bytes = [];
  for (let a = 0; a < 256; a++) bytes.push(a, 0, a, 0x30 + (a % 10), 0, a);
  const input = Uint8Array.from(bytes);
  const literal = byteString(input);
  assert.doesNotMatch(literal, /[<\n\r\u2028\u2029]/);
  const text = new Function(`"use strict"; return ${literal};`)();
  assert.deepEqual(Uint8Array.from(text, (c) => c.charCodeAt(0)), input);
});

test("the embed defines no globals of its own beyond the shell's", async () => {
  const { page, errors } = await h.newPage();
  await page.goto(h.url("/test/smoke.html"));
  const leaked = await page.evaluate(() =>
    ["wasm_bindgen", "WASM_BYTES", "CONFIG"].filter((name) => name in window),
  );
  assert.deepEqual(leaked, []);
  assert.deepEqual(errors, []);
});

test("the ES module build in pkg/esm/ loads and runs too", async () => {
  const { page, errors } = await h.newPage();
  await page.goto(h.url("/test/esm.html"));
  await page.waitForFunction(() => window.__esmVersion !== undefined);
  assert.equal(await page.evaluate(() => window.__esmVersion), crateVersion);
  assert.deepEqual(errors, []);
});

test("*.test host names reach the test server (first/third-party origins)", async () => {
  const { page, errors } = await h.newPage();
  const response = await page.goto(h.url("/test/smoke.html", "site.test"));
  assert.equal(response.status(), 200);
  assert.equal(await page.evaluate(() => location.hostname), "site.test");
  const thirdParty = h.url("/pkg/consent-guard.js", "tracker.test");
  const type = await page.evaluate(async (url) => (await fetch(url, { mode: "no-cors" })).type, thirdParty);
  assert.equal(type, "opaque"); // cross-origin: the server answered, the page may not read it
  assert.deepEqual(errors, []);
});

test("the server sends wasm as application/wasm and never lets pages cache", async () => {
  const response = await fetch(h.url("/pkg/esm/consent_guard_bg.wasm"));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/wasm");
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.equal((await fetch(h.url("/pkg/../Cargo.toml"))).status, 404);
});
