// Helpers of the failure-matrix tests (README "When things fail"): one
// visitor of the world (world.mjs) on the probe page (pages/failures/), with
// the cookie table answered by the test, the console of every page of the
// visitor recorded, and the three questions of each row asked the same way:
// what the visitor sees, what stays held, what is logged.
//
//   const v = await probeVisitor(world, { table: { status: 404 } });
//   await v.open();                                   // /test/failures/probe.html
//   assert.deepEqual(await held(world, v), HELD_ALL);
//   assert.match(v.logged("error"), /HTTP 404/);
//
// The table of /test/failures/table.json is answered through playwright's
// request interception (context.route), so a test can give any status,
// body, type or delay without a server route of its own; everything else
// reaches the real site and tracker servers, which log every request.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, newPage } from "./harness.mjs";
import { defaultTable } from "./trackers.mjs";
import { hostResolverRules, jarKeys, SITE_HOST } from "./world.mjs";

export const PROBE = "/test/failures/probe.html";
export const TABLE_PATH = "/test/failures/table.json";

/** The only cookies a site with consent-guard may hold before any grant. */
export const SESSION = `PHPSESSID@${SITE_HOST}/`;
export const CONSENT = `consent_guard@${SITE_HOST}/`;

/** Tracker requests the probe page makes once analytics is granted (host/path). */
export const GA = "www.google-analytics.com/ga.js";
export const GA_HIT = "www.google-analytics.com/__utm.gif";

/**
 * How the table URL answers: a table object (served as JSON), or
 * { status, body, type, delayMs, gate, headers } (body a string or an object;
 * the answer waits delayMs, and for the promise `gate` when given).
 * @typedef {object|{status?: number, body?: string|object, type?: string, delayMs?: number, gate?: Promise<void>, headers?: object}} TableAnswer
 */

/** Answers the probe's table URL in `context` with `answer` (default: the demo's table). */
export async function answerTable(context, answer = defaultTable(), path = TABLE_PATH) {
  const spec = answer && ("status" in answer || "body" in answer) ? answer : { body: answer };
  await context.route(`https://${SITE_HOST}${path}`, async (route) => {
    if (spec.delayMs) await new Promise((r) => setTimeout(r, spec.delayMs));
    if (spec.gate) await spec.gate;
    const body = spec.body === undefined ? "" : typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body, null, 2);
    await route
      .fulfill({
        status: spec.status ?? 200,
        contentType: spec.type ?? "application/json; charset=utf-8",
        headers: { "Cache-Control": "no-store", ...spec.headers },
        body,
      })
      .catch(() => {}); // the page went away meanwhile
  });
}

/**
 * Makes the site server add `headers` (a Content-Security-Policy) to its
 * answer for exactly `url` (path and query, e.g. "/test/failures/probe.html?csp=none").
 * Returns a function that stops it. The headers are set before site.mjs's
 * handler writes its own (Node merges them), so the page is still the real
 * server's answer: a page fulfilled by request interception instead would
 * lose its loopback address, and Chromium's Local Network Access checks
 * would then refuse its requests to the tracker server, hiding whether
 * consent-guard held them.
 */
export function serveWithHeaders(world, url, headers) {
  const listener = (req, res) => {
    if (req.url !== url) return;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  };
  world.site.server.prependListener("request", listener);
  return () => world.site.server.off("request", listener);
}

/**
 * A new visitor of `world` (or of a `profile` from launchProfile) whose
 * console is recorded from its first message on (every page and frame of the
 * context), with the probe's table answered by `table` (false: not routed).
 * Adds to the world's visitor: `log` ({ type, text } of every console
 * message and uncaught exception), `logged(...types)` (their texts joined by
 * newlines), and an open(path, { before }) that defaults to the probe page
 * and runs `before(page)` ahead of the navigation (a CDP setting, a route).
 */
