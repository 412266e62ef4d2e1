// The page variants the benchmark compares, the files each one serves, and
// how to find each one's banner. Every variant is the same demo article
// (bench/site/article.html) with the consent manager's tags put where that
// manager's own documentation puts them.

import { readFileSync } from "node:fs";
import { join } from "node:path";

export function variants({ repoRoot, benchDir }) {
  const peer = (pkg, file) => join(benchDir, "node_modules", pkg, file);
  const config = (name) => join(benchDir, "configs", name);
  const table = readFileSync(join(repoRoot, "www/cookies.json"), "utf8");
  // JSON may not contain "</script" inside a script element; "<\/" is the
  // same JSON string.
  const inlineTable = table.trim().replace(/<\//g, "<\\/");
  const cgBanner = { shadow: true, acceptText: "Accept all" };

  return [
    {
      id: "baseline",
      label: "baseline (no consent manager)",
      head: "",
      bodyEnd: "",
      files: {},
      banner: null,
    },
    {
      id: "consent-guard",
      label: "consent-guard (data-config)",
      ours: true,
      head: `<script src="/pkg/consent-guard.js" data-config="/cm/consent-guard/cookies.json"></script>`,
      bodyEnd: "",
      files: { "/cm/consent-guard/cookies.json": join(repoRoot, "www/cookies.json") },
      banner: cgBanner,
      acceptAllApi: true,
      guard: true,
    },
    {
      id: "consent-guard-inline",
      label: "consent-guard (inline table)",
      ours: true,
      head:
        `<script src="/pkg/consent-guard.js"></script>\n` +
        `<script type="application/json" id="consent-guard-config">${inlineTable}</script>`,
      bodyEnd: "",
      files: {},
      banner: cgBanner,
      acceptAllApi: true,
    },
    {
      id: "orestbida",
      label: "vanilla-cookieconsent 3.1.0 (orestbida)",
      head: `<link rel="stylesheet" href="/cm/orestbida/cookieconsent.css">`,
      bodyEnd:
        `<script defer src="/cm/orestbida/cookieconsent.umd.js"></script>\n` +
        `<script defer src="/cm/orestbida/config.js"></script>`,
      files: {
        "/cm/orestbida/cookieconsent.css": peer("vanilla-cookieconsent", "dist/cookieconsent.css"),
        "/cm/orestbida/cookieconsent.umd.js": peer("vanilla-cookieconsent", "dist/cookieconsent.umd.js"),
        "/cm/orestbida/config.js": config("orestbida.js"),
      },
      banner: { banner: "#cc-main .cm", accept: '#cc-main .cm [data-role="all"]' },
    },
    {
      id: "osano",
      label: "Osano cookieconsent 3.1.1",
      head: `<link rel="stylesheet" href="/cm/osano/cookieconsent.min.css">`,
      bodyEnd:
        `<script src="/cm/osano/cookieconsent.min.js"></script>\n` +
        `<script src="/cm/osano/config.js"></script>`,
      files: {
        "/cm/osano/cookieconsent.min.css": peer("cookieconsent", "build/cookieconsent.min.css"),
        "/cm/osano/cookieconsent.min.js": peer("cookieconsent", "build/cookieconsent.min.js"),
        "/cm/osano/config.js": config("osano.js"),
      },
      banner: { banner: ".cc-window", accept: ".cc-window .cc-allow" },
    },
    {
      id: "klaro",
      label: "klaro 0.7.22",
      head:
        `<script defer src="/cm/klaro/config.js"></script>\n` +
        `<script defer src="/cm/klaro/klaro.js"></script>`,
      bodyEnd: "",
      files: {
        "/cm/klaro/config.js": config("klaro.js"),
        "/cm/klaro/klaro.js": peer("klaro", "dist/klaro.js"),
      },
      banner: { banner: ".klaro .cookie-notice", accept: ".klaro .cookie-notice .cm-btn-success" },
    },
    {
      id: "yett",
      label: "yett 0.1.13 (blocker only)",
      head:
        `<script src="/cm/yett/config.js"></script>\n` +
        `<script src="/cm/yett/yett.min.js"></script>`,
      bodyEnd: "",
      files: {
        "/cm/yett/config.js": config("yett.js"),
        "/cm/yett/yett.min.js": peer("yett", "dist/yett.min.js"),
      },
      banner: null,
      blockerOnly: true,
      guard: true,
    },
  ];
}

/** The article HTML for one variant; `guard` adds the guard-test script. */
export function pageHtml(template, variant, { guard = false } = {}) {
  let bodyEnd = variant.bodyEnd;
  if (guard) bodyEnd += `\n<script src="/assets/guard-test.js"></script>`;
  return template.replace("<!--@@HEAD@@-->", variant.head).replace("<!--@@BODY_END@@-->", bodyEnd);
}
