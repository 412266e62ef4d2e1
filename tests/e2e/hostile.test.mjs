// Hostile content (issue 7, item 3): a cookie table whose texts, service and
// provider names, cookie names, purposes and durations carry markup, bidi
// overrides, odd Unicode, U+0000 and 10,000-character strings
// (lib/hostile.mjs). The banner, the preferences, the page's cookie table
// and the placeholders must show all of it as text: no script runs
// (window.__pwned stays undefined), no <img src=x> is requested, and the
// dialog stays usable. Links must be https:, http: or relative: a table
// with a javascript: (or data:, vbscript:, disguised) link is refused, each
// link named with its line:column, and the page fails closed.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupWorld } from "./lib/world.mjs";
import { defaultTable } from "./lib/trackers.mjs";
import {
  bannerShown,
  bannerVisible,
  button,
  composedText,
  consentRecorded,
  readConsent,
} from "./lib/consent-ui.mjs";
import { probeVisitor, released, SESSION } from "./lib/failures.mjs";
import { EMOJI, hostileTable, IMG, long, NUL, RLO, SCRIPT, SCRIPT_NAME, ZALGO } from "./lib/hostile.mjs";

let world;
before(async () => {
  world = await setupWorld();
});
after(async () => {
  await world?.close();
});

async function withVisitor(options, body) {
  const v = await probeVisitor(world, options);
  try {
    return await body(v);
  } finally {
    await v.close();
  }
}

/** `s` as composedText gives it back: whitespace runs collapsed. */
const shown = (s) => s.replace(/\s+/g, " ");

/** Requests (site, tracker or browser) for the relative URL "x" of an <img src=x>. */
function requestsForX(since) {
  return world.timeline.requests({ since }).filter((e) => /\/x(\?|$)/.test(e.path));
}

/** Did any hostile markup run or load? */
async function assertNothingRan(v) {
  assert.equal(await v.page.evaluate(() => window.__pwned), undefined, "a script from the table ran");
  assert.deepEqual(requestsForX(v.start), [], "an <img src=x> from the table was requested");
  assert.deepEqual(v.log.filter((m) => m.type === "uncaught" || m.type === "error"), []);
}

/**
 * Elements made of table text: what the UI built inside `root` (a locator;
 * its shadow roots included) that could run or load something.
 */
function activeElements(locator) {
  return locator.evaluate((root) => {
    const found = [];
    const walk = (node) => {
      for (const el of node.querySelectorAll("*")) {
        if (el.shadowRoot) walk(el.shadowRoot);
        const on = [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name);
        if (["script", "img", "iframe", "object", "embed", "svg"].includes(el.localName) || on.length) {
          found.push(`${el.localName}${on.length ? ` ${on.join(" ")}` : ""}`);
        }
        if (el.localName === "a" && !/^(https?:|\/)/.test(el.getAttribute("href") || "")) {
          found.push(`a href=${el.getAttribute("href")}`);
        }
      }
    };
    walk(root.shadowRoot ?? root);
    return found;
  });
}

/**
 * Every text node under `locator` (shadow roots included) that holds a bidi
 * override, with whether it is isolated (inside <bdi>, or an element whose
 * unicode-bidi isolates), so it cannot reorder the text around it.
 */
function bidiRuns(locator) {
  return locator.evaluate((root) => {
    const runs = [];
    const walk = (node) => {
      const tw = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = tw.currentNode; n; n = tw.nextNode()) {
        if (n.nodeType === 1 && n.shadowRoot) walk(n.shadowRoot);
        if (n.nodeType === 3 && n.data.includes("\u202E")) {
          const el = n.parentElement;
          const isolated = !!el.closest("bdi") || /isolate|plaintext/.test(getComputedStyle(el).unicodeBidi);
          runs.push({ text: n.data.slice(0, 24), isolated });
        }
      }
    };
    walk(root.shadowRoot ?? root);
    return runs;
  });
}

/** The open dialog of consent-guard's UI: its box, its scrolling, the viewport. */
function dialogBox(page) {
  return page.evaluate(() => {
    const dialog = document.querySelector("consent-guard-ui").shadowRoot.querySelector("dialog[open]");
    const r = dialog.getBoundingClientRect();
    return {
      inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
      sideways: dialog.scrollWidth - dialog.clientWidth,
      pageSideways: document.documentElement.scrollWidth - innerWidth,
    };
  });
}

