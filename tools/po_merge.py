#!/usr/bin/env python3
"""A git merge driver for gettext .po files: merges entry by entry, never line by line.

    git config merge.pomerge.driver "python3 tools/po_merge.py %O %A %B"

An entry is keyed by its msgctxt and msgid. An entry changed on one side only takes that side; changed on
both, ours; added on either side, kept; deleted on one side and untouched on the other, deleted. The result
is written over %A (ours), as git expects. Recompile the .mo with msgfmt afterwards.
"""

import re
import sys
from pathlib import Path


def entries(path: str) -> tuple[dict[str, str], list[str]]:
    file = Path(path)
    if not file.exists():
        return {}, []
    found: dict[str, str] = {}
    order: list[str] = []
    for block in re.split(r"\n\s*\n", file.read_text(encoding="utf-8").strip("\n")):
        key = []
        for line in block.split("\n"):
            if line.startswith("msgstr"):
                break
            if not line.startswith("#"):
                key.append(line)
        name = "\n".join(key)
        if name not in found:
            order.append(name)
        found[name] = block
    return found, order


def merge(base: dict[str, str], ours: dict[str, str], theirs: dict[str, str], order: list[str]) -> list[str]:
    merged = []
    for key in order:
        mine, other, old = ours.get(key), theirs.get(key), base.get(key)
        if mine is None:
            chosen = other if old is None else None  # deleted here: stays deleted unless new there
        elif other is None:
            chosen = mine if old is None or mine != old else None
        else:
            chosen = other if mine == old else mine
        if chosen:
            merged.append(chosen)
    return merged


def main(base_path: str, ours_path: str, theirs_path: str) -> int:
    base, _ = entries(base_path)
    ours, ours_order = entries(ours_path)
    theirs, theirs_order = entries(theirs_path)
    order = ours_order + [key for key in theirs_order if key not in ours]
    Path(ours_path).write_text("\n\n".join(merge(base, ours, theirs, order)) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
