/* The text rules built from Python's generated data (rules.js of the fixture). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES, TEXT } from "./fixture.js";

test("normalise folds width and case, keeps the length, leaves astral characters", () => {
  assert.equal(TEXT.normalise("ＡＢＣ１２３　Ｘｙ"), "abc123 xy");
  assert.equal(TEXT.normalise("ΣΊΣΥΦΟΣ Straße"), "σίσυφοσ straße"); // one character to one: no final sigma, no ss
  assert.equal(TEXT.normalise("İ"), "İ"); // its lower case is two characters: left as it is
  const astral = "𠀀𪚥𰀀";
  assert.equal(TEXT.normalise(astral), astral);
  assert.equal(TEXT.normalise("家风ＰＰＴ").length, "家风ＰＰＴ".length);
});

test("runs are letters and digits only, astral CJK included", () => {
  assert.deepEqual(TEXT.runs("a_b c-d 家风！12345热线"), ["a", "b", "c", "d", "家风", "12345热线"]);
  assert.deepEqual(TEXT.runs("𠀀𪚥是字"), ["𠀀𪚥是字"]);
  assert.deepEqual(TEXT.runs("①②"), ["①②"]); // No (other number) is a number
});

test("query words drop duplicates and words inside a longer one", () => {
  assert.deepEqual(TEXT.queryWords("家风 家风建设 风 家风"), ["家风建设"]);
  assert.deepEqual(TEXT.queryWords("ＰＰＴ 课件"), ["ppt", "课件"]);
  assert.deepEqual(TEXT.queryWords("！？ —"), []);
});

test("grams count code points, not UTF-16 units", () => {
  assert.deepEqual(TEXT.wordGrams("𠀀𪚥"), ["𠀀𪚥"]);
  assert.deepEqual(TEXT.wordGrams("𠀀𪚥是字"), ["𠀀𪚥是", "𪚥是字"]);
  assert.equal(TEXT.maxGram, RULES.maxGram);
});

test("fnv1a is the 32-bit FNV-1a of the UTF-8 bytes", () => {
  assert.equal(TEXT.fnv1a(""), 0x811c9dc5);
  assert.equal(TEXT.fnv1a("a"), 0xe40c292c);
  assert.equal(TEXT.fnv1a("foobar"), 0xbf9cf968);
});
