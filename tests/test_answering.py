"""How questions are read and how sentences become quotes: answer kinds, list items, pronouns pointing back."""

import pytest
from conftest import write

from assistant.question import expected_type, strip_request


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was Didi founded?", "date"),
        ("How many users does Didi have?", "number"),
        ("Who is the CEO of Trouble Maker?", "person"),
        ("Which district is the real Silicon Valley?", "place"),
        ("Which company owns Oppo and Vivo?", "name"),
        ("Which Beijing companies are compared to Uber?", "name"),
        ("What was Renren originally called?", "name"),
        ("What is iQiyi?", None),
        ("Which is bigger, Baidu or Tencent?", None),
    ],
)
def test_expected_answer_kind(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "core"),
    [
        ("Tell me about Didi.", "Didi."),
        ("Can you tell me more about Baidu?", "Baidu?"),
        ("Describe Shenzhen", "Shenzhen"),
        ("What is the capital of France?", "What is the capital of France?"),
        ("Tell me", "Tell me"),
    ],
)
def test_request_wording_is_left_out_of_the_question(question, core):
    assert strip_request(question) == core


@pytest.fixture(scope="module")
def small_assistant(tmp_path_factory, embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("small")
    write(
        base / "corpus" / "hubs.txt",
        "Beijing Tech\n\n"
        "Ask someone in Shenzhen about Beijing, and a few ideas come up. "
        "It is where you will find the most companies that compare well with US counterparts:\n\n"
        "  • Baidu (search, compare Google)\n"
        "  • Bytedance and Kuaishou (social media, compare Facebook and Twitter)\n"
        "  • Meituan and Didi (O2O services, compare Uber)\n\n"
        "Didi is so big that hailing a cab on the street has become hard. Uber left the market in 2016.\n\n"
        "While not based in Shenzhen, BBK Electronics plays a significant role in the Chinese smartphone scene "
        "today. They currently own some of the top Chinese smartphone brands, which are now a force to be "
        "reckoned with on the global stage, especially in developing markets like India and Thailand, where "
        "they sell phones at every price.\n",
    )
    settings = Settings(corpus=base / "corpus", index_dir=base / "index", abstain_threshold=0.0)
    return Assistant.open(settings, embedder, build=True)


def test_a_list_item_is_read_with_the_sentence_that_introduces_the_list(small_assistant):
    question = "Which Beijing companies are compared to Uber?"
    hits = small_assistant._retriever.search(question, k=50)
    item = next(h for h in hits if h.chunk.text.startswith("• Meituan"))
    # "companies" is only in the sentence introducing the list, three sentences up.
    assert item.features["window_coverage"] > item.features["coverage"]
    quotes = [c.quote for c in small_assistant.ask(question).citations]
    assert "• Meituan and Didi (O2O services, compare Uber)" in quotes


def test_a_quote_opening_with_a_pronoun_takes_in_the_sentence_it_points_to(small_assistant):
    answer = small_assistant.ask("Which company owns the top Chinese smartphone brands?")
    first = answer.citations[0]
    # The sentence that answers says "They"; the quote reaches back to the one naming BBK, past the
    # usual length limit but within the allowance for context.
    assert first.quote.startswith("While not based in Shenzhen, BBK Electronics")
    assert first.quote.endswith("where they sell phones at every price.")
    assert len(first.quote) > small_assistant.settings.max_quote_chars
