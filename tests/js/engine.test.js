/* The engine over the indexes Python wrote: what the page relies on beyond parity. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { Engine, IndexFormatError } from "../../plugins/casebook/mkdocs/assets/search/engine.js";
import { DIR, TEXT, engine, fileSource } from "./fixture.js";

test("an index of another format is refused, and asked again on the next search", async () => {
  const real = fileSource(join(DIR, "sample"));
  let format = TEXT.format + 1;
  const source = { manifest: async () => ({ ...(await real.manifest()), format }), file: real.file };
  const reader = new Engine(source, TEXT);
  await assert.rejects(reader.search("家风"), (e) => e instanceof IndexFormatError
    && e.found === TEXT.format + 1 && e.expected === TEXT.format);
  format = TEXT.format;
  assert.ok((await reader.search("家风")).total > 0);
});

test("no words: every entry, newest first, with counts that add up", async () => {
  const result = await engine("sample").search("", {}, "", true);
  const n = (await engine("sample").ready()).n;
  assert.deepEqual(result.ids, Array.from({ length: n }, (_, i) => i));
  const type = result.facets.findIndex((f) => f.key === "type");
  assert.equal(result.counts.type.reduce((a, b) => a + b, 0), n);
  assert.equal(result.facets[type].values.length, result.counts.type.length);
});

test("a filter by an alias is the filter by its name", async () => {
  const reader = engine("sample");
  const facets = await reader.facets();
  const unit = facets.find((f) => f.key === "unit" && f.values.some((v) => v.length > 1));
  const value = unit.values.find((v) => v.length > 1);
  const byName = await reader.search("", { unit: [value[0]] });
  const byAlias = await reader.search("", { unit: [value[1]] });
  assert.ok(byName.total > 0);
  assert.deepEqual(byAlias.ids, byName.ids);
  assert.equal((await reader.search("", { unit: ["没有这个单位"] })).total, 0);
});

test("a document is fetched once and has what a card shows", async () => {
  let reads = 0;
  const real = fileSource(join(DIR, "sample"));
  const reader = new Engine({ manifest: real.manifest, file: (p, v) => { reads++; return real.file(p, v); } }, TEXT);
  const doc = await reader.doc(0);
  await reader.doc(0);
  assert.equal(reads, 1);
  for (const key of ["t", "u", "d", "y", "n", "m", "b"]) assert.ok(key in doc, key);
});
