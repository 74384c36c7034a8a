/* Casebook search: the n-gram index client, the header box and the /search/ page.
 *
 * Plain JavaScript, no build step, nothing fetched from outside the site. The text
 * rules (normalise, runs, grams, fnv1a) and the query semantics repeat
 * plugins/casebook/search/text.py and reader.py exactly: change them together.
 * Data is fetched only when a reader starts searching.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- text rules
  var MAX_GRAM = 3;
  var WEIGHTS = [4, 2, 1]; // a word in the title, in the metadata, only in the body
  var RUN = /[\p{L}\p{N}]+/gu;
  var foldCache = new Map();

  function foldUnit(code) {
    var cached = foldCache.get(code);
    if (cached !== undefined) return cached;
    var cp = code;
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
    else if (cp === 0x3000) cp = 0x20;
    var ch = String.fromCharCode(cp);
    var low = ch.toLowerCase();
    if (low.length === 1 && low !== ch) ch = low;
    foldCache.set(code, ch);
    return ch;
  }

  /** Case- and width-folded text, same length (in UTF-16 units) as the input. */
  function normalise(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      out += c >= 0xd800 && c <= 0xdfff ? text[i] : foldUnit(c);
    }
    return out;
  }

  function runs(normalised) {
    return normalised.match(RUN) || [];
  }

  function cpLength(s) {
    return Array.from(s).length;
  }

  /** Query words: runs, without duplicates and without words inside a longer word. */
  function queryWords(query) {
    var unique = Array.from(new Set(runs(normalise(query))));
    unique.sort(function (a, b) { return cpLength(b) - cpLength(a); });
    var words = [];
    unique.forEach(function (w) {
      if (!words.some(function (longer) { return longer.indexOf(w) >= 0; })) words.push(w);
    });
    return words;
  }

  function wordGrams(word) {
    var cps = Array.from(word);
    if (cps.length <= MAX_GRAM) return [word];
    var grams = [];
    for (var i = 0; i + MAX_GRAM <= cps.length; i++) grams.push(cps.slice(i, i + MAX_GRAM).join(""));
    return grams;
  }

  var encoder = new TextEncoder();
  function fnv1a(text) {
    var h = 0x811c9dc5;
    var bytes = encoder.encode(text);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }

  // ------------------------------------------------------------------- engine
  var FACETS_FILE = "facets.bin"; // index.py FACETS_FILE

  /** The bytes of a gzip file of the index (index.py packed); bytes a server
   *  already unpacked are taken as they are. */
  function unpacked(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  function unpackedJson(buffer) {
    return unpacked(buffer).then(function (bytes) { return JSON.parse(new TextDecoder().decode(bytes)); });
  }

  function readVarint(bytes, cursor) {
    var value = 0, scale = 1, b;
    do {
      b = bytes[cursor.pos++];
      value += (b & 0x7f) * scale;
      scale *= 128;
    } while (b >= 0x80);
    return value;
  }

  function Engine(base) {
    this.base = base; // URL of the index folder, ending in /
    this.shards = new Map();
    this.sets = new Map();
    this.docs = new Map();
    this.facetData = null;
    this.manifest = null;
  }

  Engine.prototype.fetchOk = function (url, kind) {
    return fetch(url, kind === "manifest" ? { cache: "no-cache" } : {}).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return kind === "bin" ? r.arrayBuffer() : r.json();
    });
  };

  Engine.prototype.ready = function () {
    var self = this;
    if (!this.manifest) {
      this.manifest = this.fetchOk(this.base + "manifest.json", "manifest").then(function (m) {
        self.n = m.n;
        self.words32 = (m.n + 31) >>> 5;
        return m;
      });
      this.manifest.catch(function () { self.manifest = null; });
    }
    return this.manifest;
  };

  Engine.prototype.url = function (path, m) {
    return this.base + path + "?v=" + m.version;
  };

  Engine.prototype.shard = function (m, k) {
    var self = this;
    var p = this.shards.get(k);
    if (!p) {
      p = this.fetchOk(this.url("g/" + k + ".bin", m), "bin").then(unpacked).then(function (bytes) {
        return self.parseShard(bytes);
      });
      p.catch(function () { self.shards.delete(k); });
      this.shards.set(k, p);
    }
    return p;
  };

  /** A shard: per key (a gram, or a minimal absent word of four characters or more),
   *  the offsets of its three id sets and, for a trigram, the rest of the absent
   *  words that start with it (see plugins/casebook/search/index.py). */
  Engine.prototype.parseShard = function (bytes) {
    var decoder = new TextDecoder();
    var keys = new Map();
    var cursor = { pos: 0 };
    function text() {
      var len = readVarint(bytes, cursor);
      var value = decoder.decode(bytes.subarray(cursor.pos, cursor.pos + len));
      cursor.pos += len;
      return value;
    }
    while (cursor.pos < bytes.length) {
      var key = text();
      var offsets = [];
      for (var f = 0; f < 3; f++) {
        offsets.push(cursor.pos);
        var tag = readVarint(bytes, cursor);
        cursor.pos += Math.floor(tag / 2);
      }
      var rest = [];
      for (var count = readVarint(bytes, cursor); count > 0; count--) rest.push(text());
      keys.set(key, { offsets: offsets, rest: rest });
    }
    return { bytes: bytes, keys: keys };
  };

  Engine.prototype.decodeSet = function (bytes, offset) {
    var bits = new Uint32Array(this.words32);
    var cursor = { pos: offset };
    var tag = readVarint(bytes, cursor);
    var size = Math.floor(tag / 2);
    var start = cursor.pos, end = start + size, i;
    if (tag & 1) {
      for (i = 0; i < size; i++) bits[i >>> 2] |= bytes[start + i] << ((i & 3) << 3);
    } else {
      var current = 0, first = true;
      while (cursor.pos < end) {
        var gap = readVarint(bytes, cursor);
        current = first ? gap : current + gap;
        first = false;
        bits[current >>> 5] |= 1 << (current & 31);
      }
    }
    return bits;
  };

  /** A key's three id sets (whole entry, title, metadata) as bitsets, and its continuations. */
  Engine.prototype.key = function (m, key) {
    var self = this;
    if (this.sets.has(key)) return Promise.resolve(this.sets.get(key));
    return this.shard(m, fnv1a(key) % m.shards).then(function (shard) {
      var found = shard.keys.get(key);
      var entry = {
        sets: found
          ? found.offsets.map(function (o) { return self.decodeSet(shard.bytes, o); })
          : [0, 1, 2].map(function () { return new Uint32Array(self.words32); }),
        rest: found ? found.rest : [],
      };
      self.sets.set(key, entry);
      return entry;
    });
  };

  /** The minimal absent words that are factors of a word: the trigram at each
   *  position, continued by one of its continuations that the word goes on with. */
  Engine.prototype.absentFactors = function (word) {
    var self = this;
    var cps = Array.from(word);
    if (cps.length <= MAX_GRAM) return [];
    var found = [];
    wordGrams(word).forEach(function (gram, start) {
      var after = cps.slice(start + MAX_GRAM).join("");
      self.sets.get(gram).rest.forEach(function (rest) {
        if (after.indexOf(rest) === 0) found.push(gram + rest);
      });
    });
    return found;
  };

  function andInto(target, other) {
    for (var i = 0; i < target.length; i++) target[i] &= other[i];
    return target;
  }

  function andNotInto(target, other) {
    for (var i = 0; i < target.length; i++) target[i] &= ~other[i];
    return target;
  }

  function has(bits, i) {
    return (bits[i >>> 5] >>> (i & 31)) & 1;
  }

  function bitIds(bits, n) {
    var ids = [];
    for (var w = 0; w < bits.length; w++) {
      var word = bits[w];
      while (word) {
        var low = word & -word;
        var i = (w << 5) + 31 - Math.clz32(low);
        if (i < n) ids.push(i);
        word ^= low;
      }
    }
    return ids;
  }

  /** Ids (ascending) of the entries holding every word, with their scores. A word
   *  is in an entry that holds all its grams, unless one of the word's factors is a
   *  minimal absent word of that entry (reader.py word_sets). */
  Engine.prototype.match = function (words) {
    var self = this;
    return this.ready().then(function (m) {
      var perWord = words.map(wordGrams);
      var grams = Array.from(new Set([].concat.apply([], perWord)));
      return Promise.all(grams.map(function (g) { return self.key(m, g); })).then(function () {
        var absent = words.map(function (w) { return self.absentFactors(w); });
        var keys = Array.from(new Set([].concat.apply([], absent)));
        return Promise.all(keys.map(function (k) { return self.key(m, k); }));
      }).then(function () {
        var total = null;
        var score = new Uint16Array(self.n);
        perWord.forEach(function (grams, w) {
          var acc = [null, null, null];
          grams.forEach(function (g) {
            var sets = self.sets.get(g).sets;
            for (var f = 0; f < 3; f++) acc[f] = acc[f] ? andInto(acc[f], sets[f]) : sets[f].slice();
          });
          self.absentFactors(words[w]).forEach(function (k) {
            var sets = self.sets.get(k).sets;
            for (var f = 0; f < 3; f++) andNotInto(acc[f], sets[f]);
          });
          bitIds(acc[0], self.n).forEach(function (i) {
            score[i] += has(acc[1], i) ? WEIGHTS[0] : has(acc[2], i) ? WEIGHTS[1] : WEIGHTS[2];
          });
          total = total ? andInto(total, acc[0]) : acc[0];
        });
        return { ids: bitIds(total, self.n), score: score };
      });
    });
  };

  /** Facet values and per-entry columns, loaded once (the /search/ page needs them). */
  Engine.prototype.facets = function () {
    var self = this;
    if (!this.facetData) {
      this.facetData = this.ready().then(function (m) {
        return self.fetchOk(self.url(FACETS_FILE, m), "bin");
      }).then(unpackedJson).then(function (data) {
        return data.facets.map(function (f) {
          var lookup = new Map();
          f.values.forEach(function (names, i) {
            names.forEach(function (name) { if (!lookup.has(name)) lookup.set(name, i); });
          });
          var offsets = new Uint32Array(data.n + 1);
          var values = [];
          if (f.single) {
            for (var i = 0; i < data.n; i++) { values.push(f.col.charCodeAt(i) - 0x30); offsets[i + 1] = i + 1; }
          } else {
            f.col.split(",").forEach(function (cell, i) {
              for (var j = 0; j < cell.length; j++) values.push(cell.charCodeAt(j) - 0x30);
              offsets[i + 1] = values.length;
            });
          }
          return { key: f.key, param: f.param, label: f.label, values: f.values, lookup: lookup,
                   offsets: offsets, cells: Uint16Array.from(values) };
        });
      });
      this.facetData.catch(function () { self.facetData = null; });
    }
    return this.facetData;
  };

  /** Search with filters: {facetKey: [value names]}; OR within a facet, AND across.
   *  Counts for a facet follow the query and all other facets' filters. */
  Engine.prototype.search = function (query, filters, sort, withFacets) {
    var self = this;
    var words = queryWords(query);
    filters = filters || {};
    var needFacets = withFacets || Object.keys(filters).some(function (k) { return filters[k].length; });
    return Promise.all([
      words.length ? this.match(words) : this.ready().then(function () { return null; }),
      needFacets ? this.facets() : null,
    ]).then(function (done) {
      var matched = done[0], facets = done[1];
      var base = matched ? matched.ids : Array.from({ length: self.n }, function (_, i) { return i; });
      var hits = base, counts = null;
      if (facets) {
        var chosen = facets.map(function (f) {
          var names = filters[f.key] || [];
          var set = new Set();
          names.forEach(function (name) { if (f.lookup.has(name)) set.add(f.lookup.get(name)); });
          return names.length ? set : null;
        });
        var full = 0;
        chosen.forEach(function (set, k) { if (set) full |= 1 << k; });
        var pass = new Uint8Array(base.length);
        base.forEach(function (id, j) {
          var p = 0;
          facets.forEach(function (f, k) {
            if (!chosen[k]) return;
            for (var x = f.offsets[id]; x < f.offsets[id + 1]; x++) {
              if (chosen[k].has(f.cells[x])) { p |= 1 << k; break; }
            }
          });
          pass[j] = p;
        });
        counts = {};
        facets.forEach(function (f, k) {
          var tally = new Array(f.values.length).fill(0);
          var need = full & ~(1 << k);
          base.forEach(function (id, j) {
            if ((pass[j] & need) !== need) return;
            for (var x = f.offsets[id]; x < f.offsets[id + 1]; x++) tally[f.cells[x]]++;
          });
          counts[f.key] = tally;
        });
        hits = base.filter(function (id, j) { return (pass[j] & full) === full; });
      }
      if (matched && sort !== "date") {
        var score = matched.score;
        hits = hits.slice().sort(function (a, b) { return score[b] - score[a] || a - b; });
      }
      return { query: query, words: words, ids: hits, total: hits.length, counts: counts, facets: facets };
    });
  };

  Engine.prototype.doc = function (id) {
    var self = this;
    var p = this.docs.get(id);
    if (!p) {
      p = this.ready().then(function (m) { return self.fetchOk(self.url("d/" + id + ".bin", m), "bin"); }).then(unpackedJson);
      p.catch(function () { self.docs.delete(id); });
      this.docs.set(id, p);
    }
    return p;
  };

  // ----------------------------------------------------------------- excerpts
  /** Text cut into [{text, hit}] pieces: the query words marked. */
  function highlight(text, words) {
    var norm = normalise(text);
    var marks = new Uint8Array(text.length);
    words.forEach(function (w) {
      for (var at = norm.indexOf(w); at >= 0; at = norm.indexOf(w, at + 1)) marks.fill(1, at, at + w.length);
    });
    var pieces = [];
    for (var i = 0; i < text.length;) {
      var j = i;
      while (j < text.length && marks[j] === marks[i]) j++;
      pieces.push({ text: text.slice(i, j), hit: marks[i] === 1 });
      i = j;
    }
    return pieces;
  }

  var SENTENCE_END = /[。！？；\n]/;

  /** An excerpt of the body around the first match, or where the match is in the metadata. */
  function excerpt(doc, words, size) {
    size = size || 110;
    var body = doc.b || "";
    var norm = normalise(body);
    var first = -1;
    words.forEach(function (w) {
      var at = norm.indexOf(w);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    if (first < 0) {
      var metaLines = (doc.m || "").split("\n").filter(function (line) {
        var n = normalise(line);
        return words.some(function (w) { return n.indexOf(w) >= 0; });
      });
      var start = body.slice(0, size).replace(/\n/g, " ") + (body.length > size ? "……" : "");
      return { meta: metaLines.slice(0, 4).join("、"), pieces: highlight(start, words) };
    }
    var from = Math.max(0, first - 40);
    for (var k = first - 1; k >= from; k--) {
      if (SENTENCE_END.test(body[k])) { from = k + 1; break; }
    }
    var to = Math.min(body.length, from + size);
    var text = (from > 0 ? "……" : "") + body.slice(from, to).replace(/\n/g, " ") + (to < body.length ? "……" : "");
    return { meta: "", pieces: highlight(text, words) };
  }

  // ------------------------------------------------------------------ helpers
  var TYPE_LABELS = { practice: "经验做法", case: "警示案例", report: "工作报告" };

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
    if (!engines.has(base)) engines.set(base, new Engine(base));
    return engines.get(base);
  }

  /** One result as a card, in the style of the site's entry lists. */
  function resultCard(doc, words, root, opts) {
    var ex = excerpt(doc, words, opts && opts.size);
    var link = el("a", { className: "cb-card__title", href: new URL(doc.u, root).href });
    link.appendChild(marked(highlight(doc.t, words)));
    var meta = el("div", { className: "cb-card__meta" }, [
      el("span", { className: "cb-badge cb-badge--" + doc.y, text: TYPE_LABELS[doc.y] || doc.y }),
      el("span", { text: doc.n }),
      el("time", { datetime: doc.d, text: doc.d }),
    ]);
    var item = el("li", { className: "cb-card cb-card--" + doc.y + " cb-result" }, [link, meta]);
    if (ex.meta) {
      var where = el("p", { className: "cb-result__where" }, ["条目信息匹配："]);
      where.appendChild(marked(highlight(ex.meta, words)));
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
    var words = queryWords(query);
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
          var card = resultCard(doc, words, self.root, { size: 80 });
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
    }).catch(function () {
      if (seq === self.seq) { self.list.textContent = ""; self.status.textContent = FAILED; self.form.setAttribute("data-state", "failed"); }
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
    }).catch(function () {
      if (seq !== self.seq) return;
      self.status.textContent = FAILED;
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
      + (filtered ? "（已筛选）" : "") + "，" + (this.state.sort === "date" ? "按日期从新到旧排列。" : "按相关度排列，标题和条目信息中出现的排在前面。")));
  };

  SearchPage.prototype.renderChips = function () {
    var self = this;
    this.chips.textContent = "";
    (this.facets || []).forEach(function (f) {
      (self.state.filters[f.key] || []).forEach(function (name) {
        var label = f.key === "type" ? name : name;
        var button = el("button", { type: "button", className: "cb-chip", "aria-label": "去掉筛选条件 " + f.label + "：" + label },
          [f.label + "：" + label, el("span", { "aria-hidden": "true", text: " ×" })]);
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
    ids.map(function (id) { return self.engine.doc(id); }).forEach(function (pending) {
      chain = chain.then(function () { return pending; }).then(function (doc) {
        if (seq === self.seq) self.list.appendChild(resultCard(doc, result.words, self.root));
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
    normalise: normalise, queryWords: queryWords, wordGrams: wordGrams, fnv1a: fnv1a, excerpt: excerpt,
    engine: function (root) { return engineFor(new URL(root || ".", location.href)); },
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
