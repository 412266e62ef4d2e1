// js/shell.js against a stub engine: the files in tests/e2e/shell/ (named
// *.mjs, not *.test.mjs, so that `node --test tests/e2e/` runs them once,
// through this file).
import "./shell/hold.mjs";
import "./shell/release.mjs";
import "./shell/guard.mjs";
import "./shell/boot.mjs";
