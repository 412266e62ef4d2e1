// The world of the enforcement tests: the site (site.mjs) and its third
// parties (trackers.mjs) over https on loopback under their real host names,
// and one Chromium whose profile allows third-party cookies, so the tests can
// read in the browser's whole cookie jar what a tracker would have left.
//
//   import { setupWorld } from "./lib/world.mjs";
//   const world = await setupWorld();                 // in before()
//   const v = await world.visitor();                  // a new visitor: empty jar
//   await v.open("/");                                // https://www.site.test/
//   const t = world.mark("accept all");               // just before acting
//   ...
//   assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: t } }), []);
//   assert.deepEqual(await v.jar(), ["PHPSESSID@www.site.test/", ...]);
//   await v.close();
//   await world.close();                              // in after()
//
// Third-party cookies: this Chromium blocks them by default
// (profile.cookie_controls_mode = 1) and no CDP call changes that, so the
// browser is launched on a user data dir whose Default/Preferences is seeded
// with {"profile":{"cookie_controls_mode":0}}. Each visitor is a new browser
// context of that browser: an own, empty cookie jar and storage, which
// inherits the profile's cookie setting (checked by the control tests, which
// would fail otherwise).

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, newPage } from "./harness.mjs";
import { testCertificate } from "./certs.mjs";
import { Timeline, describeRequest } from "./timeline.mjs";
import { startTrackers, trackerDomains, revisionTwoTable } from "./trackers.mjs";
import { startSite } from "./site.mjs";

export const SITE_HOST = "www.site.test";
export const SITE_DOMAINS = ["site.test"];

/** `MAP d 127.0.0.1:port, MAP *.d 127.0.0.1:port` for each domain; everything else unresolvable. */
export function hostResolverRules({ site, trackers }) {
  const map = (domain, port) => [`MAP ${domain} 127.0.0.1:${port}`, `MAP *.${domain} 127.0.0.1:${port}`];
  return [
    ...SITE_DOMAINS.flatMap((d) => map(d, site)),
    ...trackerDomains().flatMap((d) => map(d, trackers)),
    "MAP * ~NOTFOUND",
  ].join(", ");
}

/** Does `host` equal `domain` or end in `.domain`? */
const onDomain = (host, domain) => host === domain || host.endsWith(`.${domain}`);

/**
 * The service (id, category) a host belongs to, by the revision-2 table (a
 * superset of the default one), or null for the site's own hosts and unknown ones.
 */
export function serviceOfHost(host) {
  for (const service of revisionTwoTable().services) {
    if (service.hosts.some((d) => onDomain(host, d))) return { id: service.id, category: service.category };
  }
  return null;
}

/** The cookie jar as sorted "name@domain/path" strings (domain cookies keep their leading dot). */
export function jarKeys(cookies) {
  return cookies.map((c) => `${c.name}@${c.domain}${c.path}`).sort();
}

/**
 * Launches the world. Options: { browserArgs: [] } extra Chromium flags.
 */
