#!/usr/bin/env node
// `make bench`: consent-guard side by side with its peers on one demo article
// page, in headless Chromium on loopback. Prints the tables and rewrites
// BENCHMARKS.md; raw figures go to target/bench/results.json.
//
// Environment:
//   BENCH_RUNS=9                  runs per variant (medians and min–max over them)
//   BENCH_ONLY=a,b                measure only these variant ids (baseline,
//                                 orestbida and osano are always kept: every
//                                 ratio needs them); does not write BENCHMARKS.md
//   BENCH_BANNER_TIMEOUT_MS=5000  give up on a banner this long after
//   BENCH_AFTER_LOAD_MS=2500      navigation start or this long after the load
//                                 event, whichever is first (both doubled
//                                 under CPU throttling)
//   BENCH_SETTLE_MS=400           quiet time after load / banner before reading
//   BENCH_OUT=BENCHMARKS.md       where to write the report ("-" for nowhere)
//
// `node bench/run.mjs --from target/bench/results.json` re-renders the report
// from a saved run without a browser.
//
// The peers come from npm into bench/node_modules, exactly as
// bench/package-lock.json pins them (installed only when missing).

import { spawnSync, execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CONTENT_TYPES, startServer } from "../scripts/serve.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/e2e/lib/harness.mjs";
import { variants as allVariants, pageHtml } from "./lib/variants.mjs";
import { firstVisit, guardVisit } from "./lib/measure.mjs";
import { report } from "./lib/report.mjs";
import { sizes } from "../scripts/sizes.mjs";

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, "..");
const started = Date.now();

const env = process.env;
const RUNS = Math.max(1, Number(env.BENCH_RUNS ?? 9) | 0);
const ONLY = env.BENCH_ONLY ? env.BENCH_ONLY.split(",").map((s) => s.trim()) : null;
const OUT = env.BENCH_OUT ?? (ONLY ? "-" : "BENCHMARKS.md");
const BANNER_TIMEOUT_MS = Number(env.BENCH_BANNER_TIMEOUT_MS ?? 5000);
const AFTER_LOAD_MS = Number(env.BENCH_AFTER_LOAD_MS ?? 2500);
const SETTLE_MS = Number(env.BENCH_SETTLE_MS ?? 400);
const RATES = [1, 4];

const log = (...a) => console.error("bench:", ...a);

