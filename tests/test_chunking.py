from pathlib import Path

import pytest

from index.chunking import (
    MAX_CONTEXT_NAMES,
    ChunkerSettings,
    chunk,
    embedded_texts,
    names_in,
    sentences,
    split_sentences,
)
from index.errors import SettingsError

SEEDS = sorted((Path(__file__).resolve().parent.parent / "docs_corpus").glob("*.txt"))

TRICKY = (
    "“Curly quotes,” she said — and left.  Zürich’s café served crème brûlée… 😀 Emoji count too!\n\n"
    "Dr. Smith paid $1.5 million in 2016. He didn’t stop there.\r\n\r\n"
    "A list:\n- first item\n- second item\n\n\n"
    "日本語の文。もう一つの文。 Last line without a full stop"
)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_offsets_round_trip_on_real_documents(path):
    text = path.read_text(encoding="utf-8")
    passages = chunk(text, max_chars=700, overlap=1, doc=path.name)
    sents = sentences(text, doc=path.name)
    assert passages and sents
    for span in passages + sents:
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip()
    # Passages are at most max_chars and together cover every sentence.
    assert all(len(p.text) <= 700 for p in passages)
    covered = [any(p.start <= s.start and s.end <= p.end for p in passages) for s in sents]
    assert all(covered)


def test_offsets_round_trip_on_curly_quotes_and_non_ascii():
    spans = split_sentences(TRICKY)
    assert len(spans) >= 6
    pieces = [TRICKY[a:b] for a, b in spans]
    assert all(p == p.strip() and p for p in pieces)
    assert any("Dr. Smith paid $1.5 million in 2016." == p for p in pieces), pieces
    for c in chunk(TRICKY, max_chars=80, overlap=1):
        assert TRICKY[c.start : c.end] == c.text


def test_sentences_do_not_cross_blank_lines():
    text = "Title Line\n\nFirst sentence here. Second one here."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Title Line",
        "First sentence here.",
        "Second one here.",
    ]


def test_passages_keep_to_their_paragraph():
    qihoo = "Qihoo 360 makes security software. It rivalled Baidu in search. Sohu stayed small."
    renren = "Renren was once the Facebook of China. It started as the Xiaonei Network."
    long_one = " ".join(f"Street {n} sells cables and chips." for n in range(12))
    text = f"Beijing\n\n{qihoo}\n\n{renren}\n\n{long_one}"
    passages = chunk(text, max_chars=200, overlap=1, doc="d.txt")
    texts = [p.text for p in passages]
    # Short paragraphs fit together in 200 characters, but each stays a passage of its own.
    assert texts[:3] == ["Beijing", qihoo, renren]
    # A paragraph too long for one passage is cut into overlapping runs that stay inside it.
    rest = passages[3:]
    assert len(rest) > 1 and all(p.text in long_one for p in rest)
    assert all(nxt.start < prev.end for prev, nxt in zip(rest, rest[1:], strict=False))
    assert rest[0].start == text.index(long_one) and rest[-1].end == len(text)


def test_a_one_sentence_paragraph_is_a_passage_and_a_sentence_with_distinct_ids():
    text = "Chengdu\n\nChengdu is known for game studios."
    passages, sents = chunk(text, max_chars=700, overlap=1, doc="d"), sentences(text, doc="d")
    assert [p.text for p in passages] == [s.text for s in sents]
    assert not {p.id for p in passages} & {s.id for s in sents}


def test_long_sentence_is_cut_at_clauses_within_limit():
    text = ", ".join(f"clause number {i} of a very long sentence" for i in range(30)) + "."
    spans = split_sentences(text, max_sentence_chars=120)
    assert len(spans) > 1
    assert all(b - a <= 120 for a, b in spans)
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)
    # Nothing is lost: the pieces cover every non-space character.
    covered = "".join(text[a:b] for a, b in spans).replace(" ", "").replace(",", "")
    assert covered == text.replace(" ", "").replace(",", "")


