#!/usr/bin/env python3
"""Packs each page group's modules into one file, `bundle_<group>.bin`, as the loader that
scripts/compact-split-js.py writes expects: the group's shared chunks, then its own module.

Layout (little-endian u32s): count, then per module its chunk number (0 for the group's own
module, which is always last) and byte length, then the modules one after another.

Usage: bundle-split.py MANIFEST DIR. Reads `chunk_<n>.wasm` and `split_<group>.wasm` from DIR,
writes the bundles there and removes every split module. Fails, writing nothing, when a
module the manifest names is missing.
"""
import os
import struct
import sys


def main():
    manifest, folder = sys.argv[1], sys.argv[2]
    groups = []
    for line in open(manifest, encoding="utf-8"):
        name, *numbers = line.split()
        groups.append((name, [int(n) for n in numbers]))
    if not groups:
        sys.exit(f"bundle-split: {manifest} names no page group")
    wanted = {f"split_{name}.wasm" for name, _ in groups}
    wanted |= {f"chunk_{n}.wasm" for _, numbers in groups for n in numbers}
    missing = sorted(f for f in wanted if not os.path.isfile(os.path.join(folder, f)))
    if missing:
        sys.exit(f"bundle-split: missing in {folder}: {' '.join(missing[:5])}")
    read = lambda f: open(os.path.join(folder, f), "rb").read()  # noqa: E731
    for name, numbers in groups:
        parts = [(n, read(f"chunk_{n}.wasm")) for n in numbers]
        parts.append((0, read(f"split_{name}.wasm")))
        head = struct.pack("<I", len(parts))
        head += b"".join(struct.pack("<II", n, len(body)) for n, body in parts)
        with open(os.path.join(folder, f"bundle_{name}.bin"), "wb") as out:
            out.write(head + b"".join(body for _, body in parts))
    # Every split module now lives in a bundle (a chunk no group needs is dropped with them).
    for f in os.listdir(folder):
        if f.endswith(".wasm") and f.startswith(("chunk_", "split_")):
            os.remove(os.path.join(folder, f))


if __name__ == "__main__":
    main()
