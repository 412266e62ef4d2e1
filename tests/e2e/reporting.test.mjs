// End-to-end proof of proof-of-consent reporting (issue 6, item 3 and its
// "Done when"): the demo page with `reportUrl` pointing at the reference
// receiver (lib/receiver.mjs), which is made to fail, drop or hang while the
// visitor makes choices; nothing may be lost, every record must end up stored
// once by its id, and every body must match schema/report.schema.json.
//
// Why not lib/world.mjs: its browser sends every host it does not map to
// ~NOTFOUND, the receiver's included, and the mapping is fixed at launch. So
// this file serves the demo (www/ at /, pkg/ at /pkg/) over http with
// lib/harness.mjs and maps *.test to loopback itself: the pages live on
// http://<test>.site.test:<port>/ (one host per test, so each test's reports
// are told apart by their `site`), the receiver is http://127.0.0.1:<its
// port>/reports (another origin: text/plain bodies; loopback, so Chromium
// sends it Sec-Fetch-Mode, which tells a beacon from a fetch) or, for one
// test, /reports on the site's own server (application/json). Every other
// host is unresolvable, so the demo's trackers go nowhere once released.
//
// Retries wait 30 s, doubling up to a day, between page loads. Rather than
// wait, a test moves the page's clock past the longest backoff (playwright's
// context.clock.setSystemTime: the clock then runs on from there).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup } from "./lib/harness.mjs";
import { startReceiver } from "./lib/receiver.mjs";
import { defaultTable } from "./lib/trackers.mjs";
import { bannerShown, button, consentRecorded } from "./lib/consent-ui.mjs";
import { DEFAULT, gpcOn, gtagCalls } from "./lib/integrations.mjs";

const QUEUE_KEY = "consent_guard_reports";
const DAY_AND_A_MINUTE = 86_400_000 + 60_000;

let h;
let receiver;
/** reportUrl of the table /cookies.json serves, per site host. */
const reportUrls = new Map();

before(async () => {
  receiver = await startReceiver();
  h = await setup({
    browser: { args: ["--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE 127.0.0.1, MAP * ~NOTFOUND"] },
    server: {
      async handler(req, res) {
        const host = (req.headers.host ?? "").replace(/:\d+$/, "");
        const path = new URL(req.url, "http://x").pathname;
        if (path === "/reports") {
          receiver.handle(req, res);
          return true;
        }
        if (path !== "/cookies.json") return false;
        const table = { ...defaultTable(), reportUrl: reportUrls.get(host) ?? receiver.url };
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
        res.end(JSON.stringify(table));
        return true;
      },
    },
  });
});
after(async () => {
  await h?.close();
  await receiver?.close();
});

/** A new visitor (fresh context) on its own site host. */
async function visitor(site) {
  const { context, page, errors } = await h.newPage();
  return {
    context,
    page,
    errors,
    url: (path = "/") => h.url(path, site),
    async close() {
      await context.close().catch(() => {});
    },
  };
}

/** Consent-record ids the receiver stored for `site`, sorted. */
function storedRecords(site) {
  return [...receiver.stored.values()]
    .filter((b) => b.type === "consent-record" && b.site === site)
    .map((b) => b.record.id)
    .sort();
}

/** The report ids waiting in the page's queue, sorted. */
async function queued(page) {
  const text = await page.evaluate((key) => localStorage.getItem(key), QUEUE_KEY);
  return (text ? JSON.parse(text) : []).map((r) => r.id).sort();
}

/** Waits until the page's queue is empty (every report confirmed by a 2xx). */
async function queueDrained(page, timeout = 10000) {
  await page.waitForFunction((key) => {
    const text = localStorage.getItem(key);
    return text === null || JSON.parse(text).length === 0;
  }, QUEUE_KEY, { timeout });
}

/** Makes a decision through the API and returns its record's id (read in the same task). */
function decide(page, method, ...args) {
  return page.evaluate(([m, a]) => {
    window.consentGuard[m](...a);
    return window.consentGuard.consent().id;
  }, [method, args]);
}

