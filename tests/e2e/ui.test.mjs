// The consent UI on the demo page (www/), in a real Chromium: axe-core on the
// open first layer, the open preferences (every declaration unfolded), the
// status message, the floating button, a placeholder and the privacy page's
// cookie table, in light and dark mode; then what axe cannot see: focus moves
// in, Tab wraps in the modal, Escape rejects and says so, focus returns,
// one click to reject or accept, equal buttons, reflow at 320 px, 200 % zoom
// and 200 % text size, reduced motion, no layout shift.
//
// Only the public contract is used: the role locators pierce the open shadow
// roots, and consentGuard.consent() is the record.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setup, repoRoot } from "./lib/harness.mjs";
import { button, toggle, bannerShown, bannerVisible, consentRecorded, readConsent } from "./lib/consent-ui.mjs";

const AXE = join(repoRoot, "node_modules/axe-core/axe.min.js");
const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  rules: { "target-size": { enabled: true }, "label-content-name-mismatch": { enabled: true } },
  resultTypes: ["violations"],
};

let h;
before(async () => {
  h = await setup();
});
after(async () => {
  await h?.close();
});

/** A new visitor on `path` with the first layer shown. */
async function visit(path = "/", contextOptions = {}) {
  const context = await h.newContext(contextOptions);
  const { page, errors } = await h.newPage(context);
  await page.goto(h.url(path));
  await bannerShown(page);
  return { page, errors, context };
}

/** Runs axe on `selector` (its shadow tree included); fails on any violation. */
async function axe(page, selector, what) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(([sel, options]) => window.axe.run({ include: [sel] }, options), [selector, AXE_OPTIONS]);
  const lines = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary}`).join("\n")}`,
  );
  assert.deepEqual(lines, [], `axe violations in ${what}`);
}

/** The focused element, looking into open shadow roots. */
function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return null;
    const dialog = a.closest("dialog");
    return {
      tag: a.localName,
      name: a.getAttribute("aria-label") ?? a.textContent.trim().slice(0, 40),
      dialog: dialog ? dialog.className : null,
      outline: getComputedStyle(a).outlineStyle,
      outlineWidth: parseFloat(getComputedStyle(a).outlineWidth),
    };
  });
}

/** The open dialog's class ("cg-l1" first layer, "cg-l2" preferences), or null. */
function openDialog(page) {
  return page.evaluate(() => document.querySelector("consent-guard-ui")?.shadowRoot.querySelector("dialog[open]")?.className ?? null);
}

async function openPreferences(page) {
  await button(page, "Manage preferences").click();
  await button(page, "Save choices").waitFor({ state: "visible" });
}

