// End-to-end proof of issue 6 in real Chromium, on the demo site and its
// third parties (lib/world.mjs): Google Consent Mode v2 as the page's
// dataLayer holds it, Global Privacy Control, many tabs of one visitor, and a
// single-page app. Report delivery is proved in reporting.test.mjs.
//
// Only the public contract is used: the banner's buttons, the preferences
// dialog, `data-consent-guard` markup, `window.consentGuard`, the
// `consent-guard:change` event, `window.dataLayer`.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./lib/harness.mjs";
import { setupWorld } from "./lib/world.mjs";
import { defaultTable } from "./lib/trackers.mjs";
import {
  api,
  bannerShown,
  bannerVisible,
  button,
  composedText,
  consentRecorded,
  consentWhere,
  readConsent,
  saveChoices,
} from "./lib/consent-ui.mjs";
import {
  DEFAULT,
  GRANTS,
  changes,
  gpcOn,
  gtagCalls,
  recordChanges,
  serveTable,
  update,
} from "./lib/integrations.mjs";

// The demo page's trackers, as the tracker server logs them (host/path).
const GA = "www.google-analytics.com/ga.js";
const GA_HIT = "www.google-analytics.com/__utm.gif";
const YT = "www.youtube.com/embed/M7lc1UVf-VE";
const WIDGETS = "platform.twitter.com/widgets.js";
const SYNDICATION = "syndication.twitter.com/srv/embed/tweet";
const DOUBLECLICK = "ad.doubleclick.net/ddm/activity/src=1234567;type=journal;cat=view;ord=1";
const ADVERTISING_HOSTS = /youtube|ytimg|doubleclick|twitter/;

const NONE = { "strictly-necessary": true, analytics: false, advertising: false };
const ANALYTICS = { "strictly-necessary": true, analytics: true, advertising: false };
const ALL = { "strictly-necessary": true, analytics: true, advertising: true };

let world;
before(async () => {
  world = await setupWorld();
});
after(async () => {
  await world?.close();
});

/** Runs `body` with a new visitor and always closes it. */
async function withVisitor(body, contextOptions) {
  const v = await world.visitor(contextOptions);
  try {
    return await body(v);
  } finally {
    await v.close();
  }
}

/** Tracker-server requests to advertising hosts since `since`. */
function advertisingHits(since) {
  return world.trackerHits({ since }).filter((h) => ADVERTISING_HOSTS.test(h));
}

/** Waits until each of `expected` ("host/path") has reached the tracker server since `since`, and asserts it did. */
async function loaded(expected, since, w = world) {
  const hits = await w.waitForHits(expected, { since });
  assert.deepEqual(expected.filter((h) => !hits.includes(h)), [], `not loaded; got ${JSON.stringify(hits)}`);
  return hits;
}

/** The figure holding the demo page's YouTube embed. */
const videoFigure = (page) => page.locator("figure.video");

/**
 * Opens the preferences from the page's "Cookie settings" button with the
 * keyboard (focus, Enter). A mouse click there can be lost once embeds are
 * released: after scrolling to the footer, headless Chromium sometimes routes
 * the click to the cross-origin iframe that was under that point before the
 * scroll (no event reaches the page; elementFromPoint names the button).
 */
async function openPreferencesByKeyboard(page) {
  await page.getByRole("button", { name: "Cookie settings", exact: true }).press("Enter");
  await button(page, "Save choices").first().waitFor({ state: "visible", timeout: 8000 });
}

/** Waits until `page`'s dataLayer holds `count` entries, then returns the gtag calls. */
async function calls(page, count) {
  await page.waitForFunction((n) => (window.dataLayer?.length ?? 0) >= n, count, { timeout: 8000 }).catch(() => {});
  return gtagCalls(page, assert);
}

// ---------------------------------------------------------------------------
// Google Consent Mode v2 (www/cookies.json has "googleConsentMode": true).

test("consent mode: a first visit gets `consent default` (all denied but security_storage) and no update", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/");
    await bannerShown(page);
    await world.quiet();
    assert.deepEqual(await calls(page, 1), [DEFAULT]);
    // The gtag consent-guard defines pushes Arguments objects too.
    await page.evaluate(() => window.gtag("event", "page_view"));
    assert.deepEqual(await calls(page, 2), [DEFAULT, ["event", "page_view"]]);
    assert.deepEqual(v.errors, []);
  });
});

