// A minimal reference receiver for consent-guard's `reportUrl`: what a site's
// server has to do with the reports, and what the end-to-end tests use to
// prove that none is lost. Node's standard library plus ajv, nothing else.
//
//   import { startReceiver } from "./lib/receiver.mjs";
//   const receiver = await startReceiver();        // http://127.0.0.1:<port>/reports
//   table.reportUrl = receiver.url;                // or another name for 127.0.0.1:receiver.port
//   // or same-origin: the site's server hands POST /reports to receiver.handle(req, res)
//   receiver.mode = "fail";                        // answer 500 from now on
//   ...
//   receiver.mode = "ok";
//   await receiver.waitFor(() => receiver.has(id));
//   receiver.storedIds();  receiver.invalid;  receiver.requests;
//   await receiver.close();
//
// What a real receiver must do, and this one does:
//   - accept a POST whose body is JSON, whatever its Content-Type: the site's
//     own origin sends application/json, another origin text/plain (a
//     CORS-simple request, so keepalive fetches and beacons need no preflight);
//   - answer cross-origin requests with Access-Control-Allow-Origin, or the
//     page cannot read the answer and takes it for a failure (and resends);
//   - store each report once by its id (`record.id` of a consent record, `id`
//     of an undeclared-cookie report) and answer 2xx to a repeat as well:
//     delivery is at least once, so repeats are normal (a beacon's outcome is
//     unknown to the page, which resends it later);
//   - reject with 400 a body that is not a report (schema/report.schema.json):
//     retrying it would not help.
//
// Test switches, not part of the reference behaviour: `mode`
//   "ok"    store and answer 204 (201 for a newly stored id, 200 for a repeat
//           would do as well; the page only looks at 2xx)
//   "fail"  answer 500 and store nothing (the endpoint is down)
//   "drop"  read the request, then destroy the connection without an answer
//   "hang"  read the request and never answer; the requests left hanging are
//           cut off (connection destroyed) when the mode changes or on close()
// In every mode the body is validated first, so `invalid` covers every body
// that reached the server, failed attempts and beacons included.

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { repoRoot } from "./harness.mjs";

const MODES = ["ok", "fail", "drop", "hang"];
const MAX_BODY = 64 * 1024;

/** A validator for schema/report.schema.json (draft 2020-12), every error reported. */
export function reportValidator() {
  const schema = JSON.parse(readFileSync(join(repoRoot, "schema/report.schema.json"), "utf8"));
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(schema);
}

/** The id a report is stored under, or null when it has none. */
export function reportId(body) {
  if (body?.type === "consent-record") return body.record?.id ?? null;
  if (body?.type === "undeclared-cookie") return body.id ?? null;
  return null;
}

/**
 * Starts the receiver on loopback (an ephemeral port unless `port` is given).
 * Returns {
 *   url                 http://127.0.0.1:<port>/reports (any path is accepted)
 *   port
 *   handle(req, res)    the request listener, to mount on another server (same-origin tests)
 *   mode                "ok" | "fail" | "drop" | "hang", settable
 *   stored              Map id -> the body first stored under it
 *   storedIds()         [...stored.keys()], in the order they were stored
 *   has(id)             stored?
 *   received(id)        how many requests carried this id (any mode, stored or not)
 *   repeats             ids received again after they were stored, one entry per repeat
 *   requests            every POST: { seq, id, type, mode, status, contentType,
 *                       fetchMode (Sec-Fetch-Mode: "no-cors" for a beacon of a
 *                       CORS-simple type, "cors" for fetch), keepalive?, body }
 *   invalid             [{ text, errors }] bodies that are not JSON or fail the schema
 *   waitFor(predicate, timeoutMs)  resolves when predicate() is true after a request,
 *                       rejects with the receiver's state after timeoutMs
 *   close()
 * }
 */
export async function startReceiver({ host = "127.0.0.1", port = 0 } = {}) {
  const validate = reportValidator();
  const stored = new Map();
  const counts = new Map();
  const requests = [];
  const invalid = [];
  const repeats = [];
  const hanging = new Set();
  const waiters = new Set();
  let mode = "ok";

  const cors = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST",
    "Access-Control-Allow-Headers": "Content-Type",
    "Cache-Control": "no-store",
  };
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const cutHanging = () => {
    for (const res of hanging) res.socket?.destroy();
    hanging.clear();
  };

  const handle = (req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { ...cors, Allow: "POST, OPTIONS" }).end();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body = null;
      let errors = null;
      try {
        body = JSON.parse(text);
        if (!validate(body)) errors = validate.errors;
      } catch (e) {
        errors = [{ message: `not JSON: ${e.message}` }];
      }
      if (size > MAX_BODY) errors = [{ message: `body over ${MAX_BODY} bytes` }];
      const id = errors ? null : reportId(body);
      if (errors) invalid.push({ text: text.slice(0, 2000), errors });
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      const entry = {
        seq: requests.length + 1,
        id,
        type: body?.type ?? null,
        mode,
        status: 0,
        contentType: req.headers["content-type"] ?? "",
        fetchMode: req.headers["sec-fetch-mode"] ?? "",
        body,
      };
      requests.push(entry);

      const answer = (status) => {
        entry.status = status;
        res.writeHead(status, cors).end();
      };
      if (errors) answer(400);
      else if (mode === "fail") answer(500);
      else if (mode === "drop") req.socket.destroy();
      else if (mode === "hang") hanging.add(res);
      else {
        if (stored.has(id)) repeats.push(id);
        else stored.set(id, body);
        answer(204);
      }
      notify();
    });
  };
  const server = createServer(handle);
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, ok);
  });
  const bound = server.address().port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}/reports`;

  return {
    url,
    port: bound,
    server,
    handle,
    stored,
    requests,
    invalid,
    repeats,
    get mode() {
      return mode;
    },
    set mode(value) {
      if (!MODES.includes(value)) throw new Error(`receiver mode ${value}: use one of ${MODES.join(", ")}`);
      if (value !== mode) cutHanging();
      mode = value;
    },
    storedIds: () => [...stored.keys()],
    has: (id) => stored.has(id),
    received: (id) => counts.get(id) ?? 0,
    /** Resolves once predicate() holds (checked now and after each request). */
    waitFor(predicate, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          let ok = false;
          try {
            ok = predicate();
          } catch (e) {
            done();
            reject(e);
            return;
          }
          if (ok) {
            done();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(
            `receiver: condition not met in ${timeoutMs} ms; stored ${JSON.stringify([...stored.keys()])}, ` +
              `requests ${JSON.stringify(requests.map((r) => `${r.id}:${r.mode}:${r.status}:${r.fetchMode}`))}`,
          ));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      cutHanging();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
