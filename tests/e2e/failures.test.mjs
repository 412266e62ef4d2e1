// The failure matrix of README "When things fail" (issue 7, item 4), row by
// row in real Chromium: the table that does not come or is wrong,
// WebAssembly refused by a CSP, a stored record edited by hand or from a
// future version, two copies of the script, the script loaded late. The
// storage rows are in failures-storage.test.mjs, hostile tables in
// hostile.test.mjs.
//
// Each test answers the three questions of the matrix:
//   seen    the banner or not, notices;
//   held    no request to any tracker host (tracker server log and the
//           browser's own request events, lib/world.mjs), no marked-up
//           element released, no non-essential cookie in the whole jar
//           (context.cookies());
//   logged  the console messages that name the cause.
// The page is pages/failures/probe.html unless said otherwise: marked-up
// scripts, an iframe and a pixel, and a first-party script that inserts
// trackers, calls fetch and sendBeacon and writes cookies once loaded.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupWorld } from "./lib/world.mjs";
import { defaultTable } from "./lib/trackers.mjs";
import {
  api,
  bannerShown,
  bannerVisible,
  button,
  consentRecorded,
  readConsent,
  saveChoices,
} from "./lib/consent-ui.mjs";
import {
  CONSENT,
  GA,
  GA_HIT,
  PROBE,
  probeVisitor,
  released,
  serveWithHeaders,
  SESSION,
} from "./lib/failures.mjs";

let world;
before(async () => {
  world = await setupWorld();
});
after(async () => {
  await world?.close();
});

/** Runs `body` with a probe visitor (options of probeVisitor) and always closes it. */
async function withVisitor(options, body) {
  const v = await probeVisitor(world, options);
  try {
    return await body(v);
  } finally {
    await v.close();
  }
}

/** Requests since `since` to the site's other origins (static.site.test): "everything from another origin". */
function otherOrigins(since) {
  return world.timeline
    .requests({ since })
    .filter((e) => e.host.endsWith("site.test") && e.host !== "www.site.test")
    .map((e) => `${e.source} ${e.host}${e.path}`);
}

/** Waits until the console has said something matching `pattern`; returns the whole log. */
async function logs(v, pattern, timeoutMs = 10000) {
  await world.until(() => pattern.test(v.logged()), timeoutMs);
  const all = v.logged();
  assert.match(all, pattern, "the console never said it");
  return all;
}

/** Is the first layer of the banner anywhere in the page (open or not)? */
function uiHosts(page) {
  return page.locator("consent-guard-ui").count();
}

/**
 * Fail closed, as the matrix's first rows promise: no banner, no tracker
 * request, nothing released, nothing from another origin, no cookie but the
 * session's.
 */
async function assertFailedClosed(v, page = v.page) {
  assert.equal(await bannerVisible(page), false, "a banner is shown");
  assert.equal(await readConsent(page), null, "a record exists");
  assert.deepEqual(world.heldRequests({ since: v.start }), [], "requests to tracker hosts");
  assert.deepEqual(world.trackerHits({ since: v.start }), [], "the tracker server was reached");
  assert.deepEqual(otherOrigins(v.start), [], "requests to another origin of the site");
  assert.deepEqual(await released(page), { ran: [], live: [] }, "released in the page");
  assert.deepEqual(await v.jar(), [SESSION], "cookies other than the session's");
  const probe = await page.evaluate(() => window.__probe);
  assert.ok(probe.some((p) => p.step === "cookies"), "the probe did not run");
}

/** After fail-closed: the API grants nothing and later insertions stay held too. */
async function assertApiCannotGrant(v) {
  await api(v.page, "acceptAll");
  await api(v.page, "accept", ["analytics", "advertising"]);
  await api(v.page, "show");
  await v.page.evaluate(() => window.probe("after-api"));
  await world.quiet();
  await assertFailedClosed(v);
}

// ---------------------------------------------------------------------------
// The table URL