export async function probeVisitor(world, { table, profile, contextOptions = {}, initScript } = {}) {
  const v = await (profile ?? world).visitor(contextOptions);
  v.log = [];
  v.context.on("console", (msg) => v.log.push({ type: msg.type(), text: msg.text() }));
  v.context.on("weberror", (e) => v.log.push({ type: "uncaught", text: String(e.error()?.message ?? e.error()) }));
  v.logged = (...types) =>
    v.log
      .filter((m) => !types.length || types.includes(m.type))
      .map((m) => m.text)
      .join("\n");
  if (initScript) await v.context.addInitScript(initScript);
  if (table !== false) await answerTable(v.context, table);
  v.open = async (path = PROBE, { waitUntil = "load", before } = {}) => {
    const opened = await newPage(v.context);
    v.page = opened.page;
    v.errors = opened.errors;
    if (before) await before(v.page);
    await v.page.goto(world.url(path), { waitUntil });
    return v.page;
  };
  return v;
}

/**
 * What the probe page has let through, in the page: marked-up inline scripts
 * that ran, and every element with a live URL of another origin (a script
 * without type="text/plain", an iframe, img or link with the URL in its
 * attribute). Held elements keep their URL out of their attributes, and
 * placeholders are not iframes, so a fully held page answers
 * { ran: [], live: [] }.
 */
export function released(page) {
  return page.evaluate(() => {
    const live = [];
    const look = (root) => {
      for (const el of root.querySelectorAll("script[src], iframe[src], img[src], img[srcset], link[href]")) {
        if (el.localName === "script" && /^\s*text\/plain\s*$/i.test(el.getAttribute("type") || "")) continue;
        const raw = el.getAttribute(el.localName === "link" ? "href" : el.hasAttribute("src") ? "src" : "srcset");
        let url;
        try {
          url = new URL(raw.split(/[\s,]/)[0], location.href);
        } catch {
          continue;
        }
        if (!/^https?:$/.test(url.protocol) || url.origin === location.origin) continue;
        live.push(`${el.localName} ${url.host}${url.pathname}`);
      }
    };
    look(document);
    return { ran: (window.__ran || []).slice(), live: live.sort() };
  });
}

/** The cookie jar as jarKeys, without the cookies a failure may leave (session, record). */
export async function nonEssentialCookies(v) {
  return (await v.jar()).filter((k) => k !== SESSION && k !== CONSENT);
}

/**
 * A second Chromium for the same world (its servers, host names and
 * timeline) on a profile whose Default/Preferences is `preferences`, e.g.
 * { profile: { default_content_setting_values: { cookies: 2 } } } (cookies
 * blocked). Returns { browser, visitor(contextOptions), close() }, visitor()
 * as world.visitor() (requests recorded in the world's timeline as source
 * "browser", open(path), jar(), close()).
 */
export async function launchProfile(world, preferences) {
  const dir = mkdtempSync(join(tmpdir(), "consent-guard-profile-"));
  mkdirSync(join(dir, "Default"));
  writeFileSync(join(dir, "Default", "Preferences"), JSON.stringify(preferences));
  const args = [
    ...CHROMIUM_ARGS.filter((a) => !a.startsWith("--host-resolver-rules=")),
    `--host-resolver-rules=${hostResolverRules({ site: world.site.port, trackers: world.trackers.port })}`,
    "--ignore-certificate-errors",
  ];
  let persistent;
  try {
    persistent = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args,
      ignoreHTTPSErrors: true,
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const browser = persistent.browser();
  let visitors = 0;
  return {
    browser,
    async visitor(contextOptions = {}) {
      const name = `profile visitor ${++visitors}`;
      const start = world.mark(name);
      const context = await browser.newContext({ ignoreHTTPSErrors: true, ...contextOptions });
      context.on("request", (request) => {
        const url = new URL(request.url());
        if (url.protocol !== "https:" && url.protocol !== "http:") return;
        world.timeline.request({
          source: "browser",
          visitor: name,
          host: url.hostname,
          method: request.method(),
          path: url.pathname + url.search,
          dest: request.resourceType(),
        });
      });
      const v = {
        name,
        context,
        start,
        page: null,
        errors: [],
        async open(path = "/", { waitUntil = "load" } = {}) {
          const opened = await newPage(context);
          v.page = opened.page;
          v.errors = opened.errors;
          await v.page.goto(world.url(path), { waitUntil });
          return v.page;
        },
        async jar() {
          return jarKeys(await context.cookies());
        },
        async close() {
          await context.close().catch(() => {});
        },
      };
      return v;
    },
    async close() {
      await persistent.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
