/* The search engine over the static index: what plugins/casebook/search/reader.py
 * does in Python, with the same results in the same order (tests/js checks it).
 * No DOM here: files come from a `source` ({manifest(), file(path, version)},
 * source.js in the browser, the file system in the tests). */

import { andInto, andNotInto, bitIds, decodeSet, has, orInto, parseJson, parseShard } from "./codec.js";

const FACETS_FILE = "facets.bin"; // index.py FACETS_FILE

/** The index was written in another format than this reader reads. */
export class IndexFormatError extends Error {
  constructor(found, expected) {
    super("index format " + found + ", reader format " + expected);
    this.name = "IndexFormatError";
    this.found = found;
    this.expected = expected;
  }
}

export class Engine {
  constructor(source, text) {
    this.source = source;
    this.text = text; // textRules(...)
    this.shards = new Map();
    this.keys = new Map();
    this.docs = new Map();
    this.facetData = null;
    this.manifest = null;
  }

  /** The manifest, once; an index of another format is refused. */
  ready() {
    if (!this.manifest) {
      this.manifest = this.source.manifest().then((m) => {
        if (m.format !== this.text.format) throw new IndexFormatError(m.format, this.text.format);
        this.n = m.n; // slots (index.py): an entry's id is its slot
        this.words32 = (m.n + 31) >>> 5;
        this.order = m.order || null; // the entries' slots, newest first; absent: slot i is the i-th
        this.rank = m.order ? ranks(m.order, m.n) : null;
        this.setCount = m.sets.length; // title, meta, body, aliases (index.py SETS; the format fixes them)
        return m;
      });
      this.manifest.catch(() => { this.manifest = null; });
    }
    return this.manifest;
  }

  /** A file of the index (cached by the caller), retried on the next call if it failed. */
  cached(map, name, make) {
    let p = map.get(name);
    if (!p) {
      p = make();
      p.catch(() => map.delete(name));
      map.set(name, p);
    }
    return p;
  }

  shard(m, k) {
    return this.cached(this.shards, k, () =>
      this.source.file("g/" + k + ".bin", m.version).then((bytes) => parseShard(bytes, this.setCount)));
  }

  /** A key's id sets as bitsets, and its continuations (absent words starting with it). */
  key(m, key) {
    if (this.keys.has(key)) return Promise.resolve(this.keys.get(key));
    return this.shard(m, this.text.fnv1a(key) % m.shards).then((shard) => {
      const found = shard.keys.get(key);
      const sets = [];
      for (let f = 0; f < this.setCount; f++) {
        sets.push(found ? decodeSet(shard.bytes, found.offsets[f], this.words32) : new Uint32Array(this.words32));
      }
      const entry = { sets, rest: found ? found.rest : [] };
      this.keys.set(key, entry);
      return entry;
    });
  }

  /** The minimal absent words that are factors of a word (its grams already loaded):
   *  the trigram at each position, continued by a continuation the word goes on with. */
  absentFactors(word) {
    const cps = Array.from(word);
    const maxGram = this.text.maxGram;
    if (cps.length <= maxGram) return [];
    const found = [];
    this.text.wordGrams(word).forEach((gram, start) => {
      const after = cps.slice(start + maxGram).join("");
      for (const rest of this.keys.get(gram).rest) if (after.startsWith(rest)) found.push(gram + rest);
    });
    return found;
  }

  /** Per word, its sets: the entries holding all its grams, less those where a factor
   *  of the word is a minimal absent word (reader.py word_sets). */
  async wordSets(words) {
    const m = await this.ready();
    const perWord = words.map((w) => this.text.wordGrams(w));
    await Promise.all([...new Set(perWord.flat())].map((g) => this.key(m, g)));
    const absent = words.map((w) => this.absentFactors(w));
    await Promise.all([...new Set(absent.flat())].map((k) => this.key(m, k)));
    return perWord.map((grams, w) => {
      const acc = [];
      for (const g of grams) {
        const sets = this.keys.get(g).sets;
        for (let f = 0; f < this.setCount; f++) acc[f] = acc[f] ? andInto(acc[f], sets[f]) : sets[f].slice();
      }
      for (const k of absent[w]) {
        const sets = this.keys.get(k).sets;
        for (let f = 0; f < this.setCount; f++) andNotInto(acc[f], sets[f]);
      }
      return acc;
    });
  }

  /** Ids (ascending) of the entries holding every word; `own`: the bitset of those
   *  whose own text (title, metadata, body) holds every word, the rest are found only
   *  through aliases, groups or date words; their scores: per word, the weight of the
   *  best own field holding it (reader.py match). */
  async match(words) {
    const perWord = await this.wordSets(words);
    const [wTitle, wMeta, wBody] = this.text.weights;
    const score = new Uint16Array(this.n);
    let total = null, own = null;
    for (const [title, meta, body, aliases] of perWord) {
      const inOwn = orInto(orInto(title.slice(), meta), body);
      const found = orInto(inOwn.slice(), aliases);
      for (const i of bitIds(inOwn, this.n)) score[i] += has(title, i) ? wTitle : has(meta, i) ? wMeta : wBody;
      total = total ? andInto(total, found) : found;
      own = own ? andInto(own, inOwn) : inOwn;
    }
    return { ids: bitIds(total, this.n), score, own };
  }

