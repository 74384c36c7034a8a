/* Casebook search in the page: the header box and the /search/ page (the DOM side;
 * the engine, the text rules and the excerpts are plain modules beside this one).
 * Nothing is fetched from outside the site, and index data only when a reader
 * starts searching. `./rules.js` is generated from the Python rules at build time
 * (plugins/casebook/search/rules.py); the plugin serves every module under a
 * name with its content hash. */

import RULES from "./rules.js";
import { textRules } from "./text.js";
import { Engine, IndexFormatError } from "./engine.js";
import { fetchSource } from "./source.js";
import { aliasLabels, excerpt, highlight, landing } from "./excerpt.js";

var TEXT = textRules(RULES);
var TYPE_LABELS = RULES.types;

// ------------------------------------------------------------------ helpers

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  if (attrs) Object.keys(attrs).forEach(function (k) {
    if (k === "text") node.textContent = attrs[k];
    else if (k === "className") node.className = attrs[k];
    else node.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return node;
}

function marked(pieces) {
  var frag = document.createDocumentFragment();
  pieces.forEach(function (p) { frag.appendChild(p.hit ? el("mark", { text: p.text }) : document.createTextNode(p.text)); });
  return frag;
}

function siteRoot(node) {
  var root = node.getAttribute("data-cb-root") || ".";
  return new URL(root.replace(/\/?$/, "/"), location.href);
}

function debounce(fn, ms) {
  var timer = null;
  return function () {
    var args = arguments;
    clearTimeout(timer);
    timer = setTimeout(function () { fn.apply(null, args); }, ms);
  };
}

// 12,345: by hand, as toLocaleString loads locale data on first use (tens of ms).
function formatCount(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

var engines = new Map();
function engineFor(root) {
  var base = new URL("assets/casebook/search/", root).href;
  if (!engines.has(base)) engines.set(base, new Engine(fetchSource(base), TEXT));
  return engines.get(base);
}

/** One result as a card, in the style of the site's entry lists: its link lands on
 *  the section holding the words, which the entry page highlights (?hl=). */
function resultCard(doc, words, root, opts) {
  opts = opts || {};
  var ex = excerpt(TEXT, doc, words, opts.size);
  var land = landing(TEXT, doc, words);
  var link = el("a", { className: "cb-card__title", href: new URL(land.href, root).href });
  link.appendChild(marked(highlight(TEXT, doc.t, words)));
  var meta = el("div", { className: "cb-card__meta" }, [
    el("span", { className: "cb-badge cb-badge--" + doc.y, text: TYPE_LABELS[doc.y] || doc.y }),
    el("span", { text: doc.n }),
    el("time", { datetime: doc.d, text: doc.d }),
  ]);
  var item = el("li", { className: "cb-card cb-card--" + doc.y + " cb-result" }, [link, meta]);
  if (opts.aliasOnly) { // not in the entry's own words: say through which name it was found
    var labels = aliasLabels(TEXT, doc, words);
    item.appendChild(el("p", { className: "cb-result__alias", text: labels.length ? labels.join("；") : "经别名匹配" }));
  }
  if (land.section) item.appendChild(el("p", { className: "cb-result__section", text: "见于：" + land.section.text }));
  if (ex.meta) {
    var where = el("p", { className: "cb-result__where" }, ["条目信息匹配："]);
    where.appendChild(marked(highlight(TEXT, ex.meta, words)));
    item.appendChild(where);
  }
  var summary = el("p", { className: "cb-card__summary cb-result__excerpt" });
  summary.appendChild(marked(ex.pieces));
  item.appendChild(summary);
  return item;
}

function hintList(hasFilters, words) {
  var hints = ["检查是否有错别字，或换一个说法。"];
  if (words.length > 1) hints.push("用空格分开的几个词须同时出现；试试减少关键词。");
  else hints.push("试试更短的关键词，例如只输入两三个字。");
  if (hasFilters) hints.push("去掉部分筛选条件后再试。");
  hints.push("单位和主题可用全称或简称，例如“市妇女联合会”和“市妇联”都能找到。");
  return el("ul", { className: "cb-search__hints" }, hints.map(function (h) { return el("li", { text: h }); }));
}

var FAILED = "搜索索引加载失败，请检查网络连接后刷新页面重试。";
// The page's script and the site's index were made by different builds (an old
// script from a cache, or an index copied without its site): refused, never misread.
var MISMATCH = "搜索暂时不能使用：本页的搜索程序与网站的搜索索引版本不一致（索引格式 {found}，程序格式 {expected}）。"
  + "请按 Ctrl+F5 强制刷新页面；仍然如此时，请联系网站管理员重新生成并发布整个网站。";

/** What to tell the reader when a search failed. */
function failure(error) {
  if (error instanceof IndexFormatError) {
    return MISMATCH.replace("{found}", String(error.found)).replace("{expected}", String(error.expected));
  }
  return FAILED;
}

// --------------------------------------------------------------- header box
function HeaderBox(form) {
  var self = this;
  this.form = form;
  this.root = siteRoot(form);
  this.engine = engineFor(this.root);
  this.input = form.querySelector("input[name=q]");
  this.panel = form.querySelector(".cb-sbox__panel");
  this.list = form.querySelector(".cb-sbox__list");
  this.status = form.querySelector(".cb-sbox__status");
  this.all = form.querySelector(".cb-sbox__all");
  this.toggle = form.querySelector(".cb-sbox__toggle");
  this.active = -1;
  this.seq = 0;
  this.page = null; // the /search/ page, when on it
  var run = debounce(function () { self.run(); }, 80);

  this.input.addEventListener("focus", function () { self.engine.ready().catch(function () {}); if (self.input.value.trim() && !self.page) self.open(); });
  this.input.addEventListener("input", function (e) { if (!e.isComposing) run(); });
  this.input.addEventListener("compositionend", run);
  this.input.addEventListener("keydown", function (e) { self.key(e); });
  this.form.addEventListener("submit", function (e) {
    if (self.page) { e.preventDefault(); self.page.setQuery(self.input.value, true); self.close(); }
  });
  if (this.toggle) this.toggle.addEventListener("click", function () {
    var open = !form.classList.contains("cb-sbox--open");
    form.classList.toggle("cb-sbox--open", open);
    self.toggle.setAttribute("aria-expanded", String(open));
    self.toggle.setAttribute("aria-label", open ? "关闭搜索" : "打开搜索");
    if (open) self.input.focus(); else self.close();
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) self.close(); });
  form.addEventListener("focusout", function (e) { if (e.relatedTarget && !form.contains(e.relatedTarget)) self.close(); });
}

HeaderBox.prototype.open = function () {
  this.panel.hidden = false;
  this.input.setAttribute("aria-expanded", "true");
};

HeaderBox.prototype.close = function () {
  this.panel.hidden = true;
  this.input.setAttribute("aria-expanded", "false");
  this.setActive(-1);
};

HeaderBox.prototype.setActive = function (index) {
  var items = this.list.querySelectorAll("[role=option]");
  this.active = index;
  items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === index)); });
  if (index >= 0 && items[index]) {
    this.input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  } else {
    this.input.removeAttribute("aria-activedescendant");
  }
};

