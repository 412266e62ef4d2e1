// Small statistics and formatting helpers for the benchmark report.

/** Median of the finite numbers in `xs`, or null when there are none. */
export function median(xs) {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function min(xs) {
  const v = xs.filter(Number.isFinite);
  return v.length ? Math.min(...v) : null;
}

export function max(xs) {
  const v = xs.filter(Number.isFinite);
  return v.length ? Math.max(...v) : null;
}

/** { median, min, max, n } over the finite numbers of xs. */
export function summary(xs) {
  return { median: median(xs), min: min(xs), max: max(xs), n: xs.filter(Number.isFinite).length };
}

/** a / b, or null when either is missing or b is 0. */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

export const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–"),
  ms: (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–"),
  ratio: (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : "–"),
  pct: (r) => (Number.isFinite(r) ? `${r >= 0 ? "+" : ""}${(r * 100).toFixed(1)} %` : "–"),
  range: (s, f) => (s && s.n ? `${f(s.min)}–${f(s.max)}` : "–"),
};

/** A GitHub-flavoured Markdown table (also readable as plain text). */
export function table(headers, rows, align = []) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? "")));
  const width = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const pad = (s, i) => (align[i] === "r" ? s.padStart(width[i]) : s.padEnd(width[i]));
  const line = (r) => `| ${r.map(pad).join(" | ")} |`;
  const rule = `|${width.map((w, i) => (align[i] === "r" ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|")}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}