// --- peers --------------------------------------------------------------------
function installPeers() {
  const pinned = JSON.parse(readFileSync(join(benchDir, "package.json"), "utf8")).dependencies;
  const missing = Object.entries(pinned).filter(([name, version]) => {
    const file = join(benchDir, "node_modules", name, "package.json");
    return !existsSync(file) || JSON.parse(readFileSync(file, "utf8")).version !== version;
  });
  if (missing.length === 0) {
    log(`peers: ok (${Object.entries(pinned).map(([n, v]) => `${n}@${v}`).join(", ")})`);
    return;
  }
  log(`peers: npm ci in bench/ (missing: ${missing.map(([n, v]) => `${n}@${v}`).join(", ")})`);
  const t = Date.now();
  const r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: benchDir,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) throw new Error("npm ci in bench/ failed");
  log(`peers: installed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

// --- machine ------------------------------------------------------------------
function loadavg() {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const nproc = Number(execFileSync("nproc").toString().trim());
  const memKb = Number(readFileSync("/proc/meminfo", "utf8").match(/^MemTotal:\s+(\d+)/m)?.[1] ?? 0);
  let commit = "unknown";
  let dirty = false;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot }).toString().trim();
    dirty = execFileSync("git", ["status", "--porcelain", "--", "js", "src", "scripts/assemble.mjs"], { cwd: repoRoot })
      .toString()
      .trim() !== "";
  } catch {}
  return {
    nproc,
    cpu: model,
    memGiB: memKb ? memKb / 1024 / 1024 : totalmem() / 2 ** 30,
    node: process.version,
    commit,
    dirty,
  };
}

// --- server -------------------------------------------------------------------
async function serve(variantList) {
  const template = readFileSync(join(benchDir, "site/article.html"), "utf8");
  const pages = new Map();
  const files = new Map();
  for (const v of variantList) {
    pages.set(`/v/${v.id}/article.html`, pageHtml(template, v));
    pages.set(`/v/${v.id}/guard.html`, pageHtml(template, v, { guard: true }));
    for (const [path, file] of Object.entries(v.files)) {
      if (!existsSync(file)) throw new Error(`${v.id}: ${file} missing`);
      files.set(path, file);
    }
  }
  const headers = (type) => ({ "Content-Type": type, "Cache-Control": "no-store" });
  const server = await startServer({
    root: join(benchDir, "site"),
    mounts: { "/pkg/": join(repoRoot, "pkg"), "/assets/": join(benchDir, "site/assets") },
    port: 0,
    handler(req, res) {
      const host = (req.headers.host ?? "").replace(/:\d+$/, "");
      const path = new URL(req.url, "http://x").pathname;
      // Every other host name is a tracker (Chromium maps all of them here);
      // and /204 is the cheap non-tracker resource of the guard workload.
      if (host !== "127.0.0.1" || path === "/204") {
        res.writeHead(204, { "Cache-Control": "no-store" });
        res.end();
        return true;
      }
      if (pages.has(path)) {
        res.writeHead(200, headers("text/html; charset=utf-8"));
        res.end(pages.get(path));
        return true;
      }
      if (files.has(path)) {
        res.writeHead(200, headers(CONTENT_TYPES[extname(path)] ?? "application/octet-stream"));
        createReadStream(files.get(path)).pipe(res);
        return true;
      }
      return false;
    },
  });
  return { server, pages };
}

// --- main ---------------------------------------------------------------------
function writeReport(list, results, meta) {
  const { markdown, text } = report(list, results, meta);
  console.log(text);
  if (OUT !== "-") {
    writeFileSync(resolve(repoRoot, OUT), markdown);
    log(`wrote ${OUT}`);
  }
}

async function main() {
  const from = process.argv.indexOf("--from");
  if (from > 0) {
    // Re-render the report from a saved results.json (no browser).
    const { meta, results } = JSON.parse(readFileSync(process.argv[from + 1], "utf8"));
    const ids = new Set(results.visits.map((r) => r.variant));
    writeReport(allVariants({ repoRoot, benchDir }).filter((v) => ids.has(v.id)), results, meta);
    return;
  }
  if (!existsSync(join(repoRoot, "pkg/consent-guard.js"))) {
    throw new Error("pkg/consent-guard.js missing: run make build (make bench does)");
  }
  installPeers();
  let list = allVariants({ repoRoot, benchDir });
  if (ONLY) list = list.filter((v) => ["baseline", "orestbida", "osano", ...ONLY].includes(v.id));
  const info = machine();
  const load = { before: loadavg(), samples: [] };
  const sampler = setInterval(() => load.samples.push(loadavg()[0]), 5000);

  const { server, pages } = await serve(list);
  const port = server.address().port;
  const ctx = {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    bannerTimeoutMs: BANNER_TIMEOUT_MS,
    afterLoadMs: AFTER_LOAD_MS,
    settleMs: SETTLE_MS,
    returnWaitMs: 1000,
  };
  // Every host name resolves to loopback: trackers in the guard workload hit
  // the bench server, nothing leaves the machine.
  const args = CHROMIUM_ARGS.filter((a) => !a.startsWith("--host-resolver-rules")).concat([
    "--host-resolver-rules=MAP * 127.0.0.1",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
  ]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const chromiumVersion = browser.version();
  log(`Chromium ${chromiumVersion}, ${RUNS} runs × ${list.length} variants, load ${load.before.join(" ")}`);

  const results = { visits: [], guard: [] };
  const guardList = list.filter((v) => v.id === "baseline" || v.guard);
  const rotate = (xs, k) => xs.map((_, i) => xs[(i + k) % xs.length]);
  try {
    for (let run = 0; run < RUNS; run++) {
      const t = Date.now();
      for (const rate of RATES) {
        // Alternate the order from run to run so no variant always goes first.
        for (const v of rotate(list, run)) {
          const r = await firstVisit(browser, ctx, v, { rate, withClick: rate === 1 });
          r.run = run;
          results.visits.push(r);
          if (r.failed) log(`run ${run + 1} ${v.id} ${rate}×: FAILED ${r.failed}`);
        }
      }
      for (const v of rotate(guardList, run)) {
        const r = await guardVisit(browser, ctx, v);
        r.run = run;
        results.guard.push(r);
        if (r.failed) log(`run ${run + 1} ${v.id} guard: FAILED ${r.failed}`);
      }
      log(`run ${run + 1}/${RUNS} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    clearInterval(sampler);
    await browser.close().catch(() => {});
    server.closeAllConnections();
    server.close();
  }
  load.after = loadavg();

  const meta = {
    ...info,
    chromium: chromiumVersion,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    command: env.BENCH_COMMAND ?? "node bench/run.mjs",
    runs: RUNS,
    rates: RATES,
    bannerTimeoutMs: BANNER_TIMEOUT_MS,
    afterLoadMs: AFTER_LOAD_MS,
    settleMs: SETTLE_MS,
    load,
    seconds: (Date.now() - started) / 1000,
    html: Object.fromEntries(list.map((v) => [v.id, sizes(Buffer.from(pages.get(`/v/${v.id}/article.html`)))])),
  };
  mkdirSync(join(repoRoot, "target/bench"), { recursive: true });
  writeFileSync(join(repoRoot, "target/bench/results.json"), JSON.stringify({ meta, results }, null, 1));
  log(`wrote target/bench/results.json; ${meta.seconds.toFixed(0)} s in all`);
  writeReport(list, results, meta);
}

main().catch((e) => {
  console.error(`bench: error: ${e.message}`);
  process.exit(1);
});