HeaderBox.prototype.key = function (e) {
  var items = this.list.querySelectorAll("[role=option]");
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    if (this.panel.hidden || !items.length) return;
    e.preventDefault();
    var next = this.active + (e.key === "ArrowDown" ? 1 : -1);
    this.setActive(next < -1 ? items.length - 1 : next >= items.length ? -1 : next);
  } else if (e.key === "Enter" && this.active >= 0 && items[this.active]) {
    e.preventDefault();
    location.href = items[this.active].querySelector("a").href;
  } else if (e.key === "Escape") {
    if (!this.panel.hidden) { e.preventDefault(); this.close(); }
    else if (this.input.value) { e.preventDefault(); this.input.value = ""; }
  }
};

HeaderBox.prototype.run = function () {
  var self = this;
  var query = this.input.value;
  if (this.page) { this.page.setQuery(query, false); return; }
  var seq = ++this.seq;
  var words = TEXT.queryWords(query);
  this.all.href = new URL("search/", this.root).href + (query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "");
  if (!words.length) { this.close(); return; }
  this.open();
  this.form.setAttribute("data-state", "loading");
  this.engine.search(query).then(function (result) {
    var shown = result.ids.slice(0, 6);
    return Promise.all(shown.map(function (id) { return self.engine.doc(id); })).then(function (docs) {
      if (seq !== self.seq) return;
      self.list.textContent = "";
      docs.forEach(function (doc, i) {
        var card = resultCard(doc, words, self.root, { size: 80, aliasOnly: result.aliasOnly.has(shown[i]) });
        card.id = "cb-sbox-opt-" + i;
        card.setAttribute("role", "option");
        card.setAttribute("aria-selected", "false");
        card.querySelector("a").setAttribute("tabindex", "-1");
        self.list.appendChild(card);
      });
      self.active = -1;
      self.input.removeAttribute("aria-activedescendant");
      if (result.total) {
        self.status.textContent = "找到 " + formatCount(result.total) + " 条结果";
        self.all.textContent = "查看全部 " + formatCount(result.total) + " 条结果，按单位、主题、年份筛选 ›";
        self.all.hidden = false;
      } else {
        self.status.textContent = "没有找到包含“" + query.trim() + "”的条目。";
        self.status.appendChild(hintList(false, words));
        self.all.hidden = true;
      }
      self.form.setAttribute("data-state", "done");
    });
  }).catch(function (error) {
    if (seq === self.seq) { self.list.textContent = ""; self.status.textContent = failure(error); self.form.setAttribute("data-state", "failed"); }
  });
};