test("consent mode: the page's own gtag snippet ran while data-config was loading; `default` still comes first", async () => {
  await withVisitor(async (v) => {
    const table = await serveTable(v.context, defaultTable(), { hold: true });
    const page = await v.open("/test/integrations/gtag-snippet.html");
    await table.requested;
    // The snippet has run and the table is still on its way.
    assert.deepEqual(await page.evaluate(() => window.__snippetSaw), ["js", "config"]);
    assert.deepEqual(await gtagCalls(page, assert), [["js", "<Date>"], ["config", "G-X"]]);
    table.release();
    await bannerShown(page);
    assert.deepEqual(await calls(page, 3), [DEFAULT, ["js", "<Date>"], ["config", "G-X"]]);

    await button(page, "Accept all").click();
    await consentRecorded(page);
    const all = update(GRANTS.necessary, GRANTS.analytics, GRANTS.advertising);
    assert.deepEqual(await calls(page, 4), [DEFAULT, ["js", "<Date>"], ["config", "G-X"], all]);

    // Returning: the stored choice follows the default, both ahead of the snippet's calls.
    await page.reload();
    await consentRecorded(page);
    assert.deepEqual(await calls(page, 4), [DEFAULT, all, ["js", "<Date>"], ["config", "G-X"]]);
    assert.deepEqual(v.errors, []);
  });
});

test("consent mode: with an inline table, `default` (and a returning visitor's update) is in dataLayer before the page's snippet runs", async () => {
  await withVisitor(async (v) => {
    // The snippet page with the table inline instead of data-config.
    const json = JSON.stringify(defaultTable()).replace(/</g, "\\u003c");
    const html = readFileSync(join(repoRoot, "tests/e2e/pages/integrations/gtag-snippet.html"), "utf8").replace(
      '<script src="/pkg/consent-guard.js" data-config="/cookies.json"></script>',
      `<script type="application/json" id="consent-guard-config">${json}</script>\n<script src="/pkg/consent-guard.js"></script>`,
    );
    const path = "/test/integrations/gtag-snippet-inline.html";
    await v.context.route(world.url(path), (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    const page = await v.open(path);
    await bannerShown(page);
    assert.deepEqual(await page.evaluate(() => window.__snippetSaw), ["consent", "js", "config"]);
    assert.deepEqual(await calls(page, 3), [DEFAULT, ["js", "<Date>"], ["config", "G-X"]]);

    await api(page, "rejectAll");
    await consentRecorded(page);
    await page.reload();
    await consentRecorded(page);
    assert.deepEqual(await page.evaluate(() => window.__snippetSaw), ["consent", "consent", "js", "config"]);
    assert.deepEqual(await calls(page, 4), [DEFAULT, update(GRANTS.necessary), ["js", "<Date>"], ["config", "G-X"]]);
  });
});

test("consent mode: accept all sends exactly one update, everything granted", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/");
    await bannerShown(page);
    await button(page, "Accept all").click();
    await consentRecorded(page);
    await world.quiet();
    assert.deepEqual(await calls(page, 2), [DEFAULT, update(GRANTS.necessary, GRANTS.analytics, GRANTS.advertising)]);
  });
});

test("consent mode: reject all sends exactly one update, denied but security and functionality", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/");
    await bannerShown(page);
    await button(page, "Reject all").click();
    await consentRecorded(page);
    await world.quiet();
    assert.deepEqual(await calls(page, 2), [DEFAULT, update(GRANTS.necessary)]);
  });
});

test("consent mode: a returning visitor gets default, then one update with the stored choice", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/");
    await bannerShown(page);
    await button(page, "Manage preferences").click();
    await saveChoices(page, { Analytics: true });
    await consentWhere(page, (r) => r.categories.analytics === true);
    await page.reload();
    await consentRecorded(page);
    await world.quiet();
    assert.equal(await bannerVisible(page), false);
    assert.deepEqual(await calls(page, 2), [DEFAULT, update(GRANTS.necessary, GRANTS.analytics)]);
  });
});

test("consent mode: withdrawing advertising sends exactly one update", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/");
    await bannerShown(page);
    await api(page, "acceptAll");
    await consentRecorded(page);
    await page.reload();
    await consentRecorded(page);
    const all = update(GRANTS.necessary, GRANTS.analytics, GRANTS.advertising);
    assert.deepEqual(await calls(page, 2), [DEFAULT, all]);

    await openPreferencesByKeyboard(page);
    await saveChoices(page, { Advertising: false });
    const record = await consentWhere(page, (r) => r.categories.advertising === false);
    assert.equal(record.action, "withdraw");
    await world.quiet();
    assert.deepEqual(await calls(page, 3), [DEFAULT, all, update(GRANTS.necessary, GRANTS.analytics)]);
  });
});