function noUncaught(errors) {
  assert.deepEqual(errors.filter((e) => e.startsWith("uncaught")), []);
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe: the first layer and the preferences (${colorScheme})`, async () => {
    const { page, errors, context } = await visit("/", { colorScheme, reducedMotion: "reduce" });
    await axe(page, "consent-guard-ui", "the first layer");
    await openPreferences(page);
    await page.evaluate(() => {
      for (const d of document.querySelector("consent-guard-ui").shadowRoot.querySelectorAll("details")) d.open = true;
    });
    await axe(page, "consent-guard-ui", "the preferences");
    await button(page, "Reject all").click();
    await page.getByRole("status").getByText("saved").waitFor();
    await axe(page, "consent-guard-ui", "the status message and the floating button");
    noUncaught(errors);
    await context.close();
  });
}

test("axe: a placeholder, and the privacy page's cookie table", async () => {
  const { page, errors, context } = await visit("/", { reducedMotion: "reduce" });
  await button(page, "Reject all").click();
  // An embed added after the table has loaded (held, then replaced).
  await page.evaluate(() => {
    const f = document.createElement("iframe");
    f.setAttribute("data-src", "https://www.youtube.com/embed/M7lc1UVf-VE");
    f.setAttribute("data-category", "advertising");
    f.setAttribute("data-service", "youtube");
    f.width = "560";
    f.height = "315";
    document.querySelector("main").prepend(f);
  });
  // The demo's own YouTube embed and its tweet have one too.
  await button(page, "Load this content once").first().waitFor();
  assert.equal(await page.locator("consent-guard-placeholder").count(), 3);
  await axe(page, "consent-guard-placeholder", "the placeholders");
  assert.equal(await button(page, "Allow Advertising cookies").count(), 3);

  await page.goto(h.url("/privacy.html"));
  const table = page.locator("[data-consent-guard=cookie-table] table");
  await table.waitFor();
  assert.equal(await table.count(), 1);
  assert.equal(await table.locator("thead th[scope=col]").count(), 7);
  await axe(page, "[data-consent-guard=cookie-table]", "the cookie table");
  noUncaught(errors);
  await context.close();
});

test("focus moves into the first layer, Tab reaches × first, and focus is visible", async () => {
  const { page, errors, context } = await visit();
  const start = await focused(page);
  assert.equal(start.tag, "dialog");
  assert.equal(start.dialog, "cg-l1");
  await page.keyboard.press("Tab");
  const first = await focused(page);
  assert.equal(first.name, "Continue without accepting");
  assert.equal(first.outline, "solid");
  assert.ok(first.outlineWidth >= 2, `focus ring ${first.outlineWidth}px`);
  const names = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    assert.equal(f.outline, "solid", `no visible focus on ${f.name}`);
    names.push(f.name);
  }
  assert.deepEqual(names, ["Cookie policy", "Accept all", "Reject all", "Manage preferences"]);
  noUncaught(errors);
  await context.close();
});

test("the preferences are modal: Tab and Shift+Tab wrap inside", async () => {
  const { page, errors, context } = await visit();
  await openPreferences(page);
  assert.equal((await focused(page)).tag, "dialog");
  const count = await page.evaluate(() => {
    const dialog = document.querySelector("consent-guard-ui").shadowRoot.querySelector("dialog[open]");
    const all = dialog.querySelectorAll("button, input:not([disabled]), a[href], summary, [tabindex='0']");
    return [...all].filter((e) => e.checkVisibility()).length;
  });
  const forward = [];
  for (let i = 0; i < count + 2; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    assert.equal(f.dialog, "cg-l2", `Tab left the dialog to <${f.tag}> ${f.name}`);
    forward.push(f.name);
  }
  // After the last control comes the first again.
  assert.equal(forward[count], forward[0]);
  assert.equal(forward[0], "Continue without accepting");
  for (let i = 0; i < count + 2; i++) {
    await page.keyboard.press("Shift+Tab");
    assert.equal((await focused(page)).dialog, "cg-l2", "Shift+Tab left the dialog");
  }
  noUncaught(errors);
  await context.close();
});

test("Escape on the first layer rejects, says so visibly, and the page stays usable", async () => {
  const { page, errors, context } = await visit();
  await page.keyboard.press("Escape");
  const record = await consentRecorded(page);
  assert.equal(record.action, "reject_all");
  assert.ok(Object.entries(record.categories).every(([id, on]) => on === (id === "strictly-necessary")));
  const status = page.getByRole("status");
  await status.getByText("Only strictly necessary cookies are used").waitFor({ state: "visible" });
  assert.equal(await openDialog(page), null);
  // No cookie wall: the page's own link still works.
  await page.getByRole("link", { name: "Privacy & cookies" }).click();
  await page.waitForURL(/privacy\.html$/);
  noUncaught(errors);
  await context.close();
});

test("Escape in the preferences never grants, even after ticking", async () => {
  const { page, errors, context } = await visit();
  await openPreferences(page);
  await toggle(page, "Analytics").click();
  await toggle(page, "Advertising").click();
  await page.keyboard.press("Escape");
  const record = await consentRecorded(page);
  assert.equal(record.action, "reject_all");
  assert.equal(record.categories.analytics, false);
  assert.equal(record.categories.advertising, false);
  noUncaught(errors);
  await context.close();
});

test("the footer's Cookie settings button opens the preferences and gets focus back", async () => {
  const { page, errors, context } = await visit();
  await button(page, "Reject all").click();
  const settings = page.getByRole("button", { name: "Cookie settings", exact: true });
  await settings.focus();
  await page.keyboard.press("Enter");
  await button(page, "Save choices").waitFor({ state: "visible" });
  assert.equal((await focused(page)).dialog, "cg-l2");
  // The stored choice shows: nothing on.
  assert.equal(await toggle(page, "Analytics").isChecked(), false);
  await page.keyboard.press("Escape");
  assert.equal(await openDialog(page), null);
  assert.equal(await settings.evaluate((e) => e === document.activeElement), true, "focus not returned");
  noUncaught(errors);
  await context.close();
});

test("the floating button reopens the preferences, showing the choice, and gets focus back", async () => {
  const { page, errors, context } = await visit();
  await button(page, "Accept all").click();
  const fab = button(page, "Cookie preferences");
  await fab.waitFor({ state: "visible" });
  const box = await fab.boundingBox();
  assert.ok(box.width >= 24 && box.height >= 24, `floating button ${box.width}×${box.height}`);
  await fab.focus();
  await page.keyboard.press("Enter");
  await button(page, "Save choices").waitFor({ state: "visible" });
  assert.equal(await toggle(page, "Analytics").isChecked(), true);
  assert.equal(await toggle(page, "Advertising").isChecked(), true);
  await toggle(page, "Advertising").click();
  await button(page, "Save choices").click();
  assert.equal(await openDialog(page), null);
  const record = await readConsent(page);
  assert.equal(record.action, "withdraw");
  assert.equal(record.categories.advertising, false);
  assert.equal(record.categories.analytics, true);
  await page.getByRole("status").getByText("stay in your browser").waitFor({ state: "visible" });
  assert.equal((await focused(page)).name, "Cookie preferences", "focus not back on the floating button");
  noUncaught(errors);
  await context.close();
});

for (const width of [1280, 320]) {
  test(`reject and accept take one click each, on equal buttons (${width} px)`, async () => {
    for (const [name, action] of [
      ["Reject all", "reject_all"],
      ["Accept all", "accept_all"],
    ]) {
      const { page, errors, context } = await visit("/", { viewport: { width, height: 700 } });
      const looks = await Promise.all(
        ["Accept all", "Reject all", "Manage preferences"].map((n) =>
          button(page, n).evaluate((e) => {
            const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            return {
              tag: e.localName,
              parent: e.parentElement.className,
              w: Math.round(r.width),
              h: Math.round(r.height),
              font: `${s.fontSize} ${s.fontWeight} ${s.fontFamily}`,
              colors: `${s.color} on ${s.backgroundColor}`,
            };
          }),
        ),
      );
      for (const l of looks) assert.deepEqual({ ...l }, { ...looks[0] }, "the three buttons differ");
      assert.equal(looks[0].tag, "button");
      await button(page, name).click();
      const record = await consentRecorded(page);
      assert.equal(record.action, action);
      assert.equal(await bannerVisible(page), false);
      noUncaught(errors);
      await context.close();
    }
  });
}

/** Nothing scrolls sideways: the page, and the open dialog. */
async function noSidewaysScroll(page, what) {
  const sizes = await page.evaluate(() => {
    const d = document.querySelector("consent-guard-ui")?.shadowRoot.querySelector("dialog[open]");
    return {
      page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      dialog: d ? [d.scrollWidth, d.clientWidth, Math.round(d.getBoundingClientRect().right), innerWidth] : null,
    };
  });
  assert.ok(sizes.page[0] <= sizes.page[1], `${what}: page scrolls sideways ${sizes.page}`);
  if (sizes.dialog) {
    const [scroll, client, right, viewport] = sizes.dialog;
    assert.ok(scroll <= client + 1, `${what}: dialog scrolls sideways (${scroll} > ${client})`);
    assert.ok(right <= viewport, `${what}: dialog sticks out (${right} > ${viewport})`);
  }
}

/** Every button of the open dialog can be scrolled to and is fully visible then. */
async function buttonsReachable(page, names) {
  for (const name of names) {
    const b = button(page, name);
    await b.scrollIntoViewIfNeeded();
    const box = await b.boundingBox();
    const vp = page.viewportSize();
    assert.ok(box && box.y >= 0 && box.y + box.height <= vp.height + 1, `${name} not reachable: ${JSON.stringify(box)}`);
  }
}

test("320 px wide: no sideways scroll, every control reachable", async () => {
  const { page, errors, context } = await visit("/", { viewport: { width: 320, height: 640 } });
  await noSidewaysScroll(page, "first layer");
  await buttonsReachable(page, ["Accept all", "Reject all", "Manage preferences"]);
  await openPreferences(page);
  await noSidewaysScroll(page, "preferences");
  await buttonsReachable(page, ["Save choices", "Accept all", "Reject all"]);
  noUncaught(errors);
  await context.close();
});

test("200 % zoom (a 1280×800 screen is 640×400 CSS px): fits, scrolls, stays operable", async () => {
  const { page, errors, context } = await visit("/", { viewport: { width: 640, height: 400 } });
  const fits = await page.evaluate(() => {
    const r = document.querySelector("consent-guard-ui").shadowRoot.querySelector("dialog[open]").getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  assert.ok(fits, "the first layer is taller than the screen");
  await noSidewaysScroll(page, "first layer");
  await buttonsReachable(page, ["Accept all", "Reject all", "Manage preferences"]);
  await openPreferences(page);
  await noSidewaysScroll(page, "preferences");
  await buttonsReachable(page, ["Save choices", "Accept all", "Reject all"]);
  await button(page, "Reject all").click();
  assert.equal((await consentRecorded(page)).action, "reject_all");
  noUncaught(errors);
  await context.close();
});

test("200 % text size (the browser's default font size doubled)", async () => {
  const context = await h.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await h.newPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Page.enable");
  await cdp.send("Page.setFontSizes", { fontSizes: { standard: 32, fixed: 26 } });
  await page.goto(h.url("/"));
  await bannerShown(page);
  const size = await button(page, "Accept all").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 30, `the banner ignores the visitor's text size (${size}px)`);
  await noSidewaysScroll(page, "first layer");
  await buttonsReachable(page, ["Accept all", "Reject all", "Manage preferences"]);
  await openPreferences(page);
  await noSidewaysScroll(page, "preferences");
  await buttonsReachable(page, ["Save choices", "Accept all", "Reject all"]);
  noUncaught(errors);
  await context.close();
});