/** Scrolls each button into view as a visitor would, then: its box, inside the viewport? */
async function buttonBoxes(page, names) {
  const boxes = {};
  for (const name of names) {
    const b = button(page, name).first();
    await b.scrollIntoViewIfNeeded();
    const box = await b.boundingBox();
    const { width, height } = page.viewportSize();
    boxes[name] = {
      w: Math.round(box.width),
      h: Math.round(box.height),
      onScreen: box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
    };
  }
  return boxes;
}

test("a hostile table is shown as text everywhere, nothing in it runs, and the dialog stays usable", async () => {
  const table = hostileTable();
  // An override left open in a name, as an attacker would leave it.
  table.services.find((s) => s.id === "google-analytics").name = `${RLO}scitylanA elgooG`;
  await withVisitor({ table }, async (v) => {
    const page = await v.open();
    await bannerShown(page);
    await world.quiet();
    const ui = page.locator("consent-guard-ui");

    // The first layer: the 10,000-character title, the markup, the odd
    // Unicode, all as text.
    const first = await composedText(ui);
    assert.ok(first.includes(shown(long(10000))), "the 10,000-character title is not shown whole");
    for (const s of [IMG, SCRIPT, ZALGO, EMOJI, `nul:${NUL}:`, "YouTube <img", `${RLO}scitylanA`]) {
      assert.ok(first.includes(shown(s)), `the first layer does not show ${JSON.stringify(s)}`);
    }
    assert.ok(first.includes(`<a href="javascript:window.__pwned=1">third parties</a>`));
    assert.deepEqual(await activeElements(ui), [], "the first layer built elements from the table's text");
    assert.deepEqual((await bidiRuns(ui)).filter((r) => !r.isolated), [], "a bidi override is not isolated");

    // Usable: the dialog inside the viewport, nothing sideways, each
    // button reachable (the dialog scrolls), equal, large enough.
    assert.deepEqual(await dialogBox(page), { inside: true, sideways: 0, pageSideways: 0 });
    const boxes = await buttonBoxes(page, ["Accept all", "Reject all", "Manage preferences"]);
    for (const [name, box] of Object.entries(boxes)) {
      assert.ok(box.onScreen, `${name} cannot be brought on screen`);
      assert.ok(box.h >= 24 && box.w >= 24, `${name} is ${box.w}×${box.h}`);
    }
    assert.equal(new Set(Object.values(boxes).map((b) => `${b.w}×${b.h}`)).size, 1, `unequal buttons: ${JSON.stringify(boxes)}`);

    // The page's cookie table and the placeholders.
    const declaration = page.locator('[data-consent-guard="cookie-table"]');
    const declared = await composedText(declaration);
    for (const s of [IMG, SCRIPT, SCRIPT_NAME, ZALGO, EMOJI, `${RLO}2 years`, long(10000, `Google ${IMG}`)]) {
      assert.ok(declared.includes(shown(s)), `the cookie table does not show ${JSON.stringify(s.slice(0, 40))}`);
    }
    assert.ok(declared.includes(NUL), "U+0000 was dropped from the cookie table");
    assert.deepEqual(await activeElements(declaration), []);
    assert.deepEqual((await bidiRuns(declaration)).filter((r) => !r.isolated), []);
    const placeholder = page.locator("figure.video");
    const held = await composedText(placeholder);
    assert.ok(held.includes(`YouTube ${IMG} ${IMG}`), `placeholder title: ${held.slice(0, 200)}`);
    assert.ok(held.includes(`${SCRIPT} YouTube ${IMG}`), `placeholder text: ${held.slice(0, 200)}`);
    assert.ok(held.includes(`${SCRIPT} Google`), "the provider is not shown as text");
    assert.deepEqual(await activeElements(placeholder), []);
    await assertNothingRan(v);

    // The preferences: markup and 10,000-character strings in the
    // categories and the declaration (every category's opened), the
    // buttons reachable.
    await button(page, "Manage preferences").click();
    await button(page, "Save choices").first().waitFor({ state: "visible" });
    await ui.evaluate((host) => {
      for (const d of host.shadowRoot.querySelectorAll("details")) d.open = true;
    });
    const prefs = await composedText(ui);
    for (const s of [`Analytics ${IMG}`, `${SCRIPT} ${RLO}stats`, SCRIPT_NAME, `${IMG} ${RLO}session`, long(10000, `Google ${IMG}`)]) {
      assert.ok(prefs.includes(shown(s)), `the preferences do not show ${JSON.stringify(s.slice(0, 40))}`);
    }
    assert.deepEqual(await activeElements(ui), []);
    assert.deepEqual((await bidiRuns(ui)).filter((r) => !r.isolated), []);
    assert.deepEqual(await dialogBox(page), { inside: true, sideways: 0, pageSideways: 0 });
    for (const [name, box] of Object.entries(await buttonBoxes(page, ["Save choices", "Accept all", "Reject all"]))) {
      assert.ok(box.onScreen, `${name} cannot be brought on screen`);
    }
    await assertNothingRan(v);

    // Clicking still works, and the notice is text too.
    await button(page, "Reject all").first().click();
    assert.equal((await consentRecorded(page)).action, "reject_all");
    await page.getByRole("status").getByText(`Saved ${SCRIPT}`).waitFor({ timeout: 5000 });
    await world.quiet();
    assert.equal(await bannerVisible(page), false);
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.deepEqual((await v.jar()).filter((k) => !/^(consent_guard|PHPSESSID|site_theme)@/.test(k)), []);
    await assertNothingRan(v);
  });
});

