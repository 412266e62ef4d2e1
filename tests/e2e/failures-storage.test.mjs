// The storage rows of README "When things fail" (issue 7, items 4 and 5):
// localStorage throwing (disabled, full, a sandboxed frame), cookies
// disabled, both unavailable. A choice the visitor made is never silently
// dropped: one copy carries it to the next page; with neither it applies to
// this page, the visitor is told, not asked again here, and the report
// endpoint still gets the record.
//
// Each test on pages/failures/probe.html (see failures.test.mjs): the
// visitor saves "analytics only", which must load Google Analytics and keep
// every advertising tracker held, on this page and (when a copy survives)
// after a reload.

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
  openPreferencesFromFooter,
  readConsent,
  saveChoices,
  toggle,
} from "./lib/consent-ui.mjs";
import { CONSENT, GA, GA_HIT, launchProfile, probeVisitor, released, SESSION } from "./lib/failures.mjs";

let world;
before(async () => {
  world = await setupWorld();
});
after(async () => {
  await world?.close();
});

const UTMA = "__utma@.site.test/"; // ga.js's cookie, on the site's domain
const THEME = "site_theme@www.site.test/"; // the probe's undeclared cookie (passes, reported)
const ANALYTICS_ONLY = { "strictly-necessary": true, analytics: true, advertising: false };
// What the probe page has live once analytics (only) is granted.
const ANALYTICS_LIVE = {
  ran: ["analytics"],
  live: [
    "img static.site.test/test/failures/probe.js",
    "script www.google-analytics.com/analytics.js",
    "script www.google-analytics.com/ga.js",
  ],
};

async function withVisitor(options, body) {
  const v = await probeVisitor(world, options);
  try {
    return await body(v);
  } finally {
    await v.close();
  }
}

const SAVED = "Your cookie choices have been saved.";
const STORAGE_ERROR = "Your choice applies to this page, but it could not be stored, so you may be asked again.";

/**
 * In `frame` (a page, or a frame of one): the banner, then "analytics only"
 * saved in the preferences, and the status message `notice` shown at once
 * (it goes after a few seconds). Asserts that nothing was requested before;
 * returns the mark of the save.
 */
async function chooseAnalytics(v, notice, frame = v.page) {
  await bannerShown(frame);
  await frame.waitForFunction(() => window.__probe.length > 0);
  await world.quiet();
  assert.deepEqual(world.heldRequests({ since: v.start }), [], "requests before the choice");
  assert.deepEqual(await released(frame), { ran: [], live: ["img static.site.test/test/failures/probe.js"] });
  await button(frame, "Manage preferences").click();
  const granted = world.mark("save analytics");
  await saveChoices(frame, { Analytics: true });
  assert.deepEqual((await consentRecorded(frame)).categories, ANALYTICS_ONLY);
  await frame.getByRole("status").getByText(notice, { exact: true }).waitFor({ timeout: 5000 });
  return granted;
}

/** Analytics loaded since `granted`, advertising never. */
async function assertAnalyticsOnly(v, granted, frame = v.page) {
  await world.waitForHits([GA, GA_HIT], { since: granted });
  assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: granted } }), [], "advertising requested");
  assert.deepEqual(await released(frame), ANALYTICS_LIVE);
}

/** Reloads; the stored choice must hold: no banner, the same grants, GA again, advertising held. */
async function assertKeptAfterReload(v) {
  const since = world.mark("reload");
  await v.page.reload();
  const record = await consentRecorded(v.page);
  assert.equal(record.categories.analytics, true);
  assert.notEqual(record.categories.advertising, true);
  await v.page.waitForFunction(() => window.__probe.length > 0);
  await world.waitForHits([GA, GA_HIT], { since });
  assert.equal(await bannerVisible(v.page), false, "asked again after a reload");
  assert.deepEqual(world.heldRequests({ since, grants: { analytics: since } }), []);
  assert.deepEqual(await released(v.page), ANALYTICS_LIVE);
}

/** The warnings consent-guard logged (text of each). */
function warnings(v) {
  return v.log.filter((m) => m.type === "warning" && m.text.startsWith("consent-guard:")).map((m) => m.text);
}

