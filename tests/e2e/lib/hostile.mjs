// A cookie table written by someone hostile (issue 7, item 3): every string
// the banner, the preferences, the cookie declaration and the placeholders
// show carries markup that would run a script if it were ever parsed as
// HTML, bidi overrides, odd Unicode, U+0000 and 10,000-character strings.
// Any script it manages to run sets window.__pwned; any <img src=x> that
// reaches the DOM requests /test/failures/x from the site.

import { defaultTable } from "./trackers.mjs";

export const IMG = `<img src=x onerror="window.__pwned=1">`;
export const SCRIPT = `<script>window.__pwned=1</script>`;
/** A cookie name must not hold whitespace, "=", ";", "," or '"': markup that fits. */
export const SCRIPT_NAME = "<script>self.__pwned++</script>";
export const RLO = "\u202E"; // RIGHT-TO-LEFT OVERRIDE
export const PDF = "\u202C"; // POP DIRECTIONAL FORMATTING
export const ZALGO = "Z\u0334\u0322\u0327a\u0337l\u0336g\u0338o\u0335"; // combining marks
export const EMOJI = "\u{1F36A}\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}\u{1F3F3}\uFE0F\u200D\u{1F308}";
export const NUL = "\u0000";

/** A string of exactly `length` characters: markup first, then words, then one unbroken run. */
export function long(length = 10000, head = IMG) {
  const words = " cookie".repeat(600);
  const s = `${head} ${words} ${"W".repeat(length)}`;
  return s.slice(0, length);
}

/** The demo's table with hostile strings in every place a visitor sees. */
export function hostileTable() {
  const table = defaultTable();
  table.texts = {
    en: {
      title: long(10000),
      description: `${SCRIPT} ${ZALGO} ${EMOJI} nul:${NUL}: ${RLO}evil${PDF} done`,
      servicesIntro: `<a href="javascript:window.__pwned=1">third parties</a>`,
      policyLink: `Policy ${IMG}`,
      placeholderTitle: `{service} ${IMG}`,
      placeholderText: `${SCRIPT} {service} {category}`,
      saved: `Saved ${SCRIPT}`,
      categories: {
        analytics: { title: `Analytics ${IMG}`, description: `${SCRIPT} ${RLO}stats${PDF}` },
      },
    },
  };
  const service = (id) => table.services.find((s) => s.id === id);
  service("youtube").name = `YouTube ${IMG}`;
  service("youtube").provider = `${SCRIPT} Google`;
  service("google-analytics").name = `${RLO}scitylanA elgooG${PDF}`;
  service("google-analytics").provider = `${ZALGO} ${EMOJI}`;
  service("doubleclick").name = long(10000, `DoubleClick ${SCRIPT}`);
  service("doubleclick").provider = long(10000, `Google ${IMG}`);
  const cookie = (name) => table.cookies.find((c) => c.name === name);
  cookie("PHPSESSID").justification = `${IMG} ${RLO}session${PDF}`;
  cookie("__utma").purpose = `${IMG} ${ZALGO}`;
  cookie("__utma").duration = `${SCRIPT} ${EMOJI}`;
  cookie("IDE").purpose = long(10000, `${SCRIPT}${NUL}`);
  cookie("IDE").duration = `${RLO}2 years${PDF} ${NUL}`;
  table.cookies.push({
    name: SCRIPT_NAME,
    service: "doubleclick",
    party: "third",
    domain: "doubleclick.net",
    purpose: `${IMG}`,
    duration: `${SCRIPT}`,
  });
  return table;
}
