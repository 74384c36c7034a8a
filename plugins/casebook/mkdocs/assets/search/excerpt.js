/* What a result card shows of an entry: its text cut around the query words,
 * with the words marked, the section they are in, the link that lands there, and
 * why an entry found only through aliases is a result. Plain data in, plain data
 * out: no DOM. A document (index.py doc_json) has the body `b`, its headings `h`
 * ([offset in b, id on the entry page, text]) and its aliases `a` ([word, name, kind]). */

/** Text cut into [{text, hit}] pieces: the query words marked. */
export function highlight(rules, text, words) {
  const norm = rules.normalise(text);
  const marks = new Uint8Array(text.length);
  for (const w of words) {
    for (let at = norm.indexOf(w); at >= 0; at = norm.indexOf(w, at + 1)) marks.fill(1, at, at + w.length);
  }
  const pieces = [];
  for (let i = 0; i < text.length;) {
    let j = i;
    while (j < text.length && marks[j] === marks[i]) j++;
    pieces.push({ text: text.slice(i, j), hit: marks[i] === 1 });
    i = j;
  }
  return pieces;
}

const SENTENCE_END = /[。！？；\n]/;

/** Where in the body the first query word is (-1: in none). */
export function firstMatch(rules, body, words) {
  const norm = rules.normalise(body);
  let first = -1;
  for (const w of words) {
    const at = norm.indexOf(w);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/** The heading {id, text} of the section holding offset `at` of the body, if any. */
export function sectionAt(doc, at) {
  let found = null;
  for (const [offset, id, text] of doc.h || []) {
    if (offset > at) break;
    found = { id, text };
  }
  return at >= 0 ? found : null;
}

/** The link of a result, relative to the site root: the entry, the words to highlight
 *  there (?hl=, the query words), the section where they first occur (#heading id). */
export function landing(rules, doc, words) {
  const section = sectionAt(doc, firstMatch(rules, doc.b || "", words));
  const href = doc.u + (words.length ? "?hl=" + encodeURIComponent(words.join(" ")) : "")
    + (section ? "#" + encodeURIComponent(section.id) : "");
  return { href, section };
}

/** For an entry found only through other names: one label per name it was found by,
 *  e.g. “经别名匹配：警示教育” (以案促改 is an alias of the theme 警示教育). */
export function aliasLabels(rules, doc, words) {
  const labels = [];
  for (const [word, name, kind] of doc.a || []) {
    const norm = rules.normalise(word);
    if (!words.some((w) => norm.includes(w))) continue;
    const label = "经" + kind + "匹配：" + name;
    if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** An excerpt of the body around the first match, or, where no word is in the body,
 *  the start of the body and the metadata lines that match. */
export function excerpt(rules, doc, words, size = 110) {
  const body = doc.b || "";
  const first = firstMatch(rules, body, words);
  if (first < 0) {
    const metaLines = (doc.m || "").split("\n").filter((line) => {
      const n = rules.normalise(line);
      return words.some((w) => n.includes(w));
    });
    const start = body.slice(0, size).replace(/\n/g, " ") + (body.length > size ? "……" : "");
    return { meta: metaLines.slice(0, 4).join("、"), pieces: highlight(rules, start, words) };
  }
  let from = Math.max(0, first - 40);
  for (let k = first - 1; k >= from; k--) {
    if (SENTENCE_END.test(body[k])) { from = k + 1; break; }
  }
  const to = Math.min(body.length, from + size);
  const text = (from > 0 ? "……" : "") + body.slice(from, to).replace(/\n/g, " ") + (to < body.length ? "……" : "");
  return { meta: "", pieces: highlight(rules, text, words) };
}
