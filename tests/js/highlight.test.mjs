// Unit tests of the pure part of the ?hl= highlighting (assets/search/highlight.js),
// with the search's own text rules as Python generates them (fixture.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as hl from "../../plugins/casebook/mkdocs/assets/search/highlight.js";
import { TEXT } from "./fixture.js";

const { splitRanges, MAX_PARAM, MAX_WORDS, MAX_WORD, MAX_MARKS } = hl;
const parseWords = (value) => hl.parseWords(value, TEXT);
const findRanges = (source, words, limit) => hl.findRanges(source, words, TEXT, limit);

/** The simple truth: every [start, end) where a word occurs, by brute force over the original string. */
function truth(text, words) {
  const covered = new Array(text.length).fill(false);
  for (const word of words) {
    for (let i = 0; i + word.length <= text.length; i++) {
      if (TEXT.normalise(text.slice(i, i + word.length)) === word) covered.fill(true, i, i + word.length);
    }
  }
  const ranges = [];
  covered.forEach((on, i) => {
    if (!on) return;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === i) last[1] = i + 1; else ranges.push([i, i + 1]);
  });
  return ranges;
}

test("words: split like a search query, folded, without repeats", () => {
  assert.deepEqual(parseWords("市场监管局 2019年"), ["市场监管局", "2019年"]);
  assert.deepEqual(parseWords("廉洁　廉洁 ＡＢＣ abc"), ["廉洁", "abc"]); // ideographic space, full width, case
  assert.deepEqual(parseWords("“以案促改”，警示教育！"), ["以案促改", "警示教育"]);
  assert.deepEqual(parseWords(""), []);
  assert.deepEqual(parseWords(null), []);
  assert.deepEqual(parseWords("  ，。 "), []);
});

test("words: markup in the parameter leaves only its letters", () => {
  const words = parseWords('<img src=x onerror="alert(1)">');
  assert.deepEqual(words, ["img", "src", "x", "onerror", "alert", "1"]);
  assert.ok(words.every((w) => /^[\p{L}\p{N}]+$/u.test(w)));
});

test("words: bounded length and count", () => {
  const many = Array.from({ length: 50 }, (_, i) => "词" + i).join(" ");
  assert.equal(parseWords(many).length, MAX_WORDS);
  assert.equal(Array.from(parseWords("长".repeat(500))[0]).length, MAX_WORD);
  const late = "甲".repeat(MAX_PARAM) + " 乙乙";
  assert.ok(!parseWords(late).includes("乙乙")); // read no further than MAX_PARAM
  const astral = "𠀀".repeat(100); // CJK Extension B: two UTF-16 units each
  assert.equal(Array.from(parseWords(astral)[0]).length, MAX_WORD);
});

test("ranges: substrings in Chinese text, overlaps merged", () => {
  const text = "市场监管局通报：市场监管局某科长违规收受礼品。";
  assert.deepEqual(findRanges(text, ["市场监管局"]), [[0, 5], [8, 13]]);
  assert.deepEqual(findRanges(text, ["市场", "场监管"]), [[0, 4], [8, 12]]);
  assert.deepEqual(findRanges(text, ["礼品"]), [[20, 22]]);
  assert.deepEqual(findRanges(text, ["纪委"]), []);
  assert.deepEqual(findRanges("", ["纪委"]), []);
  assert.deepEqual(findRanges(text, []), []);
});

test("ranges: full-width and case fold, offsets in the original text", () => {
  const text = "依据《ＡＢＣ规定》和abc办法，ABC 2019 与 ２０１９";
  const words = parseWords("abc 2019");
  const got = findRanges(text, words).map(([a, b]) => text.slice(a, b));
  assert.deepEqual(got, ["ＡＢＣ", "abc", "ABC", "2019", "２０１９"]);
});

test("ranges: astral characters stay whole; what the search does not fold is not folded", () => {
  const astral = "甲𠀀乙𠀀"; // surrogate pairs stay whole
  assert.deepEqual(findRanges(astral, parseWords("𠀀")), [[1, 3], [4, 6]]);
  assert.deepEqual(findRanges("x㍿y", parseWords("式会")), []); // the search keeps ㍿ as it is
  assert.deepEqual(parseWords("㍿"), []); // a symbol, not a letter: no word, as in a search query
});

test("ranges: bounded number of marks", () => {
  const text = "廉".repeat(3 * MAX_MARKS) ;
  const spaced = Array.from({ length: 3 * MAX_MARKS }, () => "廉 ").join("");
  assert.equal(findRanges(spaced, ["廉"]).length, MAX_MARKS);
  assert.deepEqual(findRanges(text, ["廉"]), [[0, text.length]]); // adjacent matches merge
  assert.equal(findRanges(spaced, ["廉"], 5).length, 5);
});

test("ranges agree with brute force on random texts drawn from real words", () => {
  const alphabet = Array.from("清廉机关建设案例库警示教育以案促改违规违纪收受礼品市场监管局ABCabc12");
  let seed = 20261122;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (n) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  for (let round = 0; round < 500; round++) {
    const text = pick(1 + Math.floor(random() * 80));
    const start = Math.floor(random() * text.length);
    const query = [text.slice(start, start + 1 + Math.floor(random() * 4)), pick(2)].join(" ");
    const words = parseWords(query);
    assert.deepEqual(findRanges(text, words), truth(text, words), `${text} / ${query}`);
  }
});

test("split: ranges over several text nodes become pieces per node", () => {
  // "市场" | "监管局" | "通报" : a match across the first two nodes
  assert.deepEqual(splitRanges([2, 3, 2], [[1, 4]]), [[0, 1, 2], [1, 0, 2]]);
  assert.deepEqual(splitRanges([2, 3, 2], [[0, 7]]), [[0, 0, 2], [1, 0, 3], [2, 0, 2]]);
  assert.deepEqual(splitRanges([2, 3, 2], [[5, 6], [6, 7]]), [[2, 0, 1], [2, 1, 2]]);
  assert.deepEqual(splitRanges([0, 2], [[0, 1]]), [[1, 0, 1]]);
  assert.deepEqual(splitRanges([3], []), []);
});

test("split: pieces put back together give each range's text", () => {
  const nodes = ["依据《ＡＢＣ", "规定》和a", "bc办法，", "ABC"];
  const text = nodes.join("");
  const ranges = findRanges(text, parseWords("abc 规定"));
  const pieces = splitRanges(nodes.map((n) => n.length), ranges);
  const joined = pieces.map(([n, a, b]) => nodes[n].slice(a, b)).join("|");
  assert.equal(joined, "ＡＢＣ|规定|a|bc|ABC");
});

test("words come from the search's rules: the same words its query parser finds", () => {
  for (const query of ["市场监管局 2019年", "ＰＰＴ 课件", "“以案促改”，警示教育！", "𠀀𪚥是字 ΣΊΣΥΦΟΣ"]) {
    assert.deepEqual([...parseWords(query)].sort(), [...new Set(TEXT.runs(TEXT.normalise(query)))].sort());
  }
});
