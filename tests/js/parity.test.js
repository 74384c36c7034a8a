/* The browser's reader and reader.py over the same indexes, written by Python:
 * identical results, in the same order, for queries drawn at random from real text
 * (with astral CJK, full-width forms, compatibility characters, other scripts). */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { CASES, CHUNKS, TEXT, engine } from "./fixture.js";

test("the rules from Python give Python's normalisation and runs for every code point", () => {
  assert.equal(CHUNKS.length, 68);
  for (const chunk of CHUNKS) {
    let text = "";
    for (let cp = chunk.start; cp < chunk.end; cp++) if (cp < 0xd800 || cp > 0xdfff) text += String.fromCodePoint(cp);
    const norm = TEXT.normalise(text);
    assert.equal(norm.length, text.length);
    const digest = createHash("sha256").update(norm + "\x00" + TEXT.runs(norm).join("\x01"), "utf8").digest("hex");
    assert.equal(digest, chunk.sha256, "code points " + chunk.start.toString(16) + ".." + chunk.end.toString(16));
  }
});

for (const name of ["sample", "mixed", "slots"]) {
  test(`${name}: query words, grams, results, date order, filters and counts as reader.py`, async () => {
    const cases = CASES[name];
    assert.ok(cases.length >= 150);
    const reader = engine(name);
    let found = 0;
    for (const c of cases) {
      const words = TEXT.queryWords(c.query);
      assert.deepEqual(words, c.words, c.query);
      assert.deepEqual(words.map(TEXT.wordGrams), c.grams, c.query);
      const ranked = await reader.search(c.query, {}, "", false);
      assert.deepEqual(ranked.ids, c.ids, c.query);
      assert.deepEqual((await reader.search(c.query, {}, "date", false)).ids, c.date, c.query);
      const filtered = await reader.search(c.query, c.filters, "", true);
      assert.deepEqual(filtered.ids, c.filtered, c.query + " " + JSON.stringify(c.filters));
      const counts = {};
      for (const f of filtered.facets) {
        counts[f.key] = {};
        filtered.counts[f.key].forEach((n, i) => { if (n) counts[f.key][f.values[i][0]] = n; });
      }
      assert.deepEqual(counts, c.counts, c.query);
      if (c.ids.length) found++;
    }
    assert.ok(found > cases.length / 2, "most drawn queries find something");
  });
}