test("consent mode: url_passthrough and ads_data_redaction only when configured; a custom mapping", async () => {
  await withVisitor(async (v) => {
    const table = {
      ...defaultTable(),
      googleConsentMode: {
        mapping: { analytics: ["analytics_storage"], advertising: ["ad_storage"] },
        urlPassthrough: true,
        adsDataRedaction: true,
      },
    };
    await serveTable(v.context, table);
    const page = await v.open("/");
    await bannerShown(page);
    const settings = [
      ["set", "url_passthrough", true],
      ["set", "ads_data_redaction", true],
    ];
    assert.deepEqual(await calls(page, 3), [DEFAULT, ...settings]);
    await api(page, "acceptAll");
    await consentRecorded(page);
    // Signals no category drives keep their default.
    assert.deepEqual(await calls(page, 4), [
      DEFAULT,
      ...settings,
      update(["analytics_storage", "ad_storage", "security_storage"]),
    ]);
  });
  await withVisitor(async (v) => {
    await serveTable(v.context, { ...defaultTable(), googleConsentMode: { urlPassthrough: false } });
    const page = await v.open("/");
    await bannerShown(page);
    await api(page, "rejectAll");
    await consentRecorded(page);
    assert.deepEqual(await calls(page, 2), [DEFAULT, update(GRANTS.necessary)]);
  });
  await withVisitor(async (v) => {
    // Off: no dataLayer at all.
    await serveTable(v.context, { ...defaultTable(), googleConsentMode: false });
    const page = await v.open("/");
    await bannerShown(page);
    await api(page, "acceptAll");
    await consentRecorded(page);
    assert.equal(await page.evaluate(() => window.dataLayer), undefined);
  });
});

// ---------------------------------------------------------------------------
// Global Privacy Control.

test("GPC: advertising refused without asking (action gpc), the banner says so, Accept all still loads no advertising", async () => {
  await withVisitor(async (v) => {
    await gpcOn(v.context);
    const page = await v.open("/");
    await bannerShown(page);
    await page.getByText(/Global Privacy Control/).first().waitFor({ state: "visible", timeout: 8000 });
    const gpc = await consentRecorded(page);
    assert.equal(gpc.action, "gpc");
    assert.equal(gpc.gpc, true);
    assert.deepEqual(gpc.categories, NONE, "GPC pre-granted something");
    assert.deepEqual(await calls(page, 2), [DEFAULT, update(GRANTS.necessary)]);

    const granted = world.mark("accept all under GPC");
    await button(page, "Accept all").click();
    const accepted = await consentWhere(page, (r) => r.id !== gpc.id);
    assert.equal(accepted.action, "accept_all");
    assert.equal(accepted.gpc, true);
    assert.deepEqual(accepted.categories, ANALYTICS);
    await loaded([GA, GA_HIT], granted);
    assert.deepEqual(await calls(page, 3), [
      DEFAULT,
      update(GRANTS.necessary),
      update(GRANTS.necessary, GRANTS.analytics),
    ]);

    // The next page too: no banner, analytics, no advertising.
    await page.reload();
    await consentRecorded(page);
    await world.quiet();
    assert.equal(await bannerVisible(page), false, "banner again after Accept all under GPC");
    assert.deepEqual(advertisingHits(v.start), []);
    assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: granted } }), []);
    const jar = await v.jar();
    assert.deepEqual(jar.filter((k) => ADVERTISING_HOSTS.test(k)), [], "advertising cookies in the jar");
    assert.deepEqual(v.errors, []);
  });
});

test("GPC: advertising granted explicitly in the preferences is recorded and honoured", async () => {
  await withVisitor(async (v) => {
    await gpcOn(v.context);
    const page = await v.open("/");
    await bannerShown(page);
    await consentWhere(page, (r) => r.action === "gpc");
    await world.quiet();
    assert.deepEqual(advertisingHits(v.start), []);

    await button(page, "Manage preferences").click();
    const granted = world.mark("advertising turned on in the preferences");
    await saveChoices(page, { Advertising: true });
    const record = await consentWhere(page, (r) => r.categories.advertising === true);
    assert.equal(record.action, "save_selection");
    assert.equal(record.gpc, true);
    assert.equal(record.categories.analytics, false);
    await loaded([YT, WIDGETS, SYNDICATION, DOUBLECLICK], granted);
    assert.deepEqual(world.heldRequests({ since: v.start, grants: { advertising: granted } }), []);

    // Honoured on the next page: GPC does not take it back.
    const next = world.mark("next page");
    await page.reload();
    const again = await consentRecorded(page);
    assert.equal(again.id, record.id, "a new record replaced the visitor's explicit choice");
    await loaded([YT, DOUBLECLICK], next);
    assert.equal(await bannerVisible(page), false);
  });
});

