// Boot (ARCHITECTURE.md "Boot order"): table lookup precedence and failures,
// fail-closed mode, the second-copy guard, and window.consentGuard.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupShell, TABLE } from "./lib.mjs";

describe("boot", () => {
  let s;
  before(async () => {
    s = await setupShell();
  });
  after(async () => {
    await s?.close();
  });

  const tableCalls = (page) => page.evaluate(() => __stub.calls.filter((c) => c[0] === "load_table" || c[0] === "table_failed"));
  const order = (page) => page.evaluate(() => __stub.calls.map((c) => c[0]).filter((n) => !/^decide_|^check_jar|^placeholder|^service_info/.test(n)));

  test("boot order: initSync, boot, table, then dom_ready", async () => {
    const { page, errors } = await s.open("basic.html");
    assert.deepEqual(await order(page), ["initSync", "boot", "load_table", "dom_ready"]);
    assert.deepEqual(errors, []);
  });

  test("data-config is fetched with the native fetch, same-origin credentials, and beats an inline table", async () => {
    const context = await s.newContext();
    await context.addCookies([{ name: "sid", value: "c00kie", url: s.url("/", "site.test") }]);
    const { page, errors } = await s.newPage(context);
    // Patching fetch before the embed must not matter: the shell saved the native one.
    await page.goto(s.url("/shell/cfg-data.html", "site.test"));
    await page.waitForFunction(() => __stub.calls.some((c) => c[0] === "load_table"));
    const calls = await tableCalls(page);
    assert.equal(calls.length, 1);
    assert.equal(JSON.parse(calls[0][1]).which, "data-config");
    assert.equal(calls[0][2], s.url("/shell/table.json?delay=1500", "site.test"));
    const req = s.firstParty.find((r) => r.path === "/shell/table.json");
    assert.equal(req.cookie, "sid=c00kie");
    assert.deepEqual(errors, []);
  });

  test("while data-config loads, fetch to a cross-origin host waits for the table, then is decided", async () => {
    const { page } = await s.open("cfg-data.html", { wait: "commit" });
    await page.waitForFunction(() => window.consentGuard);
    const got = await page.evaluate(async ([held, ok]) => {
      const r = (p) => p.then((x) => "resolved " + x.type, (e) => "rejected " + e.constructor.name);
      const a = r(fetch(held, { mode: "no-cors" }));
      const b = r(fetch(ok, { mode: "no-cors" }));
      const pending = __stub.calls.some((c) => c[0] === "load_table") ? "table already there" : "pending";
      return [pending, await a, await b];
    }, [s.t("T", "/pending/held.txt"), s.t("C", "/pending/ok.txt")]);
    assert.deepEqual(got, ["pending", "rejected TypeError", "resolved opaque"]);
    assert.ok(!s.requested("tracker.test/pending/held.txt"));
  });

  for (const [page, pattern] of [
    ["cfg-404.html", /cannot load the cookie table http:\/\/site\.test:\d+\/shell\/missing\.json: HTTP 404/],
    ["cfg-network.html", /cannot load the cookie table http:\/\/127\.0\.0\.1:9\/table\.json: Failed to fetch/],
  ]) {
    test(`data-config failure goes to table_failed: ${page}`, async () => {
      const { page: p } = await s.open(page);
      await p.waitForFunction(() => __stub.failed !== null);
      const calls = await tableCalls(p);
      assert.equal(calls.length, 1);
      assert.equal(calls[0][0], "table_failed");
      assert.match(calls[0][1], pattern);
      assert.equal(await p.evaluate(() => window.__markupRan), undefined, "markup stays held");
    });
  }

  test("data-config that is not JSON goes to the engine, whose parser says where (and which stays fail-closed)", async () => {
    const { page } = await s.open("cfg-notjson.html");
    await page.waitForFunction(() => __stub.calls.some((c) => c[0] === "load_table"));
    const calls = await tableCalls(page);
    assert.equal(calls.length, 1);
    assert.match(calls[0][1], /^<!doctype html>/);
    assert.match(calls[0][2], /\/shell\/basic\.html$/);
    assert.equal(await page.evaluate(() => window.__markupRan), undefined, "markup stays held");
  });

  test("a bundled CONFIG is used when there is no data-config or inline table, before the next script", async () => {
    const { page } = await s.open("cfg-bundled.html");
    const calls = await tableCalls(page);
    assert.deepEqual(calls, [["load_table", JSON.stringify(TABLE), "the table bundled in the script"]]);
    assert.equal(await page.evaluate(() => window.__tableCallsAtNextScript), 1);
  });

  test("an inline table already in the document beats the bundled CONFIG", async () => {
    const { page } = await s.open("cfg-bundled-inline.html");
    const calls = await tableCalls(page);
    assert.equal(calls.length, 1);
    assert.equal(JSON.parse(calls[0][1]).which, "inline");
  });

  test("an inline table appearing after the embed is loaded before the next script runs", async () => {
    const { page } = await s.open("cfg-late.html");
    assert.equal(await page.evaluate(() => window.__tableCallsAtNextScript), 1);
    const calls = await tableCalls(page);
    assert.equal(calls[0][0], "load_table");
    assert.equal(JSON.parse(calls[0][1]).services.length, 2);
  });

  test("no table by DOMContentLoaded: table_failed, before dom_ready", async () => {
    const { page } = await s.open("cfg-none.html");
    assert.equal(await page.evaluate(() => window.__tableCallsAtNextScript), 0);
    const calls = await tableCalls(page);
    assert.equal(calls[0][0], "table_failed");
    assert.match(calls[0][1], /no cookie table/);
    assert.deepEqual((await order(page)).slice(-2), ["table_failed", "dom_ready"]);
  });

  test("a second copy warns and does nothing (not even compile)", async () => {
    const { page, warnings } = await s.open("twice.html");
    assert.ok(warnings.some((w) => /consent-guard: loaded twice/.test(w)), warnings.join("\n"));
    // window.__stub is the second copy's stub: it was never initialised.
    assert.deepEqual(await page.evaluate(() => __stub.calls), []);
    assert.equal(await page.evaluate(() => consentGuard.version), "0.0.0-stub");
  });

  for (const [name, pageName, init] of [
    ["initSync throws", "failclosed.html", "window.__stubInitThrows = true"],
    ["a CSP without 'wasm-unsafe-eval'", "csp.html", undefined],
  ]) {
    test(`fail-closed mode when ${name}`, async () => {
      const { page, consoleErrors } = await s.open(pageName, { host: "127.0.0.1", init });
      assert.ok(consoleErrors.some((e) => e.includes("consent-guard: the engine did not start") && e.includes("'wasm-unsafe-eval'")), consoleErrors.join("\n"));
      const got = await page.evaluate(async ([cross, same]) => {
        const s1 = document.createElement("script");
        s1.src = cross + ".js";
        document.head.append(s1);
        const i = new Image();
        i.src = cross + ".gif";
        const f = await fetch(same).then((r) => r.status, (e) => e.name);
        const x = await fetch(cross + ".txt", { mode: "no-cors" }).then(() => "resolved", (e) => e.name);
        document.cookie = "sid=1";
        document.cookie = "consent_guard=1";
        return { f, x, cookie: document.cookie, consent: consentGuard.consent(), markup: window.__markupRan, calls: __stub.calls.map((c) => c[0]) };
      }, [s.t("C", `/fail/${pageName}`), "/shell/table.json"]);
      await s.settle(page);
      assert.deepEqual(got, { f: 200, x: "TypeError", cookie: "consent_guard=1", consent: null, markup: undefined, calls: ["initSync"] });
      assert.ok(!s.requested(`/fail/${pageName}`), "cross-origin requests held, even to hosts no table names");
    });
  }

  test("an engine trap in decide_url holds", async () => {
    const { page } = await s.open("basic.html");
    await page.evaluate((u) => {
      __stub.throwIn = "decide_url";
      const x = document.createElement("script");
      x.src = u;
      document.head.append(x);
    }, s.t("C", "/trap/x.js"));
    await s.settle(page);
    assert.ok(!s.requested("/trap/x.js"));
  });
});

