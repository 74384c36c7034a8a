/* Casebook: highlight the searched words on an entry page (?hl=词 词).
 *
 * An ES module with no imports. The pure part (parse the parameter, fold text,
 * find match ranges, split them over text nodes) is exported and unit-tested in
 * Node (tests/js/highlight.test.mjs); the DOM part runs only in a page. Nothing
 * from the address is ever parsed as HTML: words reach the page as text nodes.
 *
 * Folding: search.js keeps its rules private, so this folds each code point by
 * case and NFKC (toLowerCase, String.prototype.normalize). That covers the search's
 * own fold (full-width forms, ideographic space, case): tests/test_highlight.py
 * proves every pair Python's search.text.normalise makes equal folds equal here.
 */

export const MAX_PARAM = 200; // characters of ?hl= read at most
export const MAX_WORDS = 8; // words highlighted at most
export const MAX_WORD = 40; // characters per word at most
export const MAX_MARKS = 300; // marks on one page at most (bounded DOM work)

const RUN = /[\p{L}\p{N}]+/gu; // a word is a run of letters and digits, as in the search

/** Text folded for matching, with where each folded unit came from:
 * ``starts[i]``/``ends[i]`` are the offsets in ``text`` of the code point that
 * gave folded unit ``i`` (NFKC may turn one code point into several units). */
export function fold(text) {
  let folded = "";
  const starts = [];
  const ends = [];
  let offset = 0;
  for (const ch of text) {
    // case first: NFKC may map a capital to another letter than its small form (Ϲ → Σ, ϲ → ς)
    const out = ch.toLowerCase().normalize("NFKC").toLowerCase();
    for (let k = 0; k < out.length; k++) {
      starts.push(offset);
      ends.push(offset + ch.length);
    }
    folded += out;
    offset += ch.length;
  }
  return { folded, starts, ends };
}

/** The words of a ?hl= value: folded, split into runs of letters and digits
 * (as the search splits a query), each cut to MAX_WORD, without repeats, at
 * most MAX_WORDS. Anything else (markup, punctuation) is dropped. */
export function parseWords(value) {
  if (typeof value !== "string" || !value) return [];
  const text = fold(value.slice(0, MAX_PARAM)).folded;
  const found = [];
  for (const run of text.match(RUN) || []) {
    const word = Array.from(run).slice(0, MAX_WORD).join("");
    if (!found.includes(word)) found.push(word);
    if (found.length >= MAX_WORDS) break;
  }
  return found;
}

/** Match ranges [start, end) in ``text`` (offsets into the original string)
 * for every occurrence of any of ``words`` (as returned by parseWords):
 * substrings, since Chinese has no spaces; overlapping matches merged; sorted;
 * at most ``limit``. */
export function findRanges(text, words, limit = MAX_MARKS) {
  if (!words.length || !text) return [];
  const { folded, starts, ends } = fold(text);
  const hits = [];
  for (const word of words) {
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + word.length)) {
      hits.push([starts[at], ends[at + word.length - 1]]);
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

// ------------------------------------------------------------------ the page

const BODY = ".cb-entry .cb-body";
const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "MARK", "svg"]);
const BLOCK = /^(P|LI|TD|TH|H[1-6]|DT|DD|PRE|BLOCKQUOTE|DIV|SECTION|CAPTION|SUMMARY|FIGCAPTION)$/;

/** The text nodes under ``root`` grouped by their block (a word never spans
 * two paragraphs or two table cells). */
function textBlocks(root) {
  const blocks = new Map();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el && el !== root; el = el.parentElement) {
        if (SKIP.has(el.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return node.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let block = node.parentElement;
    while (block !== root && !BLOCK.test(block.tagName)) block = block.parentElement;
    if (!blocks.has(block)) blocks.set(block, []);
    blocks.get(block).push(node);
  }
  return [...blocks.values()];
}

/** Wrap each match in <mark class="casebook-hl">; returns the marks. */
export function markWords(root, words) {
  const marks = [];
  for (const nodes of textBlocks(root)) {
    if (marks.length >= MAX_MARKS) break;
    const text = nodes.map((n) => n.data).join("");
    const ranges = findRanges(text, words, MAX_MARKS - marks.length);
    const pieces = splitRanges(nodes.map((n) => n.data.length), ranges);
    // From the last piece back, so earlier offsets in a node stay valid.
    const made = [];
    for (let i = pieces.length - 1; i >= 0; i--) {
      const [index, from, to] = pieces[i];
      const matched = nodes[index].splitText(from);
      matched.splitText(to - from);
      const mark = document.createElement("mark");
      mark.className = "casebook-hl";
      matched.replaceWith(mark);
      mark.appendChild(matched);
      made.unshift(mark);
    }
    marks.push(...made);
  }
  return marks;
}

function clear(root, bar) {
  for (const mark of root.querySelectorAll("mark.casebook-hl")) {
    const parent = mark.parentNode;
    mark.replaceWith(...mark.childNodes);
    parent.normalize();
  }
  bar.remove();
  const url = new URL(location.href);
  url.searchParams.delete("hl");
  history.replaceState(history.state, "", url);
}

/** The line above the body: what is highlighted, and the control to clear it. */
function makeBar(root, words, count) {
  const bar = document.createElement("div");
  bar.className = "casebook-hl-bar";
  bar.setAttribute("role", "status");
  const label = document.createElement("span");
  label.textContent = count
    ? `已标出 ${count} 处：${words.join("、")}`
    : `正文中没有找到：${words.join("、")}`;
  bar.appendChild(label);
  if (count) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "casebook-hl-clear";
    button.textContent = "取消高亮";
    button.addEventListener("click", () => {
      clear(root, bar);
      const title = root.closest("article")?.querySelector("h1");
      if (title) { // keep the keyboard's place: the button is gone
        title.tabIndex = -1;
        title.focus();
      }
    });
    bar.appendChild(button);
  }
  root.before(bar);
  return bar;
}

function start() {
  const root = document.querySelector(BODY);
  const words = parseWords(new URLSearchParams(location.search).get("hl") || "");
  if (!root || !words.length) return;
  const marks = markWords(root, words);
  makeBar(root, words, marks.length);
  let anchor = null;
  try {
    anchor = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  } catch {
    anchor = null; // a malformed %-escape: no anchor
  }
  const target = anchor || marks[0];
  if (target) target.scrollIntoView({ block: anchor ? "start" : "center" });
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
