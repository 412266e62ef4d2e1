// Shared helpers for the end-to-end tests (node:test + playwright-core driving
// the system Chromium; never `npx playwright install`).
//
//   import { setup } from "./lib/harness.mjs";
//   const h = await setup();                   // browser + server, in before()
//   const { page, errors } = await h.newPage();   // fresh context = new visitor
//   await page.goto(h.url("/test/smoke.html"));
//   ...
//   await h.close();                           // in after()
//
// Served (one server, 127.0.0.1, ephemeral port):
//   /        www/              the demo site
//   /pkg/    pkg/              the build output (run `make build` first)
//   /test/   tests/e2e/pages/  fixture pages
//
// Origins: Chromium resolves every *.test host name to 127.0.0.1, so a test
// can play first and third party on different sites, for example
// h.url("/x", "site.test") and h.url("/y", "tracker.test"); cookies then really
// are third-party ones (127.0.0.1 on two ports would be the same site).

import { existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "../../../scripts/serve.mjs";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--host-resolver-rules=MAP *.test 127.0.0.1",
];

/**
 * Launches Chromium. Playwright gives every launch a fresh temporary user data
 * dir and deletes it on close; each browser.newContext() inside it is a further
 * isolated profile (own cookie jar and storage), i.e. one site visitor.
 * @param {object} [options] extra playwright launch options (args are appended
 *        to CHROMIUM_ARGS)
 */
export async function launchBrowser(options = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run make install`);
  const { args = [], ...rest } = options;
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    ...rest,
  });
}

/** Starts scripts/serve.mjs on an ephemeral loopback port with the mounts above. */
export function startTestServer(options = {}) {
  return startServer({
    root: join(repoRoot, "www"),
    mounts: {
      "/pkg/": join(repoRoot, "pkg"),
      "/test/": join(repoRoot, "tests/e2e/pages"),
      ...(options.mounts ?? {}),
    },
    port: 0,
    ...options,
  });
}

/**
 * Opens a page in `context` and records what goes wrong in it: `errors`
 * collects console errors, uncaught exceptions and failed requests as strings,
 * so a test can end with assert.deepEqual(errors, []).
 */
export async function newPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`uncaught: ${err.message}`));
  page.on("requestfailed", (req) => {
    errors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ""}`);
  });
  return { page, errors };
}

/**
 * Browser + server for one test file. Returns
 * { browser, server, port, url(path, host), newContext(), newPage(context?), close() }.
 * newPage() without a context opens it in a fresh context (a new visitor with
 * an empty cookie jar); pass a context to keep several pages in one jar.
 * url() defaults to host 127.0.0.1; any *.test host reaches the same server.
 */
export async function setup(options = {}) {
  if (!existsSync(join(repoRoot, "pkg/consent-guard.js"))) {
    throw new Error("pkg/consent-guard.js missing: run make build");
  }
  const server = await startTestServer(options.server);
  const port = server.address().port;
  let browser;
  try {
    browser = await launchBrowser(options.browser);
  } catch (e) {
    server.close();
    throw e;
  }
  const newContext = (contextOptions = {}) => browser.newContext(contextOptions);
  return {
    browser,
    server,
    port,
    url: (path = "/", host = "127.0.0.1") => new URL(path, `http://${host}:${port}/`).href,
    newContext,
    async newPage(context) {
      const ctx = context ?? (await newContext());
      return { context: ctx, ...(await newPage(ctx)) };
    },
    async close() {
      await browser.close().catch(() => {});
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