// -------------------------------------------------------------- search page
var PER_PAGE = 10;
var FACET_SHOWN = 8;

function SearchPage(node, box) {
  var self = this;
  this.node = node;
  this.box = box;
  this.root = siteRoot(node);
  this.engine = engineFor(this.root);
  this.form = node.querySelector(".cb-search__form");
  this.input = node.querySelector("input[name=q]");
  this.sort = node.querySelector("select[name=sort]");
  this.status = node.querySelector(".cb-search__status");
  this.chips = node.querySelector(".cb-search__chips");
  this.facetBox = node.querySelector(".cb-facets__list");
  this.facetPanel = node.querySelector(".cb-facets");
  this.list = node.querySelector(".cb-results");
  this.more = node.querySelector(".cb-search__more");
  this.state = { q: "", sort: "", filters: {} };
  this.expanded = {};
  this.seq = 0;
  this.typing = false;
  this.baseTitle = document.title;
  var run = debounce(function () { self.setQuery(self.input.value, false); }, 80);

  this.input.addEventListener("input", function (e) { if (!e.isComposing) run(); });
  this.input.addEventListener("compositionend", run);
  this.form.addEventListener("submit", function (e) { e.preventDefault(); self.setQuery(self.input.value, true); });
  this.sort.addEventListener("change", function () { self.state.sort = self.sort.value; self.commit(true); });
  this.more.addEventListener("click", function () { self.showMore(); });
  window.addEventListener("popstate", function () { self.fromUrl(); self.render(); });
  var toggle = node.querySelector(".cb-facets__toggle");
  if (toggle) toggle.addEventListener("click", function () {
    var open = !self.facetPanel.classList.contains("cb-facets--open");
    self.facetPanel.classList.toggle("cb-facets--open", open);
    toggle.setAttribute("aria-expanded", String(open));
  });
}

SearchPage.prototype.fromUrl = function () {
  var params = new URLSearchParams(location.search);
  this.state = { q: params.get("q") || "", sort: params.get("sort") === "date" ? "date" : "", filters: {}, raw: params };
  this.input.value = this.state.q;
  if (this.box) this.box.input.value = this.state.q;
  this.sort.value = this.state.sort;
  this.typing = false;
};

