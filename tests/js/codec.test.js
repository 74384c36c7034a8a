/* Decoding the files Python writes: varints, the two kinds of id sets, shards. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { test } from "node:test";
import { bitIds, decodeSet, parseShard, readVarint } from "../../plugins/casebook/mkdocs/assets/search/codec.js";
import { DIR, TEXT } from "./fixture.js";

test("varints", () => {
  const cursor = { pos: 0 };
  const bytes = Uint8Array.from([0x00, 0x7f, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual([0, 1, 2, 3].map(() => readVarint(bytes, cursor)), [0, 127, 300, 0xffffffff]);
  assert.equal(cursor.pos, bytes.length);
});

test("id sets: gaps and bitmaps", () => {
  // tag 4 = two bytes of gaps: ids 1, 3; tag 3 = a bitmap of one byte: ids 0, 2
  assert.deepEqual(bitIds(decodeSet(Uint8Array.from([4, 1, 2]), 0, 1), 32), [1, 3]);
  assert.deepEqual(bitIds(decodeSet(Uint8Array.from([9, 3, 0b101]), 1, 1), 32), [0, 2]);
  assert.deepEqual(bitIds(decodeSet(Uint8Array.from([0]), 0, 2), 64), []);
  assert.deepEqual(bitIds(Uint32Array.from([0x80000001, 1]), 33), [0, 31, 32]);
  assert.deepEqual(bitIds(Uint32Array.from([0x80000001, 1]), 32), [0, 31]); // nothing at or past n
});

test("every key of every shard written by Python hashes to that shard", () => {
  const manifest = JSON.parse(readFileSync(join(DIR, "sample", "manifest.json"), "utf-8"));
  let keys = 0;
  for (let k = 0; k < manifest.shards; k++) {
    const shard = parseShard(new Uint8Array(gunzipSync(readFileSync(join(DIR, "sample", "g", k + ".bin")))),
      manifest.sets.length);
    for (const [key, found] of shard.keys) {
      assert.equal(TEXT.fnv1a(key) % manifest.shards, k, key);
      assert.equal(found.offsets.length, manifest.sets.length);
      keys++;
    }
  }
  assert.ok(keys > 1000);
});