  /** Facet values and per-entry columns, loaded once (the /search/ page needs them). */
  facets() {
    if (!this.facetData) {
      this.facetData = this.ready()
        .then((m) => this.source.file(FACETS_FILE, m.version))
        .then((bytes) => parseJson(bytes).facets.map((f) => facetColumn(f, this.n)));
      this.facetData.catch(() => { this.facetData = null; });
    }
    return this.facetData;
  }

  /** Search with filters {facetKey: [value names or aliases]}: OR within a facet, AND
   *  across. Counts for a facet follow the query and all other facets' filters. */
  async search(query, filters, sort, withFacets) {
    const words = this.text.queryWords(query);
    filters = filters || {};
    const needFacets = withFacets || Object.keys(filters).some((k) => filters[k].length);
    const [matched, facets] = await Promise.all([
      words.length ? this.match(words) : this.ready().then(() => null),
      needFacets ? this.facets() : null,
    ]);
    let base = matched ? matched.ids : this.order ? this.order.slice() : Array.from({ length: this.n }, (_, i) => i);
    const rank = this.rank;
    if (matched && rank) base.sort((a, b) => rank[a] - rank[b]); // matched.ids is this search's own array
    let hits = base, counts = null;
    if (facets) ({ hits, counts } = filtered(base, facets, filters));
    const aliasOnly = new Set(matched ? hits.filter((i) => !has(matched.own, i)) : []);
    if (matched && sort !== "date") { // the entries that say every word first, then by score, newest first
      const { score, own } = matched;
      const newer = rank ? (a, b) => rank[a] - rank[b] : (a, b) => a - b;
      hits = hits.slice().sort((a, b) => has(own, b) - has(own, a) || score[b] - score[a] || newer(a, b));
    }
    return { query, words, ids: hits, total: hits.length, aliasOnly, counts, facets };
  }

  doc(id) {
    return this.cached(this.docs, id, () =>
      this.ready().then((m) => this.source.file("d/" + id + ".bin", m.version)).then(parseJson));
  }
}

/** Each slot's place in `order` (-1 for a free slot). */
export function ranks(order, n) {
  const rank = new Int32Array(n).fill(-1);
  order.forEach((slot, r) => { rank[slot] = r; });
  return rank;
}

/** A facet of facets.bin with its column unpacked: the value numbers of entry i
 *  are cells[offsets[i]] .. cells[offsets[i + 1] - 1]. */
function facetColumn(f, n) {
  const lookup = new Map();
  f.values.forEach((names, i) => names.forEach((name) => { if (!lookup.has(name)) lookup.set(name, i); }));
  const offsets = new Uint32Array(n + 1);
  const values = [];
  if (f.single) {
    for (let i = 0; i < n; i++) { values.push(f.col.charCodeAt(i) - 0x30); offsets[i + 1] = i + 1; }
  } else {
    f.col.split(",").forEach((cell, i) => {
      for (let j = 0; j < cell.length; j++) values.push(cell.charCodeAt(j) - 0x30);
      offsets[i + 1] = values.length;
    });
  }
  return { key: f.key, param: f.param, label: f.label, values: f.values, lookup, offsets, cells: Uint16Array.from(values) };
}

/** The ids of `base` passing every facet filter, and per facet the value counts. */
function filtered(base, facets, filters) {
  const chosen = facets.map((f) => {
    const names = filters[f.key] || [];
    return names.length ? new Set(names.filter((v) => f.lookup.has(v)).map((v) => f.lookup.get(v))) : null;
  });
  let full = 0;
  chosen.forEach((set, k) => { if (set) full |= 1 << k; });
  const pass = new Uint8Array(base.length);
  base.forEach((id, j) => {
    let p = 0;
    facets.forEach((f, k) => {
      if (!chosen[k]) return;
      for (let x = f.offsets[id]; x < f.offsets[id + 1]; x++) {
        if (chosen[k].has(f.cells[x])) { p |= 1 << k; break; }
      }
    });
    pass[j] = p;
  });
  const counts = {};
  facets.forEach((f, k) => {
    const tally = new Array(f.values.length).fill(0);
    const need = full & ~(1 << k);
    base.forEach((id, j) => {
      if ((pass[j] & need) !== need) return;
      for (let x = f.offsets[id]; x < f.offsets[id + 1]; x++) tally[f.cells[x]]++;
    });
    counts[f.key] = tally;
  });
  return { hits: base.filter((id, j) => (pass[j] & full) === full), counts };
}
