/* What a result card shows of an entry: its text cut around the query words,
 * with the words marked. Plain data in, plain data out: no DOM. */

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

/** An excerpt of the body around the first match, or, where no word is in the body,
 *  the start of the body and the metadata lines that match. */
export function excerpt(rules, doc, words, size = 110) {
  const body = doc.b || "";
  const norm = rules.normalise(body);
  let first = -1;
  for (const w of words) {
    const at = norm.indexOf(w);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
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