// ---------------------------------------------------------------------------
// localStorage throws: the cookie copy carries the choice

test("localStorage disabled (SecurityError): the banner works, the cookie copy carries the choice, a reload keeps it", async () => {
  // As a browser with site data blocked answers: every access throws.
  const initScript = () => {
    Object.defineProperty(window, "localStorage", {
      configurable: true,
      enumerable: true,
      get() {
        throw new DOMException("Failed to read the 'localStorage' property from 'Window': Access is denied for this document.", "SecurityError");
      },
    });
  };
  await withVisitor({ initScript }, async (v) => {
    await v.open();
    const granted = await chooseAnalytics(v, SAVED);
    await assertAnalyticsOnly(v, granted);
    assert.deepEqual(await v.jar(), [SESSION, UTMA, CONSENT, THEME].sort());
    assert.ok(
      warnings(v).includes("consent-guard: localStorage is unavailable; the choice is kept in the consent_guard cookie alone"),
      warnings(v).join("\n"),
    );
    assert.doesNotMatch(warnings(v).join("\n"), /this page only/);
    await assertKeptAfterReload(v);
    assert.ok(warnings(v).includes("consent-guard: localStorage is unavailable; using the consent cookie alone"));
  });
});

test("localStorage full (QuotaExceededError): the cookie copy carries the choice, a reload keeps it", async () => {
  await withVisitor({}, async (v) => {
    await v.open();
    await bannerShown(v.page);
    // Fill the origin's quota, halving the chunk until not one more character fits.
    const filled = await v.page.evaluate(() => {
      let chunk = "x".repeat(1 << 20);
      let i = 0;
      while (chunk.length > 0) {
        try {
          localStorage.setItem(`fill${i++}`, chunk);
        } catch {
          chunk = chunk.slice(0, chunk.length >> 1);
        }
      }
      try {
        localStorage.setItem("one-more", "x");
        return "not full";
      } catch (e) {
        return e.name;
      }
    });
    assert.equal(filled, "QuotaExceededError");
    const granted = await chooseAnalytics(v, SAVED);
    await assertAnalyticsOnly(v, granted);
    assert.equal(await v.page.evaluate(() => localStorage.getItem("consent_guard")), null);
    assert.deepEqual(await v.jar(), [SESSION, UTMA, CONSENT, THEME].sort());
    assert.ok(warnings(v).includes("consent-guard: localStorage is unavailable; the choice is kept in the consent_guard cookie alone"));
    await assertKeptAfterReload(v);
  });
});

// ---------------------------------------------------------------------------
// Cookies unavailable: the localStorage copy carries it

test("cookies disabled for the page: localStorage carries the choice, a reload keeps it", async () => {
  // Chromium's own "block cookies" setting blocks localStorage too (see the
  // next test); document.cookie alone is switched off through DevTools'
  // Emulation.setDocumentCookieDisabled, as a browser that refuses the
  // page's cookies but keeps its storage (a cross-site frame under
  // third-party cookie blocking) does.
  await withVisitor({}, async (v) => {
    await v.open(undefined, {
      before: async (page) => {
        const cdp = await v.context.newCDPSession(page);
        await cdp.send("Emulation.setDocumentCookieDisabled", { disabled: true });
      },
    });
    const granted = await chooseAnalytics(v, SAVED);
    await assertAnalyticsOnly(v, granted);
    const stored = await v.page.evaluate(() => JSON.parse(localStorage.getItem("consent_guard")));
    assert.deepEqual(stored.categories, ANALYTICS_ONLY);
    assert.deepEqual(await v.jar(), [SESSION], "a cookie was written");
    assert.ok(
      warnings(v).includes("consent-guard: cookies are unavailable; the choice is kept in localStorage alone"),
      warnings(v).join("\n"),
    );
    await assertKeptAfterReload(v);
    assert.deepEqual(await readConsent(v.page), stored);
  });
});

// ---------------------------------------------------------------------------
// Both unavailable: the choice holds for this page, the visitor is told

const BOTH_WARNING =
  "consent-guard: the choice could not be stored (localStorage and cookies are unavailable); it applies to this page only";

