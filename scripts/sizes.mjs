#!/usr/bin/env node
// Prints raw / gzip / brotli sizes of the files given (what a visitor downloads
// depends on the server's compression, so we show both).
// Usage: node scripts/sizes.mjs FILE...
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);

if (process.argv[1] && process.argv[1].endsWith("sizes.mjs")) {
  const files = process.argv.slice(2);
  const width = Math.max(...files.map((f) => f.length));
  console.log(`${"size".padEnd(width)}   ${"raw".padStart(10)} ${"gzip".padStart(10)} ${"brotli".padStart(10)}`);
  for (const file of files) {
    const s = sizes(readFileSync(file));
    console.log(`${file.padEnd(width)}   ${kb(s.raw)} ${kb(s.gzip)} ${kb(s.brotli)}   (${s.raw} / ${s.gzip} / ${s.brotli} bytes)`);
  }
}