// What the table server answers, the cause the console must name, and how
// the shell introduces it: a failed fetch ("cannot load"), or a text that
// is not a table, reported by the engine's parser with line and column.
const cannotLoad = /consent-guard: cannot load the cookie table https:\/\/www\.site\.test\/test\/failures\/table\.json/;
const notATable = /consent-guard: the cookie table https:\/\/www\.site\.test\/test\/failures\/table\.json is invalid \(1 error\); nothing non-essential will load on this page/;
for (const [name, answer, cause, intro] of [
  ["answers 404", { status: 404, body: "not found\n", type: "text/plain" }, /table\.json: HTTP 404; nothing non-essential will load on this page/, cannotLoad],
  ["answers 500", { status: 500, body: "internal error\n", type: "text/plain" }, /table\.json: HTTP 500; nothing non-essential will load on this page/, cannotLoad],
  [
    "answers an HTML page (not JSON)",
    { status: 200, body: "<!doctype html><title>Moved</title><p>Our cookies moved.", type: "text/html" },
    /line 1:1: unexpected character '<' \(expected a JSON value\)/,
    notATable,
  ],
  [
    "answers malformed JSON",
    { body: '{\n  "revision": 1\n  "categories": []\n}\n' },
    /line 3:3: unexpected character '"' \(expected ',' or '}'\)/,
    notATable,
  ],
  [
    "answers truncated JSON",
    { body: '{\n  "revision": 1,\n  "categories": [\n    { "id": "strictly-necessary" },\n' },
    /line 5:1: unexpected end of the file/,
    notATable,
  ],
]) {
  test(`the table URL ${name}: no banner, everything held, the console names the cause`, async () => {
    await withVisitor({ table: answer }, async (v) => {
      const page = await v.open();
      const logged = await logs(v, /nothing non-essential will load/);
      assert.match(v.logged("error"), cause);
      assert.match(logged, intro);
      assert.equal(await uiHosts(page), 0, "consent-guard rendered UI");
      await assertFailedClosed(v);
      if (answer.status === 404) await assertApiCannotGrant(v);
    });
  });
}

test("the table is invalid: no banner, everything held, every error logged with line:column and pointer", async () => {
  // Three mistakes, each where a person editing the table would make it.
  const text = [
    "{",
    '  "revision": 1,',
    '  "categories": [{ "id": "strictly-necessary" }, { "id": "analytics" }],',
    '  "cookies": [',
    '    { "name": "PHPSESSID", "category": "strictly-necessary", "party": "first",',
    '      "purpose": "Session", "duration": "Session" },',
    '    { "name": "_ga", "category": "analytic", "party": "first", "provider": "Google",',
    '      "purpose": "Visits", "duration": "2 years" },',
    '    { "name": "_gid", "category": "analytics", "party": "first", "provider": "Google",',
    '      "purpose": "Visits", "duration": "1 day", "expirse": "24 h" }',
    "  ]",
    "}",
    "",
  ].join("\n");
  await withVisitor({ table: { body: text } }, async (v) => {
    const page = await v.open();
    await logs(v, /is invalid/);
    const errors = v.logged("error");
    assert.match(errors, /the cookie table https:\/\/www\.site\.test\/test\/failures\/table\.json is invalid \(3 errors\); nothing non-essential will load on this page/);
    assert.match(errors, /line 5:5 at \/cookies\/0: .*justification/);
    assert.match(errors, /line 7:34 at \/cookies\/1\/category: unknown category "analytic"/);
    assert.match(errors, /line 10:49 at \/cookies\/2\/expirse: unknown field "expirse"/);
    assert.equal(await uiHosts(page), 0, "consent-guard rendered UI");
    await assertFailedClosed(v);
  });
});

