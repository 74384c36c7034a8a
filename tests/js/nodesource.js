/* The index on disk, for the engine in Node: what source.js fetches in the browser. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export function fileSource(dir) {
  return {
    manifest: async () => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf-8")),
    file: async (path) => {
      const bytes = readFileSync(join(dir, path));
      return new Uint8Array(bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes);
    },
  };
}
