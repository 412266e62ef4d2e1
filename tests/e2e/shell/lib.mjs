// Test rig for js/shell.js against the stub engine (stub-engine.js):
//
//   first party  the harness server (www/, /test/, /pkg/) plus
//                /stub/         target/shell-stub/<pid>/ (build-stub.mjs)
//                /shell/NAME    tests/e2e/pages/shell/NAME with {{T}}, {{V}},
//                               {{C}} replaced by the tracker hosts below
//   trackers     a second loopback server that logs every request:
//                {{T}} tracker.test:PORT   service "ga" (analytics)
//                {{V}} video.test:PORT     service "yt" (advertising)
//                {{C}} cdn.test:PORT       not in the table: always allowed
//                It answers *.js with a script that pushes its path to
//                window.__ran (or runs ?code=...), after ?delay=ms; *.gif an
//                image, *.html a page, anything else "ok" with CORS allowed.
//
// Every held URL in the tests lives on tracker.test / video.test and every
// control on cdn.test, so `requested()` proves both that a hook held and that
// the same path without a hold does reach the network.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setup, repoRoot } from "../lib/harness.mjs";
import { startServer } from "../../../scripts/serve.mjs";
import { buildStub, removeStub, STUB_DIR } from "./build-stub.mjs";

export const TABLE = {
  categories: ["strictly-necessary", "analytics", "advertising"],
  services: [
    { id: "ga", category: "analytics", hosts: ["tracker.test"] },
    { id: "yt", category: "advertising", hosts: ["video.test"] },
  ],
  cookies: [
    { name: "consent_guard", category: "strictly-necessary" },
    { name: "sid", category: "strictly-necessary" },
    { name: "_ga", category: "analytics" },
    { name: "IDE", category: "advertising" },
  ],
};

const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export async function setupShell() {
  buildStub({ config: JSON.stringify(TABLE) });
  const log = [];
  const firstParty = []; // { path, cookie } of each /shell/ request
  const tracker = await startServer({
    root: STUB_DIR,
    mounts: {},
    port: 0,
    handler: async (req, res) => {
      const url = new URL(req.url, "http://x");
      const host = (req.headers.host || "").replace(/:\d+$/, "");
      log.push(host + url.pathname);
      const delay = Number(url.searchParams.get("delay") || 0);
      if (delay) await new Promise((ok) => setTimeout(ok, delay));
      const head = { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" };
      if (url.pathname.endsWith(".js")) {
        const code = url.searchParams.get("code") ?? `(window.__ran = window.__ran || []).push(${JSON.stringify(url.pathname)});`;
        res.writeHead(200, { ...head, "Content-Type": "text/javascript" });
        res.end(code);
      } else if (url.pathname.endsWith(".gif")) {
        res.writeHead(200, { ...head, "Content-Type": "image/gif" });
        res.end(GIF);
      } else if (url.pathname.endsWith(".sse")) {
        res.writeHead(200, { ...head, "Content-Type": "text/event-stream" });
        res.end("data: hello\n\n");
      } else if (url.pathname.endsWith(".html")) {
        res.writeHead(200, { ...head, "Content-Type": "text/html" });
        res.end("<!doctype html><p>frame</p>");
      } else {
        res.writeHead(200, { ...head, "Content-Type": "text/plain" });
        res.end("ok");
      }
      return true;
    },
  });
  // WebSocket handshakes: logged like any request, accepted, then closed
  // at once with a close frame (code 1000), so an allowed socket ends cleanly.
  const upgraded = new Set(); // closeAllConnections() does not know them
  tracker.on("upgrade", (req, socket) => {
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    const host = (req.headers.host || "").replace(/:\d+$/, "");
    log.push(host + new URL(req.url, "http://x").pathname);
    const accept = createHash("sha1")
      .update(req.headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
      .digest("base64");
    socket.on("error", () => {});
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
  });
  const tport = tracker.address().port;
  const hosts = { T: `tracker.test:${tport}`, V: `video.test:${tport}`, C: `cdn.test:${tport}` };
  const fill = (text) => text.replace(/\{\{([TVC])\}\}/g, (m, k) => hosts[k]);

  const h = await setup({
    server: {
      mounts: { "/stub/": STUB_DIR },
      handler: async (req, res) => {
        const url = new URL(req.url, "http://x");
        const m = /^\/shell\/([\w.-]+)$/.exec(url.pathname);
        if (!m) return false;
        firstParty.push({ path: url.pathname, cookie: req.headers.cookie ?? "" });
        const delay = Number(url.searchParams.get("delay") || 0);
        if (delay) await new Promise((ok) => setTimeout(ok, delay));
        let text;
        try {
          text = readFileSync(join(repoRoot, "tests/e2e/pages/shell", m[1]), "utf8");
        } catch {
          res.writeHead(404, { "Content-Type": "text/plain" });
          res.end("not found");
          return true;
        }
        const type = m[1].endsWith(".json") ? "application/json" : m[1].endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8";
        res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
        res.end(fill(text));
        return true;
      },
    },
  });

  return {
    ...h,
    log,
    firstParty,
    hosts,
    /** http://<host>/<path> for T, V or C */
    t: (key, path) => `http://${hosts[key]}${path}`,
    /** true when the tracker server saw a request whose host+path includes `part` */
    requested: (part) => log.some((line) => line.includes(part)),
    /** a fresh visitor on /shell/NAME; `init` runs before any page script */
    async open(name, { granted, init, host = "site.test", wait = "load" } = {}) {
      const context = await h.newContext();
      if (granted) await context.addInitScript((g) => (window.__stubGranted = g), granted);
      if (init) await context.addInitScript(init);
      const { page, errors } = await h.newPage(context);
      const warnings = [];
      const consoleErrors = [];
      page.on("console", (msg) => {
        if (msg.type() === "warning") warnings.push(msg.text());
        if (msg.type() === "error") consoleErrors.push(msg.text());
      });
      await page.goto(h.url(`/shell/${name}`, host), { waitUntil: wait });
      return { page, errors, warnings, consoleErrors, context };
    },
    /** lets late requests reach the log before asserting on it */
    settle: (page, ms = 250) => page.waitForTimeout(ms),
    async close() {
      await h.close();
      tracker.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      await new Promise((done) => tracker.close(done));
      removeStub();
    },
  };
}

// Requests that fail on purpose (held XHR, blocked fetch) are expected in some
// tests: keep only the others.
// (Chromium logs "Failed to load resource: net::ERR_FILE_NOT_FOUND" for a held
// XHR, as it would for any failed one.)
export const realErrors = (errors) => errors.filter((e) => !/consent-guard-held|ERR_ABORTED|ERR_FILE_NOT_FOUND/.test(e));
