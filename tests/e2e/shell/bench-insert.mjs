#!/usr/bin/env node
// Overhead of the shell's hooks on a page's own DOM work: inserting 1,000
// mixed elements (divs, spans, links, paragraphs with children, data: and
// same-origin images, 1 in 40 a tracker image), in a page without
// consent-guard, with the shell on the stub engine, and with pkg/ (the real
// engine, when built). Rounds are interleaved between the pages; the minimum
// is the least disturbed figure on a busy machine, the median the typical one.
//   node tests/e2e/shell/bench-insert.mjs [SAMPLES]
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setupShell } from "./lib.mjs";
import { repoRoot } from "../lib/harness.mjs";

const samples = Number(process.argv[2] || 60);
const s = await setupShell();
const pages = { plain: "bench-plain.html", stub: "bench.html" };
if (existsSync(join(repoRoot, "pkg/consent-guard.js"))) pages.real = "bench-real.html";
const open = {};
for (const [k, name] of Object.entries(pages)) {
  open[k] = (await s.open(name)).page;
  // The stub logs every call; the real engine does not.
  await open[k].evaluate(() => window.__stub && (window.__stub.calls = { push() {}, filter: () => [] }));
}
const T = s.t("T", "");
const times = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
for (let i = 0; i < samples + 5; i++) {
  for (const k of Object.keys(pages)) {
    const t = await open[k].evaluate((u) => benchInsert(3, u), T);
    if (i >= 5) times[k].push(t); // the first rounds warm the JIT up
  }
}
const min = (x) => Math.min(...x);
const med = (x) => x.slice().sort((a, b) => a - b)[x.length >> 1];
const pct = (a, b) => `${((a / b - 1) * 100).toFixed(1)}%`;
for (const k of Object.keys(pages)) {
  const line = `${k.padEnd(6)} min ${min(times[k]).toFixed(2)} ms  median ${med(times[k]).toFixed(2)} ms`;
  console.log(k === "plain" ? line : `${line}  overhead: min ${pct(min(times[k]), min(times.plain))}, median ${pct(med(times[k]), med(times.plain))}`);
}
console.log(`tracker images requested: ${s.requested("tracker.test/b/")}`);
await s.close();
