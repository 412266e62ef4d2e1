#!/usr/bin/env node
// Checks that the shell tests can fail: builds the stub bundle from copies of
// js/shell.js with one hook deliberately broken, runs the tests that cover
// that hook, and reports any mutant that survives (all its tests passed).
// Not part of `make test` (a few minutes); run it after changing the tests:
//   node tests/e2e/shell/check-mutants.mjs [NAME...]
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../lib/harness.mjs";

// name: [[text in js/shell.js, replacement], ...more pairs, --test-name-pattern]
const MUTANTS = {
  "no neutering in the src setter": [
    "      nSetAttr.call(el, 'type', 'text/plain');\n    }\n    return v;",
    "    }\n    return v;",
    "script src set after insertion|createElement\\+appendChild script",
  ],
  "insertion hooks skip fragments": ["if (t === 11 && node.firstElementChild)", "if (false)", "DocumentFragment|fragment"],
  "setter lets images through": ["  if (FRAMED[ln] && el.isConnected) placehold(r);\n  return HOLD;", "  return v;", "new Image|srcset|setAttributeNode"],
  "no iframe realms": ["      installRealm(w);\n", "", "iframe realm"],
  "no nonce copy": ["if (old.nonce) s.nonce = old.nonce;", "", "nonce"],
  "no chaining": ["waiting = wait;", "waiting = false;", "nonce"],
  // "Once" has three independent guards: remove them all.
  "released twice": [
    ["  if (r.state !== HELD) return;\n  const el = r.el;", "  const el = r.el;"],
    ["    if (r.state === HELD) {\n      if (anchor(r)", "    if (r.state !== LIVE) {\n      if (anchor(r)"],
    ["    if (!old.parentNode) {", "    if (false) {"],
    "once",
  ],
  "cookie guard allows": ["if (cookieOk(String(v))) ck.set.call(this, v);", "ck.set.call(this, v);", "document.cookie|realms are guarded"],
  "document.write not rewritten": ["const out = rewrite(text);", "const out = text;", "document.write"],
  "released write replaces the page": ["if (cs && mine.has(cs)) return writeAfter(", "if (false) return writeAfter(", "document.write"],
  "XHR not held": ["if (verdict(url) !== -1) arguments[1]", "if (false) arguments[1]", "XMLHttpRequest"],
  "fail-closed allows cross-origin": ["if (!live) return url.origin === location.origin ? -1 : -2;", "if (!live) return -1;", "fail-closed"],
  "trap allows": ["n = ask('decide_url', [url.href], -2);", "n = ask('decide_url', [url.href], -1);", "trap in decide_url"],
  "no placeholder": ["    placehold(r);\n    return r.ph;", "    return el;", "placeholder"],
  "no Trusted Types policy": ["return policy ? policy['create' + kind](value) : value;", "return value;", "Trusted Types"],
  "innerHTML emptied through a sink": ["nText.call(this, ''); // not", "set.call(this, ''); // not", "Trusted Types"],
  "no stand-in for held embeds": ["return r && r.ph && !n.isConnected && r.ph.isConnected ? r.ph : n;", "return n;", "page code can still"],
  "head-time parse falls back to the loading one": ["c.nodeType === 1 ? c : doc.documentElement, v)", "c.nodeType === 1 ? c : doc.body, v)", "from the head"],
  "late inline table ignored": ["      if (cfgWait && n.id === 'consent-guard-config') cfgEl = n;\n", "", "appearing after the embed"],
};

const only = process.argv.slice(2);
const source = readFileSync(join(repoRoot, "js/shell.js"), "utf8");
const dir = join(repoRoot, "target/shell-mutants");
mkdirSync(dir, { recursive: true });
let survivors = 0;
for (const [name, spec] of Object.entries(MUTANTS)) {
  if (only.length && !only.includes(name)) continue;
  const pattern = spec.pop();
  const pairs = Array.isArray(spec[0]) ? spec : [spec];
  const stale = pairs.find(([from]) => !source.includes(from));
  if (stale) {
    console.log(`STALE   ${name}: "${stale[0]}" is no longer in js/shell.js`);
    survivors++;
    continue;
  }
  const file = join(dir, name.replace(/\W+/g, "-") + ".js");
  writeFileSync(file, pairs.reduce((text, [from, to]) => text.replace(from, to), source));
  const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", `--test-name-pattern=${pattern}`, "tests/e2e/shell.test.mjs"], {
    cwd: repoRoot,
    env: { ...process.env, CG_SHELL: file },
    encoding: "utf8",
  });
  const fail = Number(/^# fail (\d+)/m.exec(run.stdout)?.[1] ?? 0);
  const pass = Number(/^# pass (\d+)/m.exec(run.stdout)?.[1] ?? 0);
  if (fail > 0) console.log(`killed  ${name} (${fail} of ${fail + pass} tests failed)`);
  else {
    survivors++;
    console.log(`SURVIVED ${name} (${pass} tests passed)`);
  }
}
console.log(survivors ? `${survivors} mutant(s) survived` : "every mutant was killed");
process.exit(survivors ? 1 : 0);
