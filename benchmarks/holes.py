"""SQuAD v1.1 with holes: questions the documents do not answer, of the kind people ask.

SQuAD 2.0's unanswerable questions were written against the very paragraph, to look answerable. The
common case in use is another one: a question on the documents' topic whose answer they just do not
state. This makes such questions from SQuAD v1.1 by taking paragraphs out of the corpus (each with a
seeded chance of ``REMOVED_SHARE``): the questions written on a removed paragraph become unanswerable
(kept only when none of their answers is anywhere in what is left of their article), the others stay
answerable.

    corpus, rows = squad_with_holes()
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from benchmarks.common import EXTERNAL, OUT, article_file

SOURCE = EXTERNAL / "squad-v1.1" / "dev-v1.1.json"
REMOVED_SHARE = 0.2


def squad_with_holes(share: float = REMOVED_SHARE, seed: int = 13) -> tuple[Path, list[dict]]:
    """The holed corpus folder (written once under benchmarks/out) and its questions in the eval format."""
    corpus = OUT / f"squad-v1.1-holes-{share}-{seed}-corpus"
    rng = random.Random(seed)
    rows = []
    texts = {}
    for art in json.loads(SOURCE.read_text(encoding="utf-8"))["data"]:
        name = article_file(art["title"])
        paragraphs = art["paragraphs"]
        removed = {i for i in range(len(paragraphs)) if rng.random() < share}
        kept = "\n\n".join(p["context"].strip() for i, p in enumerate(paragraphs) if i not in removed) + "\n"
        texts[name] = kept
        lowered = kept.lower()
        for i, p in enumerate(paragraphs):
            for qa in p["qas"]:
                answers = sorted({a["text"] for a in qa["answers"]})
                # "article": the one the question was written on, answered there or not (for splits by article).
                if i not in removed:
                    rows.append(
                        {"id": qa["id"], "question": qa["question"], "answers": answers, "doc": name, "article": name}
                    )
                elif not any(a.lower() in lowered for a in answers):
                    rows.append(
                        {"id": qa["id"], "question": qa["question"], "answers": [], "doc": None, "article": name}
                    )
    if not corpus.exists():
        tmp = corpus.with_name(corpus.name + ".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (tmp / name).write_text(text, encoding="utf-8")
        tmp.rename(corpus)
    return corpus, rows


if __name__ == "__main__":
    folder, questions = squad_with_holes()
    unanswerable = sum(1 for r in questions if not r["answers"])
    print(json.dumps({"corpus": str(folder), "questions": len(questions), "unanswerable": unanswerable}))
