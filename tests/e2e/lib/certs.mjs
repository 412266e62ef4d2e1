// A throw-away TLS certificate for the end-to-end servers, made at test time.
//
// Third-party cookies only exist in Chromium over https with `SameSite=None;
// Secure` (../../../../shared/BROWSER-FACTS.md), so the site and the tracker
// servers speak TLS. The certificate is self-signed and the browser is told to
// ignore certificate errors; it is generated once per test process with the
// system `openssl` (part of Debian's `openssl` package, which `ca-certificates`
// depends on; scripts/install.sh installs it when missing) into a temporary
// directory that is removed when the process exits. No key is committed.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let cached = null;

/**
 * { key, cert } (PEM strings) for a certificate naming `hosts` (wildcards
 * allowed). One certificate per process: later calls return the first one,
 * whatever hosts they name, because the browser ignores the names anyway.
 * @param {string[]} hosts
 */
export function testCertificate(hosts) {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "consent-guard-cert-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const san = hosts.map((host) => `DNS:${host}`).join(",");
  try {
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-nodes",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-keyout", join(dir, "key.pem"),
        "-out", join(dir, "cert.pem"),
        "-days", "2",
        "-subj", "/CN=consent-guard e2e (throw-away)",
        "-addext", `subjectAltName=${san}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } catch (e) {
    const why = e.code === "ENOENT" ? "openssl is not installed (run make install)" : String(e.stderr ?? e);
    throw new Error(`cannot make the test TLS certificate: ${why}`);
  }
  cached = {
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
  };
  return cached;
}
