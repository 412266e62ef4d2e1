// One measured visit of one variant in a fresh browser context (a new
// visitor: own cookie jar, storage and cache), driven through playwright-core
// and raw CDP. Nothing here polls the page: the probe (probe.js) calls back
// through a binding, so the only page-side script during a measurement is the
// page's own, the consent manager's and the probe's (the same in every
// variant).

import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { sizes as compress } from "../../scripts/sizes.mjs";

// Brotli at quality 11 takes a while on a 100 KB file; bodies repeat across
// runs, so compress each distinct body once.
const sizeCache = new Map();
function sizes(body) {
  const key = createHash("sha256").update(body).digest("hex");
  if (!sizeCache.has(key)) sizeCache.set(key, compress(body));
  return sizeCache.get(key);
}

const PROBE = readFileSync(new URL("./probe.js", import.meta.url), "utf8");
export const probeSource = (spec) => PROBE.replace("__BENCH_SPEC__", JSON.stringify(spec ?? null));

const TRACE_CATEGORIES = ["disabled-by-default-devtools.timeline", "devtools.timeline", "blink.user_timing"];

const sleep = (ms) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

function mailbox() {
  const messages = [];
  let wake = null;
  return {
    push(message) {
      messages.push(message);
      wake?.();
    },
    clear() {
      messages.length = 0;
    },
    async wait(type, until) {
      for (;;) {
        const found = messages.find((m) => m.type === type);
        if (found) return found;
        const left = until - Date.now();
        if (left <= 0) return null;
        await new Promise((done) => {
          wake = done;
          setTimeout(done, left);
        });
        wake = null;
      }
    },
  };
}

/** Paths of the page itself (not the consent manager's). */
function isPageResource(url) {
  const { pathname } = new URL(url);
  return pathname.startsWith("/v/") || pathname.startsWith("/assets/") || pathname === "/favicon.ico";
}

/** Bytes of every response the consent manager caused, from the bodies. */
async function managerBytes(responses) {
  const files = [];
  for (const response of responses) {
    const url = response.url();
    if (!url.startsWith("http") || isPageResource(url)) continue;
    let body;
    try {
      body = await response.body();
    } catch {
      continue; // redirects and aborted requests have no body
    }
    const s = sizes(body);
    files.push({ path: new URL(url).pathname, status: response.status(), ...s });
  }
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) for (const k of Object.keys(total)) total[k] += f[k];
  return { files, total };
}

/** Longest main-thread task of the page's renderer, from a trace. */
function traceTasks(buffer, pageUrl) {
  let events;
  try {
    events = JSON.parse(buffer.toString("utf8")).traceEvents;
  } catch {
    return null;
  }
  const parse = events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url === pageUrl);
  if (!parse) return null;
  const { pid, tid } = parse;
  const nav = events.find(
    (e) => e.name === "navigationStart" && e.pid === pid && e.args?.data?.documentLoaderURL === pageUrl,
  );
  const start = nav ? nav.ts : parse.ts;
  let longest = 0;
  let total = 0;
  let count = 0;
  for (const e of events) {
    if (e.name !== "RunTask" || e.ph !== "X" || e.pid !== pid || e.tid !== tid || e.ts < start) continue;
    const ms = (e.dur ?? 0) / 1000;
    longest = Math.max(longest, ms);
    total += ms;
    count++;
  }
  return { longest, total, count };
}

/**
 * First visit of `variant` at CPU throttling `rate`; at rate 1 also the click
 * on "Accept all" and a return visit with the stored choice.
 * Returns a plain object of figures (null where not measurable).
 */