test('GPC: `"gpc": "ignore"` in the table turns it off', async () => {
  await withVisitor(async (v) => {
    await gpcOn(v.context);
    await serveTable(v.context, { ...defaultTable(), gpc: "ignore" });
    const page = await v.open("/");
    await bannerShown(page);
    await world.quiet();
    assert.equal(await readConsent(page), null, "a record was made without asking");
    assert.equal(await page.getByText(/Global Privacy Control/).count(), 0, "the banner mentions GPC");
    const granted = world.mark("accept all");
    await button(page, "Accept all").click();
    const record = await consentRecorded(page);
    assert.equal(record.action, "accept_all");
    assert.deepEqual(record.categories, ALL);
    await loaded([YT, DOUBLECLICK], granted);
  });
});

test("GPC: Chromium's own signal (--enable-features=GlobalPrivacyControlForce) is honoured the same way", async () => {
  const gpcWorld = await setupWorld({ browserArgs: ["--enable-features=GlobalPrivacyControlForce"] });
  try {
    const v = await gpcWorld.visitor();
    const page = await v.open("/");
    assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true, "the flag gave no navigator.globalPrivacyControl");
    await bannerShown(page);
    await page.getByText(/Global Privacy Control/).first().waitFor({ state: "visible", timeout: 8000 });
    assert.equal((await consentRecorded(page)).action, "gpc");
    const granted = gpcWorld.mark("accept all");
    await button(page, "Accept all").click();
    await consentWhere(page, (r) => r.action === "accept_all");
    await loaded([GA, GA_HIT], granted, gpcWorld);
    assert.deepEqual(gpcWorld.trackerHits({ since: v.start }).filter((h) => ADVERTISING_HOSTS.test(h)), []);
    assert.deepEqual(gpcWorld.heldRequests({ since: v.start, grants: { analytics: granted } }), []);
    await v.close();
  } finally {
    await gpcWorld.close();
  }
});

// ---------------------------------------------------------------------------
// Many tabs: two pages of one visitor (one cookie jar, one localStorage).

test("tabs: Reject all in tab A closes B's banner at once, fires change there, and B agrees", async () => {
  await withVisitor(async (v) => {
    await recordChanges(v.context);
    const a = await v.open("/");
    const b = await v.open("/privacy.html");
    await bannerShown(a);
    await bannerShown(b);
    await button(a, "Reject all").click();
    const record = await consentRecorded(a);
    await b.waitForFunction(() => window.__changes.length > 0, null, { timeout: 3000 });
    await b.waitForFunction(() => window.consentGuard.consent() !== null, null, { timeout: 3000 });
    assert.deepEqual(await changes(b), [record]);
    assert.deepEqual(await readConsent(b), record);
    assert.equal(await bannerVisible(b), false, "B's banner is still open");
    assert.deepEqual(await calls(b, 2), [DEFAULT, update(GRANTS.necessary)]);
    await world.quiet();
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
  });
});

