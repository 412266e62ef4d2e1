// What a visitor does with consent-guard, through its public contract only
// (../../../../shared/DESIGN.md): the banner's real <button>s inside its
// shadow root (playwright's role locators pierce open shadow roots), the
// preferences toggles, `window.consentGuard` and its record.

/** The button with exactly this accessible name (banner, dialog, placeholders, page). */
export function button(page, name) {
  return page.getByRole("button", { name, exact: typeof name === "string" });
}

/** The preferences toggle of a category (a checkbox or a switch), by its visible title. */
export function toggle(page, title) {
  const name = new RegExp(`^${title}`, "i");
  return page.getByRole("checkbox", { name }).or(page.getByRole("switch", { name }));
}

/** Waits until the first layer is on screen (its "Reject all" button is visible). */
export async function bannerShown(page, timeout = 8000) {
  await button(page, "Reject all").first().waitFor({ state: "visible", timeout });
}

/** Is any "Reject all" / "Accept all" button visible right now? */
export async function bannerVisible(page) {
  for (const name of ["Reject all", "Accept all"]) {
    if (await button(page, name).first().isVisible()) return true;
  }
  return false;
}

/** Waits for window.consentGuard. */
export async function apiReady(page, timeout = 8000) {
  await page.waitForFunction(() => typeof window.consentGuard?.acceptAll === "function", null, { timeout });
}

/** consentGuard.consent() as an object (it may hand back the JSON string), or null. */
export async function readConsent(page) {
  return page.evaluate(() => {
    const record = window.consentGuard?.consent();
    if (record == null) return null;
    return typeof record === "string" ? JSON.parse(record) : record;
  });
}

/**
 * Waits until consentGuard.consent() is a record (a returning visitor's
 * stored choice has been read, or a new one made) and returns it.
 */
export async function consentRecorded(page, timeout = 8000) {
  await page.waitForFunction(() => window.consentGuard?.consent() != null, null, { timeout });
  return readConsent(page);
}

/** Waits until the current record satisfies `predicate` (run in Node) and returns it. */
export async function consentWhere(page, predicate, timeout = 8000) {
  const end = Date.now() + timeout;
  for (;;) {
    const record = await readConsent(page);
    if (record && predicate(record)) return record;
    if (Date.now() > end) throw new Error(`no consent record as expected; last: ${JSON.stringify(record)}`);
    await page.waitForTimeout(50);
  }
}

/** Calls a consentGuard method in the page, e.g. api(page, "accept", ["analytics"]). */
export function api(page, method, ...args) {
  return page.evaluate(([m, a]) => window.consentGuard[m](...a), [method, args]);
}

/**
 * Opens the preferences from the page's own "Cookie settings" button
 * (data-consent-guard="preferences"), by keyboard (focus, Enter): once embeds
 * are released a mouse click there can be lost, because headless Chromium,
 * after scrolling to the footer, sometimes routes it to the cross-origin
 * iframe that was under that point before the scroll.
 */
export async function openPreferencesFromFooter(page) {
  await page.getByRole("button", { name: "Cookie settings", exact: true }).press("Enter");
  await button(page, "Save choices").first().waitFor({ state: "visible", timeout: 8000 });
}

/** In an open preferences dialog: set the toggles of `categories` (title → on?) and save. */
export async function saveChoices(page, categories) {
  for (const [title, on] of Object.entries(categories)) {
    const box = toggle(page, title).first();
    if ((await box.isChecked()) !== on) await box.click();
  }
  await button(page, "Save choices").first().click();
}

/**
 * The text of an element as the visitor sees it, open shadow roots included
 * (innerText stops at them), skipping descendants that match `skip` (a CSS
 * selector, e.g. "figcaption").
 */
export function composedText(locator, skip = null) {
  return locator.evaluate((root, skipSelector) => {
    const parts = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return parts.push(node.data);
      if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (skipSelector && node.matches(skipSelector)) return;
        if (["STYLE", "SCRIPT", "TEMPLATE"].includes(node.tagName)) return;
        if (node.shadowRoot) walk(node.shadowRoot);
      }
      for (const child of node.childNodes) walk(child);
    };
    walk(root);
    return parts.join(" ").replace(/\s+/g, " ").trim();
  }, skip);
}

/**
 * Records, in each page of `context`, the order in which script, iframe and
 * img elements get a live cross-origin URL (a script without
 * type="text/plain" in the document, an iframe or img with a src), from the
 * moment startReleaseLog(page) is called. The order the runtime releases held
 * items in, free of the network's races.
 */
export async function recordReleases(context) {
  await context.addInitScript(() => {
    window.__releaseLog = null;
    const seen = new WeakMap();
    const look = (el) => {
      if (window.__releaseLog === null || !(el instanceof Element)) return;
      const tag = el.localName;
      if (tag !== "script" && tag !== "iframe" && tag !== "img") return;
      const src = el.getAttribute("src");
      if (!src || !el.isConnected) return;
      if (tag === "script" && (el.getAttribute("type") || "").toLowerCase() === "text/plain") return;
      let url;
      try {
        url = new URL(src, location.href);
      } catch {
        return;
      }
      if (url.origin === location.origin || !/^https?:$/.test(url.protocol)) return;
      if (seen.get(el) === url.href) return;
      seen.set(el, url.href);
      window.__releaseLog.push(url.host + url.pathname);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes") look(r.target);
        for (const node of r.addedNodes) {
          look(node);
          if (node.querySelectorAll) node.querySelectorAll("script,iframe,img").forEach(look);
        }
      }
    }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["src", "type"] });
  });
}

/** Starts the release log of recordReleases in `page`. */
export function startReleaseLog(page) {
  return page.evaluate(() => {
    window.__releaseLog = [];
  });
}

/** The release log of recordReleases: "host/path" in the order the elements went live. */
export function releaseLog(page) {
  return page.evaluate(() => window.__releaseLog);
}
