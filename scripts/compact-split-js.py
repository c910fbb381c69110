#!/usr/bin/env python3
"""Rewrites wasm-split-cli's __wasm_split.js so that each page group loads as one bundle.

wasm-split-cli writes, for every shared chunk, a comment naming the page groups that use it and
a five-line loader, and for every page group a loader whose dependencies are listed one by one
(`[__chunk_38, __chunk_39, …]`), each chunk fetched as a file of its own. On a few hundred
chunks that is 140 KB of script (9 KB gzipped) in the first load, and a page group of a hundred
small files, each compressed alone, is a third bigger on the wire than the same files as one
stream. This keeps the generated header (shared imports, `wrapAsyncCb`, `makeLoad`) as it is
and makes every `__wasm_split_load_<group>` export fetch one file, `bundle_<group>.bin`: the
group's shared chunks and then its own module (scripts/bundle-split.py packs them after
wasm-opt). A shared chunk is instantiated once, by whichever group comes first; a later group
carries it again in its bundle and skips it. Loads are memoised on success by `makeLoad`, as before.

Bundle layout (little-endian u32s): count, then per module its chunk number and byte length
(the group's own module last), then the modules one after another.

Usage: compact-split-js.py IN OUT MANIFEST. MANIFEST gets one line per group: its name and its
chunk numbers. Fails, changing nothing, on a layout it does not know.
"""
import re
import sys

LOADER = (
    r'    const src = fetch\(new URL\("\./{file}\.wasm", import\.meta\.url\)\);\n'
    r"    return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\n"
    r"\}}\n"
)
CHUNK = re.compile(
    r"(?:/\*[^*]*\*/\n)?const __chunk_(\d+) = makeLoad\(\(\) => \{\n"
    + LOADER.format(file=r"chunk_\1")
    + r", \[\]\);\n"
)
GROUP = re.compile(
    r"export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\n"
    + LOADER.format(file=r"split_\1")
    + r", \[([^\]]*)\]\)\);\n"
)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8").read()
    chunks = [int(n) for n in CHUNK.findall(text)]
    groups = GROUP.findall(text)
    head = GROUP.sub("", CHUNK.sub("", text)).rstrip("\n")
    if not groups or "__chunk_" in head or "__wasm_split_load_" in head or "makeLoad" not in head:
        sys.exit(f"compact-split-js: {src} is not laid out as expected; left as it is")
    out = [
        head,
        "const instances = [];",
        "const chunk = (n, bytes) => (instances[n] ??= WebAssembly.instantiate(bytes, getSharedImports())",
        "    .catch((e) => { instances[n] = undefined; throw e; }));",
        "const bundle = (name) => makeLoad(() => {",
        "    const src = fetch(new URL(`./bundle_${name}.bin`, import.meta.url)).then((r) => {",
        "        if (!r.ok) throw new Error(`${r.status} ${r.url}`);",
        "        return r.arrayBuffer();",
        "    });",
        "    return async (imports) => {",
        "        const buf = await src;",
        "        const head = new DataView(buf);",
        "        const count = head.getUint32(0, true);",
        "        const parts = [];",
        "        for (let i = 0, at = 4 + 8 * count; i < count; i++) {",
        "            const len = head.getUint32(8 + 8 * i, true);",
        "            parts.push([head.getUint32(4 + 8 * i, true), new Uint8Array(buf, at, len)]);",
        "            at += len;",
        "        }",
        "        const own = parts.pop();",
        "        await Promise.all(parts.map(([n, bytes]) => chunk(n, bytes)));",
        "        return WebAssembly.instantiate(own[1], imports);",
        "    };",
        "}, []);",
    ]
    manifest = []
    for name, deps in groups:
        numbers = [int(n) for n in re.findall(r"__chunk_(\d+)", deps)]
        missing = set(numbers) - set(chunks)
        if missing:
            sys.exit(f"compact-split-js: {name} needs unknown chunks {sorted(missing)}")
        out.append(f'export const __wasm_split_load_{name} = wrapAsyncCb(bundle("{name}"));')
        manifest.append(" ".join([name, *map(str, sorted(numbers))]))
    open(sys.argv[3], "w", encoding="utf-8").write("\n".join(manifest) + "\n")
    open(dst, "w", encoding="utf-8").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