describe("window.consentGuard", () => {
  let s;
  let page;
  let consoleErrors;
  before(async () => {
    s = await setupShell();
    ({ page, consoleErrors } = await s.open("basic.html"));
  });
  after(async () => {
    await s?.close();
  });

  test("is a frozen, non-writable, non-configurable property with the documented methods", async () => {
    const got = await page.evaluate(() => {
      const d = Object.getOwnPropertyDescriptor(window, "consentGuard");
      const before = window.consentGuard;
      try {
        window.consentGuard = {};
      } catch (e) { /* strict callers get a TypeError */ }
      return {
        writable: d.writable,
        configurable: d.configurable,
        frozen: Object.isFrozen(d.value),
        same: window.consentGuard === before,
        keys: Object.keys(d.value).sort(),
        version: consentGuard.version,
      };
    });
    assert.deepEqual(got, {
      writable: false,
      configurable: false,
      frozen: true,
      same: true,
      keys: ["accept", "acceptAll", "consent", "on", "refresh", "rejectAll", "show", "showPreferences", "version"],
      version: "0.0.0-stub",
    });
  });

  test("show, showPreferences, acceptAll, rejectAll, accept and consent reach the engine", async () => {
    const got = await page.evaluate(() => {
      const before = consentGuard.consent();
      consentGuard.show();
      consentGuard.showPreferences();
      const unknown = consentGuard.accept(["nope"]);
      const ok = consentGuard.accept(["analytics"]);
      const rec = consentGuard.consent();
      consentGuard.acceptAll();
      consentGuard.rejectAll();
      consentGuard.refresh();
      return { before, unknown, ok, rec, calls: __stub.calls.map((c) => c[0]).filter((n) => n.startsWith("api_")) };
    });
    assert.deepEqual(got, {
      before: null,
      unknown: false,
      ok: true,
      rec: { categories: { "strictly-necessary": false, analytics: true, advertising: false } },
      calls: ["api_consent", "api_show", "api_show_preferences", "api_accept", "api_accept", "api_consent", "api_accept_all", "api_reject_all", "api_refresh"],
    });
  });

  test("on(): callbacks get the parsed detail, a throwing one does not stop the others, unsubscribe works, the DOM event fires", async () => {
    const got = await page.evaluate(() => {
      const seen = [];
      const offBad = consentGuard.on("change", () => {
        throw new Error("bad callback");
      });
      const off = consentGuard.on("change", (d) => seen.push(["cb", d.categories.analytics]));
      document.addEventListener("consent-guard:change", (e) => seen.push(["event", e.detail.categories.analytics]));
      consentGuard.accept(["analytics"]);
      off();
      off();
      offBad();
      consentGuard.rejectAll();
      let badType = null;
      try {
        consentGuard.on("nope", () => {});
      } catch (e) {
        badType = e.constructor.name;
      }
      return { seen, badType };
    });
    assert.deepEqual(got, { seen: [["cb", true], ["event", true], ["event", false]], badType: "TypeError" });
    assert.ok(consoleErrors.some((e) => e.includes('a "change" callback threw')), consoleErrors.join("\n"));
  });
});
