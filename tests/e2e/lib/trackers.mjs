// The third parties of the end-to-end tests: one https server on loopback that
// answers for every tracker host of the demo's cookie table and logs every
// request it gets (host, path, time, cookies sent) into a Timeline.
//
// How the real host names reach it. Chromium is started with
//   --host-resolver-rules="MAP www.youtube.com 127.0.0.1:<port>, MAP *.youtube.com 127.0.0.1:<port>, ..."
// for each host of each service in www/cookies.json (plus the services the
// revision-2 table adds), so the page keeps its real tracker URLs
// (https://www.youtube.com/embed/…, no port) and the browser connects to this
// server instead. Measured in Chromium 156 (headless): the port in a MAP rule
// IS honoured for https URLs that have no port of their own; the request
// reaches the ephemeral port with `Host: www.youtube.com`, and cookies land on
// `.youtube.com`. So nothing is rewritten: no `.test` stand-ins, no port 443,
// the table and the page are byte for byte the ones the demo ships. The
// rules name hosts one by one (never `MAP *`, which would also swallow
// Chromium's own background requests); every other host is sent to
// ~NOTFOUND so nothing can leave the machine.
//
// What each tracker does (the default table's cookies, set the way the real
// services set them):
//   www.google-analytics.com/ga.js    a script that writes the first-party
//                                     `__utma` through document.cookie on the
//                                     site's domain (ga.js "auto": the host
//                                     without "www."), then sends a
//                                     __utm.gif hit
//   www.youtube.com/embed/*           an HTML player page; the response sets
//                                     YSC, VISITOR_INFO1_LIVE, PREF, GPS on
//                                     .youtube.com (SameSite=None; Secure);
//                                     the page loads a thumbnail from i.ytimg.com
//   ad.doubleclick.net/*              a 1x1 GIF (an HTML ad for iframes, a
//                                     script for scripts) setting IDE on
//                                     .doubleclick.net
//   platform.twitter.com/widgets.js   a script whose response sets tfw_exp on
//                                     .twitter.com and which replaces each
//                                     blockquote.twitter-tweet with an iframe
//                                     from syndication.twitter.com: a tracker
//                                     inserted by another tracker
//   syndication.twitter.com/*         the tweet's HTML
//   anything else                     204, logged like the rest
// Scripts mark what they did on `window.__trackers` ({ ga: n, twitter: n })
// so a test can tell "requested" from "ran".

import { createServer } from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./harness.mjs";

/** The demo's cookie table, as the lead wrote it. */
export function defaultTable() {
  return JSON.parse(readFileSync(join(repoRoot, "www/cookies.json"), "utf8"));
}

/**
 * The service the revision-2 table adds (tests of R10: a new advertising
 * service must re-ask and be held). Its script host is mapped like the others.
 */
export const CRITEO = {
  service: {
    id: "criteo",
    name: "Criteo",
    provider: "Criteo SA",
    category: "advertising",
    hosts: ["criteo.net", "criteo.com"],
    privacyPolicy: "https://www.criteo.com/privacy/",
  },
  cookie: {
    name: "uid",
    service: "criteo",
    party: "third",
    domain: "criteo.com",
    purpose: "Recognises your browser across the sites of Criteo's partners to show you ads for products you looked at.",
    duration: "13 months",
  },
  script: "https://static.criteo.net/js/ld/publishertag.js",
};

/** www/cookies.json at revision 2, with the Criteo service and its cookie added. */
export function revisionTwoTable() {
  const table = defaultTable();
  table.revision = 2;
  table.services.push(CRITEO.service);
  table.cookies.push(CRITEO.cookie);
  return table;
}

/**
 * Every registrable domain the tracker server answers for: the hosts of the
 * default table's services and of the revision-2 table's.
 */
export function trackerDomains() {
  return [...new Set(revisionTwoTable().services.flatMap((s) => s.hosts))];
}

/** `name=value; Domain=…; Path=/; Secure; SameSite=None` with a Max-Age, for a third-party cookie. */
function thirdPartyCookie(name, value, domain, maxAge, httpOnly = false) {
  const parts = [`${name}=${value}`, `Domain=${domain}`, "Path=/", "Secure", "SameSite=None"];
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
  if (httpOnly) parts.push("HttpOnly");
  return parts.join("; ");
}

const DAY = 86400;
const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
const id = () => Math.random().toString(36).slice(2, 12);

// Runs in the page, as ga.js would: one __utma write on the site's domain,
// one hit. `ran` counts runs, so a test sees a script that ran twice.
const GA_JS = `(function () {
  var t = window.__trackers = window.__trackers || {};
  t.ga = (t.ga || 0) + 1;
  var now = Math.floor(Date.now() / 1000);
  var domain = location.hostname.replace(/^www\\./, "");
  var value = "1." + Math.floor(Math.random() * 1e9) + "." + now + "." + now + "." + now + ".1";
  document.cookie = "__utma=" + value + "; expires=" + new Date(Date.now() + 63072000000).toUTCString() +
    "; path=/; domain=" + domain + "; SameSite=Lax";
  var account = (window._gaq || []).filter(function (c) { return c[0] === "_setAccount"; })[0];
  new Image(1, 1).src = "https://www.google-analytics.com/__utm.gif?utmac=" +
    encodeURIComponent(account ? account[1] : "") + "&utmp=" + encodeURIComponent(location.pathname);
})();
`;

