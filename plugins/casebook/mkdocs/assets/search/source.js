/* The index files over HTTP, for the engine: the manifest revalidated every time
 * (it names the index version), every other file fetched with ?v=<version> so a
 * new index is never mixed with a cached old file. */

/** The bytes of a gzip file of the index (index.py packed); bytes a server
 *  already unpacked are taken as they are. */
function unpacked(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer().then((b) => new Uint8Array(b));
}

function ok(url) {
  return (response) => {
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response;
  };
}

/** The index in the folder at URL `base` (ending in /). */
export function fetchSource(base) {
  return {
    manifest() {
      const url = base + "manifest.json";
      return fetch(url, { cache: "no-cache" }).then(ok(url)).then((r) => r.json());
    },
    file(path, version) {
      const url = base + path + "?v=" + version;
      return fetch(url).then(ok(url)).then((r) => r.arrayBuffer()).then(unpacked);
    },
  };
}
