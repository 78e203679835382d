"""Incremental re-indexing on a corpus of many files: what one changed file costs next to a full build.

The corpus is the SQuAD v1.1 dev paragraphs, one file each (2,067 files unless --files says fewer).

    python -m benchmarks.reindex [--files N]

Prints the full build time, then for one edited file, one added file and one removed file: the
incremental build time, the texts embedded and the ratio to the full build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time

from benchmarks.common import EXTERNAL, OUT, ROOT, embedder, machine
from index.build import build_index
from index.snapshot import IndexSnapshot


def make_corpus(n: int | None):
    folder = OUT / "reindex-corpus"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    data = json.loads((EXTERNAL / "squad-v1.1" / "dev-v1.1.json").read_text())["data"]
    count = 0
    for article in data:
        for i, p in enumerate(article["paragraphs"]):
            if n is not None and count >= n:
                return folder, count
            name = f"{article['title'][:60].replace('/', '_')}-{i:03}.txt"
            (folder / name).write_text(f"{article['title'].replace('_', ' ')}\n\n{p['context']}\n", encoding="utf-8")
            count += 1
    return folder, count


def timed(corpus, index_dir, emb, **kw):
    t = time.perf_counter()
    report = build_index(corpus, index_dir, emb, **kw)
    return time.perf_counter() - t, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=0, help="files in the corpus (0: every SQuAD dev paragraph)")
    args = ap.parse_args()
    corpus, count = make_corpus(args.files or None)
    index_dir = OUT / "reindex-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    emb = embedder()
    emb.embed_query("warm up")

    full_s, full = timed(corpus, index_dir, emb)
    rows = [("full build", full_s, full)]
    noop_s, noop = timed(corpus, index_dir, emb)
    rows.append(("nothing changed", noop_s, noop))

    target = sorted(corpus.glob("*.txt"))[count // 2]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + " This sentence was added to measure re-indexing.\n", encoding="utf-8")
    edit_s, edit = timed(corpus, index_dir, emb)
    rows.append((f"one file edited ({target.name})", edit_s, edit))

    (corpus / "zz-new.txt").write_text("A new file\n\nIt holds one short paragraph of new text.\n", encoding="utf-8")
    add_s, add = timed(corpus, index_dir, emb)
    rows.append(("one file added", add_s, add))

    (corpus / "zz-new.txt").unlink()
    rm_s, rm = timed(corpus, index_dir, emb)
    rows.append(("one file removed", rm_s, rm))

    snap = IndexSnapshot.load(index_dir)
    edited = [s for s in snap.passages if s.doc == target.name]
    lines = [
        "# Re-indexing benchmark",
        "",
        f"Machine: {machine()}. Corpus: {count} files (SQuAD v1.1 dev paragraphs), {full.passages} passages, "
        f"{full.sentences} sentences. Command: `python -m benchmarks.reindex`.",
        "",
        "| build | seconds | ratio to full | texts embedded | texts reused |",
        "|---|---|---|---|---|",
    ]
    for name, secs, report in rows:
        lines.append(f"| {name} | {secs:.2f} | {secs / full_s:.1%} | {report.embedded} | {report.reused} |")
    lines += [
        "",
        f"The edited file has {len(edited)} passage(s); the edit (one sentence appended) embedded "
        f"{edit.embedded} text(s): the new sentence and the passage holding it.",
        "",
    ]
    report_text = "\n".join(lines)
    print(report_text)
    (ROOT / "benchmarks" / "RESULTS-reindex.md").write_text(report_text, encoding="utf-8")


if __name__ == "__main__":
    main()