/** Every body that reached the receiver matched the schema. */
function assertValidBodies() {
  assert.deepEqual(receiver.invalid, [], "bodies that do not match schema/report.schema.json");
}

const sorted = (list) => [...list].sort();

test("reporting: endpoint down over several choices and pages; restored, every record is stored exactly once", async () => {
  const site = "down.site.test";
  const v = await visitor(site);
  try {
    receiver.mode = "fail";
    const made = [];
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    await button(v.page, "Reject all").click();
    made.push((await consentRecorded(v.page)).id);

    await v.page.reload();
    await consentRecorded(v.page);
    made.push(await decide(v.page, "accept", ["analytics"]));

    await v.page.goto(v.url("/privacy.html"));
    await consentRecorded(v.page);
    made.push(await decide(v.page, "acceptAll"));
    made.push(await decide(v.page, "accept", ["analytics"])); // a withdrawal

    // Each was sent and refused; none is stored; all wait in the queue.
    await receiver.waitFor(() => made.every((id) => receiver.received(id) > 0));
    assert.deepEqual(storedRecords(site), []);
    assert.deepEqual(await queued(v.page), sorted(made));
    assert.ok(receiver.requests.filter((r) => made.includes(r.id)).every((r) => r.status === 500));

    // Restored; the next page load (after the backoff) delivers.
    receiver.mode = "ok";
    await v.context.clock.setSystemTime(Date.now() + DAY_AND_A_MINUTE);
    await v.page.reload();
    await consentRecorded(v.page);
    await receiver.waitFor(() => made.every((id) => receiver.has(id)));
    await queueDrained(v.page);
    assert.deepEqual(storedRecords(site), sorted(made), "stored records differ from the records made");
    const extra = receiver.repeats.filter((id) => !made.includes(id) && storedRecords(site).includes(id));
    assert.deepEqual(extra, []);

    // Confirmed reports are not sent again.
    const before = receiver.requests.length;
    await v.page.reload();
    await consentRecorded(v.page);
    assert.deepEqual(await queued(v.page), []);
    const resent = receiver.requests.slice(before).filter((r) => made.includes(r.id));
    assert.deepEqual(resent.map((r) => r.id), [], "confirmed records sent again");

    // Another origin: text/plain (a CORS-simple request; the JSON body validated).
    const types = receiver.requests.filter((r) => made.includes(r.id)).map((r) => r.contentType);
    assert.deepEqual(types.filter((t) => !/^text\/plain(;|$)/i.test(t)), []);
    assertValidBodies();
    // The demo's trackers, released by the choices, go nowhere (unresolvable).
    assert.deepEqual(v.errors.filter((e) => !/\/reports|status of 500|ERR_NAME_NOT_RESOLVED/.test(e)), []);
  } finally {
    receiver.mode = "ok";
    await v.close();
  }
});

test("reporting: the endpoint drops the connection; the record is delivered on a later page", async () => {
  const site = "drop.site.test";
  const v = await visitor(site);
  try {
    receiver.mode = "drop";
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    const id = await decide(v.page, "acceptAll");
    await receiver.waitFor(() => receiver.received(id) > 0);
    // The page saw the failure: still queued, now waiting out its backoff.
    await v.page.waitForFunction(
      ([key, id]) => JSON.parse(localStorage.getItem(key) || "[]").some((r) => r.id === id && r.attempts > 0),
      [QUEUE_KEY, id],
      { timeout: 8000 },
    );
    receiver.mode = "ok";
    await v.context.clock.setSystemTime(Date.now() + DAY_AND_A_MINUTE);
    await v.page.reload();
    await receiver.waitFor(() => receiver.has(id));
    await queueDrained(v.page);
    assert.deepEqual(storedRecords(site), [id]);
    assertValidBodies();
  } finally {
    receiver.mode = "ok";
    await v.close();
  }
});