test("reduced motion: no animation; and the UI shifts no layout (CLS 0)", async () => {
  // A page of plain text with nothing of its own that moves, so every shift
  // would be ours.
  const context = await h.newContext({ reducedMotion: "reduce" });
  const { page, errors } = await h.newPage(context);
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__shifts.push(e.value);
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(h.url("/test/ui/plain.html"));
  await bannerShown(page);
  const animation = await page.evaluate(
    () => getComputedStyle(document.querySelector("consent-guard-ui").shadowRoot.querySelector("dialog[open]")).animationName,
  );
  assert.equal(animation, "none");
  await openPreferences(page);
  await button(page, "Reject all").click();
  await page.getByRole("status").getByText("saved").waitFor();
  await button(page, "Cookie preferences").click();
  await page.keyboard.press("Escape");
  await page.waitForTimeout(200);
  assert.deepEqual(await page.evaluate(() => window.__shifts), [], "layout shifted");
  noUncaught(errors);
  await context.close();
});

test("with motion allowed, the dialog animates in", async () => {
  const { page, context } = await visit("/", { reducedMotion: "no-preference" });
  const animation = await page.evaluate(
    () => getComputedStyle(document.querySelector("consent-guard-ui").shadowRoot.querySelector("dialog[open]")).animationName,
  );
  assert.notEqual(animation, "none");
  await context.close();
});
