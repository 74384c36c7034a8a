/* Decoding the index files written by plugins/casebook/search/index.py (see its
 * docstring for the layout), and the bitsets the reader computes with. */

const decoder = new TextDecoder();

export function readVarint(bytes, cursor) {
  let value = 0, scale = 1, b;
  do {
    b = bytes[cursor.pos++];
    value += (b & 0x7f) * scale;
    scale *= 128;
  } while (b >= 0x80);
  return value;
}

/** A JSON file of the index, as bytes. */
export function parseJson(bytes) {
  return JSON.parse(decoder.decode(bytes));
}

/** A shard: per key (a gram, or a minimal absent word of four characters or more),
 *  the offsets of its id sets (`setCount` of them) and, for a trigram, the rest of
 *  the absent words that start with it. Sets are decoded only when asked for. */
export function parseShard(bytes, setCount) {
  const keys = new Map();
  const cursor = { pos: 0 };
  function text() {
    const len = readVarint(bytes, cursor);
    const value = decoder.decode(bytes.subarray(cursor.pos, cursor.pos + len));
    cursor.pos += len;
    return value;
  }
  while (cursor.pos < bytes.length) {
    const key = text();
    const offsets = [];
    for (let f = 0; f < setCount; f++) {
      offsets.push(cursor.pos);
      const size = Math.floor(readVarint(bytes, cursor) / 2); // read first: it moves cursor.pos
      cursor.pos += size;
    }
    const rest = [];
    for (let count = readVarint(bytes, cursor); count > 0; count--) rest.push(text());
    keys.set(key, { offsets, rest });
  }
  return { bytes, keys };
}

/** The id set at `offset` as a bitset of `words32` 32-bit words. */
export function decodeSet(bytes, offset, words32) {
  const bits = new Uint32Array(words32);
  const cursor = { pos: offset };
  const tag = readVarint(bytes, cursor);
  const size = Math.floor(tag / 2);
  const start = cursor.pos, end = start + size;
  if (tag & 1) {
    for (let i = 0; i < size; i++) bits[i >>> 2] |= bytes[start + i] << ((i & 3) << 3);
  } else {
    let current = 0, first = true;
    while (cursor.pos < end) {
      const gap = readVarint(bytes, cursor);
      current = first ? gap : current + gap;
      first = false;
      bits[current >>> 5] |= 1 << (current & 31);
    }
  }
  return bits;
}

export function andInto(target, other) {
  for (let i = 0; i < target.length; i++) target[i] &= other[i];
  return target;
}

export function orInto(target, other) {
  for (let i = 0; i < target.length; i++) target[i] |= other[i];
  return target;
}

export function andNotInto(target, other) {
  for (let i = 0; i < target.length; i++) target[i] &= ~other[i];
  return target;
}

export function has(bits, i) {
  return (bits[i >>> 5] >>> (i & 31)) & 1;
}

/** The ids (ascending, below n) of a bitset. */
export function bitIds(bits, n) {
  const ids = [];
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word) {
      const low = word & -word;
      const i = (w << 5) + 31 - Math.clz32(low);
      if (i < n) ids.push(i);
      word ^= low;
    }
  }
  return ids;
}