test("reporting: a page closed while its report hangs; the beacon or the next page delivers it", async () => {
  const site = "hang.site.test";
  const v = await visitor(site);
  try {
    receiver.mode = "hang";
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    const id = await decide(v.page, "acceptAll");
    await receiver.waitFor(() => receiver.received(id) > 0);
    await v.page.close();
    // The hanging requests (the keepalive fetch, the page-hide beacon) are
    // cut off unanswered; a beacon that arrives from now on is stored.
    receiver.mode = "ok";

    const next = await v.context.newPage();
    await next.goto(v.url("/privacy.html"));
    await consentRecorded(next);
    await receiver.waitFor(() => receiver.has(id));
    await queueDrained(next);
    assert.deepEqual(storedRecords(site), [id]);
    assertValidBodies();
  } finally {
    receiver.mode = "ok";
    await v.close();
  }
});

test("reporting: a record whose send failed goes out as a beacon when the visitor navigates away", async () => {
  const site = "beacon.site.test";
  const v = await visitor(site);
  try {
    receiver.mode = "fail";
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    const id = await decide(v.page, "rejectAll");
    await receiver.waitFor(() => receiver.received(id) > 0);
    await v.page.waitForFunction(
      ([key, id]) => JSON.parse(localStorage.getItem(key) || "[]").some((r) => r.id === id && r.attempts > 0),
      [QUEUE_KEY, id],
      { timeout: 8000 },
    );
    // Restored; the page's own retry is 30 s away; the visitor leaves.
    receiver.mode = "ok";
    await v.page.goto("about:blank");
    await receiver.waitFor(() => receiver.has(id));
    const delivery = receiver.requests.find((r) => r.id === id && r.status === 204);
    assert.equal(delivery.fetchMode, "no-cors", "not delivered by navigator.sendBeacon");

    // A beacon's answer is unknown to the page: the next load (after the
    // backoff) sends it again, the receiver keeps one copy, the queue empties.
    await v.context.clock.setSystemTime(Date.now() + DAY_AND_A_MINUTE);
    await v.page.goto(v.url("/privacy.html"));
    await queueDrained(v.page);
    assert.deepEqual(storedRecords(site), [id]);
    assertValidBodies();
  } finally {
    receiver.mode = "ok";
    await v.close();
  }
});

test("reporting: two tabs deciding and sending at once lose nothing, and each record is stored once", async () => {
  const site = "tabs.site.test";
  const v = await visitor(site);
  try {
    const a = v.page;
    const b = await v.context.newPage();
    await Promise.all([a.goto(v.url("/")), b.goto(v.url("/privacy.html"))]);
    await Promise.all([bannerShown(a), bannerShown(b)]);

    // Both decide at the same moment with the endpoint up.
    const first = await Promise.all([decide(a, "acceptAll"), decide(b, "rejectAll")]);
    await receiver.waitFor(() => first.every((id) => receiver.has(id)));

    // Both decide at once with the endpoint down, then reload at once.
    receiver.mode = "fail";
    const second = await Promise.all([decide(a, "accept", ["analytics"]), decide(b, "acceptAll")]);
    await receiver.waitFor(() => second.every((id) => receiver.received(id) > 0));
    receiver.mode = "ok";
    await v.context.clock.setSystemTime(Date.now() + DAY_AND_A_MINUTE);
    await Promise.all([a.reload(), b.reload()]);
    await receiver.waitFor(() => second.every((id) => receiver.has(id)));
    assert.deepEqual(storedRecords(site), sorted([...first, ...second]));
    // Two tabs confirming at once may leave a delivered report queued (sent
    // again, stored once); one page on its own empties the queue.
    await b.close();
    await a.reload();
    await queueDrained(a);
    assert.deepEqual(storedRecords(site), sorted([...first, ...second]));
    assertValidBodies();
  } finally {
    receiver.mode = "ok";
    await v.close();
  }
});

