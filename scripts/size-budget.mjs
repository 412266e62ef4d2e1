#!/usr/bin/env node
// The size budget (run by `make test` through scripts/test.sh): every file a
// first-time visitor downloads from pkg/ must stay within the gzip and brotli
// limits in size-budget.json. Sizes are deterministic, so this is a test;
// timings are not (they live in `make bench`).
//
//   node scripts/size-budget.mjs                 check, print the figures
//   node scripts/size-budget.mjs --update [PCT]  rewrite the limits to today's
//        sizes plus PCT % headroom (default 2), rounded up to 100 B, and record
//        the date and commit they were set against. Use it to tighten the
//        budget once the runtime settles, or (with a reason in the commit
//        message) to grant growth.
//
// Besides the files it lists, it fails when pkg/ holds a .js, .mjs, .wasm or
// .css file that is neither budgeted nor listed under "notDownloaded" — so a
// file split off the main script (a lazily loaded UI, say) cannot escape it.
// Compression as scripts/sizes.mjs does it: gzip -9, brotli quality 11.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sizes } from "./sizes.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const budgetFile = join(root, "size-budget.json");
const KINDS = ["gzip", "brotli"];
const n = (x) => x.toLocaleString("en-US");

function fail(message) {
  console.error(`size-budget: error: ${message}`);
  process.exit(1);
}

// Files under pkg/ a browser could be sent: scripts, wasm, styles.
function shippable(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...shippable(path));
    else if (/\.(m?js|wasm|css)$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return null;
  }
}
// The commit pkg/ was (most likely) built from, and whether the sources that
// go into it had uncommitted changes at the time.
function gitCommit() {
  const commit = git("rev-parse", "--short", "HEAD") ?? "unknown";
  const dirty = git("status", "--porcelain", "--", "src", "js", "Cargo.toml", "Cargo.lock", "scripts/assemble.mjs");
  return dirty ? `${commit} + uncommitted changes in src/ or js/` : commit;
}

let budget;
try {
  budget = JSON.parse(readFileSync(budgetFile, "utf8"));
} catch (e) {
  fail(`cannot read ${relative(root, budgetFile)}: ${e.message}`);
}
const files = Object.keys(budget.files ?? {});
if (files.length === 0) fail("size-budget.json lists no files");

const measured = {};
for (const file of files) {
  const path = join(root, file);
  if (!existsSync(path)) fail(`${file} missing: run make build first`);
  measured[file] = sizes(readFileSync(path));
}
const total = { raw: 0, gzip: 0, brotli: 0 };
for (const s of Object.values(measured)) for (const k of Object.keys(total)) total[k] += s[k];

const args = process.argv.slice(2);
if (args[0] === "--update") {
  const pct = args[1] === undefined ? 2 : Number(args[1]);
  if (!(pct >= 0)) fail(`--update takes a headroom in percent, not ${args[1]}`);
  const limit = (bytes) => Math.ceil((bytes * (1 + pct / 100)) / 100) * 100;
  for (const file of files) {
    budget.files[file] = Object.fromEntries(KINDS.map((k) => [k, limit(measured[file][k])]));
  }
  budget.total = Object.fromEntries(KINDS.map((k) => [k, limit(total[k])]));
  budget.setAgainst = {
    date: new Date().toISOString().slice(0, 10),
    commit: gitCommit(),
    headroomPercent: pct,
    sizes: Object.fromEntries(files.map((f) => [f, measured[f]])),
  };
  writeFileSync(budgetFile, JSON.stringify(budget, null, 2) + "\n");
  console.log(`size-budget: limits set to today's sizes + ${pct} % (commit ${budget.setAgainst.commit})`);
}

const over = [];
const rows = [];
for (const file of [...files, "total"]) {
  const s = file === "total" ? total : measured[file];
  const lim = file === "total" ? budget.total ?? {} : budget.files[file];
  const cells = KINDS.map((k) => {
    if (!Number.isFinite(lim[k])) return `${k} ${n(s[k])} B (no limit)`;
    const left = lim[k] - s[k];
    if (left < 0) over.push(`${file} ${k} ${n(s[k])} B > ${n(lim[k])} B (+${n(-left)} B)`);
    return `${k} ${n(s[k])} / ${n(lim[k])} B${left < 0 ? " OVER" : ""}`;
  });
  rows.push(`  ${file.padEnd(Math.max(...files.map((f) => f.length), 5))}  raw ${n(s.raw)} B   ${cells.join("   ")}`);
}

const ignored = budget.notDownloaded ?? [];
const unbudgeted = existsSync(join(root, "pkg"))
  ? shippable(join(root, "pkg")).filter((f) => !files.includes(f) && !ignored.some((p) => f === p || f.startsWith(p)))
  : [];

const at = budget.setAgainst ? ` (limits set ${budget.setAgainst.date} at ${budget.setAgainst.commit})` : "";
console.log(`size-budget: what a first-time visitor downloads from pkg/${at}`);
console.log(rows.join("\n"));
for (const f of unbudgeted) {
  over.push(`${f} is in pkg/ but not in size-budget.json (budget it, or list it under "notDownloaded")`);
}
if (over.length) {
  for (const o of over) console.log(`size-budget: FAILED ${o}`);
  console.log("size-budget: if the growth is wanted, say why in the commit and run: node scripts/size-budget.mjs --update");
  process.exit(1);
}
console.log(`size-budget: ok, ${files.length} file(s) within budget`);
