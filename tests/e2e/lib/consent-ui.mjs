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
export async function bannerShown(page, timeout = 5000) {
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
export async function apiReady(page, timeout = 5000) {
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
export async function consentRecorded(page, timeout = 5000) {
  await page.waitForFunction(() => window.consentGuard?.consent() != null, null, { timeout });
  return readConsent(page);
}

/** Waits until the current record satisfies `predicate` (run in Node) and returns it. */
export async function consentWhere(page, predicate, timeout = 5000) {
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

/** Opens the preferences from the page's own "Cookie settings" button (data-consent-guard="preferences"). */
export async function openPreferencesFromFooter(page) {
  await page.getByRole("button", { name: "Cookie settings", exact: true }).click();
  await button(page, "Save choices").first().waitFor({ state: "visible", timeout: 5000 });
}

/** In an open preferences dialog: set the toggles of `categories` (title → on?) and save. */
export async function saveChoices(page, categories) {
  for (const [title, on] of Object.entries(categories)) {
    const box = toggle(page, title).first();
    if ((await box.isChecked()) !== on) await box.click();
  }
  await button(page, "Save choices").first().click();
}
