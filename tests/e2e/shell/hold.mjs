// Hold, automatically (issue 4 item 1): for every way a script can make the
// page load something, a URL of a service not granted is never requested,
// while the same path with an allowed URL (cdn.test, not in the table) is.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupShell, realErrors } from "./lib.mjs";

// Each case is a function of a base URL (no extension) that makes the page
// request something under it. It runs twice: with a tracker.test base (must
// never be requested) and a cdn.test base (must be).
const CASES = {
  "createElement+appendChild script": (u) => {
    const s = document.createElement("script");
    s.src = u + ".js";
    document.body.appendChild(s);
  },
  "insertBefore script": (u) => {
    const s = document.createElement("script");
    s.src = u + ".js";
    document.head.insertBefore(s, document.head.firstChild);
  },
  // Elements parsed by createContextualFragment carry their src without any
  // setter: only the insertion hook can see them.
  "appendChild of a parsed script": (u) => {
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    document.body.appendChild(f.firstChild);
  },
  "replaceChild of a parsed script": (u) => {
    const p = document.body.appendChild(document.createElement("p"));
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    document.body.replaceChild(f.firstChild, p);
  },
  "append": (u) => {
    const f = document.createRange().createContextualFragment(`<script src="${u}-s.js"></script><img src="${u}-i.gif">`);
    document.getElementById("box").append("text", ...f.childNodes);
  },
  "prepend": (u) => {
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    document.getElementById("box").prepend(f.firstChild);
  },
  "after": (u) => {
    const f = document.createRange().createContextualFragment(`<img src="${u}.gif">`);
    document.getElementById("first").after(f.firstChild);
  },
  "before": (u) => {
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    document.getElementById("first").before(f.firstChild);
  },
  "replaceWith": (u) => {
    const p = document.body.appendChild(document.createElement("p"));
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    p.replaceWith(f.firstChild);
  },
  "insertAdjacentElement": (u) => {
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    document.body.insertAdjacentElement("beforeend", f.firstChild);
  },
  "DocumentFragment descendants": (u) => {
    const f = document.createDocumentFragment();
    const div = document.createElement("div");
    div.appendChild(document.createRange().createContextualFragment(`<span><script src="${u}.js"></script></span>`));
    f.appendChild(div);
    document.body.appendChild(f);
  },
  "a parsed fragment inserted whole": (u) => {
    document.body.appendChild(document.createRange().createContextualFragment(`<p><script src="${u}-s.js"></script></p><img src="${u}-i.gif">`));
  },
  "innerHTML": (u) => {
    const d = document.createElement("div");
    d.innerHTML = `<p>x</p><img src="${u}-i.gif"><iframe src="${u}-f.html"></iframe>`;
    document.body.appendChild(d);
  },
  "innerHTML on a connected element": (u) => {
    const d = document.body.appendChild(document.createElement("div"));
    d.innerHTML = `<img srcset="${u}.gif 1x">`;
  },
  "insertAdjacentHTML": (u) => {
    document.getElementById("box").insertAdjacentHTML("beforeend", `<img src="${u}-i.gif"><iframe src="${u}-f.html"></iframe>`);
  },
  "outerHTML": (u) => {
    const p = document.body.appendChild(document.createElement("p"));
    p.outerHTML = `<div><img src="${u}.gif"></div>`;
  },
  "script src set after insertion": (u) => {
    const s = document.createElement("script");
    document.body.appendChild(s);
    s.src = u + ".js";
  },
  "setAttribute src": (u) => {
    const s = document.createElement("script");
    s.setAttribute("src", u + ".js");
    document.body.appendChild(s);
  },
  "setAttribute src on a connected iframe": (u) => {
    const f = document.body.appendChild(document.createElement("iframe"));
    f.setAttribute("src", u + ".html");
  },
  "new Image().src": (u) => {
    new Image().src = u + ".gif";
  },
  "img srcset": (u) => {
    const i = document.createElement("img");
    i.srcset = `${u}.gif 1x, /x.gif 2x`;
  },
  "setAttributeNode": (u) => {
    const i = document.createElement("img");
    const a = document.createAttribute("src");
    a.value = u + ".gif";
    i.setAttributeNode(a);
  },
  "Attr.value": (u) => {
    const i = document.createElement("img");
    i.setAttribute("alt", "x");
    i.setAttribute("src", "data:image/gif;base64,R0lGODlhAQABAAAAACw=");
    i.getAttributeNode("src").value = u + ".gif";
  },
  "importNode from DOMParser": (u) => {
    const d = new DOMParser().parseFromString(`<img src="${u}.gif">`, "text/html");
    document.importNode(d.body.firstChild, true);
  },
  "adoptNode + append from DOMParser": (u) => {
    const d = new DOMParser().parseFromString(`<div><img src="${u}.gif"></div>`, "text/html");
    document.body.append(document.adoptNode(d.body.firstChild));
  },
  "picture source srcset": (u) => {
    const p = document.createElement("picture");
    const s = document.createElement("source");
    s.srcset = u + ".gif";
    p.append(s, document.createElement("img"));
    document.body.append(p);
  },
  "embed src": (u) => {
    const e = document.createElement("embed");
    e.src = u + ".html";
    document.body.append(e);
  },
  "object data": (u) => {
    const o = document.createElement("object");
    o.data = u + ".html";
    document.body.append(o);
  },
  "link preload": (u) => {
    const l = document.createElement("link");
    l.rel = "preload";
    l.as = "script";
    l.href = u + ".js";
    document.head.append(l);
  },
  "link href before rel": (u) => {
    const l = document.createElement("link");
    l.href = u + ".js";
    l.rel = "prefetch";
    document.head.append(l);
  },
  "new Audio(url)": (u) => {
    new Audio(u + ".mp3").preload = "auto";
  },
  "video poster": (u) => {
    const v = document.createElement("video");
    v.poster = u + ".gif";
    document.body.append(v);
  },
  "shadow root innerHTML": (u) => {
    const host = document.body.appendChild(document.createElement("div"));
    host.attachShadow({ mode: "open" }).innerHTML = `<img src="${u}.gif">`;
  },
  "shadow root appendChild": (u) => {
    const host = document.body.appendChild(document.createElement("div"));
    const f = document.createRange().createContextualFragment(`<script src="${u}.js"></script>`);
    host.attachShadow({ mode: "open" }).appendChild(f.firstChild);
  },
  "iframe realm: createElement + appendChild": (u) => {
    const f = document.body.appendChild(document.createElement("iframe"));
    const d = f.contentDocument;
    const s = d.createElement("script");
    s.src = u + ".js";
    d.body.appendChild(s);
  },
  "iframe realm: new Image() through frames[n] after insertAdjacentHTML": (u) => {
    document.body.insertAdjacentHTML("beforeend", "<iframe></iframe>");
    const w = window.frames[window.frames.length - 1];
    new w.Image().src = u + ".gif";
  },
  "iframe realm: innerHTML": (u) => {
    const f = document.body.appendChild(document.createElement("iframe"));
    f.contentDocument.body.innerHTML = `<img src="${u}.gif">`;
  },
  "iframe realm: document.write": (u) => {
    const f = document.body.appendChild(document.createElement("iframe"));
    f.contentDocument.open();
    f.contentDocument.write(`<script src="${u}.js"></scr` + "ipt>");
    f.contentDocument.close();
  },
  "iframe realm: fetch": (u) => {
    const f = document.body.appendChild(document.createElement("iframe"));
    f.contentWindow.fetch(u + ".txt", { mode: "no-cors" }).catch(() => {});
  },
  "srcdoc iframe": (u) => {
    const f = document.createElement("iframe");
    f.srcdoc = `<script src="${u}.js"></scr` + "ipt>";
    document.body.append(f);
  },
  "fetch": (u) => {
    fetch(u + ".txt", { mode: "no-cors" }).catch(() => {});
  },
  "fetch with a Request": (u) => {
    fetch(new Request(u + ".txt", { mode: "no-cors" })).catch(() => {});
  },
  "XMLHttpRequest": (u) => {
    const x = new XMLHttpRequest();
    x.open("GET", u + ".txt");
    x.send();
  },
  "sendBeacon": (u) => {
    navigator.sendBeacon(u + ".txt", "data");
  },
  "WebSocket": (u) => {
    const ws = new WebSocket(u.replace(/^http/, "ws") + ".ws");
    ws.onerror = () => {};
  },
  "EventSource": (u) => {
    const es = new EventSource(u + ".sse");
    es.onerror = () => es.close();
  },
  "iframe realm: WebSocket": (u) => {
    const f = document.body.appendChild(document.createElement("iframe"));
    new f.contentWindow.WebSocket(u.replace(/^http/, "ws") + ".ws").onerror = () => {};
  },
};

