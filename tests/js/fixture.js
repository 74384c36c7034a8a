/* The fixture written by Python (make_fixture.py): the pytest test
 * tests/test_js.py writes it once and passes its folder in CASEBOOK_JS_FIXTURE;
 * `node --test tests/js/` run alone writes it with the project's Python. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "../../plugins/casebook/mkdocs/assets/search/engine.js";
import { textRules } from "../../plugins/casebook/mkdocs/assets/search/text.js";
import { fileSource } from "./nodesource.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");

function fixtureDir() {
  if (process.env.CASEBOOK_JS_FIXTURE) return process.env.CASEBOOK_JS_FIXTURE;
  const dir = mkdtempSync(join(tmpdir(), "casebook-js-"));
  const venv = join(ROOT, ".venv", "bin", "python");
  execFileSync(existsSync(venv) ? venv : "python3", [join(HERE, "make_fixture.py"), dir], { stdio: "inherit" });
  process.env.CASEBOOK_JS_FIXTURE = dir;
  return dir;
}

export const DIR = fixtureDir();
export const RULES = (await import(join(DIR, "rules.js"))).default;
export const TEXT = textRules(RULES);
export const CASES = JSON.parse(readFileSync(join(DIR, "cases.json"), "utf-8"));
export const CHUNKS = JSON.parse(readFileSync(join(DIR, "chunks.json"), "utf-8"));

/** A fresh engine over one of the fixture's indexes ("sample", "mixed" or "slots"). */
export function engine(name) {
  return new Engine(fileSource(join(DIR, name)), TEXT);
}
export { fileSource };
