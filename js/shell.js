// PLACEHOLDER bootstrap, written with the build tooling so pkg/consent-guard.js
// can be built and smoke-tested; the runtime replaces it.
//
// scripts/assemble.mjs puts this file inside the IIFE of pkg/consent-guard.js,
// after the wasm-bindgen no-modules glue. In scope:
//   wasm_bindgen  the glue (initSync, and the #[wasm_bindgen] exports)
//   WASM_BASE64   the optimised wasm, base64
//   CONFIG        null, or the cookie table the CLI's `bundle` command inlined

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  var binary = atob(text);
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Synchronous on purpose: the engine must run before the parser reaches the
// next element of the page.
wasm_bindgen.initSync({ module: decodeBase64(WASM_BASE64) });
window.__consentGuardVersion = wasm_bindgen.version();
