"""Slips of typing in a question are read as the words the documents spell."""

import pytest
from conftest import assistant_over

from assistant.spelling import Speller

VOCABULARY = {"shenzhen", "interceptions", "employers", "along", "market", "markets", "tencent", "recent", "meitu"}
VOCABULARY |= {"didn't", "purchased", "affect"}
FORMS = {"shenzhen": "Shenzhen", "tencent": "Tencent", "meitu": "Meitu"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("shenzen weaknesses", "Shenzhen weaknesses"),  # a letter left out; the name as the documents write it
        ("How many intercpetions?", "How many interceptions?"),  # two letters swapped: one edit
        ("Who founded Tecnent?", "Who founded Tencent?"),
        ("Who is Tecnent's CEO?", "Who is Tencent's CEO?"),  # a possessive: the name mended, the ending kept
        ("Who purhcased it?", "Who purchased it?"),
        ("Which market did Meitu affext?", "Which market did Meitu affect?"),  # "x" for the "c" beside it
        ("Why didnt it work?", "Why didn't it work?"),  # a contraction is a word of its own, not "didn"
        # A contraction typed without its apostrophe is read with it, though the documents never write it:
        # "wasnt" is not "want", and "wheres" is no plural.
        ("Whats the name of the market?", "What's the name of the market?"),
        ("wheres tencent based", "where's tencent based"),
        ("Why wasnt it along?", "Why wasn't it along?"),
        ("It doesnt affect them", "It doesn't affect them"),
        ("Whats up. Whats that?", "What's up. What's that?"),
        # Not an English word ("cant"), a word of the documents, nor capitals inside a question: names.
        ("I cant say", "I cant say"),
        ("What IM app does Tencent own?", "What IM app does Tencent own?"),
        ("Did Hes win?", "Did Hes win?"),
        # A name one letter from a name of the documents is most often another name: "Meizu" is no slip for
        # "Meitu". Nor is a word in an address.
        ("What is Meizu known for?", "What is Meizu known for?"),
        ("Is www.shenzen.com theirs?", "Is www.shenzen.com theirs?"),
        # English words stay as typed, though a word of the documents is one letter away.
        ("How many employees?", "How many employees?"),
        ("Which firms are among them?", "Which firms are among them?"),
        # Short words, and words as near to two words of the documents, are left as typed.
        ("the mkt", "the mkt"),
        ("marketz", "marketz"),
    ],
)
def test_a_slip_of_typing_is_read_as_the_word_of_the_documents(typed, read):
    assert Speller(VOCABULARY, FORMS).correct(typed) == read


def test_the_documents_words_are_read_whole_with_their_contractions(tmp_path, fake_embedder):
    from assistant.spelling import speller_in

    text = "Hubs\n\nShenzhen didn’t slow down. Meitu’s app sells.\n"
    snapshot = assistant_over(tmp_path, fake_embedder, {"hubs.txt": text}).snapshot
    speller = speller_in(snapshot)
    assert speller.correct("why didnt shenzen slow") == "why didn't Shenzhen slow"  # not "didn"
    assert speller.correct("meitus app") == "Meitu's app"


def test_a_slip_is_only_read_as_a_word_starting_with_the_same_letter():
    assert Speller({"recent"}).word_for("tecent") is None and Speller({"tencent"}).word_for("tecent") == "tencent"


def test_a_question_with_a_slip_finds_what_the_right_spelling_finds(tmp_path, fake_embedder):
    text = "Hubs\n\nShenzhen is built on factories.\n\nBeijing is built on universities.\n"
    answering = assistant_over(tmp_path, fake_embedder, {"hubs.txt": text}, abstain_threshold=0.0)
    slipped = answering.ask("what is shenzen built on")
    assert slipped.query == "what is Shenzhen built on"
    assert slipped.citations[0].quote == "Shenzhen is built on factories."
    # The conversation keeps the question as typed; a follow-up reads it with the slip mended.
    assert answering.conversations.turns(slipped.conversation_id)[0].question == "what is shenzen built on"
    follow = answering.ask("and when?", conversation_id=slipped.conversation_id)
    assert "Shenzhen" in follow.query


def test_a_question_typed_without_its_apostrophe_asks_for_the_same_kind_of_answer():
    from assistant.question import expected_type

    typed = "whats the name of their dictionary"
    assert expected_type(typed) is None  # as typed, the wording is not read
    assert expected_type(Speller(VOCABULARY, FORMS).correct(typed)) == "name"
