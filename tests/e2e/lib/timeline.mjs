// One ordered record of what happened during an end-to-end run: requests as
// the servers received them, requests as the browser issued them, and marks
// the test sets just before it acts ("accept analytics"). Everything shares
// one sequence counter, so "did this host get a request before its category
// was granted?" is a comparison of two numbers.
//
// The servers and the test run in the same Node process, so a request that
// reached a server before the test called mark() has a smaller seq than the
// mark; a request issued before the mark but arriving after it cannot be told
// apart from a later one, which is why the browser's own request events
// (source "browser", sent by Chromium when it starts a request) are recorded
// too: together they catch both.

import { performance } from "node:perf_hooks";

export class Timeline {
  #seq = 0;
  /** @type {Array<object>} every entry, in seq order */
  entries = [];

  /** A mark just before an action; returns its seq. */
  mark(label) {
    return this.#push({ kind: "mark", label }).seq;
  }

  /**
   * A request. `source` is "tracker" or "site" (seen by that server) or
   * "browser" (issued by Chromium). Other fields: host, method, path,
   * cookies ({ name: value } sent with it), dest (Sec-Fetch-Dest), visitor.
   */
  request(entry) {
    return this.#push({ kind: "request", ...entry });
  }

  #push(entry) {
    const full = { seq: ++this.#seq, t: Math.round(performance.now()), ...entry };
    this.entries.push(full);
    return full;
  }

  /** Requests with seq > since (and < until), optionally of one source. */
  requests({ since = 0, until = Infinity, source } = {}) {
    return this.entries.filter(
      (e) => e.kind === "request" && e.seq > since && e.seq < until && (!source || e.source === source),
    );
  }
}

/** "host/path" of a request entry, for messages. */
export function describeRequest(e) {
  return `#${e.seq} ${e.source} ${e.method ?? "GET"} https://${e.host}${e.path}`;
}
