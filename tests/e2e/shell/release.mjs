// Release (issue 4 item 3), held markup (item 2), placeholders (item 4) and
// parser-inserted trackers, against the stub engine.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupShell, realErrors } from "./lib.mjs";

describe("release", () => {
  let s;
  before(async () => {
    s = await setupShell();
  });
  after(async () => {
    await s?.close();
  });

  test("marked-up elements are inert until their category is granted, then released in document order, once", async () => {
    const { page, errors } = await s.open("markup.html");
    await s.settle(page);
    assert.ok(!s.log.some((l) => l.includes("/m/")), `nothing of the markup requested: ${s.log}`);
    assert.equal(await page.evaluate(() => document.querySelector(".cg-ph") !== null && !document.getElementById("frm")), true);

    await page.evaluate(() => consentGuard.accept(["analytics"]));
    await page.waitForFunction(() => (window.__ran || []).length >= 3);
    // Granting again and refreshing again must not run anything twice.
    await page.evaluate(() => {
      __stub.shell.refresh();
      __stub.shell.refresh();
      consentGuard.accept(["analytics"]);
    });
    await s.settle(page, 500);
    assert.deepEqual(await page.evaluate(() => window.__ran), ["/m/one.js", "inline-two", "/m/three.js"]);
    const got = await page.evaluate(() => ({
      img: document.getElementById("img").getAttribute("src"),
      type: [...document.scripts].find((x) => x.src.includes("three.js")).type,
      ads: window.__ads,
      frameHeld: !document.getElementById("frm"),
    }));
    assert.equal(got.img, s.t("C", "/m/img.gif"));
    assert.equal(got.type, "module", "data-type becomes the released script's type");
    assert.equal(got.ads, undefined, "advertising markup still held");
    assert.equal(got.frameHeld, true, "advertising iframe still behind its placeholder");
    assert.ok(s.requested("cdn.test/m/img.gif"));
    assert.ok(!s.requested("cdn.test/m/frame.html"));

    // Advertising: the iframe replaces its placeholder, the inline script runs.
    await page.evaluate(() => consentGuard.acceptAll());
    await page.waitForFunction(() => document.getElementById("frm")?.isConnected);
    assert.deepEqual(await page.evaluate(() => [window.__ads, document.querySelector(".cg-ph")]), [1, null]);
    await s.settle(page);
    assert.ok(s.requested("cdn.test/m/frame.html"));

    // Withdrawal puts the released iframe back behind a placeholder.
    await page.evaluate(() => consentGuard.rejectAll());
    assert.deepEqual(
      await page.evaluate(() => [document.getElementById("frm"), document.querySelectorAll(".cg-ph").length, window.__ads]),
      [null, 1, 1],
    );
    // ... and granting again brings it back (scripts never run twice).
    await page.evaluate(() => consentGuard.acceptAll());
    assert.deepEqual(await page.evaluate(() => [!!document.getElementById("frm"), window.__ads, window.__ran.length]), [true, 1, 3]);
    assert.deepEqual(realErrors(errors), []);
  });

  test("a returning visitor's granted markup runs during the parse, in order", async () => {
    const { page } = await s.open("markup.html", { granted: ["analytics", "advertising"] });
    await page.waitForFunction(() => (window.__ran || []).length >= 3);
    await s.settle(page);
    assert.deepEqual(await page.evaluate(() => [window.__ran, window.__ads, !!document.getElementById("frm")?.isConnected]), [
      ["/m/one.js", "inline-two", "/m/three.js"],
      1,
      true,
    ]);
  });

  test("held scripts run in document order once, with every attribute and the CSP nonce", async () => {
    const { page, errors } = await s.open("order.html");
    await s.settle(page, 500);
    assert.equal(await page.evaluate(() => window.__log), undefined, "nothing ran before consent");
    await page.evaluate(() => {
      consentGuard.accept(["analytics"]);
      __stub.shell.refresh();
    });
    await page.waitForFunction(() => (window.__log || []).length >= 3);
    await page.evaluate(() => __stub.shell.refresh());
    await s.settle(page, 600);
    // 1 is slow (400 ms) and 3 fast: 3 must still wait for 1; 3 reads its
    // data-x attribute; everything ran under a nonce-only CSP.
    assert.deepEqual(await page.evaluate(() => window.__log), [1, 2, "3"]);
    const nonces = await page.evaluate(() => [...document.scripts].filter((x) => x.src.includes("/o/")).map((x) => x.nonce));
    assert.deepEqual(nonces, ["n0nce", "n0nce"]);
    assert.ok(await page.evaluate(() => __stub.checks > 0), "check_jar after released scripts loaded");
    assert.deepEqual(realErrors(errors), []);
  });

  test("hard-coded tracker tags do not run, and the warning names the markup that would hold them", async () => {
    const { page, warnings } = await s.open("hard.html");
    await s.settle(page);
    const got = await page.evaluate(() => ({
      after: window.__afterHard,
      img: document.getElementById("himg").getAttribute("src"),
      frame: !!document.getElementById("hframe")?.isConnected,
      ph: document.querySelector(".cg-ph")?.style.width,
    }));
    assert.deepEqual(got, { after: ["/h/cdn.js"], img: null, frame: false, ph: "320px" });
    const w = warnings.find((x) => x.includes("/h/hard.js"));
    assert.ok(w, `a warning names hard.js: ${warnings.join("\n")}`);
    assert.ok(w.includes(`<script type="text/plain" data-category="analytics" data-service="ga" src="${s.t("T", "/h/hard.js")}">`), w);
    assert.ok(warnings.some((x) => x.includes(`<iframe data-category="advertising" data-service="yt" data-src="${s.t("V", "/h/hard.html")}">`)), warnings.join("\n"));
    await page.evaluate(() => consentGuard.accept(["analytics"]));
    await page.waitForFunction(() => (window.__ran || []).includes("/h/hard.js"));
    assert.deepEqual(await page.evaluate(() => window.__ran), ["/h/cdn.js", "/h/hard.js"]);
  });

  test("hard-coded tags held while data-config loads are named once the table says whose they are", async () => {
    const { page, warnings } = await s.open("hard-pending.html");
    await page.waitForFunction(() => __stub.calls.some((c) => c[0] === "load_table"));
    await page.waitForFunction(() => (window.__ran || []).includes("/hp/cdn.js"));
    await s.settle(page);
    assert.equal(warnings.filter((w) => w.includes("held until the cookie table (data-config) has loaded")).length, 1, warnings.join("\n"));
    assert.ok(warnings.some((w) => w.includes(`data-service="ga" src="${s.t("T", "/hp/hard.js")}"`)), warnings.join("\n"));
    assert.ok(warnings.some((w) => w.includes(`data-service="yt" data-src="${s.t("V", "/hp/hard.gif")}"`)), warnings.join("\n"));
    assert.ok(!warnings.some((w) => w.includes("/hp/cdn.js")), "an allowed host is released, not reported");
    assert.deepEqual(await page.evaluate(() => window.__ran), ["/hp/cdn.js"]);
  });

  test("document.write: held tags are written inert; a released script's write lands after it", async () => {
    const { page, errors, warnings } = await s.open("write.html");
    await s.settle(page);
    assert.ok(s.requested("cdn.test/w/cdn.js"), "the allowed written script loaded");
    assert.ok(!s.requested("tracker.test/w/written"), "the held written script and image were never requested");
    assert.ok(!warnings.some((w) => w.includes("/w/written")), "written tags are not reported as hard-coded");
    assert.deepEqual(await page.evaluate(() => window.__ran), ["/w/cdn.js"]);

    await page.evaluate(() => consentGuard.accept(["analytics"]));
    await page.waitForFunction(() => (window.__ran || []).includes("/w/nested.js"));
    await s.settle(page);
    const got = await page.evaluate(() => ({
      marker: !!document.getElementById("marker"),
      ran: window.__ran,
      byReleased: document.getElementById("by-released")?.previousElementSibling?.src,
      inline: document.getElementById("inline-written")?.previousElementSibling?.localName,
      img: document.getElementById("wimg").src,
    }));
    assert.equal(got.marker, true, "the page was not replaced");
    assert.deepEqual(got.ran, ["/w/cdn.js", "/w/written.js", "/w/nested.js"]);
    assert.match(got.byReleased, /\/w\/writer\.js/, "written right after the script that wrote it");
    assert.equal(got.inline, "script");
    assert.equal(got.img, s.t("T", "/w/written.gif"));
    assert.ok(!s.requested("video.test/w/nested-held.js"), "what a released script writes is held too");
    assert.deepEqual(realErrors(errors), []);
  });

  test("under Trusted Types: nothing breaks, held items stay held, releases go through the consent-guard policy", async () => {
    const { page, errors } = await s.open("tt.html");
    const got = await page.evaluate(([held, ok]) => {
      const box = document.getElementById("box");
      box.innerHTML = app.createHTML(`<img src="${held}"><img id="ok" src="${ok}">`);
      box.insertAdjacentHTML("beforeend", app.createHTML(`<iframe src="${held}.html"></iframe>`));
      return [box.querySelector("img").getAttribute("src"), document.getElementById("ok").getAttribute("src")];
    }, [s.t("T", "/tt/inner.gif"), s.t("C", "/tt/inner.gif")]);
    assert.deepEqual(got, [null, s.t("C", "/tt/inner.gif")]);
    await page.evaluate(() => consentGuard.accept(["analytics"]));
    await page.waitForFunction(() => (window.__ran || []).length >= 3);
    await s.settle(page);
    assert.deepEqual(await page.evaluate(() => window.__ran), ["/tt/cdn.js", "/tt/written.js", "tt-inline"]);
    assert.ok(s.requested("cdn.test/tt/inner.gif"));
    assert.ok(s.requested("tracker.test/tt/inner.gif"), "released after the grant");
    assert.deepEqual(errors, [], "no Trusted Types violation");
  });

  test("placeholder: engine null or throwing gives a plain div; load once; grant; withdraw", async () => {
    for (const mode of ["null", "throw"]) {
      const { page } = await s.open("basic.html", { init: `window.__stubPlaceholder = ${JSON.stringify(mode)}` });
      const got = await page.evaluate((u) => {
        const f = document.createElement("iframe");
        f.src = u;
        f.setAttribute("height", "90");
        document.body.append(f);
        const ph = document.body.lastElementChild;
        return [ph.localName, ph.childNodes.length, ph.style.width, ph.style.height, f.isConnected];
      }, s.t("V", `/ph/${mode}.html`));
      assert.deepEqual(got, ["div", 0, "300px", "90px", false], mode);
    }
    const { page } = await s.open("basic.html");
    await page.evaluate((u) => {
      const f = document.createElement("iframe");
      f.id = "yt";
      f.src = u;
      document.body.append(f);
    }, s.t("V", "/ph/once.html"));
    await s.settle(page);
    assert.ok(!s.requested("video.test/ph/once.html"));
    await page.click(".cg-ph button"); // "Load once" -> shell.releaseHeld(id)
    await s.settle(page);
    assert.ok(s.requested("video.test/ph/once.html"));
    assert.deepEqual(await page.evaluate(() => [document.getElementById("yt").isConnected, document.querySelector(".cg-ph")]), [true, null]);
    // A later consent change that does not grant it puts it back.
    await page.evaluate(() => consentGuard.accept(["analytics"]));
    assert.deepEqual(await page.evaluate(() => [document.getElementById("yt"), !!document.querySelector(".cg-ph")]), [null, true]);
    await page.evaluate(() => consentGuard.accept(["advertising"]));
    assert.deepEqual(await page.evaluate(() => [!!document.getElementById("yt"), document.querySelector(".cg-ph")]), [true, null]);
    // A src set later on a released iframe is decided again.
    await page.evaluate(() => consentGuard.rejectAll());
    assert.equal(await page.evaluate(() => !!document.getElementById("yt")), false);
  });
});
