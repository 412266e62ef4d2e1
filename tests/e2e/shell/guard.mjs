// Guard (issue 4 item 5) and watch (item 7): document.cookie in every
// same-origin realm and cookieStore.set, against the stub engine's table
// (sid strictly necessary, _ga analytics, IDE advertising).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupShell, realErrors } from "./lib.mjs";

describe("guard: cookies", () => {
  let s;
  before(async () => {
    s = await setupShell();
  });
  after(async () => {
    await s?.close();
  });

  // 127.0.0.1 is a secure context: cookieStore exists there.
  const open = (opts) => s.open("basic.html", { host: "127.0.0.1", ...opts });
  const jar = (page) => page.evaluate(() => __stub.shell.readCookies());

  test("document.cookie: refused categories dropped silently, granted and necessary ones pass", async () => {
    const { page, errors } = await open();
    const thrown = await page.evaluate(() => {
      try {
        document.cookie = "_ga=1; path=/";
        document.cookie = "IDE=1";
        document.cookie = "sid=1";
        return null;
      } catch (e) {
        return String(e);
      }
    });
    assert.equal(thrown, null);
    assert.equal(await page.evaluate(() => document.cookie), "sid=1");
    await page.evaluate(() => consentGuard.accept(["analytics"]));
    await page.evaluate(() => {
      document.cookie = "_ga=2";
      document.cookie = "IDE=2";
    });
    assert.equal(await page.evaluate(() => document.cookie), "sid=1; _ga=2");
    assert.deepEqual(realErrors(errors), []);
  });

  test("the native setter taken from Document.prototype is guarded too", async () => {
    const { page } = await open();
    await page.evaluate(() => {
      Object.getOwnPropertyDescriptor(Document.prototype, "cookie").set.call(document, "_ga=3");
      Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Object.getPrototypeOf(document)), "cookie").set.call(document, "IDE=3");
      delete document.cookie; // an own property on the instance does not exist to delete
      document.cookie = "_ga=4";
    });
    assert.equal(await jar(page), "");
  });

  test("same-origin iframe realms are guarded (about:blank and srcdoc)", async () => {
    const { page } = await open();
    await page.evaluate(async () => {
      const a = document.body.appendChild(document.createElement("iframe"));
      a.contentDocument.cookie = "_ga=5";
      Object.getOwnPropertyDescriptor(a.contentWindow.Document.prototype, "cookie").set.call(a.contentDocument, "IDE=5");
      const b = document.createElement("iframe");
      b.srcdoc = "<script>document.cookie = 'IDE=6'; document.cookie = 'sid=6'</scr" + "ipt>";
      document.body.append(b);
      await new Promise((ok) => b.addEventListener("load", ok));
      b.contentDocument.cookie = "_ga=7";
    });
    // Chromium keeps the initial about:blank realm (hooked on insertion) for
    // the srcdoc document, so even its parser-time write is guarded.
    assert.equal(await jar(page), "sid=6");
  });

  test("cookieStore.set (name/value and options forms) resolves and drops refused cookies", async () => {
    const { page } = await open();
    const got = await page.evaluate(async () => {
      const a = await cookieStore.set("_ga", "8");
      const b = await cookieStore.set({ name: "IDE", value: "8", path: "/" });
      await cookieStore.set("sid", "8");
      return [a, b, (await cookieStore.getAll()).map((c) => c.name)];
    });
    assert.deepEqual(got, [undefined, undefined, ["sid"]]);
  });

  test("a burst of cookie writes makes one jar check once the writes stop, not one per cookieStore event", async () => {
    const { page } = await open();
    const checks = () => page.evaluate(() => __stub.count("check_jar"));
    // Wait for the boot's own checks (DOMContentLoaded, load) to be over.
    await page.waitForTimeout(300);
    const before = await checks();
    await page.evaluate(() => {
      for (let i = 0; i < 500; i++) document.cookie = "sid=" + i;
    });
    // Each write is one cookieStore change event; the check follows the last.
    await page.waitForFunction((n) => __stub.count("check_jar") > n, before, { timeout: 5000 });
    await page.waitForTimeout(500);
    const after = await checks();
    assert.ok(after - before >= 1 && after - before <= 3, `checks after 500 writes: ${after - before}`);
  });

  test("undeclared cookies pass and are reported through the engine; the engine's own writes bypass the guard", async () => {
    const { page } = await open();
    const got = await page.evaluate(() => {
      const seen = [];
      consentGuard.on("undeclared", (d) => seen.push(d.name));
      document.cookie = "mystery=1";
      __stub.shell.writeCookie("_ga=engine");
      return [seen, document.cookie, __stub.shell.readCookies()];
    });
    assert.deepEqual(got, [["mystery"], "mystery=1; _ga=engine", "mystery=1; _ga=engine"]);
  });

  test("an engine trap in decide_cookie drops the write", async () => {
    const { page } = await open();
    await page.evaluate(() => {
      __stub.throwIn = "decide_cookie";
      document.cookie = "sid=9";
    });
    assert.equal(await jar(page), "");
  });

  test("watch: check_jar on cookieStore change and on visibilitychange", async () => {
    const { page } = await open();
    const before = await page.evaluate(() => __stub.checks);
    await page.evaluate(() => {
      document.cookie = "sid=10";
    });
    // The check follows the change event once writes have been quiet for 100 ms.
    await page
      .waitForFunction((n) => __stub.checks > n, before, { timeout: 3000 })
      .catch(() => {});
    const afterChange = await page.evaluate(() => __stub.checks);
    assert.ok(afterChange > before, `cookieStore change: ${before} -> ${afterChange}`);
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    assert.equal(await page.evaluate(() => __stub.checks), afterChange + 1);
  });
});