SearchPage.prototype.toUrl = function (push) {
  var params = new URLSearchParams();
  var q = this.state.q.trim();
  if (q) params.set("q", q);
  var filters = this.state.filters;
  if (this.state.raw) { // facet values from the URL, not resolved yet: kept as they are
    this.state.raw.forEach(function (v, k) { if (k !== "q" && k !== "sort") params.append(k, v); });
  } else {
    (this.facets || []).forEach(function (f) { (filters[f.key] || []).forEach(function (v) { params.append(f.param, v); }); });
  }
  if (this.state.sort) params.set("sort", this.state.sort);
  var search = params.toString();
  var url = location.pathname + (search ? "?" + search : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  document.title = (q ? "搜索：" + q + " - " : "") + this.baseTitle;
};

/** A query typed (push=false: replace the history entry of this typing) or submitted. */
SearchPage.prototype.setQuery = function (query, push) {
  this.state.q = query;
  if (this.input.value !== query) this.input.value = query;
  if (this.box && this.box.input.value !== query) this.box.input.value = query;
  this.commit(push || !this.typing);
  this.typing = !push;
};

SearchPage.prototype.commit = function (push) {
  this.typing = false;
  this.toUrl(push);
  this.render();
};

SearchPage.prototype.toggleValue = function (key, name, on) {
  var values = (this.state.filters[key] || []).filter(function (v) { return v !== name; });
  if (on) values.push(name);
  this.state.filters[key] = values;
  this.commit(true);
};

SearchPage.prototype.render = function () {
  var self = this;
  var seq = ++this.seq;
  this.node.setAttribute("data-state", "loading");
  this.status.textContent = "正在搜索……";
  this.engine.facets().then(function (facets) {
    self.facets = facets;
    if (self.state.raw) { // values from the URL: names or aliases, to canonical names
      var params = self.state.raw;
      facets.forEach(function (f) {
        var names = [];
        params.getAll(f.param).forEach(function (v) {
          if (f.lookup.has(v)) { var name = f.values[f.lookup.get(v)][0]; if (names.indexOf(name) < 0) names.push(name); }
        });
        self.state.filters[f.key] = names;
      });
      self.state.raw = null;
      self.toUrl(false);
    }
    return self.engine.search(self.state.q, self.state.filters, self.state.sort, true);
  }).then(function (result) {
    if (seq !== self.seq) return;
    self.result = result;
    self.shown = 0;
    self.list.textContent = "";
    self.renderStatus(result);
    self.renderChips();
    self.renderFacets(result);
    return self.showMore();
  }).catch(function (error) {
    if (seq !== self.seq) return;
    self.status.textContent = failure(error);
    self.node.setAttribute("data-state", "failed");
  });
};

SearchPage.prototype.hasFilters = function () {
  var filters = this.state.filters;
  return Object.keys(filters).some(function (k) { return filters[k].length; });
};

SearchPage.prototype.renderStatus = function (result) {
  var q = this.state.q.trim();
  var filtered = this.hasFilters();
  this.status.textContent = "";
  if (!result.words.length) {
    this.status.textContent = (filtered ? "筛选出 " : "共 ") + formatCount(result.total) + " 条条目，按日期从新到旧排列。";
    if (!result.total) this.status.appendChild(hintList(filtered, []));
    return;
  }
  if (!result.total) {
    this.status.appendChild(el("strong", { text: "没有找到包含“" + q + "”的条目" + (filtered ? "（在当前筛选条件下）" : "") + "。" }));
    this.status.appendChild(hintList(filtered, result.words));
    return;
  }
  this.status.appendChild(document.createTextNode("找到 " + formatCount(result.total) + " 条包含“" + q + "”的条目"
    + (filtered ? "（已筛选）" : "") + "，" + (this.state.sort === "date" ? "按日期从新到旧排列。"
    : "按相关度排列：条目自己的文字中含有的在前（标题、条目信息、正文依次），只经别名、分组或日期匹配的在后。")));
};

SearchPage.prototype.renderChips = function () {
  var self = this;
  this.chips.textContent = "";
  (this.facets || []).forEach(function (f) {
    (self.state.filters[f.key] || []).forEach(function (name) {
      var button = el("button", { type: "button", className: "cb-chip", "aria-label": "去掉筛选条件 " + f.label + "：" + name },
        [f.label + "：" + name, el("span", { "aria-hidden": "true", text: " ×" })]);
      button.addEventListener("click", function () { self.toggleValue(f.key, name, false); });
      self.chips.appendChild(el("li", null, [button]));
    });
  });
  if (this.hasFilters()) {
    var clear = el("button", { type: "button", className: "cb-chip cb-chip--clear", text: "清除全部筛选" });
    clear.addEventListener("click", function () { self.state.filters = {}; self.commit(true); });
    this.chips.appendChild(el("li", null, [clear]));
  }
};

SearchPage.prototype.renderFacets = function (result) {
  var self = this;
  var focused = document.activeElement && this.facetBox.contains(document.activeElement)
    ? document.activeElement.getAttribute("data-focus-key") : null;
  this.facetBox.textContent = "";
  result.facets.forEach(function (f) {
    var counts = result.counts[f.key];
    var selected = self.state.filters[f.key] || [];
    var order = f.values.map(function (v, i) { return i; }).filter(function (i) {
      return counts[i] > 0 || selected.indexOf(f.values[i][0]) >= 0;
    });
    if (!order.length) return; // e.g. 违纪类型 when no warning case is in the results
    if (f.key === "unit" || f.key === "themes" || f.key === "violations" || f.key === "outcomes") {
      order.sort(function (a, b) { return counts[b] - counts[a] || a - b; });
    }
    var expanded = self.expanded[f.key] || order.length <= FACET_SHOWN + 2;
    var items = order.map(function (i, n) {
      var name = f.values[i][0];
      var id = "cb-f-" + f.key + "-" + i;
      var box = el("input", { type: "checkbox", id: id, value: name, "data-focus-key": id });
      box.checked = selected.indexOf(name) >= 0;
      box.addEventListener("change", function () { self.toggleValue(f.key, name, box.checked); });
      var li = el("li", null, [box, el("label", { for: id }, [name, el("span", { className: "cb-count", text: formatCount(counts[i]) })])]);
      if (!expanded && n >= FACET_SHOWN && !box.checked) li.hidden = true;
      return li;
    });
    var group = el("fieldset", { className: "cb-facet cb-facet--" + f.key }, [
      el("legend", { text: f.label }),
      el("ul", null, items),
    ]);
    if (!expanded) {
      var more = el("button", { type: "button", className: "cb-facet__more", "data-focus-key": "more-" + f.key,
                                text: "显示全部 " + order.length + " 项" });
      more.addEventListener("click", function () { self.expanded[f.key] = true; self.renderFacets(self.result); });
      group.appendChild(more);
    }
    self.facetBox.appendChild(group);
  });
  if (focused) {
    var again = this.facetBox.querySelector('[data-focus-key="' + focused + '"]');
    if (again) again.focus();
  }
};

SearchPage.prototype.showMore = function () {
  var self = this;
  var result = this.result;
  var seq = this.seq;
  var ids = result.ids.slice(this.shown, this.shown + PER_PAGE);
  this.shown += ids.length;
  this.more.hidden = true;
  // All fetched at once, each card shown as soon as it and the ones above it are in.
  var chain = Promise.resolve();
  ids.map(function (id) { return self.engine.doc(id); }).forEach(function (pending, i) {
    chain = chain.then(function () { return pending; }).then(function (doc) {
      if (seq === self.seq) self.list.appendChild(resultCard(doc, result.words, self.root, { aliasOnly: result.aliasOnly.has(ids[i]) }));
    });
  });
  return chain.then(function () {
    if (seq !== self.seq) return;
    self.more.hidden = self.shown >= result.total;
    if (!self.more.hidden) self.more.textContent = "显示更多结果（还有 " + formatCount(result.total - self.shown) + " 条）";
    self.node.setAttribute("data-state", "done");
  });
};

// -------------------------------------------------------------------- start
function start() {
  var form = document.querySelector(".cb-sbox");
  var box = form ? new HeaderBox(form) : null;
  var pageNode = document.getElementById("cb-search");
  if (pageNode) {
    var page = new SearchPage(pageNode, box);
    if (box) box.page = page;
    page.fromUrl();
    page.render();
    if (!page.state.q) page.input.focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var input = pageNode ? pageNode.querySelector("input[name=q]") : form && form.querySelector("input[name=q]");
      if (input) {
        e.preventDefault();
        if (form && !pageNode) form.classList.add("cb-sbox--open");
        input.focus();
      }
    }
  });
}

// For tests and the benchmark: the same engine the page uses.
window.casebookSearch = {
  engine: function (root) { return engineFor(new URL(root || ".", location.href)); },
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