export async function setupWorld(options = {}) {
  const timeline = new Timeline();
  const certificate = testCertificate([
    ...SITE_DOMAINS.flatMap((d) => [d, `*.${d}`]),
    ...trackerDomains().flatMap((d) => [d, `*.${d}`]),
  ]);
  const trackers = await startTrackers({ ...certificate, timeline });
  const site = await startSite({ ...certificate, timeline });

  const userDataDir = mkdtempSync(join(tmpdir(), "consent-guard-profile-"));
  mkdirSync(join(userDataDir, "Default"));
  writeFileSync(
    join(userDataDir, "Default", "Preferences"),
    JSON.stringify({ profile: { cookie_controls_mode: 0 } }),
  );
  const args = [
    ...CHROMIUM_ARGS.filter((a) => !a.startsWith("--host-resolver-rules=")),
    `--host-resolver-rules=${hostResolverRules({ site: site.port, trackers: trackers.port })}`,
    "--ignore-certificate-errors",
    ...(options.browserArgs ?? []),
  ];
  let persistent;
  try {
    persistent = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args,
      ignoreHTTPSErrors: true,
    });
  } catch (e) {
    await Promise.all([site.close(), trackers.close()]);
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const browser = persistent.browser();
  let visitors = 0;

  const world = {
    timeline,
    site,
    trackers,
    browser,

    /** https://www.site.test<path> */
    url: (path = "/", host = SITE_HOST) => `https://${host}${path}`,

    /** A mark in the timeline, just before an action; returns its seq. */
    mark: (label) => timeline.mark(label),

    /**
     * A new visitor: a fresh browser context (empty cookie jar and storage).
     * Returns { context, page, errors, console, start, open(path), jar(),
     * close() }; `start` is the timeline seq when it was created, `page` the
     * page of the last open(), `errors` its errors (harness.mjs newPage) and
     * `console` every console message of it ({ type, text }). Every request the browser issues in this context is
     * recorded (source "browser").
     */
    async visitor(contextOptions = {}) {
      const name = `visitor ${++visitors}`;
      const start = timeline.mark(name);
      const context = await browser.newContext({ ignoreHTTPSErrors: true, ...contextOptions });
      context.on("request", (request) => {
        const url = new URL(request.url());
        if (url.protocol !== "https:" && url.protocol !== "http:") return;
        timeline.request({
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
        console: [],
        /** Opens a new page of this visitor at https://www.site.test<path> and waits for its load event. */
        async open(path = "/", { waitUntil = "load" } = {}) {
          const opened = await newPage(context);
          v.page = opened.page;
          v.errors = opened.errors;
          v.console = [];
          v.page.on("console", (msg) => v.console.push({ type: msg.type(), text: msg.text() }));
          await v.page.goto(world.url(path), { waitUntil });
          return v.page;
        },
        /** The whole cookie jar of this visitor (third-party and HttpOnly included), as jarKeys. */
        async jar() {
          return jarKeys(await context.cookies());
        },
        async close() {
          await context.close().catch(() => {});
        },
      };
      return v;
    },

    /**
     * Requests (seen by the tracker server or issued by the browser) to hosts
     * of a service whose category was not granted yet. `grants` maps a
     * category or a service id to the seq of the mark before it was granted
     * (absent: never granted). Returns descriptions of the offending requests,
     * so `assert.deepEqual(world.heldRequests(...), [])` names them.
     */
    heldRequests({ since = 0, until = Infinity, grants = {} } = {}) {
      return timeline
        .requests({ since, until })
        .filter((e) => e.source !== "site")
        .filter((e) => {
          const service = serviceOfHost(e.host);
          if (!service) return false;
          const grantedAt = Math.min(grants[service.category] ?? Infinity, grants[service.id] ?? Infinity);
          return e.seq < grantedAt;
        })
        .map(describeRequest);
    },

    /** Tracker-server requests since `since`, as "host/path" (no query) strings, in arrival order. */
    trackerHits({ since = 0, until = Infinity } = {}) {
      return timeline
        .requests({ since, until, source: "tracker" })
        .map((e) => `${e.host}${e.path.split("?")[0]}`);
    },

    /**
     * Waits until `predicate()` is true or `timeoutMs` has passed, then for
     * quiet(). For what should happen: a slow machine then only makes a
     * passing test slower, never a failing one.
     */
    async until(predicate, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end && !predicate()) await new Promise((r) => setTimeout(r, 50));
      await world.quiet();
    },

    /**
     * until() every one of `expected` ("host/path", as trackerHits writes
     * them) has reached the tracker server since `since`; returns trackerHits.
     */
    async waitForHits(expected, { since = 0, timeoutMs = 10000 } = {}) {
      const hits = () => world.trackerHits({ since });
      await world.until(() => expected.every((h) => hits().includes(h)), timeoutMs);
      return hits();
    },

    /**
     * Resolves once no request has been recorded for `quietMs` (the page and
     * its trackers have stopped loading), or after `maxMs` anyway.
     */
    async quiet(quietMs = 400, maxMs = 8000) {
      const end = Date.now() + maxMs;
      let count = timeline.entries.length;
      let since = Date.now();
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        if (timeline.entries.length !== count) {
          count = timeline.entries.length;
          since = Date.now();
        } else if (Date.now() - since >= quietMs) {
          return;
        }
      }
    },

    async close() {
      await persistent.close().catch(() => {});
      await Promise.all([site.close(), trackers.close()]);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return world;
}