// Runs in the page, as widgets.js would: each embedded tweet becomes an iframe
// from syndication.twitter.com.
const WIDGETS_JS = `(function () {
  var t = window.__trackers = window.__trackers || {};
  t.twitter = (t.twitter || 0) + 1;
  var quotes = document.querySelectorAll("blockquote.twitter-tweet");
  for (var i = 0; i < quotes.length; i++) {
    var link = quotes[i].querySelector("a[href*='/status/']");
    var tweet = link ? link.href.split("/status/")[1] : "0";
    var frame = document.createElement("iframe");
    frame.src = "https://syndication.twitter.com/srv/embed/tweet?id=" + encodeURIComponent(tweet);
    frame.title = "Embedded post";
    frame.className = "twitter-tweet-rendered";
    frame.width = "550";
    frame.height = "300";
    quotes[i].replaceWith(frame);
  }
})();
`;

const html = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="margin:0;font:16px sans-serif;background:#111;color:#eee">${body}</body></html>`;

/** Answers one tracker request. */
function respond(req, res, host, path) {
  const dest = req.headers["sec-fetch-dest"] ?? "";
  const send = (status, type, body, cookies = []) => {
    const headers = { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" };
    if (type) headers["Content-Type"] = type;
    if (cookies.length) headers["Set-Cookie"] = cookies;
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const gif = (cookies) => send(200, "image/gif", GIF, cookies);
  const js = (body, cookies) => send(200, "text/javascript; charset=utf-8", body, cookies);

  if (host === "www.google-analytics.com" && path.startsWith("/ga.js")) return js(GA_JS);
  if (host === "www.google-analytics.com" && dest === "script") return js("window.__trackers = window.__trackers || {};");

  if (host === "www.youtube.com" && path.startsWith("/embed/")) {
    const video = path.slice("/embed/".length).split(/[?#]/)[0];
    return send(
      200,
      "text/html; charset=utf-8",
      html(
        "YouTube",
        `<div style="display:grid;place-items:center;height:100vh">` +
          `<img src="https://i.ytimg.com/vi/${encodeURIComponent(video)}/hqdefault.jpg" alt="" width="1" height="1">` +
          `<p>&#9654; video ${encodeURIComponent(video)} (test stand-in)</p></div>`,
      ),
      [
        thirdPartyCookie("YSC", id(), "youtube.com", undefined, true),
        thirdPartyCookie("VISITOR_INFO1_LIVE", id(), "youtube.com", 180 * DAY, true),
        thirdPartyCookie("PREF", "f6=40000000&hl=en", "youtube.com", 240 * DAY),
        thirdPartyCookie("GPS", "1", "youtube.com", 30 * 60, true),
      ],
    );
  }

  if (host === "ad.doubleclick.net") {
    const ide = [thirdPartyCookie("IDE", id(), "doubleclick.net", 390 * DAY, true)];
    if (dest === "iframe") return send(200, "text/html; charset=utf-8", html("Ad", "<p>Advertisement (test stand-in)</p>"), ide);
    if (dest === "script") return js("window.__trackers = window.__trackers || {};", ide);
    return gif(ide);
  }

  if (host === "platform.twitter.com" && path.startsWith("/widgets.js")) {
    return js(WIDGETS_JS, [thirdPartyCookie("tfw_exp", "0", "twitter.com", 14 * DAY)]);
  }
  if (host === "syndication.twitter.com") {
    return send(200, "text/html; charset=utf-8", html("Post", "<p>A post on X (test stand-in)</p>"));
  }

  if (dest === "image") return gif();
  if (dest === "script") return js("window.__trackers = window.__trackers || {};");
  if (dest === "iframe") return send(200, "text/html; charset=utf-8", html("Embed", "<p>embed</p>"));
  return send(204, null, "");
}

/** The Cookie header as { name: value }. */
export function parseCookieHeader(header = "") {
  const out = {};
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Starts the tracker server on 127.0.0.1 (ephemeral port).
 * @param {{ key: string, cert: string, timeline: import("./timeline.mjs").Timeline }} options
 * @returns {Promise<{ server, port: number, close(): Promise<void> }>}
 */
export async function startTrackers({ key, cert, timeline }) {
  const server = createServer({ key, cert }, (req, res) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    timeline.request({
      source: "tracker",
      host,
      method: req.method,
      path: req.url,
      cookies: parseCookieHeader(req.headers.cookie),
      dest: req.headers["sec-fetch-dest"] ?? "",
      referer: req.headers.referer ?? "",
    });
    // Drain bodies (sendBeacon, XHR POST) before answering.
    req.resume();
    req.on("end", () => {
      try {
        respond(req, res, host, req.url);
      } catch (e) {
        if (!res.headersSent) res.writeHead(500);
        res.end();
        console.error(e);
      }
    });
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  return {
    server,
    port: server.address().port,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
