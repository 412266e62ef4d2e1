#!/usr/bin/env node
// Static file server for the demo and the end-to-end tests. No dependencies.
//
//   node scripts/serve.mjs          serves www/ at / and pkg/ at /pkg/ on
//                                   http://127.0.0.1:$PORT/ (default 8000)
//
//   import { startServer } from "./scripts/serve.mjs";
//   const server = await startServer({ root: "www", mounts: { "/pkg/": "pkg" }, port: 0 });
//   server.address().port;  // the ephemeral port; server.close() when done
//
// Loopback only, GET/HEAD only, Cache-Control: no-store (so a rebuilt pkg/ is
// always what the browser runs), 404 for anything missing, and no way out of
// the served directories (dot-dot, encoded or not, and symlinks pointing out).

import { createServer } from "node:http";
import { createReadStream, existsSync } from "node:fs";
import { stat, realpath } from "node:fs/promises";
import { dirname, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

// Directory `dir` with real path `real`; returns the file to serve for the
// URL path `rest` (relative to the mount), or null.
async function resolveFile(real, rest) {
  const target = resolve(real, "." + sep + rest);
  if (target !== real && !target.startsWith(real + sep)) return null;
  let file = target;
  let info;
  try {
    info = await stat(file);
    if (info.isDirectory()) {
      file = resolve(file, "index.html");
      info = await stat(file);
    }
    if (!info.isFile()) return null;
    const fileReal = await realpath(file);
    if (!fileReal.startsWith(real + sep)) return null;
    return { file: fileReal, size: info.size, isDirectoryIndex: file !== target };
  } catch {
    return null;
  }
}

/**
 * Starts the server and resolves to the listening node:http Server.
 * @param {object} options
 * @param {string} [options.root]   directory served at "/" (default: www/ of the repo)
 * @param {Record<string,string>} [options.mounts]  URL prefix ("/pkg/") -> directory;
 *        the longest matching prefix wins (default: { "/pkg/": pkg/ of the repo })
 * @param {number} [options.port]   0 for an ephemeral port (default: $PORT or 8000)
 * @param {string} [options.host]   default 127.0.0.1
 * @param {boolean} [options.log]   log one line per request to stderr
 * @param {(req, res) => boolean|Promise<boolean>} [options.handler]  runs first;
 *        return true when it has answered the request (for test-only routes)
 */
export async function startServer(options = {}) {
  const {
    root = resolve(repoRoot, "www"),
    mounts = { "/pkg/": resolve(repoRoot, "pkg") },
    port = Number(process.env.PORT ?? 8000),
    host = "127.0.0.1",
    log = false,
    handler = null,
  } = options;

  const table = [];
  for (const [prefix, dir] of Object.entries({ "/": root, ...mounts })) {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new Error(`mount prefix must start and end with "/": ${prefix}`);
    }
    table.push({ prefix, dir: resolve(repoRoot, dir) });
  }
  table.sort((a, b) => b.prefix.length - a.prefix.length);

  const server = createServer(async (req, res) => {
    try {
      if (log) res.on("finish", () => console.error(`${res.statusCode} ${req.method} ${req.url}`));
      if (handler && (await handler(req, res))) return;
      if (req.method !== "GET" && req.method !== "HEAD") {
        return send(res, 405, "method not allowed\n", { Allow: "GET, HEAD" });
      }
      const url = new URL(req.url, "http://localhost");
      let path;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        return send(res, 400, "bad request\n");
      }
      if (path.includes("\0") || path.includes("\\")) return send(res, 400, "bad request\n");

      // "/pkg" means the mount "/pkg/": redirect so relative URLs work.
      const bare = table.find((m) => m.prefix !== "/" && path === m.prefix.slice(0, -1));
      if (bare) return send(res, 301, "", { Location: bare.prefix + url.search });

      const mount = table.find((m) => path.startsWith(m.prefix));
      let real;
      try {
        real = await realpath(mount.dir);
      } catch {
        return send(res, 404, "not found\n");
      }
      const found = await resolveFile(real, path.slice(mount.prefix.length));
      if (!found) return send(res, 404, "not found\n");
      if (found.isDirectoryIndex && !path.endsWith("/")) {
        return send(res, 301, "", { Location: url.pathname + "/" + url.search });
      }
      res.writeHead(200, {
        "Content-Type": CONTENT_TYPES[extname(found.file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": found.size,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      if (req.method === "HEAD") return res.end();
      createReadStream(found.file)
        .on("error", () => res.destroy())
        .pipe(res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
      console.error(e);
    }
  });

  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      ok();
    });
  });
  return server;
}

/** http://host:port/ of a listening server from startServer. */
export function serverUrl(server) {
  const { address, port } = server.address();
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}/`;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const server = await startServer({ log: true });
  console.log(`consent-guard demo: ${serverUrl(server)}  (www/ at /, pkg/ at /pkg/; Ctrl-C stops)`);
  for (const [what, file] of [["demo page", "www/index.html"], ["build", "pkg/consent-guard.js"]]) {
    if (!existsSync(resolve(repoRoot, file))) console.log(`note: no ${file} yet (${what})`);
  }
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => server.close(() => process.exit(0)));
  }
}
