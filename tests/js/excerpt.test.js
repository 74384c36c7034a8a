/* What a result card shows of an entry. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { excerpt, highlight } from "../../plugins/casebook/mkdocs/assets/search/excerpt.js";
import { TEXT, engine } from "./fixture.js";

test("highlight marks what matches after normalisation, in the original text", () => {
  assert.deepEqual(highlight(TEXT, "用ＰＰＴ课件", ["ppt"]),
    [{ text: "用", hit: false }, { text: "ＰＰＴ", hit: true }, { text: "课件", hit: false }]);
  assert.deepEqual(highlight(TEXT, "家风家风", ["家风"]), [{ text: "家风家风", hit: true }]);
  assert.deepEqual(highlight(TEXT, "", ["家风"]), []);
});

test("the excerpt starts at the sentence holding the first match", () => {
  const doc = { b: "第一句很长的开头。第二句说到家风建设的事。第三句。", m: "" };
  const ex = excerpt(TEXT, doc, ["家风"], 20);
  assert.equal(ex.meta, "");
  const text = ex.pieces.map((p) => p.text).join("");
  assert.ok(text.startsWith("……第二句说到家风"), text);
  assert.deepEqual(ex.pieces.filter((p) => p.hit).map((p) => p.text), ["家风"]);
});

test("without the words in the body, the start of the body and the matching metadata", () => {
  const doc = { b: "正文开头。", m: "经验做法\n市妇联\n市妇女联合会\n家风" };
  const ex = excerpt(TEXT, doc, ["妇"], 110);
  assert.equal(ex.meta, "市妇联、市妇女联合会");
  assert.equal(ex.pieces.map((p) => p.text).join(""), "正文开头。");
});

test("excerpts of real documents hold the query word", async () => {
  const reader = engine("sample");
  const result = await reader.search("廉政");
  assert.ok(result.total > 0);
  for (const id of result.ids) {
    const ex = excerpt(TEXT, await reader.doc(id), result.words);
    const shown = ex.meta + ex.pieces.map((p) => p.text).join("");
    assert.ok(TEXT.normalise(shown).includes("廉政") || TEXT.normalise((await reader.doc(id)).t).includes("廉政"), id);
  }
});
