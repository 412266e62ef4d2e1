#!/usr/bin/env node
// Checks schema/cookies.schema.json (JSON Schema draft 2020-12) against the
// cookie tables we ship and our fixtures:
//   must validate:  www/cookies.json, examples/*.json, tests/fixtures/valid/*.json
//   must be rejected: tests/fixtures/schema-invalid/*.json (each must still be
//                     well-formed JSON: it tests the schema, not the parser)
// Prints one line per file and "schema: N passed, M failed"; exits 1 on any
// failure. Skips (exit 0) while the schema file does not exist.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(root, "schema/cookies.schema.json");
const rel = (p) => relative(root, p);

if (!existsSync(schemaPath)) {
  console.log(`schema: skipped (${rel(schemaPath)} does not exist yet)`);
  process.exit(0);
}

const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
// Annotations editors understand (VS Code); allowed in the schema, no effect here.
ajv.addVocabulary([
  "markdownDescription",
  "enumDescriptions",
  "markdownEnumDescriptions",
  "defaultSnippets",
  "deprecationMessage",
  "errorMessage",
]);

let validate;
try {
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
} catch (e) {
  console.log(`FAIL: ${rel(schemaPath)}: ${e.message}`);
  console.log("schema: 0 passed, 1 failed");
  process.exit(1);
}

const jsonFiles = (dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => join(root, dir, name))
    : [];

const mustPass = [
  ...[join(root, "www/cookies.json")].filter(existsSync),
  ...jsonFiles("examples"),
  ...jsonFiles("tests/fixtures/valid"),
];
const mustFail = jsonFiles("tests/fixtures/schema-invalid");

let passed = 0;
let failed = 0;
const fail = (file, why) => {
  failed++;
  console.log(`FAIL: ${rel(file)}: ${why}`);
};
const describe = (errors) =>
  errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");

function load(file) {
  try {
    return { data: JSON.parse(readFileSync(file, "utf8")) };
  } catch (e) {
    return { error: `not well-formed JSON: ${e.message}` };
  }
}

for (const file of mustPass) {
  const { data, error } = load(file);
  if (error) fail(file, error);
  else if (!validate(data)) fail(file, `rejected by the schema: ${describe(validate.errors)}`);
  else {
    passed++;
    console.log(`ok: ${rel(file)} validates`);
  }
}
for (const file of mustFail) {
  const { data, error } = load(file);
  if (error) fail(file, error);
  else if (validate(data)) fail(file, "accepted by the schema, but it is a schema-invalid fixture");
  else {
    passed++;
    console.log(`ok: ${rel(file)} rejected (${describe(validate.errors)})`);
  }
}

console.log(`schema: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