describe("hold: every insertion path", () => {
  let s;
  let page;
  let opened;
  before(async () => {
    s = await setupShell();
    opened = await s.open("basic.html");
    page = opened.page;
  });
  after(async () => {
    await s?.close();
  });

  for (const [name, fn] of Object.entries(CASES)) {
    test(name, async () => {
      const slug = name.replace(/\W+/g, "-");
      const held = s.t("T", `/p/${slug}`);
      const control = s.t("C", `/p/${slug}`);
      await page.evaluate(
        ([code, urls]) => {
          const f = (0, eval)(`(${code})`);
          for (const u of urls) f(u);
        },
        [fn.toString(), [held, control]],
      );
      await s.settle(page);
      assert.ok(s.requested(`cdn.test/p/${slug}`), `control ${control} was requested (the path works)`);
      assert.ok(!s.requested(`tracker.test/p/${slug}`), `held ${held} was never requested`);
    });
  }

  test("no script of a held URL ran, and the page saw no error", async () => {
    const ran = await page.evaluate(() => window.__ran || []);
    assert.ok(ran.some((p) => p.startsWith("/p/")), "control scripts ran");
    // Only the tracker.test ones are of interest; the log of the server says
    // they were not even fetched, __ran says nothing ran from elsewhere.
    assert.deepEqual(realErrors(opened.errors), []);
  });

  test("a held WebSocket or EventSource fails like a refused connection; allowed ones are native", async () => {
    const got = await page.evaluate(
      async ([held, control]) => {
        const ws = new WebSocket(held.replace(/^http/, "ws") + "/sock");
        const es = new EventSource(held + "/events.sse");
        const seen = [];
        ws.onerror = (e) => seen.push("ws onerror " + e.type + " " + ws.readyState);
        ws.addEventListener("close", (e) => seen.push(`ws close ${e.code} ${e.wasClean} ${ws.readyState}`));
        es.onerror = () => seen.push("es onerror " + es.readyState);
        let sendWhileConnecting = null;
        try {
          ws.send("x");
        } catch (e) {
          sendWhileConnecting = e.name;
        }
        const before = [ws.readyState, es.readyState, ws instanceof WebSocket, es instanceof EventSource, ws.url, es.url];
        await new Promise((ok) => setTimeout(ok, 50));
        const real = new WebSocket(control.replace(/^http/, "ws") + "/sock");
        real.onerror = () => {};
        class Sub extends WebSocket {}
        const sub = new Sub(control.replace(/^http/, "ws") + "/sub");
        sub.onerror = () => {};
        let withoutNew = null;
        try {
          WebSocket(control);
        } catch (e) {
          withoutNew = e.name;
        }
        return {
          before,
          seen,
          sendWhileConnecting,
          real: [Object.getPrototypeOf(real) === WebSocket.prototype, real.constructor === WebSocket, String(real.url).startsWith("ws://cdn.test")],
          sub: sub instanceof Sub && sub instanceof WebSocket,
          constants: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSED, EventSource.CLOSED, WebSocket.name],
          withoutNew,
        };
      },
      [s.t("T", "/p/conn"), s.t("C", "/p/conn")],
    );
    assert.deepEqual(got.before, [0, 0, true, true, s.t("T", "/p/conn/sock").replace(/^http/, "ws"), s.t("T", "/p/conn/events.sse")]);
    assert.deepEqual(got.seen.sort(), ["es onerror 2", "ws close 1006 false 3", "ws onerror error 3"]);
    assert.equal(got.sendWhileConnecting, "InvalidStateError");
    assert.deepEqual(got.real, [true, true, true]);
    assert.equal(got.sub, true);
    assert.deepEqual(got.constants, [0, 1, 3, 2, "WebSocket"]);
    assert.equal(got.withoutNew, "TypeError");
    await s.settle(page);
    assert.ok(!s.requested("tracker.test/p/conn"), "no request to the held host");
    assert.ok(s.requested("cdn.test/p/conn/sock") && s.requested("cdn.test/p/conn/sub"), "the allowed sockets connected");
  });

  test("createContextualFragment from the head, before the body exists", async () => {
    const other = await s.open("head-range.html");
    await s.settle(other.page);
    assert.equal(await other.page.evaluate(() => window.__bodyWasNull), true);
    assert.ok(s.requested("cdn.test/head/range.gif") && s.requested("cdn.test/head/range-doc.gif"), "controls loaded");
    assert.ok(!s.requested("tracker.test/head/range"), "held ones never requested");
  });

  test("fetch rejects with a TypeError, XHR fails like a network error, sendBeacon returns false", async () => {
    const got = await page.evaluate(async (u) => {
      const out = {};
      try {
        await fetch(u + ".txt");
        out.fetch = "resolved";
      } catch (e) {
        out.fetch = e.constructor.name;
      }
      out.xhr = await new Promise((done) => {
        const x = new XMLHttpRequest();
        x.open("GET", u + ".txt");
        x.onerror = () => done(`error ${x.status} ${x.readyState}`);
        x.onload = () => done("load");
        x.send();
      });
      try {
        const x = new XMLHttpRequest();
        x.open("GET", u + "-sync.txt", false);
        x.send();
        out.sync = "sent";
      } catch (e) {
        out.sync = e.name;
      }
      out.beacon = navigator.sendBeacon(u + ".txt", "x");
      return out;
    }, s.t("T", "/p/failure"));
    assert.deepEqual(got, { fetch: "TypeError", xhr: "error 0 4", sync: "NetworkError", beacon: false });
    assert.ok(!s.requested("tracker.test/p/failure"));
  });

  test("a held element reads back the URL it was given", async () => {
    const got = await page.evaluate((u) => {
      const i = new Image();
      i.src = u;
      return [i.src, i.getAttribute("src")];
    }, s.t("T", "/p/readback.gif"));
    assert.deepEqual(got, [s.t("T", "/p/readback.gif"), null]);
  });

  test("page code can still remove, replace and insert next to a held iframe", async () => {
    const got = await page.evaluate((u) => {
      const box = document.body.appendChild(document.createElement("div"));
      const make = () => {
        const f = document.createElement("iframe");
        f.src = u;
        box.appendChild(f);
        return f;
      };
      const out = [];
      const a = make();
      const p = document.createElement("p");
      box.insertBefore(p, a); // before its placeholder
      out.push(box.firstChild === p && box.lastChild.className);
      out.push(box.removeChild(a) === a && box.children.length);
      const b = make();
      const q = document.createElement("q");
      out.push(box.replaceChild(q, b) === b && box.lastChild === q);
      const c = make();
      c.after(document.createElement("i"));
      out.push(box.lastChild.localName);
      c.remove();
      out.push([...box.children].map((e) => e.localName).join());
      return out;
    }, s.t("V", "/p/standin.html"));
    assert.deepEqual(got, ["cg-ph", 1, true, "i", "p,q,i"]);
  });

  test("a held iframe is replaced by the engine's placeholder, sized like it", async () => {
    const got = await page.evaluate((u) => {
      const f = document.createElement("iframe");
      f.src = u;
      f.width = "640";
      f.style.height = "360px";
      const ret = document.body.appendChild(f);
      const ph = document.body.lastElementChild;
      return { same: ret === f, connected: f.isConnected, cls: ph.className, service: ph.dataset.service, w: ph.style.width, h: ph.style.height };
    }, s.t("V", "/p/ph.html"));
    assert.deepEqual(got, { same: true, connected: false, cls: "cg-ph", service: "yt", w: "640px", h: "360px" });
  });
});