test("the first layer's buttons are reachable with a 10,000-character title: Accept all from the first layer works", async () => {
  const table = defaultTable();
  table.texts = { en: { title: long(10000), description: long(10000, SCRIPT) } };
  await withVisitor({ table }, async (v) => {
    const page = await v.open();
    await bannerShown(page);
    const granted = world.mark("accept all");
    await button(page, "Accept all").click();
    assert.equal((await consentRecorded(page)).action, "accept_all");
    await world.waitForHits(["www.google-analytics.com/ga.js"], { since: granted });
    assert.deepEqual((await released(page)).ran, ["analytics", "advertising"]);
    await assertNothingRan(v);
  });
});

test("javascript:, data:, vbscript: and disguised links in policyUrl and privacyPolicy: refused with line:column, fail closed", async () => {
  const table = defaultTable();
  const unsafe = {
    policyUrl: "javascript:window.__pwned=1",
    "google-analytics": "JavaScript:window.__pwned=1",
    doubleclick: " javascript:window.__pwned=1",
    youtube: "java\tscript:window.__pwned=1",
    twitter: "data:text/html,<script>window.__pwned=1</script>",
  };
  table.policyUrl = unsafe.policyUrl;
  for (const s of table.services) s.privacyPolicy = unsafe[s.id];
  table.services.push({ ...table.services[0], id: "vb", name: "VB", hosts: ["vb.example"], privacyPolicy: "vbscript:msgbox(1)" });
  const text = JSON.stringify(table, null, 2);
  // Where each link's value starts, as the parser reports it (1-based).
  const at = (value) => {
    const quoted = JSON.stringify(value);
    const offset = text.indexOf(`: ${quoted}`) + 2;
    const before = text.slice(0, offset).split("\n");
    return `${before.length}:${before.at(-1).length + 1}`;
  };
  await withVisitor({ table: { body: text } }, async (v) => {
    const page = await v.open();
    await world.until(() => /is invalid/.test(v.logged("error")));
    const errors = v.logged("error");
    assert.match(errors, /is invalid \(6 errors\); nothing non-essential will load on this page/);
    const expected = [
      ["/policyUrl", unsafe.policyUrl],
      ["/services/0/privacyPolicy", unsafe["google-analytics"]],
      ["/services/1/privacyPolicy", unsafe.doubleclick],
      ["/services/2/privacyPolicy", unsafe.youtube],
      ["/services/3/privacyPolicy", unsafe.twitter],
      ["/services/4/privacyPolicy", "vbscript:msgbox(1)"],
    ];
    for (const [pointer, value] of expected) {
      const line = errors.split("\n").find((l) => l.includes(` at ${pointer}:`));
      assert.ok(line, `no error for ${pointer}:\n${errors}`);
      assert.ok(line.startsWith(`line ${at(value)} at ${pointer}: `), `${line} (expected line ${at(value)})`);
      assert.match(line, /is not a safe link; use an https:, http: or relative URL/);
    }
    assert.equal(await page.locator("consent-guard-ui").count(), 0);
    assert.equal(await readConsent(page), null);
    await world.quiet();
    assert.deepEqual(world.heldRequests({ since: v.start }), []);
    assert.deepEqual(world.trackerHits({ since: v.start }), []);
    assert.deepEqual(await released(page), { ran: [], live: [] });
    assert.deepEqual(await v.jar(), [SESSION]);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });
});
