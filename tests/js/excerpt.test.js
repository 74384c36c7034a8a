/* What a result card shows of an entry. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { aliasLabels, excerpt, highlight, landing } from "../../plugins/casebook/mkdocs/assets/search/excerpt.js";
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

test("the link lands on the section of the first match, with the words to highlight", () => {
  const doc = { u: "practices/a/", b: "开头。\n一、做法\n开展家风讲座。\n二、成效\n清风廉政。", h: [[4, "一做法", "一、做法"], [17, "二成效", "二、成效"]] };
  assert.equal(doc.b.slice(17, 21), "二、成效");
  assert.deepEqual(landing(TEXT, doc, ["廉政"]),
    { href: "practices/a/?hl=" + encodeURIComponent("廉政") + "#" + encodeURIComponent("二成效"), section: { id: "二成效", text: "二、成效" } });
  assert.equal(landing(TEXT, doc, ["家风", "廉政"]).section.id, "一做法"); // the first word met
  assert.deepEqual(landing(TEXT, doc, ["开头"]), { href: "practices/a/?hl=" + encodeURIComponent("开头"), section: null });
  assert.deepEqual(landing(TEXT, doc, ["没有"]).section, null);
  assert.equal(landing(TEXT, doc, ["ppt", "课件"]).href, "practices/a/?hl=ppt%20%E8%AF%BE%E4%BB%B6");
  assert.equal(landing(TEXT, doc, []).href, "practices/a/");
});

test("offsets of headings count UTF-16 units, as Python writes them for astral characters", async () => {
  const reader = engine("mixed");
  let checked = 0;
  for (let id = 0; id < (await reader.ready()).n; id++) {
    const doc = await reader.doc(id);
    for (const [offset, , text] of doc.h) { assert.ok(doc.b.startsWith(text, offset), text); checked++; }
  }
  assert.ok(checked > 0);
});

test("an entry found only through aliases says through which", () => {
  const doc = { a: [["以案促改", "警示教育", "别名"], ["群团组织", "市妇联", "所属分组"], ["2023年", "2023-06-15", "日期"]] };
  assert.deepEqual(aliasLabels(TEXT, doc, ["以案促改"]), ["经别名匹配：警示教育"]);
  assert.deepEqual(aliasLabels(TEXT, doc, ["群团", "2023年"]), ["经所属分组匹配：市妇联", "经日期匹配：2023-06-15"]);
  assert.deepEqual(aliasLabels(TEXT, doc, ["家风"]), []);
});

test("以案促改 on the sample library: entries saying it first, the alias-only ones labelled", async () => {
  const reader = engine("sample");
  const result = await reader.search("以案促改");
  const says = [];
  for (const id of result.ids) {
    const doc = await reader.doc(id);
    const own = [doc.t, doc.m, doc.b].some((t) => TEXT.normalise(t).includes("以案促改"));
    says.push(own);
    assert.equal(result.aliasOnly.has(id), !own, doc.t);
    if (!own) assert.deepEqual(aliasLabels(TEXT, doc, result.words), ["经别名匹配：警示教育"], doc.t);
  }
  const first = says.filter(Boolean).length;
  assert.ok(first > 0 && result.aliasOnly.size > first, "alias-only matches outnumber text matches");
  assert.deepEqual(says, says.map((_, i) => i < first));
});
