"""Words of opposite meaning ("increase" and "decrease", "majority" and "minority", "stronger" and "weaker"):
WordNet 3.0's antonyms, kept in ``assistant/data/opposites.tsv``.

The table is made from WordNet's own data files (Debian's ``wordnet-base`` puts them in /usr/share/wordnet):

    python -m assistant.opposites /usr/share/wordnet

It keeps the pairs of single words, neither a stop word of spaCy's ("in" and "out", "all" and "some", "come" and
"go" say nothing of a question's sense), except the stop words of amount, order and place (``KEPT_STOP_WORDS``:
"more" and "less", "first" and "last", "above" and "below"), which a question asks by; and it adds "before" and
"after" (``ADDED_PAIRS``), which WordNet does not link.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "opposites.tsv"

_NOTICE = """\
# Antonyms of WordNet 3.0 (Princeton University), single words, the stop words of amount, order and place the only
# stop words, with "before" and "after": made by `python -m assistant.opposites`.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Permission to use, copy, modify and
# distribute this software and database and its documentation for any purpose and without fee or royalty is hereby
# granted, provided that you agree to comply with the following copyright notice and statements, including the
# disclaimer, and that the same appear on ALL copies of the software, database and documentation, including
# modifications that you make for internal use or for distribution. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS"
# AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name of Princeton
# University or Princeton may not be used in advertising or publicity pertaining to distribution of the software
# and/or database. Title to copyright in this software, database and any associated documentation shall at all
# times remain with Princeton University and LICENSEE agrees to preserve same.
"""


# Stop words that say which amount, order or place a question asks about ("Who came into contact with Wales after
# the conquest?" and "Even before the conquest…", "What is more common…?" and "…is less common…"): their antonyms
# are kept. Of SQuAD 2.0's questions in `python -m benchmarks.run`'s sample, on the articles of its tuning half, the
# best sentence is read as saying the opposite for these words alone in 19 of 620 unanswerable questions and 3 of
# 563 answered ones (7 of 417 and 1 of 400 on the other half).
KEPT_STOP_WORDS = frozenset(
    "above below top bottom few many fewer fewest more most less least little much first second last former latter "
    "often rarely before after".split()
)
# Opposites that WordNet does not link as antonyms.
ADDED_PAIRS = {("after", "before")}


def kept(word: str, stop_words: Collection[str]) -> bool:
    """Whether ``word`` may be in the table: no stop word, or one of amount, order or place."""
    return word not in stop_words or word in KEPT_STOP_WORDS


def wordnet_antonyms(folder: Path) -> set[tuple[str, str]]:
    """The pairs of single words WordNet links as antonyms (its ``!`` pointers), each pair sorted, in lower case."""
    pairs: set[tuple[str, str]] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        synsets: dict[str, list[str]] = {}
        pointers: list[tuple[list[str], str, str]] = []
        for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):  # the licence at the head of the file
                continue
            fields = line.split(" | ")[0].split()
            count = int(fields[3], 16)
            names = [fields[4 + 2 * i].split("(")[0].lower() for i in range(count)]
            synsets[fields[0]] = names
            at = 4 + 2 * count
            for i in range(int(fields[at])):
                symbol, target, _, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                if symbol == "!":
                    pointers.append((names, target, source_target))
        for names, target, source_target in pointers:
            a, b = names[int(source_target[:2], 16) - 1], synsets[target][int(source_target[2:], 16) - 1]
            if a.isalpha() and b.isalpha() and a != b:
                pairs.add((min(a, b), max(a, b)))
    return pairs


@cache
def opposites() -> dict[str, frozenset[str]]:
    """Each word of the table with the words of opposite meaning."""
    table: dict[str, set[str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            a, b = line.split("\t")
            table.setdefault(a, set()).add(b)
            table.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in table.items()}


def main(argv: list[str]) -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    if len(argv) != 1:
        sys.exit("usage: python -m assistant.opposites WORDNET_DICT_FOLDER (e.g. /usr/share/wordnet)")
    found = wordnet_antonyms(Path(argv[0])) | ADDED_PAIRS
    pairs = sorted((a, b) for a, b in found if kept(a, STOP_WORDS) and kept(b, STOP_WORDS))
    TABLE.parent.mkdir(exist_ok=True)
    TABLE.write_text(_NOTICE + "".join(f"{a}\t{b}\n" for a, b in pairs), encoding="utf-8")
    print(f"{len(pairs)} pairs written to {TABLE}")


if __name__ == "__main__":
    main(sys.argv[1:])
