#!/usr/bin/env python3
"""Rewrites wasm-split-cli's __wasm_split.js in a compact form with the same exports.

wasm-split-cli writes, for every shared chunk, a comment naming the page groups that use it and
a five-line loader, and for every page group a loader whose dependencies are listed one by one
(`[__chunk_38, __chunk_39, …]`). On a few hundred chunks that is 140 KB of script (9 KB gzipped)
in the first load. This keeps the generated header (shared imports, `wrapAsyncCb`, `makeLoad`)
as it is, makes the loaders from one `fetcher`, and writes each group's dependencies as ranges
(`deps("38-45,66-112")`). Each `__wasm_split_load_<group>` export is made as before: the same
module, the same chunks, fetched in parallel, memoised by `makeLoad`.

Usage: compact-split-js.py IN OUT. Fails, changing nothing, on a layout it does not know.
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


def ranges(numbers):
    """`[1, 2, 3, 7]` as `"1-3,7"`."""
    out, run = [], []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [n]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ",".join(out)


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
        "const fetcher = (name) => () => {",
        "    const src = fetch(new URL(`./${name}.wasm`, import.meta.url));",
        "    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));",
        "};",
        "const expand = (list) => (list === \"\" ? [] : list.split(\",\").flatMap((r) => {",
        "    const [a, b = a] = r.split(\"-\").map(Number);",
        "    return Array.from({ length: b - a + 1 }, (_, i) => a + i);",
        "}));",
        "const chunks = [];",
        f'for (const n of expand("{ranges(chunks)}")) chunks[n] = makeLoad(fetcher(`chunk_${{n}}`), []);',
        "const deps = (list) => expand(list).map((n) => chunks[n]);",
    ]
    for name, deps in groups:
        numbers = [int(n) for n in re.findall(r"__chunk_(\d+)", deps)]
        missing = set(numbers) - set(chunks)
        if missing:
            sys.exit(f"compact-split-js: {name} needs unknown chunks {sorted(missing)}")
        out.append(
            f"export const __wasm_split_load_{name} = "
            f'wrapAsyncCb(makeLoad(fetcher("split_{name}"), deps("{ranges(numbers)}")));'
        )
    open(dst, "w", encoding="utf-8").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