test("tabs: a choice in A releases in B; withdrawing and rejecting in A sweep B", async () => {
  await withVisitor(async (v) => {
    await recordChanges(v.context);
    const a = await v.open("/");
    const b = await v.open("/blog/first-flush.html");
    await bannerShown(a);
    await bannerShown(b);

    // Accept all in A: B's banner closes and B's held trackers run in B.
    await api(a, "acceptAll");
    const accepted = await consentRecorded(a);
    await b.waitForFunction(() => window.__trackers?.ga === 1 && window.__trackers?.twitter === 1, null, { timeout: 8000 });
    await videoFigure(b).locator('iframe[src*="youtube.com"]').waitFor({ state: "attached", timeout: 8000 });
    assert.equal(await bannerVisible(b), false);
    assert.deepEqual(await readConsent(b), accepted);
    assert.deepEqual(await changes(b), [accepted]);

    // A cookie only B can reach (A at "/" cannot name path /blog).
    await b.evaluate(() => {
      document.cookie = "__utma=from-b; path=/blog; max-age=3600";
    });
    assert.ok((await v.jar()).includes("__utma@www.site.test/blog"));

    // Withdraw advertising in A: B's YouTube goes back behind its placeholder.
    assert.equal(await api(a, "accept", ["analytics"]), true);
    const withdrawn = await consentWhere(a, (r) => r.action === "withdraw");
    await b.waitForFunction((id) => window.consentGuard.consent()?.id === id, withdrawn.id, { timeout: 3000 });
    await videoFigure(b).getByRole("button", { name: /once/i }).waitFor({ state: "visible", timeout: 3000 });
    assert.equal(await videoFigure(b).locator('iframe[src*="youtube.com"]').count(), 0);
    assert.ok((await v.jar()).includes("__utma@www.site.test/blog"), "analytics cookie swept although still granted");

    // Reject all in A: B sweeps what only it can reach.
    await api(a, "rejectAll");
    const rejected = await consentWhere(a, (r) => r.action === "reject_all");
    await b.waitForFunction((id) => window.consentGuard.consent()?.id === id, rejected.id, { timeout: 3000 });
    await world.quiet();
    assert.deepEqual((await v.jar()).filter((k) => k.startsWith("__utma@")), [], "__utma left after reject in another tab");
    assert.deepEqual(await changes(b), [accepted, withdrawn, rejected]);
    assert.deepEqual(await readConsent(b), rejected);
    const all = update(GRANTS.necessary, GRANTS.analytics, GRANTS.advertising);
    assert.deepEqual(await calls(b, 4), [
      DEFAULT,
      all,
      update(GRANTS.necessary, GRANTS.analytics),
      update(GRANTS.necessary),
    ]);
  });
});

// ---------------------------------------------------------------------------
// Single-page app (tests/e2e/pages/integrations/spa.html): client-side views.

test("single-page app: trackers rendered by client-side navigation are held with nothing to call", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/test/integrations/spa.html");
    await bannerShown(page);
    await page.evaluate(() => {
      window.__samePage = true;
    });
    await page.getByRole("link", { name: "Film" }).click();
    await page.waitForFunction(() => window.__spa?.view === "video");
    assert.match(page.url(), /\?view=video$/);
    const figure = videoFigure(page);
    await figure.getByRole("button", { name: /once/i }).waitFor({ state: "visible", timeout: 8000 });
    assert.match(await composedText(figure, "figcaption"), /YouTube/);
    await world.quiet();
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.deepEqual(world.trackerHits({ since: v.start }), []);

    const granted = world.mark("accept all");
    await button(page, "Accept all").click();
    await consentRecorded(page);
    const first = [GA, GA_HIT, "www.youtube.com/embed/spa-1", "ad.doubleclick.net/spa/pixel-1", WIDGETS];
    await loaded(first, granted);
    assert.deepEqual(world.heldRequests({ since: v.start, grants: { analytics: granted, advertising: granted } }), []);

    // Views rendered after consent load at once.
    const again = world.mark("navigate home and back");
    await page.getByRole("link", { name: "Home" }).click();
    await page.getByRole("link", { name: "Film" }).click();
    const second = ["www.youtube.com/embed/spa-2", "ad.doubleclick.net/spa/pixel-2"];
    await loaded(second, again);
    assert.equal(await page.evaluate(() => window.__samePage), true, "a real navigation happened");
    assert.deepEqual(v.errors, []);
  });
});

test("single-page app: consentGuard.refresh() fills a re-rendered cookie-table element", async () => {
  await withVisitor(async (v) => {
    const page = await v.open("/test/integrations/spa.html?view=privacy");
    await bannerShown(page);
    const declaration = page.locator("#app table.consent-guard-declaration");
    await declaration.waitFor({ state: "attached", timeout: 8000 });

    await page.getByRole("link", { name: "Home" }).click();
    await page.getByRole("link", { name: "Privacy" }).click();
    await page.waitForFunction(() => window.__spa?.view === "privacy");
    await page.evaluate(() => window.consentGuard.refresh());
    await declaration.waitFor({ state: "attached", timeout: 3000 });
    const text = await declaration.innerText();
    for (const name of ["PHPSESSID", "__utma", "IDE", "YSC", "tfw_exp", "consent_guard"]) {
      assert.ok(text.includes(name), `${name} missing from the re-rendered declaration`);
    }
    assert.equal(await page.locator("table.consent-guard-declaration").count(), 1);
  });
});