test("reporting: undeclared cookies are reported too; the queue keeps every record when it drops old cookie reports", async () => {
  const site = "cookies.site.test";
  const v = await visitor(site);
  try {
    // One found in the jar at start-up, one written by the page.
    await v.context.addCookies([{ name: "leftover_id", value: "1", url: v.url("/") }]);
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    await v.page.evaluate(() => {
      document.cookie = "site_theme=dark; path=/";
    });
    const reported = () => [...receiver.stored.values()].filter((b) => b.type === "undeclared-cookie" && b.site === site);
    await receiver.waitFor(() => ["leftover_id", "site_theme"].every((n) => reported().some((b) => b.name === n)));
    for (const body of reported()) assert.match(body.page, new RegExp(`^http://${site.replace(/\./g, "\\.")}:\\d+/$`));

    // Endpoint down: 25 more undeclared cookies and a choice. The queue
    // keeps 20 cookie reports (the newest) and the record.
    receiver.mode = "fail";
    await v.page.evaluate(() => {
      for (let i = 0; i < 25; i++) document.cookie = `unlisted_${String(i).padStart(2, "0")}=1; path=/`;
    });
    const id = await decide(v.page, "rejectAll");
    await receiver.waitFor(() => receiver.received(id) > 0);
    const queue = await v.page.evaluate((key) => JSON.parse(localStorage.getItem(key)), QUEUE_KEY);
    const kinds = queue.map((r) => r.kind);
    assert.equal(kinds.filter((k) => k === "undeclared-cookie").length, 20);
    assert.deepEqual(queue.filter((r) => r.kind === "consent-record").map((r) => r.id), [id]);
    const names = queue.filter((r) => r.kind === "undeclared-cookie").map((r) => JSON.parse(r.body).name);
    assert.ok(names.includes("unlisted_24") && !names.includes("unlisted_00"), `not the newest kept: ${names}`);

    receiver.mode = "ok";
    await v.context.clock.setSystemTime(Date.now() + DAY_AND_A_MINUTE);
    await v.page.reload();
    await receiver.waitFor(() => receiver.has(id));
    assert.deepEqual(storedRecords(site), [id]);
    assertValidBodies();
  } finally {
    receiver.mode = "ok";
    await v.close();
  }
});

test("reporting: a same-origin endpoint receives application/json", async () => {
  const site = "same.site.test";
  reportUrls.set(site, "/reports");
  const v = await visitor(site);
  try {
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    const id = await decide(v.page, "acceptAll");
    await receiver.waitFor(() => receiver.has(id));
    const delivery = receiver.requests.find((r) => r.id === id && r.status === 204);
    assert.match(delivery.contentType, /^application\/json/);
    await queueDrained(v.page);
    assertValidBodies();
  } finally {
    await v.close();
  }
});

test("reporting: the record Global Privacy Control makes reaches the receiver (action gpc, gpc true)", async () => {
  const site = "gpc.site.test";
  const v = await visitor(site);
  try {
    await gpcOn(v.context);
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    const record = await consentRecorded(v.page);
    await receiver.waitFor(() => receiver.has(record.id));
    const stored = receiver.stored.get(record.id);
    assert.equal(stored.record.action, "gpc");
    assert.equal(stored.record.gpc, true);
    assert.equal(stored.record.categories.advertising, false);
    assert.deepEqual(stored.record, record);
    assertValidBodies();
  } finally {
    await v.close();
  }
});

test("reporting: a choice that ran out is reported as an `expired` record, which grants nothing", async () => {
  const site = "expired.site.test";
  const v = await visitor(site);
  try {
    await v.page.goto(v.url("/"));
    await bannerShown(v.page);
    const id = await decide(v.page, "acceptAll");
    await receiver.waitFor(() => receiver.has(id));

    // 183 days later (the table keeps a choice 182 days).
    await v.context.clock.setSystemTime(Date.now() + 183 * 86_400_000);
    await v.page.reload();
    await bannerShown(v.page);
    const expired = () => [...receiver.stored.values()].filter((b) => b.site === site && b.record?.action === "expired");
    await receiver.waitFor(() => expired().length === 1);
    assert.deepEqual(expired()[0].record.categories, { "strictly-necessary": true, analytics: false, advertising: false });
    assert.equal(await v.page.evaluate(() => window.consentGuard.consent()), null);
    // No Consent Mode update for a choice that no longer holds.
    assert.deepEqual(await gtagCalls(v.page, assert), [DEFAULT]);
    assertValidBodies();
  } finally {
    await v.close();
  }
});
