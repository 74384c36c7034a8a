/* Casebook: the searched words of ?hl= on an entry page -- the pure part.
 *
 * No DOM and no Unicode knowledge of its own: words and folding come from the
 * search's text rules (text.js over the tables Python generates), passed in
 * as ``text``, so a word the search found is the word marked here. The rules'
 * normalise keeps the length in UTF-16 units, so an offset in the folded text
 * is the same offset in the page's text. Unit-tested in Node
 * (tests/js/highlight.test.mjs); mark.js is the page part.
 */

export const MAX_PARAM = 200; // characters of ?hl= read at most
export const MAX_WORDS = 8; // words highlighted at most
export const MAX_WORD = 40; // characters per word at most
export const MAX_MARKS = 300; // marks on one page at most (bounded DOM work)

/** The words of a ?hl= value: folded and split into runs of letters and
 * digits by the search's own rules, each cut to MAX_WORD, without repeats, at
 * most MAX_WORDS. Anything else (markup, punctuation) is dropped. */
export function parseWords(value, text) {
  if (typeof value !== "string" || !value) return [];
  const found = [];
  for (const run of text.runs(text.normalise(value.slice(0, MAX_PARAM)))) {
    const word = Array.from(run).slice(0, MAX_WORD).join("");
    if (!found.includes(word)) found.push(word);
    if (found.length >= MAX_WORDS) break;
  }
  return found;
}

/** Match ranges [start, end) in ``source`` (offsets into the original string)
 * for every occurrence of any of ``words`` (as returned by parseWords):
 * substrings, since Chinese has no spaces; overlapping matches merged; sorted;
 * at most ``limit``. */
export function findRanges(source, words, text, limit = MAX_MARKS) {
  if (!words.length || !source) return [];
  const folded = text.normalise(source); // as long as source: offsets carry over
  const hits = [];
  for (const word of words) {
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + word.length)) {
      hits.push([at, at + word.length]);
    }
  }
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const [start, end] of hits) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else if (merged.length < limit) merged.push([start, end]);
    else break;
  }
  return merged;
}

/** Ranges over the concatenation of ``lengths`` (text nodes in order) as
 * pieces per node: ``[[node, start, end], ...]`` in document order. A range
 * that spans nodes gives one piece in each. */
export function splitRanges(lengths, ranges) {
  const pieces = [];
  let node = 0;
  let base = 0;
  for (const [start, end] of ranges) {
    while (node < lengths.length && base + lengths[node] <= start) base += lengths[node++];
    let n = node;
    let b = base;
    while (n < lengths.length && b < end) {
      const from = Math.max(start, b) - b;
      const to = Math.min(end, b + lengths[n]) - b;
      if (to > from) pieces.push([n, from, to]);
      b += lengths[n++];
    }
  }
  return pieces;
}
