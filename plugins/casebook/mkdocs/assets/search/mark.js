/* Casebook: mark the searched words on an entry page on arrival (?hl=词 词).
 *
 * The page part of highlight.js: wraps matches in <mark class="casebook-hl">
 * (DOM nodes only: nothing from the address is ever parsed as HTML), scrolls
 * to the #anchor or the first mark, and offers 取消高亮. Loaded only by entry
 * pages, as a module under a content-hash name (search_assets.py).
 */
import RULES from "./rules.js";
import { textRules } from "./text.js";
import { MAX_MARKS, findRanges, parseWords, splitRanges } from "./highlight.js";

const TEXT = textRules(RULES);
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
function markWords(root, words) {
  const marks = [];
  for (const nodes of textBlocks(root)) {
    if (marks.length >= MAX_MARKS) break;
    const text = nodes.map((n) => n.data).join("");
    const ranges = findRanges(text, words, TEXT, MAX_MARKS - marks.length);
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
  const words = parseWords(new URLSearchParams(location.search).get("hl") || "", TEXT);
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