test("the table is slow: everything held and cookie writes wait meanwhile, the console says so, then it applies", async () => {
  // The table's answer waits until the test has seen the held state (about
  // 5 s, when consent-guard says the table is overdue).
  let arrive;
  const gate = new Promise((done) => (arrive = done));
  await withVisitor({ table: { body: defaultTable(), gate } }, async (v) => {
    const page = await v.open();
    await page.waitForFunction(() => window.__probe.length > 0);
    await logs(v, /consent-guard: the cookie table https:\/\/www\.site\.test\/test\/failures\/table\.json has not arrived after 5 s; until it does, nothing from other sites loads/, 8000);
    assert.equal(await bannerVisible(page), false, "a banner before the table");
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.deepEqual(otherOrigins(v.start), [], "another origin of the site was reached before the table");
    assert.deepEqual(await released(page), { ran: [], live: [] });
    assert.deepEqual(await v.jar(), [SESSION], "cookie writes went through before the table");
    assert.equal(await readConsent(page), null);
    arrive();

    // The table arrives: the banner, the queued writes decided by it (the
    // undeclared one passes and is reported, the declared analytics and
    // advertising ones do not), the site's other origin released.
    await bannerShown(page, 10000);
    await world.quiet();
    assert.deepEqual(await v.jar(), [SESSION, "site_theme@www.site.test/"]);
    assert.ok(
      otherOrigins(v.start).includes("site static.site.test/test/failures/probe.js?via=cross-origin-load"),
      "the site's other origin stayed held after the table",
    );
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.match(v.logged("warning"), /cookie "site_theme" is not declared/);

    // And the visitor's choice applies as usual.
    await button(page, "Manage preferences").click();
    const granted = world.mark("save analytics");
    await saveChoices(page, { Analytics: true });
    await consentRecorded(page);
    await world.waitForHits([GA, GA_HIT], { since: granted });
    assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: granted } }), []);
    assert.deepEqual((await released(page)).ran, ["analytics"]);
  });
});

// ---------------------------------------------------------------------------
// WebAssembly refused

