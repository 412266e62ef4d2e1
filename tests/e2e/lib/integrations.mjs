// Helpers of the integration tests (issue 6): Google Consent Mode's dataLayer
// as the page holds it, a cookie table other than www/cookies.json for one
// visitor, Global Privacy Control switched on in a browser context, and the
// `consent-guard:change` events a page saw.

/** The Consent Mode v2 signals, in the order consent-guard sends them. */
export const SIGNALS = [
  "ad_storage",
  "ad_user_data",
  "ad_personalization",
  "analytics_storage",
  "functionality_storage",
  "personalization_storage",
  "security_storage",
];

/** { signal: "granted" | "denied" } for every signal, `granted` ones granted. */
export function signals(granted) {
  return Object.fromEntries(SIGNALS.map((s) => [s, granted.includes(s) ? "granted" : "denied"]));
}

/** What the default mapping grants per category of the demo table. */
export const GRANTS = {
  necessary: ["functionality_storage", "security_storage"],
  analytics: ["analytics_storage"],
  advertising: ["ad_storage", "ad_user_data", "ad_personalization", "personalization_storage"],
};

/** The `consent default` arguments: everything denied but security_storage. */
export const DEFAULT = ["consent", "default", signals(["security_storage"])];

/** The `consent update` arguments for these granted signal groups. */
export const update = (...groups) => ["consent", "update", signals(groups.flat())];

/**
 * window.dataLayer as { kind, args } entries: `kind` is
 * Object.prototype.toString of the entry ("[object Arguments]" for what gtag
 * pushes; gtag.js ignores anything else), `args` its items, a Date written as
 * "<Date>". Null when the page has no dataLayer.
 */
export function dataLayer(page) {
  return page.evaluate(() => {
    if (!Array.isArray(window.dataLayer)) return null;
    return window.dataLayer.map((entry) => ({
      kind: Object.prototype.toString.call(entry),
      args: Array.prototype.map.call(entry, (v) => (v instanceof Date ? "<Date>" : v)),
    }));
  });
}

/** The entries' args, after checking every entry is an Arguments object. */
export async function gtagCalls(page, assert) {
  const layer = await dataLayer(page);
  assert.ok(layer, "the page has no window.dataLayer");
  const wrong = layer.filter((e) => e.kind !== "[object Arguments]");
  assert.deepEqual(wrong, [], "dataLayer entries that are not Arguments objects (gtag.js ignores them)");
  return layer.map((e) => e.args);
}

/**
 * Serves `table` as the site's /cookies.json to every page of `context`
 * (playwright route; the page and everything else still come from the
 * servers). With { hold: true } the response waits until release() is
 * called; `requested` resolves when the page has asked for it.
 */
export async function serveTable(context, table, { url = "https://www.site.test/cookies.json", hold = false } = {}) {
  let release;
  const released = hold ? new Promise((done) => (release = done)) : Promise.resolve();
  let requested;
  const asked = new Promise((done) => (requested = done));
  await context.route(url, async (route) => {
    requested();
    await released;
    await route.fulfill({
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
      body: JSON.stringify(table),
    });
  });
  return { release: release ?? (() => {}), requested: asked };
}

/**
 * Global Privacy Control on, for every page of `context`, the way a browser
 * that has it exposes it (BROWSER-FACTS.md: this Chromium has no
 * navigator.globalPrivacyControl of its own).
 */
export function gpcOn(context) {
  return context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", {
      get: () => true,
      configurable: true,
      enumerable: true,
    });
  });
}

/**
 * Records every `consent-guard:change` event of each page of `context` from
 * its start, in window.__changes (the details), so a test can read what a tab
 * it did not touch saw.
 */
export function recordChanges(context) {
  return context.addInitScript(() => {
    window.__changes = [];
    document.addEventListener("consent-guard:change", (e) => window.__changes.push(e.detail));
  });
}

/** The `consent-guard:change` details recordChanges saw in `page`. */
export function changes(page) {
  return page.evaluate(() => window.__changes);
}
