// A JS stand-in for the wasm engine, for testing js/shell.js on its own
// (tests/e2e/shell/build-stub.mjs puts it where the wasm-bindgen glue goes).
// It implements the exports of ARCHITECTURE.md "Shell <-> engine" from a
// simple table:
//   { "categories": ["strictly-necessary", "analytics", ...],
//     "services": [{ "id": "ga", "category": "analytics", "hosts": ["tracker.test"] }],
//     "cookies": [{ "name": "_ga", "category": "analytics" }],
//     "invalid": true }            <- load_table returns false
// Test knobs, set before the script runs (e.g. with page.addInitScript):
//   window.__stubGranted = ["analytics"]    categories granted at start
//   window.__stubInitThrows = true          initSync throws (fail-closed mode)
//   window.__stubPlaceholder = "null" | "throw"
// and at run time window.__stub: { calls, shell, grant(list), throwIn, ... }.
let wasm_bindgen = (function () {
  const stub = {
    calls: [],
    shell: null,
    table: null,
    granted: new Set(window.__stubGranted || []),
    services: new Set(),
    undeclared: new Set(),
    checks: 0,
    throwIn: null,
    failed: null,
    record: null,
    count(name) {
      return this.calls.filter((c) => c[0] === name).length;
    },
    // grants exactly `list`, as a consent change would, then refresh()
    grant(list) {
      this.granted = new Set(list);
      this.record = { categories: Object.fromEntries((this.table ? this.table.categories : []).map((c) => [c, this.granted.has(c)])) };
      this.shell.emit("change", JSON.stringify(this.record));
      this.shell.refresh();
    },
  };
  window.__stub = stub;
  const log = (name, args) => {
    stub.calls.push([name, ...args]);
    if (stub.throwIn === name) throw new Error("stub trap in " + name);
  };
  const sameOrigin = (url) => new URL(url, location.href).origin === location.origin;
  const catOk = (c) => c === "strictly-necessary" || stub.granted.has(c);
  const serviceIndex = (host) =>
    stub.table.services.findIndex((s) => s.hosts.some((h) => host === h || host.endsWith("." + h)));

  const exports = {
    initSync({ module }) {
      log("initSync", []);
      if (window.__stubInitThrows) throw new Error("stub: WebAssembly refused");
      // Compile for real, so that a CSP without 'wasm-unsafe-eval' fails here.
      new WebAssembly.Instance(new WebAssembly.Module(module));
    },
    version() {
      return "0.0.0-stub";
    },
    boot(shell) {
      log("boot", []);
      stub.shell = shell;
    },
    load_table(text, source) {
      log("load_table", [text, source]);
      let t;
      try {
        t = JSON.parse(text);
      } catch (e) {
        return false;
      }
      if (t.invalid) return false;
      stub.table = { categories: t.categories || [], services: t.services || [], cookies: t.cookies || [] };
      return true;
    },
    table_failed(message) {
      log("table_failed", [message]);
      stub.failed = message;
    },
    dom_ready() {
      log("dom_ready", []);
    },
    decide_url(url) {
      log("decide_url", [url]);
      if (!stub.table) return sameOrigin(url) ? -1 : -2;
      const i = serviceIndex(new URL(url).hostname);
      if (i < 0) return -1;
      const s = stub.table.services[i];
      return catOk(s.category) || stub.services.has(s.id) ? -1 : i;
    },
    decide_markup(category, service) {
      log("decide_markup", [category, service]);
      if (!stub.table) return false;
      const s = stub.table.services.find((x) => x.id === service);
      return (category === "" || catOk(category)) && (service === "" || (s ? catOk(s.category) || stub.services.has(s.id) : false));
    },
    decide_cookie(write) {
      log("decide_cookie", [write]);
      const name = write.split(";")[0].split("=")[0].trim();
      if (!stub.table) return name === "consent_guard";
      const c = stub.table.cookies.find((x) => x.name === name);
      if (c) return catOk(c.category);
      if (!stub.undeclared.has(name)) {
        stub.undeclared.add(name);
        stub.shell.emit("undeclared", JSON.stringify({ name }));
      }
      return true;
    },
    placeholder(holdId, service, category) {
      log("placeholder", [holdId, service, category]);
      if (window.__stubPlaceholder === "null") return null;
      if (window.__stubPlaceholder === "throw") throw new Error("stub placeholder trap");
      const div = document.createElement("div");
      div.className = "cg-ph";
      div.dataset.holdId = String(holdId);
      div.dataset.service = service >= 0 && stub.table ? stub.table.services[service].id : "";
      div.dataset.category = category;
      const button = document.createElement("button");
      button.textContent = "Load once";
      button.addEventListener("click", () => stub.shell.releaseHeld(holdId));
      div.append(button);
      return div;
    },
    check_jar() {
      log("check_jar", []);
      stub.checks++;
    },
    service_info(index) {
      log("service_info", [index]);
      const s = stub.table && stub.table.services[index];
      return s ? s.id + "|" + s.category : "";
    },
    api_show() {
      log("api_show", []);
    },
    api_show_preferences() {
      log("api_show_preferences", []);
    },
    api_accept_all() {
      log("api_accept_all", []);
      stub.grant(stub.table.categories);
    },
    api_reject_all() {
      log("api_reject_all", []);
      stub.grant([]);
    },
    api_accept(categories) {
      log("api_accept", [categories]);
      if (!categories.every((c) => stub.table.categories.includes(c))) return false;
      stub.grant(categories);
      return true;
    },
    api_refresh() {
      log("api_refresh", []);
      stub.shell.refresh();
    },
    api_consent() {
      log("api_consent", []);
      return stub.record ? JSON.stringify(stub.record) : undefined;
    },
  };
  return exports;
})();
