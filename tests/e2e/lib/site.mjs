// The first party of the end-to-end tests: the demo site over https, as
// https://www.site.test/ (mapped to this server by the browser's host
// resolver rules, see trackers.mjs), so cookies can be host-only on
// www.site.test or domain cookies on .site.test, as on a real site.
//
// Serves what scripts/serve.mjs serves (www/ at /, pkg/ at /pkg/,
// tests/e2e/pages/ at /test/) through serve.mjs's own request handler, plus:
//   - PHPSESSID: every HTML response sets `PHPSESSID=…; Path=/; Secure;
//     HttpOnly; SameSite=Lax` when the request had none, as the company's PHP
//     back end does (the demo's static server cannot);
//   - /blog/…: the demo article again, under a deeper path, so cookies can be
//     set on /blog and /blog/ and swept from there;
//   - /control/…: the same page as without /control/, with the consent-guard
//     embed removed and every held tag turned back into the plain tag the site
//     had before `consent-guard tag` (type="text/plain", data-category and
//     data-service dropped, data-src back to src). The control tests load these to prove the trackers really set
//     their cookies when nothing stops them;
//   - revision 2: after `site.revision = 2`, /cookies.json is the revision-2
//     table (trackers.mjs revisionTwoTable) and each HTML page gets a held
//     Criteo tag before </body>.
// Every request is logged into the Timeline (source "site").

import { createServer } from "node:https";
import { readFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { startServer } from "../../../scripts/serve.mjs";
import { repoRoot } from "./harness.mjs";
import { CRITEO, parseCookieHeader, revisionTwoTable } from "./trackers.mjs";

// What serve.mjs serves, and where this module reads the pages it rewrites.
const WWW = join(repoRoot, "www");
const MOUNTS = { "/pkg/": join(repoRoot, "pkg"), "/test/": join(repoRoot, "tests/e2e/pages") };
const ROOTS = [...Object.entries(MOUNTS), ["/", WWW]];

/** The file behind a site path, or null (for the pages this module rewrites). */
function fileFor(path) {
  const [prefix, dir] = ROOTS.find(([p]) => path.startsWith(p));
  let rest = path.slice(prefix.length);
  if (rest === "" || rest.endsWith("/")) rest += "index.html";
  const file = resolve(dir, rest);
  return file.startsWith(dir + sep) ? file : null;
}

/**
 * The page as the site had it before `consent-guard tag` and without the
 * embed: what a site without consent-guard serves.
 */
export function untag(html) {
  return html
    .replace(/<script\b[^>]*\/consent-guard\.js[^>]*>\s*<\/script>\s*/g, "")
    .replace(/<(script|iframe|img)\b([^>]*)>/g, (tag, name, attrs) => {
      if (!/\bdata-category=/.test(attrs)) return tag;
      const plain = attrs
        .replace(/\s+type="text\/plain"/, "")
        .replace(/\s+data-(category|service)="[^"]*"/g, "")
        .replace(/\s+data-src=/, " src=");
      return `<${name}${plain}>`;
    });
}

/** The held Criteo tag the revision-2 site adds to its pages. */
export const CRITEO_TAG = `<script type="text/plain" data-category="advertising" data-service="criteo" src="${CRITEO.script}"></script>`;

/**
 * Starts the site server on 127.0.0.1 (ephemeral port).
 * @param {{ key: string, cert: string, timeline: import("./timeline.mjs").Timeline }} options
 * @returns {Promise<{ server, port: number, revision: number, close(): Promise<void> }>}
 */
export async function startSite({ key, cert, timeline }) {
  const state = { revision: 1 };
  let sessions = 0;

  async function handler(req, res) {
    const url = new URL(req.url, "https://www.site.test");
    let path = decodeURIComponent(url.pathname);
    timeline.request({
      source: "site",
      host: (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase(),
      method: req.method,
      path: req.url,
      cookies: parseCookieHeader(req.headers.cookie),
      dest: req.headers["sec-fetch-dest"] ?? "",
    });

    if (path === "/cookies.json" && state.revision === 2) {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
      res.end(JSON.stringify(revisionTwoTable(), null, 2));
      return true;
    }

    const control = path.startsWith("/control/");
    if (control) path = path.slice("/control".length);
    if (path === "/blog" || path.startsWith("/blog/")) path = "/index.html";
    const isHtml = path.endsWith("/") || path.endsWith(".html");
    if (!isHtml) {
      if (control) req.url = path + url.search;
      return false;
    }

    if (!parseCookieHeader(req.headers.cookie).PHPSESSID) {
      sessions += 1;
      res.setHeader(
        "Set-Cookie",
        `PHPSESSID=sess${sessions}${Math.random().toString(36).slice(2, 10)}; Path=/; Secure; HttpOnly; SameSite=Lax`,
      );
    }
    const file = fileFor(path);
    let html;
    try {
      html = file && (await readFile(file, "utf8"));
    } catch {
      html = null;
    }
    if (html == null) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("not found\n");
      return true;
    }
    if (state.revision === 2) html = html.replace("</body>", `${CRITEO_TAG}\n</body>`);
    if (control) html = untag(html);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : html);
    return true;
  }

  // serve.mjs builds its request listener around a node:http server; its
  // listener works as well for node:https, so this server reuses it (and its
  // path checks and content types) rather than copying it. The http server
  // it came with is closed at once.
  const plain = await startServer({ root: WWW, mounts: MOUNTS, port: 0, handler });
  const listener = plain.listeners("request")[0];
  await new Promise((done) => plain.close(done));

  const server = createServer({ key, cert }, listener);
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  return {
    server,
    port: server.address().port,
    get revision() {
      return state.revision;
    },
    set revision(value) {
      state.revision = value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