def test_overlap_shares_sentences_and_ids_are_stable():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    a = chunk(text, max_chars=120, overlap=1, doc="d.txt")
    b = chunk(text, max_chars=120, overlap=1, doc="d.txt")
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
    for prev, nxt in zip(a, a[1:], strict=False):
        assert nxt.start < prev.end  # one shared sentence
    no_overlap = chunk(text, max_chars=120, overlap=0)
    for prev, nxt in zip(no_overlap, no_overlap[1:], strict=False):
        assert nxt.start > prev.end - 1


def test_repeated_text_gets_distinct_ids():
    text = "Same sentence.\n\nSame sentence.\n\nSame sentence."
    ids = [s.id for s in sentences(text, doc="d")]
    assert len(ids) == 3 and len(set(ids)) == 3


@pytest.mark.parametrize(
    ("max_chars", "overlap", "message"),
    [
        (10, 1, "max_chars must be at least 50, got 10"),
        (700, -1, "overlap must be 0 or more sentences, got -1"),
    ],
)
def test_bad_settings_are_rejected_with_the_values(max_chars, overlap, message):
    with pytest.raises(SettingsError, match=message):
        chunk("Some text.", max_chars=max_chars, overlap=overlap)


def test_settings_record_the_splitter():
    d = ChunkerSettings().as_dict()
    assert d["splitter"].startswith("pysbd-") and d["max_chars"] == 700


def test_empty_text_has_no_chunks():
    assert chunk("   \n\n ", max_chars=100, overlap=0) == []


def test_names_are_capitalised_runs_past_a_sentence_opening_word():
    lower = {"another", "old", "one"}
    assert names_in("Another old one is Beijing’s Renren, formerly the Facebook of China.", lower) == [
        "Beijing’s Renren",
        "Facebook",
        "China",
    ]
    # A name may open the sentence; a word the document writes in lower case, or a common opener, does not.
    assert names_in("Xiaomi is another big provider in Beijing.", lower) == ["Xiaomi", "Beijing"]
    assert names_in("The Shenzhen hub grew. I’ve seen Tudou, and I liked it.", set()) == ["Shenzhen", "Tudou"]
    assert names_in("“This is big,” said Jack Ma.", set()) == ["Jack Ma"]
    # Capitals of any alphabet; a line break ends a name.
    assert names_in("Éric Li founded Škoda Labs in\nÖstersund.", set()) == ["Éric Li", "Škoda Labs", "Östersund"]


def test_a_sentence_pointing_back_is_embedded_with_the_names_it_points_to():
    text = (
        "Didi Chuxing is based in Beijing. They were founded in 2012. They serve 400 million users. "
        "Riders praise the service.\n\nIt is also a lender. Meituan is big in Shanghai."
    )
    spans = sentences(text)
    embedded = embedded_texts(text, spans)
    assert embedded[0] == spans[0].text
    assert embedded[1] == "Didi Chuxing, Beijing: They were founded in 2012."
    # Carried on through a run of sentences pointing back.
    assert embedded[2] == "Didi Chuxing, Beijing: They serve 400 million users."
    # A sentence that does not point back, or opens a paragraph, is embedded as written.
    assert embedded[3:] == [s.text for s in spans[3:]]
    assert len(embedded) == len(spans) == 6


def test_the_names_a_sentence_is_embedded_after_are_few_and_not_its_own():
    board = " ".join(f"Its board added Member{i} Smith." for i in range(12))
    text = f"Tencent grew in Shenzhen. {board} Its chair is Ma, of Manchester."
    embedded = embedded_texts(text, sentences(text))
    names = [e.split(": ", 1)[0].split(", ") for e in embedded[1:]]
    # The first names, those the run started with, stay; at most MAX_CONTEXT_NAMES, however long the run.
    assert all(n[:2] == ["Tencent", "Shenzhen"] and len(n) <= MAX_CONTEXT_NAMES for n in names)
    assert max(map(len, names)) == MAX_CONTEXT_NAMES
    # A name the sentence uses itself is left out, but not one it only holds inside a longer word.
    text = "Jack Ma met Man Utd. He spoke of Manchester."
    assert embedded_texts(text, sentences(text))[1] == "Jack Ma, Man Utd: He spoke of Manchester."