export async function firstVisit(browser, ctx, variant, { rate, withClick }) {
  const { url: makeUrl, bannerTimeoutMs, settleMs, returnWaitMs } = ctx;
  const pageUrl = makeUrl(`/v/${variant.id}/article.html`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const out = { variant: variant.id, rate, errors: [] };
  const wall = Date.now();
  try {
    const box = mailbox();
    await context.exposeBinding("__benchReport", (_source, message) => box.push(message));
    await context.addInitScript({ content: probeSource(variant.banner) });
    const page = await context.newPage();
    page.on("pageerror", (e) => out.errors.push(`uncaught: ${e.message}`));
    page.on("console", (m) => {
      // 404s are reported with their path below; this message has none.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
        out.errors.push(`console.error: ${m.text().split("\n")[0]}`);
      }
    });
    page.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && path !== "/favicon.ico") out.errors.push(`HTTP ${r.status()} ${path}`);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    if (rate !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    let responses = [];
    page.on("response", (r) => responses.push(r));

    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    let tracing = true;
    try {
      const navStart = Date.now();
      await page.goto(pageUrl, { waitUntil: "load", timeout: 60_000 });
      const loadedAt = Date.now();
      let banner = null;
      // Give up on the banner a while after navigation start or load,
      // whichever comes first (scaled by the CPU slow-down).
      if (variant.banner) {
        const slow = rate > 1 ? 2 : 1;
        banner = await box.wait("banner", Math.min(navStart + bannerTimeoutMs * slow, loadedAt + ctx.afterLoadMs * slow));
      }
      out.bannerFound = variant.banner ? !!banner : null;
      await sleep(Math.max(loadedAt, banner ? Date.now() : 0) + settleMs - Date.now());

      const metrics = Object.fromEntries(
        (await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]),
      );
      out.scriptMs = metrics.ScriptDuration * 1000;
      out.taskMs = metrics.TaskDuration * 1000;
      const trace = await browser.stopTracing();
      tracing = false;
      const tasks = traceTasks(trace, pageUrl);
      out.longestTaskMs = tasks?.longest ?? null;
      out.traceTaskMs = tasks?.total ?? null;

      const probe = await page.evaluate(() => window.__bench.summary());
      out.visibleAt = probe.visibleAt;
      out.candidateAt = probe.candidateAt;
      out.cls = probe.cls;
      out.lcp = probe.lcp;
      out.longtasks = probe.longtasks;
      out.firstBytes = await managerBytes(responses);
    } finally {
      if (tracing) await browser.stopTracing().catch(() => {});
    }

    if (!withClick) return out;

    // "Accept all": a real mouse click at the button's centre (CDP input, so
    // it is trusted and reaches closed shadow roots too).
    if (variant.banner && out.bannerFound) {
      const centre = await page.evaluate(() => window.__bench.acceptCenter());
      if (centre) {
        box.clear();
        await page.mouse.click(centre.x, centre.y);
        const click = await box.wait("click", Date.now() + 5_000);
        if (click) out.clickToFrameMs = click.frame - click.at;
        await sleep(100);
        const events = await page.evaluate(() => window.__bench.events);
        const durations = events.filter((e) => e.interactionId > 0).map((e) => e.duration);
        out.eventTimingMs = durations.length ? Math.max(...durations) : null;
        out.choiceStored = "click";
      }
    }
    if (!out.choiceStored && variant.acceptAllApi) {
      // No banner to click: store the choice through the public API if the
      // runtime has one, so the return visit is still a returning visitor.
      const ok = await page.evaluate(() => {
        try {
          if (window.consentGuard && typeof window.consentGuard.acceptAll === "function") {
            window.consentGuard.acceptAll();
            return true;
          }
        } catch {}
        return false;
      });
      if (ok) out.choiceStored = "api";
    }

    if (variant.banner) {
      // Return visit, same visitor, stored choice, no HTTP cache (no-store).
      responses = [];
      box.clear();
      const navStart = Date.now();
      await page.goto(pageUrl, { waitUntil: "load", timeout: 60_000 });
      const shown = await box.wait("banner", Math.max(Date.now() + settleMs, navStart + returnWaitMs));
      out.bannerOnReturn = !!shown;
      out.returnBytes = await managerBytes(responses);
    }
    return out;
  } catch (e) {
    out.failed = e.message.split("\n")[0];
    return out;
  } finally {
    await context.close().catch(() => {});
    out.wallMs = Date.now() - wall;
  }
}

/** The guard-overhead workloads on /v/<id>/guard.html (no probe installed). */
export async function guardVisit(browser, ctx, variant) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const out = { variant: variant.id, errors: [] };
  const wall = Date.now();
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => out.errors.push(`uncaught: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
        out.errors.push(`console.error: ${m.text().split("\n")[0]}`);
      }
    });
    await page.goto(ctx.url(`/v/${variant.id}/guard.html`), { waitUntil: "load", timeout: 60_000 });
    await sleep(ctx.settleMs);
    out.cookiesMs = await page.evaluate(() => window.__benchCookies(10000));
    const insert = await page.evaluate(() => window.__benchInsert(1000));
    out.insertMs = insert.withObserversMs;
    out.insertLoopMs = insert.loopMs;
    return out;
  } catch (e) {
    out.failed = e.message.split("\n")[0];
    return out;
  } finally {
    await context.close().catch(() => {});
    out.wallMs = Date.now() - wall;
  }
}