test("CSP without 'wasm-unsafe-eval': fail-closed mode holds everything, drops cookie writes, says what the CSP needs", async () => {
  await withVisitor({}, async (v) => {
    // The policy lets every https script run, trackers included: only
    // consent-guard's fail-closed mode stands between them and the page.
    const url = `${PROBE}?csp=no-wasm`;
    const stop = serveWithHeaders(world, url, { "Content-Security-Policy": "script-src 'self' 'unsafe-inline' https:" });
    const page = await v.open(url).finally(stop);
    await page.waitForFunction(() => window.__probe.length > 0);
    await world.quiet();
    const errors = v.logged("error");
    assert.match(errors, /consent-guard: the engine did not start \(CompileError: .*Content Security Polic/);
    assert.match(errors, /its script-src must allow 'wasm-unsafe-eval'/);
    assert.equal(await uiHosts(page), 0, "consent-guard rendered UI");
    assert.equal(await page.evaluate(() => typeof window.consentGuard), "object", "no consentGuard API");
    await assertFailedClosed(v);
    await assertApiCannotGrant(v);
    // The one cookie fail-closed mode lets through is the record's name.
    await page.evaluate(() => {
      document.cookie = "consent_guard=page-written; path=/";
    });
    assert.deepEqual(await v.jar(), [SESSION, CONSENT]);
  });
});

test("CSP with 'wasm-unsafe-eval' and nonces: the banner works and released scripts keep their nonce", async () => {
  const url = "/test/failures/csp.html?csp=strict";
  await withVisitor({}, async (v) => {
    const stop = serveWithHeaders(world, url, {
      "Content-Security-Policy": "script-src 'self' 'wasm-unsafe-eval' 'nonce-cg-e2e-nonce'",
    });
    const page = await v.open(url).finally(stop);
    await bannerShown(page);
    await world.quiet();
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.deepEqual(await released(page), { ran: [], live: [] });

    const granted = world.mark("accept all");
    await button(page, "Accept all").click();
    await consentRecorded(page);
    await world.waitForHits([GA, GA_HIT, "platform.twitter.com/widgets.js", "www.youtube.com/embed/M7lc1UVf-VE"], { since: granted });
    assert.deepEqual((await released(page)).ran, ["analytics", "advertising"]);
    // ga.js and widgets.js are allowed by nothing but the nonce.
    const state = await page.evaluate(() => ({
      trackers: window.__trackers,
      violations: window.__violations,
      nonces: [...document.scripts].filter((s) => /google-analytics|twitter/.test(s.src)).map((s) => s.nonce),
    }));
    assert.equal(state.trackers?.ga, 1, "ga.js did not run");
    assert.equal(state.trackers?.twitter, 1, "widgets.js did not run");
    assert.deepEqual(state.violations, []);
    assert.deepEqual(state.nonces, ["cg-e2e-nonce", "cg-e2e-nonce"]);
    assert.doesNotMatch(v.logged("error"), /Content Security Policy|consent-guard/);
  });
});

// ---------------------------------------------------------------------------
// The stored record

/** The consent_guard cookie of the visitor. */
async function consentCookie(v) {
  return (await v.context.cookies()).find((c) => c.name === "consent_guard");
}

/** The cookie form with every category granted, the checksum left as it was. */
function grantAllInCookie(value) {
  const f = value.split(".");
  // 1.<id>.<time>.<expires>.<revision>.<fingerprint>.<action>.<granted>.<services>.<lang>.<gpc>.<sum>
  f[6] = "accept_all";
  f[7] = "strictly-necessary+analytics+advertising";
  return f.join(".");
}

/** The localStorage form with every category granted, the checksum left as it was. */
function grantAllInJson(text) {
  const record = JSON.parse(text);
  record.action = "accept_all";
  for (const c of Object.keys(record.categories)) record.categories[c] = true;
  return JSON.stringify(record);
}

/** Reject all, then hand `edit(v)` the stored copies; reload and expect to be asked again. */
async function editAndReload(v, edit) {
  const page = v.page;
  await bannerShown(page);
  await button(page, "Reject all").click();
  await consentRecorded(page);
  await edit(v);
  const since = world.mark("reload after the edit");
  const logged = v.log.length;
  await page.reload();
  await bannerShown(page);
  await page.waitForFunction(() => window.__probe.length > 0);
  await world.quiet();
  assert.equal(await readConsent(page), null, "the edited record counts");
  assert.deepEqual(world.heldRequests({ since }), []);
  assert.deepEqual(await released(page), { ran: [], live: ["img static.site.test/test/failures/probe.js"] });
  assert.deepEqual(
    (await v.jar()).filter((k) => k !== SESSION && k !== CONSENT && k !== "site_theme@www.site.test/"),
    [],
    "cookies of refused categories",
  );
  return v.log.slice(logged).map((m) => m.text).join("\n");
}

test("a stored record edited by hand to grant everything: banner again, nothing granted, the console says why", async () => {
  await withVisitor({}, async (v) => {
    await v.open();
    const setCookie = async (value) => {
      const c = await consentCookie(v);
      await v.context.addCookies([{ ...c, value }]);
    };
    const editJson = () => v.page.evaluate((edit) => {
      localStorage.setItem("consent_guard", new Function("t", `return (${edit})(t)`)(localStorage.getItem("consent_guard")));
    }, grantAllInJson.toString());

    // Both copies, consistently.
    let said = await editAndReload(v, async () => {
      await editJson();
      await setCookie(grantAllInCookie((await consentCookie(v)).value));
    });
    assert.match(said, /consent-guard: the stored consent fails its checksum \(edited or damaged\); asking again/);

    // Only the cookie (a server-side or devtools edit): neither copy is trusted.
    said = await editAndReload(v, async () => setCookie(grantAllInCookie((await consentCookie(v)).value)));
    assert.match(said, /fails its checksum \(edited or damaged\); asking again/);

    // Only the localStorage copy.
    said = await editAndReload(v, editJson);
    assert.match(said, /fails its checksum \(edited or damaged\); asking again/);
  });
});

test("a stored record from a future version (v 2): banner again, nothing granted, the console says why", async () => {
  await withVisitor({}, async (v) => {
    const said = await (async () => {
      await v.open();
      return editAndReload(v, async () => {
        await v.page.evaluate(() => {
          const record = JSON.parse(localStorage.getItem("consent_guard"));
          record.v = 2;
          record.action = "accept_all";
          for (const c of Object.keys(record.categories)) record.categories[c] = true;
          localStorage.setItem("consent_guard", JSON.stringify(record));
        });
        const c = await consentCookie(v);
        await v.context.addCookies([{ ...c, value: "2." + grantAllInCookie(c.value).split(".").slice(1).join(".") }]);
      });
    })();
    assert.match(said, /consent-guard: the stored consent has unknown format version 2; asking again/);
  });
});

// ---------------------------------------------------------------------------
// The embed itself

test("two copies of the script: one banner, the second warns and does nothing, trackers load once", async () => {
  await withVisitor({}, async (v) => {
    const page = await v.open("/test/failures/twice.html");
    await bannerShown(page);
    await world.quiet();
    assert.equal(await uiHosts(page), 1);
    assert.equal(await button(page, "Reject all").count(), 1, "two banners");
    const warnings = v.logged("warning").split("\n").filter((l) => /loaded twice/.test(l));
    assert.deepEqual(warnings, ["consent-guard: loaded twice; this copy does nothing (keep one consent-guard script, first in <head>)"]);
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.deepEqual((await released(page)).ran, []);

    const granted = world.mark("accept all");
    await button(page, "Accept all").click();
    await consentRecorded(page);
    await world.waitForHits([GA, GA_HIT], { since: granted });
    assert.deepEqual((await released(page)).ran, ["analytics", "advertising"]);
    assert.equal(await page.evaluate(() => window.__trackers.ga), 1, "ga.js ran twice");
    const gaRequests = world.trackerHits({ since: granted }).filter((h) => h === GA);
    assert.deepEqual(gaRequests, [GA], "ga.js requested more than once");
  });
});

test("the script loaded late: what comes after it is held, each tag before it is named with its markup", async () => {
  await withVisitor({}, async (v) => {
    const page = await v.open("/test/failures/late.html");
    await bannerShown(page);
    await page.waitForFunction(() => window.__probe.length > 0);
    await world.quiet();
    // Before it: ga.js ran and its hit went out, the pixel loaded. Nothing
    // after it reached a tracker: no marked-up element, none of the probe's
    // insertions, fetch or beacon.
    assert.deepEqual(
      world.trackerHits({ since: v.start }).sort(),
      ["ad.doubleclick.net/ddm/activity/src=1;type=late", GA, GA_HIT].sort(),
    );
    assert.equal(await page.evaluate(() => window.__trackers.ga), 1);
    assert.deepEqual((await released(page)).ran, []);
    // ga.js's first-party cookie is swept at start-up; the pixel's
    // third-party IDE cannot be reached by a page (README, the limits).
    assert.deepEqual(await v.jar(), ["IDE@.doubleclick.net/", SESSION, "site_theme@www.site.test/"]);
    const warnings = v.logged("warning");
    assert.match(
      warnings,
      /<script src="https:\/\/www\.google-analytics\.com\/ga\.js"> comes before the consent-guard script, so it ran before consent .*service google-analytics.*<script type="text\/plain" data-category="analytics" data-service="google-analytics" src="https:\/\/www\.google-analytics\.com\/ga\.js">/,
    );
    assert.match(
      warnings,
      /<img src="https:\/\/ad\.doubleclick\.net\/ddm\/activity\/src=1;type=late"> comes before the consent-guard script, so it loaded before consent .*<img data-category="advertising" data-service="doubleclick" data-src="https:\/\/ad\.doubleclick\.net\/ddm\/activity\/src=1;type=late">/,
    );
  });
});