test("cookies blocked in the browser (localStorage with them): the choice applies to this page, the visitor is told and not asked again here, the report endpoint gets it", async () => {
  // Chromium's "Block all cookies" (content setting cookies = 2): document.cookie
  // reads "" and drops writes, localStorage throws SecurityError.
  const profile = await launchProfile(world, {
    profile: { cookie_controls_mode: 0, default_content_setting_values: { cookies: 2 } },
  });
  const table = { ...defaultTable(), reportUrl: "/test/failures/report" };
  const v = await probeVisitor(world, { profile, table });
  try {
    const reports = [];
    await v.context.route("https://www.site.test/test/failures/report", async (route) => {
      reports.push(JSON.parse(route.request().postData()));
      await route.fulfill({ status: 204 });
    });
    await v.open();
    assert.equal(
      await v.page.evaluate(() => {
        try {
          return String(localStorage.length);
        } catch (e) {
          return e.name;
        }
      }),
      "SecurityError",
      "the profile does not block storage",
    );
    // Seen: the notice that it applies to this page only.
    const granted = await chooseAnalytics(v, STORAGE_ERROR);
    // Held by the choice: GA now, advertising never.
    await assertAnalyticsOnly(v, granted);
    assert.deepEqual(await v.jar(), [], "the browser stored a cookie");
    // Logged, and reported.
    assert.ok(warnings(v).includes(BOTH_WARNING), warnings(v).join("\n"));
    await world.until(() => reports.length > 0, 5000);
    const record = await readConsent(v.page);
    assert.deepEqual(
      reports.filter((r) => r.type === "consent-record").map((r) => [r.record.id, r.record.action]),
      [[record.id, "save_selection"]],
    );

    // Not asked again on this page: the banner stays closed, whatever the
    // page re-renders; the preferences show the choice kept in memory.
    await api(v.page, "refresh");
    await v.page.evaluate(() => window.probe("later"));
    await world.quiet();
    assert.equal(await bannerVisible(v.page), false, "asked again on the same page");
    assert.deepEqual((await readConsent(v.page)).id, record.id);
    await openPreferencesFromFooter(v.page);
    assert.equal(await toggle(v.page, "Analytics").first().isChecked(), true);
    assert.equal(await toggle(v.page, "Advertising").first().isChecked(), false);
    assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: granted } }), []);

    // The next page cannot know: asked again, nothing granted meanwhile.
    const since = world.mark("reload");
    await v.page.reload();
    await bannerShown(v.page);
    await v.page.waitForFunction(() => window.__probe.length > 0);
    await world.quiet();
    assert.equal(await readConsent(v.page), null);
    assert.deepEqual(world.heldRequests({ since }), []);
    assert.deepEqual(world.trackerHits({ since }), []);
  } finally {
    await v.close();
    await profile.close();
  }
});

test("a sandboxed frame without allow-same-origin: both storages throw, the choice applies in the frame, the visitor is told", async () => {
  // The framed page has an opaque origin: its table request is a CORS one.
  const table = { body: defaultTable(), headers: { "Access-Control-Allow-Origin": "*" } };
  await withVisitor({ table }, async (v) => {
    await v.open("/test/failures/sandboxed.html");
    const frame = v.page.frames().find((f) => f.url().endsWith("/test/failures/probe.html"));
    assert.ok(frame, "no framed probe page");
    assert.deepEqual(
      await frame.evaluate(() => {
        const tryIt = (f) => {
          try {
            f();
            return "ok";
          } catch (e) {
            return e.name;
          }
        };
        return [self.origin, tryIt(() => localStorage), tryIt(() => document.cookie)];
      }),
      ["null", "SecurityError", "SecurityError"],
    );
    const granted = await chooseAnalytics(v, STORAGE_ERROR, frame);
    await world.waitForHits([GA], { since: granted });
    assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: granted } }), []);
    // The stand-in ga.js throws on document.cookie here before its hit: it still ran.
    assert.deepEqual((await released(frame)).ran, ["analytics"]);
    assert.ok(warnings(v).includes(BOTH_WARNING), warnings(v).join("\n"));
    await world.quiet();
    assert.equal(await bannerVisible(frame), false, "asked again in the frame");
    assert.deepEqual(await v.jar(), [SESSION]);
  });
});
