/* The text rules of plugins/casebook/search/text.py, built from the tables
 * Python generates (rules.py): normalisation, runs of letters and digits,
 * query words, grams and the shard hash. No Unicode knowledge of the browser's
 * own (toLowerCase, \p{L}, normalize) is used, so a browser with another Unicode
 * version still sees text exactly as the index writer did. */

function hex(cp) {
  return "\\u{" + cp.toString(16) + "}";
}

/** The rules object the other modules use, from the generated data. */
export function textRules(rules) {
  const fold = new Map();
  for (let i = 0, source = 0; i < rules.fold.length; i += 2) {
    source += rules.fold[i];
    fold.set(String.fromCharCode(source), String.fromCharCode(source + rules.fold[i + 1]));
  }
  // Every folded character is one BMP code unit to one BMP code unit: lengths never change.
  const folded = new RegExp("[" + Array.from(fold.keys(), (c) => hex(c.charCodeAt(0))).join("") + "]", "gu");
  const parts = [];
  for (let i = 0, end = -1; i < rules.letters.length; i += 2) {
    const first = end + rules.letters[i];
    end = first + rules.letters[i + 1];
    parts.push(first === end ? hex(first) : hex(first) + "-" + hex(end));
  }
  const run = new RegExp("[" + parts.join("") + "]+", "gu");
  const maxGram = rules.maxGram;
  const encoder = new TextEncoder();

  /** Case- and width-folded text, as long (in UTF-16 units) as the input. */
  function normalise(text) {
    return text.replace(folded, (c) => fold.get(c));
  }

  /** The runs of letters and digits in already-normalised text. */
  function runs(normalised) {
    return normalised.match(run) || [];
  }

  /** Query words: runs, without duplicates and without words inside a longer word. */
  function queryWords(query) {
    const unique = Array.from(new Set(runs(normalise(query))));
    const length = (s) => Array.from(s).length; // in code points, like Python's len
    unique.sort((a, b) => length(b) - length(a)); // stable, as Python's sorted
    const words = [];
    for (const w of unique) if (!words.some((longer) => longer.includes(w))) words.push(w);
    return words;
  }

  /** The grams a word is looked up by: itself up to maxGram characters, else its trigrams. */
  function wordGrams(word) {
    const cps = Array.from(word);
    if (cps.length <= maxGram) return [word];
    const grams = [];
    for (let i = 0; i + maxGram <= cps.length; i++) grams.push(cps.slice(i, i + maxGram).join(""));
    return grams;
  }

  /** 32-bit FNV-1a of the UTF-8 bytes: the shard of a key. */
  function fnv1a(text) {
    let h = 0x811c9dc5;
    for (const byte of encoder.encode(text)) h = Math.imul(h ^ byte, 0x01000193);
    return h >>> 0;
  }

  return { format: rules.format, maxGram, weights: rules.weights, normalise, runs, queryWords, wordGrams, fnv1a };
}
