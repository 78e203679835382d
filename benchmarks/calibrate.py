"""Choose the abstention threshold on the dev set: the highest one that wrongly abstains on at most 5%
of the answerable dev questions. Prints the threshold and what it does; put it in Settings.

    python -m benchmarks.calibrate
"""

from __future__ import annotations

import json

from assistant.evaluate import is_answerable, load_rows
from benchmarks.common import EXTERNAL, ROOT, open_assistant
from benchmarks.tune import choose_threshold

DEV = EXTERNAL.parent / "dev_questions.jsonl"


def main() -> None:
    assistant = open_assistant("dev", ROOT / "docs_corpus")
    rows = load_rows([DEV])
    # The confidence each answer is given (a quote lacking the date, amount or person asked for counts too).
    conf = [assistant.ask(r["question"]).confidence for r in rows]
    answerable = [is_answerable(r) for r in rows]
    t = choose_threshold(conf, answerable)
    recall = sum(1 for c, a in zip(conf, answerable, strict=True) if not a and c < t) / max(answerable.count(False), 1)
    false = sum(1 for c, a in zip(conf, answerable, strict=True) if a and c < t) / max(answerable.count(True), 1)
    print(json.dumps({"threshold": round(t, 4), "abstain_recall": round(recall, 3), "false_abstain": round(false, 3)}))


if __name__ == "__main__":
    main()
