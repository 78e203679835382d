"""How questions are read and how sentences become quotes: answer kinds, list items, pronouns pointing back."""

import itertools
import re

import pytest
from conftest import assistant_over

from assistant import retrieve
from assistant.confidence import confidence
from assistant.names import asked_thing, counted_thing, lacks_person, naming_words, people, places
from assistant.opposites import opposites
from assistant.question import (
    asks_denied,
    asks_person,
    asks_reason,
    authorship_words,
    definite_type,
    definition_target,
    denied_words,
    denies_elsewhere,
    expected_type,
    figures,
    flips_polarity,
    holds_type,
    introduces,
    lacks_definite,
    negates,
    place_relation_words,
    role_of_another,
    says_opposite,
    strip_request,
    without_question_words,
    words,
    writer_words,
)
from assistant.quotes import select_quotes
from assistant.types import Hit
from index.chunking import Chunk


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
        ("What is the name of Shenzhen's electronics market?", "name"),
        ("What's the one notable tech company in Xiamen?", "name"),
        ("What company makes drones in Shenzhen?", "name"),
        ("On what sites had the author seen the article?", "name"),
        ("What magazine ran the piece?", "name"),
        ("What is China's biggest e-commerce provider?", "name"),
        ("What is the biggest drone maker?", "name"),
        ("What's its best-known app?", "name"),
        ("What social video app does Meitu own?", "name"),  # the thing, after words saying which
        ("What does the company do?", None),
        ("What attracts startups to Shenzhen?", None),  # a verb is no word saying which thing
        ("What happened to companies in 2015?", None),
        ("What impact did the company have?", None),
        # Keywords end on the kind of thing they want.
        ("Meitu HQ city?", "place"),
        ("Trouble Maker chief executive?", "person"),
        ("Beijing venture capital amount", "number"),
        ("Huawei founding year", "date"),
        ("Shenzhen electronics market", None),
        # Yes-or-no questions and requests are not keywords.
        ("Is Shenzhen a big city?", None),
        ("Does Alibaba have a CEO?", None),
        ("What's its name?", "name"),
        ("What is the company's revenue?", None),
        ("What is iQiyi?", None),
        ("Which is bigger, Baidu or Tencent?", None),
    ],
)
def test_expected_answer_kind(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was DJI founded?", "time"),
        ("In what year was the exchange set up?", "date"),
        ("And when did it open?", "time"),
        ("Which century saw the program begin?", "date"),
        ("How many employees does ZTE have?", "number"),
        ("What is the population of Shenzhen?", "number"),
        ("How much did Alibaba pay for the South China Morning Post?", "amount"),
        ("What was Huawei's revenue in 2019?", "amount"),
        ("What is the price of a REAL ID?", "amount"),
        ("How tall is the Shanghai Tower?", "number"),
        ("So, when was it founded?", "time"),
        # Whose account is asked for comes first.
        ("According to the author, what is the population of Shenzhen?", "number"),
        ("In the writer's view, when did the boom start?", "time"),
        ("What’s the population of Shenzhen?", "number"),
        ("What price did Alibaba pay for the South China Morning Post?", "amount"),
        ("What did Alibaba pay for the paper?", "amount"),
        ("How much money can a PhD holder get for moving?", "amount"),
        ("Beijing venture capital amount", "amount"),
        ("Tianfu Software Park startup count?", "number"),
        ("Huawei founding year", "date"),
        ("Was 2015 a good year?", None),
        ("Tell me about their funding", None),
        ("Tell me about 'the market'", None),
        # Wordings that ask for a condition, a clause or a degree rather than a date or an amount.
        ("What is formed when a phagosome fuses with a lysosome?", None),
        ("When do cash flow problems exist?", None),
        ("When the gap is smaller, what happens to pollution?", None),
        ("What is the number one reason?", None),
        ("How much does the writer value friendship?", None),
        ("How far did the reforms go?", None),
        ("How much does the writer like Shanghai?", None),
        ("What is the term when middle income earners aspire to more?", None),
        ("What is the comparison in price between the two schools?", None),
        ("Who founded Huawei?", None),
        ("What did Albrecht need the indulgences to pay for?", None),
        ("What did they do to pay for the war?", None),
        ("How much of the capital was spent on roads?", None),
    ],
)
def test_a_question_opening_by_asking_for_a_date_or_an_amount(question, kind):
    assert definite_type(question) == kind


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who founded Huawei?", True),
        ("who founded huawei", True),
        ("Who is the CEO of Tencent?", True),
        ("Who is Tencent's CEO?", True),
        ("Who's the founder of Xiaomi?", True),
        ("Who are the co-founders of Meituan?", True),
        ("Who wrote the article?", True),
        ("So who is the author?", True),
        ("Who was Huawei founded by?", True),
        # A company, a state or a team answers these as often as a person does.
        ("Who owns iQiyi?", False),
        ("Who started the company?", False),
        ("Who bought them later?", False),
        ("Who runs the accelerator?", False),
        ("Who is Henk Werner?", False),
        ("What did the founder of Huawei study?", False),
    ],
)
def test_a_question_asking_for_a_person(question, asks):
    assert asks_person(question) is asks


@pytest.mark.parametrize(
    ("question", "quote", "lacks"),
    [
        ("Who founded Huawei?", "Huawei was founded here in 1987.", True),
        ("Who is the CEO of Trouble Maker?", "But Trouble Maker CEO Henk Werner told us so.", False),
        ("Who founded Huawei?", "Huawei was founded by Ren Zhengfei in 1987.", False),
        ("Who founded Greater Bay Insights?", "Anthony Lawrance, founder of Greater Bay Insights, said so.", False),
        # The person the question names is not an answer to it.
        ("Who is Henk Werner's boss?", "Henk Werner runs Trouble Maker.", True),
        # Not a question for a person: nothing is missing.
        ("Where is Huawei based?", "Huawei was founded here in 1987.", False),
    ],
)
def test_whether_a_quote_names_the_person_asked_for(question, quote, lacks):
    assert lacks_person(question, quote) is lacks


def test_people_are_told_from_companies_and_places():
    found = people("Trouble Maker CEO Henk Werner met Anthony Lawrance of Greater Bay Insights in Shenzhen.")
    assert found == ["Henk Werner", "Anthony Lawrance"]


def test_places_are_told_from_companies_and_people():
    assert places("Did Henk Werner of Tencent meet Anthony Lawrance in Zhuhai or in Beijing?") == ["Zhuhai", "Beijing"]


_WHICH_PART = "Which part of Beijing is China's Silicon Valley?"


@pytest.mark.parametrize(
    ("text", "kind", "question", "found"),
    [
        ("The program began in the 19th century.", "date", "In what century did it begin?", True),
        ("Warming began about 13,000 BP.", "date", "When did warming begin?", True),
        ("Huawei was founded here in 1987.", "date", "When was Huawei founded?", True),
        ("Huawei was founded here.", "date", "When was Huawei founded?", False),
        ("The city was razed during the Second World War.", "time", "When was the city razed?", True),
        ("The city was razed by bombers.", "time", "When was the city razed?", False),
        ("It paid $1.2 billion for the paper.", "amount", "How much did it pay?", True),
        ("Revenue rose 20% that year.", "amount", "How much revenue did it earn?", True),
        ("It paid 266 million for the unit.", "amount", "How much did it pay for the unit?", True),
        ("The tower was built in 960.", "time", "When was the tower built?", True),
        ("The tower was built last year.", "time", "When was the tower built?", True),
        ("It paid 2 billion yuan for the paper.", "amount", "How much did it pay?", True),
        ("It bought the paper in 2015.", "amount", "How much did it pay for the paper?", False),
        ("It has 400 million users.", "amount", "How much did it pay for the paper?", False),
        ("There is no additional cost to get a REAL ID.", "amount", "How much does a REAL ID cost?", True),
        ("It was allowed to claim 6 million Lira.", "amount", "How much money could it claim?", True),
        # A year is not a count, but it tells how long ago.
        ("The 1980s market was built of small stalls.", "number", "How many stalls are there?", False),
        ("The market has 3,000 small stalls.", "number", "How many stalls are there?", True),
        ("The market has 1500 small stalls.", "number", "How many stalls are there?", True),
        ("The market was founded in 1987.", "number", "How many stalls are there?", False),
        ("Sales passed the 100 million mark.", "amount", "How much did it cost?", False),
        ("Huawei was founded in 1987.", "number", "How many years ago was Huawei founded?", True),
        # A month or a season only as one: "may" the verb, "fall" the verb and "ad" the advert are not dates.
        ("Shanghai may be the leader, and sales fall.", "date", "When did he arrive?", False),
        ("It ran in March.", "date", "When did it run?", True),
        ("He arrived in the fall.", "date", "When did he arrive?", True),
        ("He ran an ad.", "date", "When did he run it?", False),
        ("They ran 2 ad campaigns.", "date", "When did they run them?", False),
        ("The fall in revenue was steep.", "date", "When did revenue fall?", False),
        ("Sales were hit by the fall in prices.", "date", "When were sales hit?", False),
        ("It opened in the fall of 2017.", "date", "When did it open?", True),
        # A name the question already gives, possessive or typographic apostrophe aside, is no answer.
        ("So now Beijing is really the Silicon Valley of China.", "place", _WHICH_PART, False),
        ("So now Beijing is really China’s Silicon Valley.", "place", _WHICH_PART, False),
        ("I learned that Haidian really is China’s Silicon Valley.", "place", _WHICH_PART, True),
    ],
)
def test_whether_a_sentence_holds_a_date_or_an_amount(text, kind, question, found):
    assert holds_type(text, kind, words(question)) is found


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


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What is Mobike?", "Mobike"),
        ("Who is Henk Werner?", "Henk Werner"),
        ("What does HAX do?", "HAX"),
        ("Tell me about Didi.", "Didi"),
        ("Renren?", "Renren"),
        ("What is the Mi Band?", "Mi Band"),
        ("What is a hardware accelerator?", "hardware accelerator"),
        ("What is 'grey literature'?", "grey literature"),
        ("What is Italy?", "Italy"),
        # Something of the thing, or of a kind, is asked for; or a person by their role.
        ("What is the population?", None),
        ("Who is the CEO?", None),
        ("What is DJI's best known drone?", None),
        ("What is the capital of France?", None),
        ("What is the Victoria state bird?", None),
        ("What was Sky Travel later rebranded as?", None),
        ("Who is usually working together?", None),
        ("What do some community pharmacies do?", None),
        # A pronoun points back; keywords ask for something of the thing; other words ask for more.
        ("Tell me more about it", None),
        ("Tell me about their funding", None),
        ("Didi founding year", None),
        ("Anything else?", None),
        ("When was DJI founded?", None),
        ("What was Renren originally called?", None),
    ],
)
def test_the_thing_a_question_asks_what_or_who_it_is(question, thing):
    assert definition_target(question) == thing


@pytest.mark.parametrize(
    ("text", "thing", "found"),
    [
        ("Didi Chuxing, the Uber and Lyft of China, is based in Beijing.", "Didi", True),
        ("Another old one is Beijing’s Renren, formerly known as the Facebook of China.", "Renren", True),
        ("Xiaomi is another big Beijing-based hardware provider.", "Xiaomi", True),
        ("I learned that Haidian really is China’s Silicon Valley.", "Haidian", True),
        (
            "Dà-Jiāng Innovations Science and Technology Co., Ltd, better known as DJI, is a Shenzhen native.",
            "DJI",
            True,
        ),
        ("Other hardware accelerators, including HAX, are also located in the market.", "HAX", True),
        ("Telenet was the first FCC-licensed public data network in the United States.", "telenet", True),
        # Naming the thing is not saying what it is; nor is a longer name holding it.
        ("Didi is so big, Chinese citizens are complaining.", "Didi", False),
        ("The two biggest players, Ofo and Mobike, are both based in Beijing.", "Mobike", False),
        (
            "Among them is the International Frédéric Chopin Piano Competition, a yearly event.",
            "Frédéric Chopin",
            False,
        ),
        ("WeChat and Mobike now have a similar arrangement.", "Mobike", False),
    ],
)
def test_whether_a_sentence_says_what_a_thing_is(text, thing, found):
    assert introduces(text, thing) is found


def test_a_question_asking_what_a_thing_is_is_answered_by_the_sentence_introducing_it(tmp_path_factory, embedder):
    text = (
        "Bike startups in Chengdu\n\n"
        "Qilin is everywhere in Chengdu now, and Qilin riders crowd every Qilin rack near the station each morning. "
        "The city has many parks, and the riders told us they love them.\n\n"
        "Qilin, a bike-sharing startup founded by two students, is based in Chengdu. It raised money last year.\n"
    )
    assistant = _answering_over(tmp_path_factory, embedder, "bikes.txt", text)
    for question in ("What is Qilin?", "Tell me about Qilin.", "Qilin?"):
        first = assistant.ask(question).citations[0].quote
        assert "a bike-sharing startup" in first and "everywhere" not in first, question
    # A request's words are no terms the answer must hold ("told" is a form of "tell").
    assert assistant._retriever.search("Tell me about Qilin.")[0].features["coverage"] == 1.0


@pytest.fixture(scope="module")
def small_assistant(tmp_path_factory, embedder):
    base = tmp_path_factory.mktemp("small")
    text = (
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
        "they sell phones at every price.\n"
    )
    return assistant_over(base, embedder, {"hubs.txt": text}, abstain_threshold=0.0)


def test_a_list_item_is_read_with_the_sentence_that_introduces_the_list(small_assistant):
    question = "Which Beijing companies are compared to Uber?"
    hits = small_assistant._retriever.search(question, k=50)
    item = next(h for h in hits if h.chunk.text.startswith("• Meituan"))
    # "companies" is only in the sentence introducing the list, three sentences up.
    assert item.features["window_coverage"] > item.features["coverage"]
    quotes = [c.quote for c in small_assistant.ask(question).citations]
    # The list is quoted with the sentence saying what it lists, never that sentence alone.
    assert "• Meituan and Didi (O2O services, compare Uber)" in quotes[0]
    assert not any(q.endswith(":") for q in quotes)


def test_a_quote_opening_with_a_pronoun_takes_in_the_sentence_it_points_to(small_assistant):
    answer = small_assistant.ask("Which company owns the top Chinese smartphone brands?")
    first = answer.citations[0]
    # The sentence that answers says "They"; the quote reaches back to the one naming BBK, past the
    # usual length limit but within the allowance for context.
    assert first.quote.startswith("While not based in Shenzhen, BBK Electronics")
    assert first.quote.endswith("where they sell phones at every price.")
    assert len(first.quote) > small_assistant.settings.max_quote_chars


def test_a_sentence_pointing_back_with_them_is_read_with_the_one_before():
    from assistant.quotes import reads_on

    before = "Sina Corp is another major player in Chinese tech."
    assert reads_on("I consider them more of a Yahoo of China.", before, same_paragraph=True)
    assert not reads_on("I consider Sina more of a Yahoo of China.", before, same_paragraph=True)
    # Too far into the sentence to point back to the one before it.
    assert not reads_on("Many of the readers I met last year consider them dull.", before, same_paragraph=True)


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Ctrip is the Expedia of China.", True),  # never written in lower case: a name
        ("The travel market is the Expedia of China.", False),  # "the" is a common word
        ("It is the Expedia of China.", False),
    ],
)
def test_a_name_opening_a_sentence_counts_as_a_name(sentence, found):
    question = "Which travel company is the Expedia of China?"
    common = {"the", "it", "travel", "market", "is", "of"}
    assert holds_type(sentence, "name", words(question), common) is found
    # Without knowing which words are common, a sentence's first word is never taken for a name.
    assert holds_type(sentence, "name", words(question)) is False


TEXT = (
    "Luther wrote many hymns. He paraphrased the Te Deum as a German hymn. It became known as the German Te Deum. "
    "He also wrote a hymn for Pentecost.\n\nLuther married Katharina in 1525."
)


def _sentences(text=TEXT):
    """The sentences of ``text`` as chunks, with their offsets."""
    out, pos = [], 0
    for piece in re.split(r"(?<=\.)\s+", text):
        pos = text.index(piece, pos)
        out.append(Chunk(id=piece, doc="luther.txt", text=piece, start=pos, end=pos + len(piece)))
    return out


def _hits(*pieces_and_scores, text=TEXT):
    by_text = {c.text: c for c in _sentences(text)}
    return [Hit(chunk=by_text[piece], score=score, row=n) for n, (piece, score) in enumerate(pieces_and_scores)]


def _quotes(hits, max_chars=300, text=TEXT, question="What did the hymn become known as?", kind="name"):
    sentences = _sentences(text)
    by_start = {c.start: i for i, c in enumerate(sentences)}

    def step(chunk, k):
        i = by_start[chunk.start] + k
        return sentences[i] if 0 <= i < len(sentences) else None

    quotes = select_quotes(
        hits,
        previous=lambda c: step(c, -1),
        following=lambda c: step(c, +1),
        text_of=lambda doc: text,
        question=question,
        kind=kind,
        top_k=3,
        max_chars=max_chars,
        keep_ratio=0.5,
        reason=asks_reason(question),
    )
    return [text[q.start : q.end] for q in quotes]


def test_a_sentence_leaning_on_one_already_quoted_joins_that_quote():
    quotes = _quotes(
        _hits(
            ("He paraphrased the Te Deum as a German hymn.", 3.0),
            ("It became known as the German Te Deum.", 2.9),
            ("Luther married Katharina in 1525.", 2.0),
        )
    )
    # The second hit points back to the first quote: it is shown there, not dropped, and the next hit
    # gets the freed place.
    assert quotes[0] == (
        "Luther wrote many hymns. He paraphrased the Te Deum as a German hymn. It became known as the German Te Deum."
    )
    assert quotes[1:] == ["Luther married Katharina in 1525."]


def test_quotes_do_not_join_across_a_paragraph_break():
    quotes = _quotes(_hits(("He also wrote a hymn for Pentecost.", 3.0), ("Luther married Katharina in 1525.", 2.9)))
    assert "Luther married Katharina in 1525." in quotes


PHONE = (
    "Meitu also has a line of smartphones. Its famous device is the Sailor Moon phone.\n\n"
    "It feels good to be back in Shanghai. I live here.\n\nIts old plant was in Xiamen."
)


def test_a_sentence_opening_a_paragraph_does_not_point_back_into_the_one_before():
    # "It feels good…" opens a new paragraph: it is quoted alone, and the phone's sentence without it.
    assert _quotes(_hits(("It feels good to be back in Shanghai.", 3.0), text=PHONE), text=PHONE)[0] == (
        "It feels good to be back in Shanghai."
    )
    question = "Which company makes the phone?"
    quotes = _quotes(_hits(("Meitu also has a line of smartphones.", 3.0), text=PHONE), text=PHONE, question=question)
    assert quotes[0] == "Meitu also has a line of smartphones. Its famous device is the Sailor Moon phone."
    # Within a paragraph, a sentence pointing back is still quoted with the one it points to.
    assert _quotes(_hits(("Its famous device is the Sailor Moon phone.", 3.0), text=PHONE), text=PHONE)[0] == (
        "Meitu also has a line of smartphones. Its famous device is the Sailor Moon phone."
    )


def test_what_a_sentence_ending_in_a_colon_introduces_is_read_and_quoted_with_it(tmp_path_factory, embedder):
    text = (
        "Makers\n\nAnna Berg, founder of the Forge lab, said that the town has drawn in software talent:\n\n"
        "The town is not hardware, it is manufacturing.\n\nBuses stop running at dusk. Rents are high.\n"
    )
    answering = _answering_over(tmp_path_factory, embedder, "makers.txt", text)
    question = "Who said the town is not hardware but manufacturing?"
    # The words said open a paragraph of their own; who said them is in the sentence introducing them.
    best = answering._retriever.search(question, k=1)[0]
    assert best.chunk.text.startswith("The town is not hardware") and best.features["answer_type"] == 1.0
    quote = answering.ask(question).citations[0].quote
    assert quote.startswith("Anna Berg, founder") and quote.endswith("it is manufacturing.")
    # Not so across a paragraph break without a colon.
    assert answering.ask("When do buses stop running?").citations[0].quote == "Buses stop running at dusk."


MARKET = (
    "Mike Reed warned that the market is not always the right place to prototype. Sheer size makes finding parts "
    "hard. Stalls close early because rents are high. Many sellers live nearby.\n\n"
    "Visitors rarely come in winter.\n\nSheer cold keeps people home. Buses stop running at dusk."
)


@pytest.mark.parametrize(
    ("question", "hit", "quote"),
    [
        # The sentence that matches the question states what is to be explained; the reason follows it.
        (
            "Why is the market not the right place to prototype?",
            "Mike Reed warned that the market is not always the right place to prototype.",
            "Mike Reed warned that the market is not always the right place to prototype. Sheer size makes finding "
            "parts hard.",
        ),
        # Not asked why: the sentence alone.
        (
            "Who warned about the market?",
            "Mike Reed warned that the market is not always the right place to prototype.",
            "Mike Reed warned that the market is not always the right place to prototype.",
        ),
        # A sentence saying why itself ("because") is quoted alone.
        (
            "Why do stalls close early?",
            "Stalls close early because rents are high.",
            "Stalls close early because rents are high.",
        ),
        # The next sentence of another paragraph is not its reason.
        (
            "How come visitors rarely come in winter?",
            "Visitors rarely come in winter.",
            "Visitors rarely come in winter.",
        ),
        (
            "So, why do visitors rarely come in winter?",
            "Visitors rarely come in winter.",
            "Visitors rarely come in winter.",
        ),
    ],
)
def test_a_sentence_answering_why_is_quoted_with_the_reason_that_follows_it(question, hit, quote):
    assert _quotes(_hits((hit, 3.0), text=MARKET), text=MARKET, question=question, kind=None) == [quote]
    # Paragraphs parted by "\r\n\r\n" are paragraphs too.
    crlf = MARKET.replace("\n", "\r\n")
    assert _quotes(_hits((hit, 3.0), text=crlf), text=crlf, question=question, kind=None) == [quote]


def test_only_the_first_quote_takes_in_the_reason_and_none_grows_too_long():
    question = "Why is the market not the right place to prototype?"
    claim = "Mike Reed warned that the market is not always the right place to prototype."
    later = "Sheer cold keeps people home."
    quotes = _quotes(_hits((claim, 3.0), (later, 2.9), text=MARKET), text=MARKET, question=question, kind=None)
    assert quotes == [claim + " Sheer size makes finding parts hard.", later]
    assert _quotes(_hits((claim, 3.0), text=MARKET), text=MARKET, question=question, kind=None, max_chars=100) == [
        claim
    ]


LEAVING = (
    "Shenzhen is getting expensive, and many factories have to move out. Officials plan a move of the factories to "
    "Dongguan. Rents rose in 2019.\n\nSome stay in Nanshan."
)


@pytest.mark.parametrize(
    ("question", "kind", "hit", "quote"),
    [
        # Asked where, the sentence sharing the question's words holds no place: the next one, which does, is quoted.
        (
            "Where will the factories go?",
            "place",
            "Shenzhen is getting expensive, and many factories have to move out.",
            "Shenzhen is getting expensive, and many factories have to move out. Officials plan a move of the "
            "factories to Dongguan.",
        ),
        # Asked when, the next sentence holds no date: the sentence alone.
        (
            "When will the factories move out?",
            "date",
            "Shenzhen is getting expensive, and many factories have to move out.",
            "Shenzhen is getting expensive, and many factories have to move out.",
        ),
        # Holding a place itself, the sentence is quoted alone.
        (
            "Where will the factories go?",
            "place",
            "Officials plan a move of the factories to Dongguan.",
            "Officials plan a move of the factories to Dongguan.",
        ),
        # The next sentence of another paragraph does not answer for this one.
        ("Where did rents rise?", "place", "Rents rose in 2019.", "Rents rose in 2019."),
    ],
)
def test_a_first_quote_lacking_what_is_asked_for_takes_in_the_next_sentence_holding_it(question, kind, hit, quote):
    assert _quotes(_hits((hit, 3.0), text=LEAVING), text=LEAVING, question=question, kind=kind) == [quote]


def test_questions_asking_why():
    assert asks_reason("Why did Andrew Ng leave Baidu?")
    assert asks_reason("And how come it grew so fast?")
    assert asks_reason("What was the reason for the merger?")
    assert not asks_reason("Who is Wang Why?")
    assert not asks_reason("When did the market open?")


def test_a_sentence_beside_a_quote_joins_it_alone_when_what_it_points_back_to_is_too_long_to_take():
    text = (
        "BBK Electronics plays a big role in the smartphone scene of the whole country, " + "and more " * 20 + ". "
        "They own some of the top brands, which now sell well in India, Thailand " + "and elsewhere " * 25 + ". "
        "These brands are Oppo, Vivo, and OnePlus. Oppo and Vivo are based in Dongguan."
    )
    quotes = _quotes(
        _hits(
            ("Oppo and Vivo are based in Dongguan.", 3.0), ("These brands are Oppo, Vivo, and OnePlus.", 2.9), text=text
        ),
        text=text,
    )
    # "These brands" points back past two long sentences: too long to take in, so the sentence joins the
    # quote beside it on its own instead of standing as a second quote.
    assert quotes == ["These brands are Oppo, Vivo, and OnePlus. Oppo and Vivo are based in Dongguan."]


def test_a_sentence_between_two_quotes_joins_one_of_them_when_both_together_would_be_too_long():
    first = "Oppo and Vivo are based in Dongguan, along with BBK, a short drive to Shenzhen " + "and more " * 10 + "."
    between = "They own some of the top brands, which now sell well in India and Thailand."
    last = "While not based in Shenzhen, BBK Electronics plays a big role in the smartphone scene " + "too " * 20 + "."
    text = f"{last} {between} {first}"
    quotes = _quotes(_hits((first, 3.0), (last, 2.9), (between, 2.8), text=text), max_chars=200, text=text)
    # All three are one run of text, too long for one quote. The middle sentence does not stand as a third
    # quote between the two: it joins the one it fits beside with what it points back to ("They": BBK).
    assert quotes == [first, f"{last} {between}"]


def _answering_over(tmp_path_factory, embedder, name, text):
    """A real assistant over one document, answering whatever its confidence (so tests see its best quote)."""
    return assistant_over(tmp_path_factory.mktemp(name.split(".")[0]), embedder, {name: text}, abstain_threshold=0.0)


def test_a_question_asking_for_what_it_denies_is_first_quoted_a_sentence_denying_it(tmp_path_factory, embedder):
    text = (
        "Hubs\n\n"
        "There is a post going around: “Why Shanghai is the next Silicon Valley”. "
        "It was shared widely.\n\n"
        "No, Shanghai is not the next Silicon Valley of China. Shenzhen and Beijing are.\n"
    )
    assistant = _answering_over(tmp_path_factory, embedder, "hubs.txt", text)
    question = "Which city is NOT going to be the next Silicon Valley?"
    assert assistant.ask(question).citations[0].quote.startswith("No, Shanghai is not")
    hits = assistant._retriever.search(question, k=5)
    denying_nothing = next(h for h in hits if h.chunk.text.startswith("There is a post"))
    assert denying_nothing.features["negation_missing"] == 1.0


@pytest.fixture(scope="module")
def diary_assistant(tmp_path_factory, embedder):
    text = (
        "A year in Hangzhou\n\n"
        "Tourists walk along the Grand Canal every morning. The canal is busy with barges. "
        "Every morning I go to the West Lake, before work. The city is home to Alibaba.\n\n"
        "The old mine by the lake closed after World War I ended.\n"
    )
    return _answering_over(tmp_path_factory, embedder, "diary.txt", text)


def test_a_question_about_the_author_is_about_what_the_text_says_in_the_first_person(diary_assistant):
    question = "Where does the author walk every morning?"
    # The tourists' sentence shares more words with the question; the writer's "I go" is what it asks.
    assert "West Lake" in diary_assistant.ask(question).citations[0].quote
    # "author" is not a word the text uses, but the writer speaks in it: the word is not unknown.
    assert diary_assistant._retriever.search(question, k=1)[0].features["unknown_terms"] == 0.0


def test_words_any_question_may_use_are_not_unknown_words(diary_assistant):
    # The diary never says "among", "together" or "him": they say nothing of what the question is about.
    question = "Which canal do tourists walk along together among the barges with him?"
    assert diary_assistant._retriever.search(question, k=1)[0].features["unknown_terms"] == 0.0
    assert (
        diary_assistant._retriever.search("Which canal do tourists paddle along?", k=1)[0].features["unknown_terms"] > 0
    )


FAIR = (
    "The fair\n\n"
    "Maria Lopez, founder of the Acme workshop, opened the fair.\n\n"
    "Visitors who came from far away asked what the fair was about and when it would close.\n"
)


@pytest.fixture(scope="module")
def fair_assistant(tmp_path_factory, embedder):
    return _answering_over(tmp_path_factory, embedder, "fair.txt", FAIR)


def test_the_words_asking_a_question_are_not_words_the_answer_must_hold(fair_assistant):
    # The answer to "Who is…?" never says "who"; the other sentence does, and "what" and "when" too.
    for question in ("Who is Maria Lopez?", "What is Maria Lopez?", "When did Maria Lopez open the fair?"):
        best = fair_assistant._retriever.search(question, k=1)[0]
        assert "Maria Lopez" in best.chunk.text
        assert best.features["coverage"] == pytest.approx(1.0)
        assert best.features["missing_term"] == 0.0
    # Nor do they count in the lexical match: the sentence saying "who", "what" and "when" matches none of them.
    hits = fair_assistant._retriever.search("Who, what and when?", k=5)
    assert hits and all(h.features["sentence_bm25"] == 0 for h in hits)
    # They are taken out as written, not by their stem: "Does" is asked, "Doe" is a name.
    assert without_question_words("Who does John Doe know?").split() == ["John", "Doe", "know?"]


@pytest.mark.parametrize(
    "question, kept",
    [
        # The word naming the kind of answer asked for is no word the answer must hold: it gives a year, a city.
        ("In what year was Tudou established?", "In Tudou established?"),
        ("Which city is Meitu from?", "Meitu from?"),
        ("What is the name of the market?", "the of the market?"),
        ("In what year and which city?", "In and ?"),
        ("Didi user count", "Didi user"),
        ("Mike Reed job title", "Mike Reed"),
        ("Meitu HQ city?", "Meitu HQ ?"),
        # Where it says more than the kind, it stays.
        ("Was 2015 a good year?", "2015 a good year?"),
        ("How many years did it take?", "many years it take?"),
        ("Which is the city of lights?", "the city of lights?"),
        ("Tell me the year", "Tell me the year"),
        ("Mexico City", "Mexico City"),
        ("Alibaba Singles Day", "Alibaba Singles Day"),
        ("Which state-owned bank lent Didi money?", "state-owned bank lent Didi money?"),
        ("Which country's president visited?", "country's president visited?"),
        ("Who acted in the name of the company?", "acted in the name of the company?"),
        # Whose name or title it is: "What's Mike Reed's job title…" asks for a title the answer need not call one.
        ("What's Mike Reed's job title at HAX?", "'s Mike Reed's at HAX?"),
        ("What is its name?", "its ?"),
        ("What is Mike Reed's job?", "Mike Reed's ?"),
        ("What was his role at HAX?", "his at HAX?"),
        ("What is the job market like?", "the job market like?"),
        ("What role did he play?", "role he play?"),
        # A name made into "like it" ("a Quora-type service") asks for a text holding the name, not "type".
        ("What is the Quora-type service called?", "the Quora service called?"),
        ("Which Uber-like apps are there?", "Uber apps there?"),
        ("Which Beijing-based firms are there?", "Beijing-based firms there?"),
    ],
)
def test_the_word_naming_the_kind_of_answer_is_not_a_word_the_answer_must_hold(question, kept):
    assert " ".join(without_question_words(question).split()) == kept


def test_the_word_naming_the_kind_of_answer_is_not_an_unknown_word(fair_assistant):
    # The fair text never says "title" nor "job": asked for, they are what the answer is, not what it is about.
    best = fair_assistant._retriever.search("Maria Lopez job title", k=1)[0]
    assert "Maria Lopez" in best.chunk.text and best.features["unknown_terms"] == 0.0
    assert fair_assistant._retriever.search("Maria Lopez job history", k=1)[0].features["unknown_terms"] > 0


def test_an_unknown_word_naming_a_thing_counts_more_than_one_describing_it(diary_assistant):
    # One word of each the diary never uses: a noun ("weekend"), the thing asked about and missing, counts in
    # full; a verb ("paddle"), often the asker's word for the diary's own ("walk"), counts less.
    def unknown(question):
        return diary_assistant._retriever.search(question, k=1)[0].features["unknown_terms"]

    described = unknown("Which canal do tourists paddle along every morning?")
    named = unknown("Which canal do tourists walk along every weekend?")
    assert named > 0
    assert described == pytest.approx(retrieve.DESCRIBING_SHARE * named)


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Which programming language is WeChat written in?", "language"),
        ("What currency is used in China?", "currency"),
        ("Who is the mayor of Shenzhen?", "mayor"),
        ("What is the weather in Beijing?", "weather"),
        ("What is the average salary of an engineer in Shenzhen?", "salary"),
        # Not a word saying only the kind of answer, or a kind or part of something; not "the" with no preposition.
        ("Which city is Alibaba in?", None),
        ("What year was it founded?", None),
        ("What kind of drones does DJI make?", None),
        ("What is the company doing?", None),
        ("What helped Shenzhen grow?", None),
    ],
)
def test_the_thing_a_question_asks_for(question, thing):
    assert asked_thing(question) == thing


def test_a_question_asking_for_a_thing_the_documents_never_mention_is_all_unknown():
    # As for "How many employees…?": the documents do not give what they never name, whatever else they know.
    assert retrieve.unknown_share("What is the weather in Beijing?", lambda t: t != "weather") == 1.0
    assert retrieve.unknown_share("What currency is used in China?", lambda t: t != "currenc") == 1.0
    # A describing word the documents never use counts as before.
    assert retrieve.unknown_share("What is the weather in Beijing?", lambda t: True) == 0.0
    assert 0 < retrieve.unknown_share("Which canal do tourists paddle along?", lambda t: t != "paddl") < 1


def test_the_words_naming_things_in_a_question():
    assert naming_words("How many employees does Alibaba have in 2019?") == {"employees", "alibaba", "2019"}
    assert naming_words("Rather than relocating them, where do they truly want to go?") == set()


def test_only_the_sentences_where_someone_says_i_are_read_as_the_writer_speaking(diary_assistant):
    snap = diary_assistant.snapshot
    # Not "World War I", not "mine" the pit.
    assert [snap.sentences[r].text for r in snap.first_person_rows] == [
        "Every morning I go to the West Lake, before work."
    ]


def test_the_author_of_something_named_is_not_the_writer_of_the_text(diary_assistant):
    # "the author of X" names somebody else; only "the author" alone is the one saying "I".
    assert writer_words("Where does the author walk every morning?") == ["author"]
    assert writer_words("Who was the author of Hamlet?") == []
    # "The author of the piece" is the writer of one of the texts.
    assert writer_words("Where does the author of the morning diary piece walk?") == ["author"]
    assert (
        diary_assistant._retriever.search("Where does the author of Hamlet walk?", k=1)[0].features["unknown_terms"] > 0
    )


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("How many employees does Huawei have?", "employees"),
        ("how many monthly active users does wechat have", "users"),
        ("How many national key universities are there?", "universities"),
        ("How many kilometers long is the canal?", "kilometers"),
        ("And how many of those are in Shenzhen?", None),
        ("How much did Alibaba pay?", None),
    ],
)
def test_the_thing_a_how_many_question_counts(question, thing):
    assert counted_thing(question) == thing


def test_a_count_of_something_the_documents_never_mention_is_not_in_them(diary_assistant):
    # "employees" is nowhere in the diary: no sentence counts them, however well it matches the rest.
    search = diary_assistant._retriever.search
    assert search("How many employees does the canal have?", k=1)[0].features["unknown_terms"] == 1.0
    assert diary_assistant.ask("How many employees does the canal have?").confidence == 0.0
    # A count of what it does mention is only as unknown as its other words.
    assert search("How many barges does the canal have?", k=1)[0].features["unknown_terms"] == 0.0
    assert search("How many barges does the canal employ?", k=1)[0].features["unknown_terms"] < 1.0
    # Units and money are written in abbreviations and symbols ("2 km", "$5"), not only in the word.
    for question in ("How many kilometers long is the canal?", "How many dollars does the canal take?"):
        assert search(question, k=1)[0].features["unknown_terms"] < 1.0


@pytest.fixture(scope="module")
def hubs_assistant(tmp_path_factory, embedder):
    text = (
        "Tech hubs\n\n"
        "Shenzhen is often called a Silicon Valley of hardware.\n\n"
        "Haidian really is the Silicon Valley of China, built on its universities.\n"
    )
    return _answering_over(tmp_path_factory, embedder, "hubs.txt", text)


def test_another_form_of_a_question_word_counts_towards_the_match(hubs_assistant, monkeypatch):
    # The text says "really", never "real"; the stemmer keeps the two apart ("realli" and "real").
    lexical = hubs_assistant.snapshot.sentence_bm25
    assert not lexical.knows("real") and lexical.near("real") == {"realli"}
    assert lexical.near("silicon") == frozenset() and lexical.near("the") == frozenset()
    question = "Which is the real Silicon Valley?"
    best = hubs_assistant._retriever.search(question, k=1)[0]
    assert best.features["unknown_terms"] == 0.0
    assert "Haidian" in hubs_assistant.ask(question).citations[0].quote
    # Without the other form, the sentence that only shares "Silicon Valley" would come first.
    monkeypatch.setattr(retrieve, "OTHER_FORM_SHARE", 0.0)
    assert "Shenzhen" in hubs_assistant._retriever.search(question, k=1)[0].chunk.text


def test_another_form_is_only_an_ending_the_stemmer_left():
    from index.lexical import LexicalIndex

    lexical = LexicalIndex.build(["The inventor made a photograph in 2000.", "Georgia grew 20000 plants."])
    assert lexical.near("invent") == {"inventor"}
    # Shared openings of other words are not forms of one word.
    assert lexical.near("photo") == lexical.near("georg") == frozenset()
    assert lexical.near("2000") == frozenset()
    assert lexical.near("pla") == frozenset()  # too short to tell


def test_an_irregular_form_of_a_question_word_counts_towards_the_match(tmp_path_factory, embedder):
    from index.lexical import LexicalIndex, other_forms

    lexical = LexicalIndex.build(["Maria said the firm bought two shops.", "The firm was found in 1999 by a bear."])
    # The stemmer keeps "say" and "said", "buy" and "bought" apart; the word's own forms bring them together.
    assert lexical.near("say", "say") == {"said"} and lexical.near("buy", "buy") == {"bought"}
    assert lexical.near("say") == frozenset()  # without the word, only the stemmer's endings
    # Only forms that can be nothing but that verb's: "found" is a verb of its own, "born" an adjective too.
    assert lexical.near("find", "find") == frozenset() and other_forms("born") == frozenset()
    # In a search, the sentence saying "said" holds more of "What did Maria say?" than one that does not.
    text = (
        "The shop\n\nMaria opened the shop in May. The shop sells bread. Bread is baked early.\n\n"
        "Later Maria said the firm bought two shops.\n"
    )
    hits = _answering_over(tmp_path_factory, embedder, "shop.txt", text)._retriever.search("What did Maria say?", k=5)
    coverage = {h.chunk.text.split()[1]: h.features["coverage"] for h in hits}
    assert coverage["Maria"] > coverage["opened"]
    missing = {h.chunk.text.split()[1]: h.features["missing_term"] for h in hits}
    assert missing["Maria"] == 0.0 < missing["opened"]  # the other form is not missing
    # Not for words that say nothing of a topic: "have" asked is not "has" found.
    assert other_forms("have") == frozenset() and lexical.near("have", "have") == frozenset()
    assert other_forms("good") == frozenset()  # nor an adjective's degrees ("best" is not "good")


@pytest.mark.parametrize(
    ("question", "relation"),
    [
        ("Which city is Harbor Labs based in?", ["based"]),
        ("where is harbor labs headquartered", ["headquartered"]),
        ("Where is the lab located?", ["located"]),
        # Not a question for a place: "based on" says what something stands on.
        ("What is the robot's design based on?", []),
        # Asked where something is with "is" alone, the question means where it is located.
        ("Which city is Harbor Labs in?", ["located"]),
        ("Where is Harbor Labs?", ["located"]),
        ("Where was there a shortage of parts?", []),
        ("Which city has the most robot makers?", []),
    ],
)
def test_the_words_of_a_question_for_a_place_saying_only_that_something_is_at_one(question, relation):
    assert place_relation_words(question) == relation


def test_a_sentence_saying_where_something_is_in_its_own_words_holds_the_question_word_for_it(
    tmp_path_factory, embedder
):
    text = (
        "Robots\n\nAlthough not based in Lyon, the Harbor-backed app is popular. Harbor Labs builds robots.\n\n"
        "Grenoble is a quiet city. This is where Harbor Labs is, the biggest robot maker.\n\n"
        "Nantes is home to Delta Robotics. Milan never hosted a robot fair.\n"
    )
    answering = _answering_over(tmp_path_factory, embedder, "robots.txt", text)
    snap = answering.snapshot
    locating = sorted(snap.sentences[r].text.split()[0] for r in snap.locating_rows)
    # Not where something is not ("not based in Lyon"), nor a place unnamed.
    assert locating == ["Nantes", "This"]
    hits = answering._retriever.search("Which city is Harbor Labs based in?", k=10)
    features = {h.chunk.text.split()[0]: h.features for h in hits}
    # "This is where Harbor Labs is" says where it is without saying "based": it holds all the question asks.
    assert features["This"]["coverage"] == 1.0 and features["This"]["missing_term"] == 0.0
    assert features["Harbor"]["coverage"] < 1.0
    assert "Grenoble" in answering.ask("Which city is Harbor Labs based in?").citations[0].quote
    assert "Grenoble" in answering.ask("Which city is Harbor Labs in?").citations[0].quote


def _article(topic: str, facts: list[str], head: str = "", tail: str = "") -> str:
    pairs = (facts[i : i + 2] for i in range(0, len(facts), 2))
    body = "\n\n".join(" ".join(f"{fact} This matters for {topic}." for fact in pair) for pair in pairs)
    return "\n\n".join(x for x in (head, body, tail) if x) + "\n"


@pytest.fixture(scope="module")
def bylines_assistant(tmp_path_factory, embedder):
    ports = [f"The port of Rotterdam moved {n} million containers in {2010 + n}." for n in range(8)]
    tea = [f"Tea grown in Yunnan province sold for {n} dollars a kilo in {2010 + n}." for n in range(8)]
    rivers = [f"The Rhine carried {n} barges a day past Cologne in {2010 + n}." for n in range(8)]
    return assistant_over(
        tmp_path_factory.mktemp("bylines"),
        embedder,
        {
            "ports.txt": _article("shipping", ports, head="By Maria Jansen"),
            "tea.txt": _article(
                "farmers",
                tea,
                tail="Li Wei is a freelance journalist based in Kunming. He writes about farming and food.",
            ),
            # No byline: a name in the text is not the writer (and a "By 2015" opening is no byline).
            "rivers.txt": _article("trade", rivers, head="By 2015 the Rhine was busier than ever."),
        },
        abstain_threshold=0.0,
    )


def test_bylines_are_read_at_the_edges_of_a_document_only(bylines_assistant):
    snap = bylines_assistant.snapshot
    assert sorted(snap.sentences[r].text for r in snap.byline_rows) == [
        "By Maria Jansen",
        "Li Wei is a freelance journalist based in Kunming.",
    ]


@pytest.mark.parametrize(
    ("question", "writer"),
    [
        ("Who is the author of the piece on tea from Yunnan?", "Li Wei"),
        ("Who wrote the article about the port of Rotterdam?", "Maria Jansen"),
        ("Who was the article on container shipping written by?", "Maria Jansen"),
        ("Who is the writer of the story about tea prices?", "Li Wei"),
        # A few words may say which piece before naming it.
        ("Who authored the Rotterdam shipping article?", "Maria Jansen"),
        ("Who is the author of the Yunnan tea farmers piece?", "Li Wei"),
    ],
)
def test_who_wrote_a_piece_is_answered_by_that_pieces_byline(bylines_assistant, question, writer):
    answer = bylines_assistant.ask(question)
    assert writer in answer.citations[0].quote


def test_the_words_asking_for_the_writer_are_not_unknown_words(bylines_assistant):
    # The texts never say "author" or "piece": a byline holds them.
    hit = bylines_assistant._retriever.search("Who is the author of the piece in the Yunnan tea province?", k=1)[0]
    assert hit.features["unknown_terms"] == 0.0
    assert hit.row in bylines_assistant.snapshot.byline_rows


def test_the_writer_of_another_work_is_not_a_documents_byline(bylines_assistant):
    assert authorship_words("Who wrote Hamlet?") == authorship_words("Who was the author of Hamlet?") == []
    assert authorship_words("Who is the author of the piece on tea?") == ["author", "piece"]
    best = bylines_assistant._retriever.search("Who wrote about barges on the Rhine?", k=1)[0]
    assert best.row not in bylines_assistant.snapshot.byline_rows


@pytest.fixture(scope="module")
def list_assistant(tmp_path_factory, embedder):
    text = (
        "Shenzhen makes most of the world's hardware.\n\n"
        "In Beijing you find the most companies that compare well with American counterparts:\n\n"
        "  • Baidu (search, compare Google)\n"
        "  • Meituan and Didi (delivery and rides, compare Uber)\n\n"
        "Didi Chuxing, the Uber and Lyft of China, gives rides in every Chinese city.\n"
    )
    return _answering_over(tmp_path_factory, embedder, "hubs.txt", text)


def test_an_item_of_a_list_is_read_with_the_sentence_introducing_it(list_assistant):
    # The list is a paragraph of its own; what it is a list of is said in the paragraph before it.
    hits = {h.chunk.text: h for h in list_assistant._retriever.search("Which Beijing companies are compared to Uber?")}
    lead = hits["In Beijing you find the most companies that compare well with American counterparts:"]
    item = hits["• Meituan and Didi (delivery and rides, compare Uber)"]
    assert item.features["passage_dense"] == pytest.approx(lead.features["passage_dense"])
    assert item.score > hits["Didi Chuxing, the Uber and Lyft of China, gives rides in every Chinese city."].score


@pytest.fixture(scope="module")
def asking_assistant(tmp_path_factory, embedder):
    text = (
        "Last week I asked everyone I met in Shenzhen: “Is Shenzhen only about hardware?”\n\n"
        "Most of the hardware made in Shenzhen is telecoms gear from Huawei and ZTE.\n"
    )
    return _answering_over(tmp_path_factory, embedder, "a.txt", text)


def test_a_sentence_asking_a_question_does_not_answer_it(asking_assistant, monkeypatch):
    question = "What is Shenzhen's hardware?"
    hits = asking_assistant._retriever.search(question, k=2)
    assert [h.features["asks"] for h in hits] == [0.0, 1.0]
    assert "Huawei" in asking_assistant.ask(question).citations[0].quote
    # Without the penalty the sentence asking about hardware, sharing the question's words, comes first.
    monkeypatch.setattr(retrieve, "ASKING_PENALTY", 0.0)
    assert asking_assistant._retriever.search(question, k=1)[0].features["asks"] == 1.0


def test_quotes_never_share_text():
    # Sentences too long to be cut at a clause (a run of 300 characters with no break in it).
    first = "BBK Electronics plays a big role " + "x" * 300 + "."
    owns = "It owns Oppo and Vivo."
    sells = "They sell well in India."
    last = "OnePlus is based in Shenzhen " + "y" * 200 + "."
    text = f"{first} {owns} {sells} {last}"
    quotes = _quotes(_hits((owns, 3.0), (last, 2.9), (sells, 2.8), text=text), max_chars=200, text=text)
    spans = sorted((text.index(quote), text.index(quote) + len(quote)) for quote in quotes)
    # "They sell…" sits between two quotes: it joins one of them, never stretching over the other.
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans)), quotes
    assert any(sells in quote for quote in quotes)


def test_a_quote_does_not_open_with_punctuation_left_by_the_sentence_split():
    text = "Where are the universities?: Beijing has most of them."
    body = Chunk(id="b", doc="u.txt", text=text[27:], start=27, end=len(text))
    quotes = select_quotes(
        [Hit(chunk=body, score=1.0, row=1)],
        question="Where are the universities?",
        kind="place",
        top_k=1,
        max_chars=300,
        keep_ratio=0.5,
    )
    assert text[quotes[0].start : quotes[0].end] == "Beijing has most of them."


@pytest.fixture(scope="module")
def founding_assistant(tmp_path_factory, embedder):
    files = {
        "acme.txt": "Acme builds pumps in Leeds.\n\nAcme was founded by engineers and has employees in Berlin.\n",
        "brio.txt": "Brio makes valves in Turin.\n\nBrio was founded in 1990 and has 300 employees in Milan.\n",
    }
    return assistant_over(tmp_path_factory.mktemp("founding"), embedder, files)


@pytest.mark.parametrize("question", ["When was Acme founded?", "How many employees does Acme have?"])
def test_a_question_for_a_date_or_number_is_less_sure_of_a_quote_without_one(founding_assistant, question, monkeypatch):
    from assistant import confidence

    answer = founding_assistant.ask(question)
    assert "Berlin" in answer.citations[0].quote and lacks_definite(question, answer.citations[0].quote)
    assert not answer.answered
    # The same evidence without the missing date or number counts against it no more: then it answers.
    monkeypatch.setattr(confidence, "TYPE_MISSING_ODDS", 1.0)
    assert founding_assistant.ask(question).answered
    monkeypatch.undo()
    # The same question of the company whose quote holds the date or number is judged on its evidence alone.
    other = founding_assistant.ask(question.replace("Acme", "Brio"))
    assert "1990" in other.citations[0].quote and other.answered


def test_a_question_for_a_person_is_less_sure_of_a_quote_naming_nobody(tmp_path, embedder, monkeypatch):
    from assistant import confidence

    files = {
        "acme.txt": "Acme builds pumps in Leeds.\n\nAcme was founded in Leeds by a group of engineers.\n",
        "brio.txt": "Brio makes valves in Turin.\n\nBrio was founded in Turin by Maria Rossi, an engineer.\n",
    }
    assistant = assistant_over(tmp_path, embedder, files)
    answer = assistant.ask("Who founded Acme?")
    assert "group of engineers" in answer.citations[0].quote and not answer.answered
    # The same evidence without the missing person counts against it no more: then it answers.
    monkeypatch.setattr(confidence, "TYPE_MISSING_ODDS", 1.0)
    assert assistant.ask("Who founded Acme?").answered
    monkeypatch.undo()
    other = assistant.ask("Who founded Brio?")
    assert "Maria Rossi" in other.citations[0].quote and other.answered


JIANG = (
    "Chance Jiang, China CEO at collaborative product development platform Wikifactory, mentioned another "
    "Tencent-affiliated cluster in nearby Guangzhou."
)
NG = "Baidu hired Andrew Ng as chief scientist, a former professor at Stanford and founder of Google Brain."


@pytest.mark.parametrize(
    ("question", "quote", "other"),
    [
        # The role asked about is given to someone of something else named, never near the name asked about.
        ("Who is the CEO of Tencent?", JIANG, True),
        ("who is the ceo of tencent", JIANG, True),
        ("Who founded Baidu?", NG, True),
        ("Who is the founder of Baidu?", NG, True),
        # The role near the name asked about, before or after it.
        ("Who is the CEO of Wikifactory?", JIANG, False),
        ("Who founded Google Brain?", NG, False),
        ("Who is the CEO of Trouble Maker?", "But Trouble Maker CEO Henk Werner told us so.", False),
        (
            "Who founded Greater Bay Insights?",
            "Anthony Lawrance, founder of regional news platform Greater Bay Insights, said so.",
            False,
        ),
        # A quote naming no CEO or chairman at all gives someone another role ("chief scientist"); founding is
        # told in other words too ("started by").
        ("Who is the CEO of Baidu?", NG, True),
        ("Who is the chairman of Baidu?", NG, True),
        ("Who is the CEO of Tencent?", "Pony Ma, who heads Tencent, spoke.", False),  # the role in other words
        ("Who founded Baidu?", "Baidu was started by Robin Li in 2000.", False),
        # Nothing named to hold the role elsewhere, or no name asked about.
        ("Who founded Ele.me?", "The company was founded in 2008 by Mark Zhang and Jack Kang.", False),
        ("Who is the CEO?", JIANG, False),
        # Not asking for the holder of a role.
        ("What did the CEO of Tencent say?", JIANG, False),
        # A capitalised word describing what the role is held in is not another one named.
        ("Who is the CEO of Tencent?", "Pony Ma, CEO of China's biggest social network, spoke.", False),
        ("Who is the CEO of Tencent?", "Pony Ma, the CEO of the Chinese internet giant, spoke.", False),
        ("Who founded Baidu?", "Robin Li, the founder of the Beijing-based search engine, spoke.", False),
        # Once held elsewhere is not each time: "founded it" may be the answer.
        (
            "Who founded Baidu?",
            "Robin Li founded it after Infoseek; he was also founder of a Silicon Valley startup.",
            False,
        ),
        # What the role is held in is what the question gives it in, not any name it holds.
        ("Who founded the company behind WeChat?", "Pony Ma, founder of Tencent, spoke.", False),
        ("Who is Tencent's CEO?", JIANG, True),
        # The name asked about, written with a hyphen or another apostrophe.
        ("Who is the CEO of Coca-Cola?", "Coca-Cola CEO James Quincey, once CEO of Fanta Europe, spoke.", False),
        ("Who founded Ping'an?", "Ma Mingzhe, founder of Ping’an Insurance, spoke.", False),
    ],
)
def test_a_quote_giving_the_role_asked_about_to_someone_of_something_else(question, quote, other):
    common = {"the", "is", "of", "who", "ceo"} if question.islower() else ()
    assert role_of_another(question, quote, common) is other


def test_a_question_for_the_holder_of_a_role_is_not_answered_by_someone_holding_it_elsewhere(seed_assistant):
    # The documents name a CEO at another company near Tencent, and no CEO of Tencent.
    answer = seed_assistant.ask("Who is the CEO of Tencent?")
    assert "Wikifactory" in answer.citations[0].quote and not answer.answered
    werner = seed_assistant.ask("Who is the CEO of Trouble Maker?")
    assert "Henk Werner" in werner.citations[0].quote and werner.answered


def test_a_long_sentence_is_cut_to_the_clause_holding_the_amount_asked_for(tmp_path, embedder):
    # Too long to quote whole: the first clause holds more of the question's words, the last one the amount.
    sentence = (
        "Huawei's revenue grew faster than that of any other maker of phones, routers and cloud services, "
        "in more than 170 countries around the world and across each of its business groups and regions, "
        "helped by strong demand at home and by new contracts with telecoms operators in Europe and Africa, "
        "ending 2019 at 858.8 billion yuan."
    )
    assistant = assistant_over(tmp_path, embedder, {"huawei.txt": f"Huawei makes phones.\n\n{sentence}\n"})
    question = "What was Huawei's revenue in 2019?"
    quote = assistant.ask(question).citations[0].quote
    assert len(quote) < len(sentence) and "858.8 billion yuan" in quote
    assert not lacks_definite(question, quote)


@pytest.fixture(scope="module")
def staff_assistant(tmp_path_factory, embedder):
    text = "Brio makes valves.\n\nBrio employees work in Milan and in Turin.\n\nBrio has a staff of 300 in Milan.\n"
    return assistant_over(tmp_path_factory.mktemp("staff"), embedder, {"brio.txt": text})


def test_a_question_for_a_number_weighs_a_sentence_holding_one_more(staff_assistant):
    question = "How many employees does Brio have?"
    retriever = staff_assistant._retriever

    def scores():
        return {h.chunk.text: (h.score, h.features["definite_type"]) for h in retriever.search(question, k=3)}

    with_weight = scores()
    retriever.weights = retrieve.Weights(definite_type=0.0)
    try:
        without = scores()
    finally:
        retriever.weights = retrieve.Weights()
    holding, other = "Brio has a staff of 300 in Milan.", "Brio employees work in Milan and in Turin."
    assert with_weight[holding][1] == 1.0 and with_weight[other][1] == 0.0
    assert with_weight[holding][0] - without[holding][0] == pytest.approx(retrieve.Weights().definite_type)
    assert with_weight[other][0] == pytest.approx(without[other][0])


def test_names_typed_in_lower_case_are_read_as_the_documents_write_them(fair_assistant):
    forms = fair_assistant.snapshot.name_forms
    # A name's first word opening a sentence is a name too ("Maria Lopez, founder of…").
    assert forms["acme"] == "Acme" and forms["lopez"] == "Lopez" and forms["maria"] == "Maria"
    # Not a word written in lower case too, nor one capitalised only as a sentence's first word.
    assert "fair" not in forms and "visitors" not in forms
    from assistant.followup import casing_in, truecase

    assert truecase("who is maria lopez's partner at acme?", forms) == "who is Maria Lopez's partner at Acme?"
    assert truecase("Who is MARIA?", forms) == "Who is MARIA?"
    # A word the documents capitalise only inside a longer name is a name only typed beside the rest of it.
    snap = fair_assistant.snapshot
    assert "acme" in snap.lone_names and "lopez" not in snap.lone_names and ("maria", "lopez") in snap.name_pairs
    cased = casing_in(snap)
    assert cased("who is maria lopez's partner at acme?") == "who is Maria Lopez's partner at Acme?"
    assert cased("is lopez at the acme fair?") == "is lopez at the Acme fair?"


@pytest.mark.parametrize(
    ("text", "denies"),
    [
        ("What was not the aim of the reform?", True),
        ("Which path don't policymakers want to follow?", True),
        ("Where do policymakers NOT want the factories to move to?", True),
        ("Instead of moving factories to Vietnam, they upgrade them.", True),
        ("It prefers software rather than hardware.", True),
        ("Designers get parts available nowhere else.", True),
        # Asking about both ways is not denying one.
        ("Is Meitu based in Shenzhen? If not, which city?", False),
        ("Did the city grow or not?", False),
        ("A notable company is based in Shenzhen.", False),
    ],
)
def test_whether_a_text_denies_something(text, denies):
    assert negates(text) is denies


@pytest.mark.parametrize(
    ("question", "denied"),
    [
        ("What was not the aim of the reform?", True),
        ("Which path don't policymakers want to follow?", True),
        ("and what don't they want?", True),
        # A condition the asker states, a yes-or-no question and a statement ask for nothing denied.
        ("What if I do not have a permit?", False),
        ("What happens if I don't comply with the rules?", False),
        ("Is it not red?", False),
        ("I'm not making payments on my loan", False),
        ("What is the aim of the reform?", False),
        ("According to the author, what was not the aim?", True),
        ("In what year did Ofo not grow?", True),
        # Asking last, in the clause that denies.
        ("Friction is not caused by the gradients of what?", True),
        ("Ofo did not expand for what reason?", True),
        ("I don't know what to do?", False),
        ("Didn't he say who won?", False),
        ("If I do not pay the fee, what happens?", False),
        ("Ofo did not expand, but which rival did?", False),
        # "No. 1" and "not only" deny nothing.
        ("Which company is the No. 1 smartphone maker?", False),
        ("What is not only cheap but fast?", False),
    ],
)
def test_whether_a_question_asks_for_something_it_denies(question, denied):
    assert asks_denied(question) is denied


@pytest.mark.parametrize(
    ("question", "text", "flips"),
    [
        ("What is represented by non-binary notation?", "Numbers are kept in binary notation.", True),
        ("How can graphs be encoded indirectly?", "Graphs can be encoded directly.", True),
        ("What makes the bounds dependent on the model?", "The bounds are independent of the model.", True),
        ("Which city hosted the informal dinner?", "Genoa hosted the formal dinner.", True),
        ("Which problems are impossible to solve?", "Such problems are possible to solve.", True),
        # The same form on both sides, or an opening that is no denial.
        ("What is unknown about the classes?", "Much is unknown about the classes.", False),
        ("What did they discover?", "They cover the costs.", False),
        ("How did income grow?", "Income grew when the buyers come.", False),
        ("What is under the bridge?", "The der is a river.", False),
    ],
)
def test_whether_a_text_says_a_word_of_the_question_in_its_denying_form(question, text, flips):
    assert flips_polarity(question, text) is flips


def test_the_words_a_denial_reaches():
    assert denied_words("What did the Court of Justice not acknowledge?") == {"acknowledge"}
    # Any form, up to a stop or a "but", at most four words on, stop words left out.
    assert denied_words("Rome never hosted fairs, but Milan did.") >= {"hosted", "host", "fairs", "fair"}
    assert "milan" not in denied_words("Rome never hosted fairs, but Milan did.")
    assert "fair" not in denied_words("Rome did not, as far as anyone remembers, host the fair.")
    assert denied_words("Rome hosted the fair.") == frozenset()
    # "going to" says only when: the words after it are what is denied.
    assert denied_words("Which city is NOT going to be the next Silicon Valley?") == {"silicon"}


@pytest.mark.parametrize(
    ("question", "quoted", "elsewhere"),
    [
        # The quote denies something, not what the question denies.
        (
            "What did articles 1 to 4 not generally require of workers?",
            ["Articles 1 to 4 generally require that workers can take up employment, and not suffer discrimination."],
            True,
        ),
        ("51.6% was not in favor of what?", ["The vote was 51.6% in favour. This figure did not equal 40%."], True),
        # It denies what the question denies, in any form; or denies nothing (``negation_missing``'s case).
        ("Which city did not host the fair?", ["Rome did not host the fair."], False),
        ("Which city never hosted fairs?", ["Its halls were small.", "Rome has not hosted a fair."], False),
        ("Which city did not host the fair?", ["Milan hosted the fair."], False),
        # A question whose denial reaches no word says nothing of what it denies.
        ("What does the treaty not do?", ["The treaty does not apply here."], False),
    ],
)
def test_whether_a_quote_denies_something_else_than_the_question(question, quoted, elsewhere):
    assert denies_elsewhere(denied_words(question), quoted) is elsewhere


@pytest.mark.parametrize(
    ("question", "text", "opposite"),
    [
        ("What precedes the Gothic period?", "The Norman period succeeds the Anglo-Saxon.", True),
        ("Who decreased the army's resources?", "Pitt significantly increased the army's resources.", True),
        ("Why are the committees weaker here?", "The committees are stronger here than elsewhere.", True),
        ("Which parties hold the minority of seats?", "The parties that hold the majority of seats govern.", True),
        # The question's word said too, in any form, or the opposite said by the question itself.
        ("Who increased the resources?", "Pitt increased the resources, and later decreased them.", False),
        ("When did prices rise?", "Prices rose in 1990 after they fell in 1989.", False),
        ("Did sales rise or fall?", "Sales fell in 1989.", False),
        # Stop words are left out of the table: "in" and "out", "come" and "go"; not those of amount, order and
        # place, nor "before" and "after", which WordNet does not link.
        ("Who came in first?", "She went out.", False),
        ("What is more common in cities?", "Such shops are less common in cities.", True),
        ("Who came into contact with Wales after the conquest?", "Even before the conquest, they met.", True),
        ("Who elects the Second Minister?", "Parliament elects the First Minister.", True),
        ("What happened after the war?", "Before the war, and after it, trade grew.", False),
    ],
)
def test_whether_a_text_says_a_word_of_opposite_meaning_instead_of_the_questions(question, text, opposite):
    assert says_opposite(question, text) is opposite


def test_the_table_of_opposites_holds_wordnet_antonyms_both_ways_and_no_stop_words_but_of_amount_order_place():
    from spacy.lang.en.stop_words import STOP_WORDS

    from assistant.opposites import KEPT_STOP_WORDS

    table = opposites()
    assert "decrease" in table["increase"] and "increase" in table["decrease"]
    assert "minority" in table["majority"] and "weak" in table["strong"]
    assert STOP_WORDS & table.keys() <= KEPT_STOP_WORDS
    assert "less" in table["more"] and "before" in table["after"] and "last" in table["first"]
    assert "out" not in table.get("in", ()) and "go" not in table.get("come", ())
    # Every entry is a single word, and no word is its own opposite.
    assert all(word.isalpha() and word not in others for word, others in table.items())


def test_the_figures_a_text_writes_in_digits():
    assert figures("In 1,200 BC, in the 1970's, in the 10th century, 2.5 million.") == {"1200", "1970", "10", "2.5"}
    assert figures("No figures here.") == set()


def test_a_question_denying_or_naming_a_figure_its_answer_would_say_too(tmp_path_factory, embedder):
    text = (
        "Fairs\n\nMilan hosted the robot fair in 2019. Visitors came from far away.\n\n"
        "Rome never hosted the robot fair. Its halls were too small.\n\n"
        "Turin builds robots for the fair. Many engineers do not work there.\n\n"
        "Genoa hosted the formal dinner of the fair. Guests wore suits.\n\n"
        "Naples hosted the smallest robot show. Nobody came.\n"
    )
    retriever = _answering_over(tmp_path_factory, embedder, "fairs.txt", text)._retriever
    denied = {
        h.chunk.text.split()[0]: h.features["negation_missing"]
        for h in retriever.search("Which city did not host the robot fair?", k=10)
    }
    # Only a quote denying something has the question's denial: the sentence, or the one it leans on ("Its…"), not
    # one beside it ("Turin…" is followed by a denial about its engineers).
    assert denied["Milan"] == 1.0 and denied["Rome"] == 0.0 and denied["Its"] == 0.0
    assert denied["Turin"] == 1.0 and denied["Many"] == 0.0
    # A quote denying something else than the question: "Many engineers do not work there".
    elsewhere = {
        h.chunk.text.split()[0]: h.features["denial_elsewhere"]
        for h in retriever.search("Which city did not host the robot fair?", k=10)
    }
    assert elsewhere["Many"] == 1.0 and elsewhere["Rome"] == 0.0 and elsewhere["Milan"] == 0.0
    plain = retriever.search("Which city hosted the robot fair?", k=10)
    assert all(h.features["negation_missing"] == 0.0 for h in plain)
    # A condition stated is no denial asked for.
    conditional = retriever.search("What if the city did not host the robot fair?", k=10)
    assert all(h.features["negation_missing"] == 0.0 for h in conditional)
    dated = {
        h.chunk.text.split()[0]: h.features["figure_missing"]
        for h in retriever.search("Which city hosted the robot fair in 2019?", k=10)
    }
    assert dated["Milan"] == 0.0 and dated["Visitors"] == 0.0 and dated["Rome"] == 1.0 and dated["Turin"] == 1.0
    # A sentence saying the question's word in its denying form, or beside one that does, says the opposite.
    flipped = {
        h.chunk.text.split()[0]: h.features["polarity_flip"]
        for h in retriever.search("Which city hosted the informal dinner of the fair?", k=10)
    }
    assert flipped["Genoa"] == 1.0 and flipped["Guests"] == 1.0 and flipped["Milan"] == 0.0
    formal = retriever.search("Which city hosted the formal dinner of the fair?", k=10)
    assert all(h.features["polarity_flip"] == 0.0 for h in formal)
    # So does one saying, instead of a word of the question, one of opposite meaning ("smallest" for "largest").
    opposite = {
        h.chunk.text.split()[0]: h.features["opposite_word"]
        for h in retriever.search("Which city hosted the largest robot show?", k=10)
    }
    assert opposite["Naples"] == 1.0 and opposite["Nobody"] == 1.0 and opposite["Milan"] == 0.0
    smallest = retriever.search("Which city hosted the smallest robot show?", k=10)
    assert all(h.features["opposite_word"] == 0.0 for h in smallest)
    # Each lowers the confidence that the sentence answers.
    hit = plain[0]
    # The evidence that a sentence says something else (listed from negation_missing on).
    against = retrieve.CONFIDENCE_FEATURES[retrieve.CONFIDENCE_FEATURES.index("negation_missing") :]
    assert "name_missing" in against
    for name in against:
        worse = Hit(chunk=hit.chunk, score=hit.score, row=hit.row, features={**hit.features, name: 1.0})
        assert confidence(worse) < confidence(hit)


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("How is the Yale rowing crew ranked?", ["yale"]),
        # Words the documents write in lower case are no names, nor a request's words; accents are dropped.
        ("What French City was New Rochelle named after?", ["french", "new", "rochell"]),
        ("Tell me about Didi.", ["didi"]),
        ("Anything else?", []),
        # Titles and abbreviations shorter than three letters are left out; a hyphenated word gives its names.
        ("How long did Ms Kücükdeveci work there?", ["kucukdeveci"]),
        ("Which Yale-educated author of the EU report won?", ["yale"]),
        ("what does the city do?", []),
        # A first word the documents never write in lower case is a name only when tagged as one: it is capitalised
        # for opening the question.
        ("According to Reed, where should you go?", ["reed"]),
        ("Apart from DJI, who makes drones?", ["dji"]),
        ("Renren was first called what?", ["renren"]),
    ],
)
def test_the_names_a_question_gives(question, names):
    lower = frozenset({"city", "named", "after", "the", "what", "how", "is", "rowing", "crew", "ranked", "long"})
    assert retrieve.name_terms(question, lower) == names


def test_a_sentence_lacking_a_name_the_question_gives(tmp_path_factory, embedder, monkeypatch):
    text = (
        "Rowing at Harvard, with Canadian crews\n\n"
        "The Harvard crew is one of the top teams in the country. Its boathouse stands on the river.\n\n"
        "Ms Kücükdeveci coached the crew for ten years. She came from Swedex.\n\n"
        "Russian coaches trained the crew in winter. They came every year.\n"
    )
    retriever = _answering_over(tmp_path_factory, embedder, "rowing.txt", text)._retriever

    def lacking(question):
        return {h.chunk.text.split()[0]: h.features["name_missing"] for h in retriever.search(question, k=10)}

    # "Yale" in no form in the sentence, those beside it, its passage or the title: likely swapped for Harvard.
    swapped = lacking("How is the Yale crew ranked?")
    assert swapped["The"] == 1.0 and swapped["Its"] == 1.0
    # A name said without its accents, in another form ("Russia" for "Russian"), or in the title is not lacking.
    assert lacking("How long did Ms Kucukdeveci coach the crew?")["Ms"] == 0.0
    assert lacking("When did coaches from Russia train the crew?")["Russian"] == 0.0
    # The title, read the same way, holds "Canada" ("Canadian") for every sentence; nothing holds "Norway".
    assert all(v == 0.0 for v in lacking("Who rows for Canada at Harvard?").values())
    assert lacking("Who came from Norway?")["She"] == 1.0
    # The texts' terms are kept for the searches after: read again, or started afresh when the store is full,
    # they give the same.
    assert lacking("How is the Yale crew ranked?") == swapped
    monkeypatch.setattr(retrieve, "NAMES_HELD_SIZE", 1)
    assert lacking("How is the Yale crew ranked?") == swapped
    assert lacking("Who came from Norway?")["She"] == 1.0


@pytest.mark.parametrize(
    ("question", "quote", "another"),
    [
        # The numbers count something else.
        ("How many bikes does Ofo have?", "The two biggest players, Ofo and Mobike, are based in Beijing.", True),
        ("How many people work at Trouble Maker?", "Designers there have two resources: parts and know-how.", True),
        # A number of the thing, in its own word or another close in meaning, before or after the number.
        ("How many bikes does Ofo have?", "Ofo has put 10 million bicycles on the streets.", False),
        ("How many people live in the bay area?", "It knits 11 cities and a population of 80 million.", False),
        ("How many start-ups does the lab host?", "The lab is home to 110 internet start-ups.", False),
        # No number at all is another case (the quote lacks what is asked for); a unit or money is left alone;
        # a year counts nothing.
        ("How many bikes does Ofo have?", "Ofo bikes litter the streets.", False),
        ("How many kilometers is Dongguan from Shenzhen?", "Dongguan is a mere 88 minutes' drive away.", False),
        ("How many bikes does Ofo have?", "Ofo was founded in 2014 by students.", False),
        ("When was Ofo founded?", "The two biggest players, Ofo and Mobike, are based in Beijing.", False),
        # Nothing near the number says what it counts; the question's own figure counts nothing.
        ("How many bikes does Ofo have?", "It has 20 of them.", False),
        ("How many stores opened after the 2014 merger?", "After the 2014 merger it grew fast.", False),
    ],
)
def test_whether_the_numbers_of_a_quote_count_something_else_than_asked(embedder, question, quote, another):
    from assistant.names import counts_another

    assert counts_another(question, quote, embedder) is another


def test_word_vectors_are_embedded_once_and_the_cache_is_bounded(monkeypatch):
    from assistant import names
    from index.embedder import HashEmbedder

    class Counting(HashEmbedder):
        def __init__(self):
            super().__init__()
            self.calls = []

        def embed_passages(self, texts, *, show_progress=False):
            self.calls.append(list(texts))
            return super().embed_passages(texts)

    embedder = Counting()
    monkeypatch.setattr(names, "WORD_CACHE_SIZE", 3)
    first = names.word_vectors(embedder, ["bikes", "players", "bikes"])
    # The rows are the embedder's own, in the order asked, the repeated word embedded once.
    assert (first == HashEmbedder().embed_passages(["bikes", "players", "bikes"])).all()
    assert embedder.calls == [["bikes", "players"]]
    # Known words cost no forward pass; only the new ones go through, together.
    names.word_vectors(embedder, ["players", "streets", "bikes", "cities"])
    assert embedder.calls[1:] == [["cities", "streets"]]
    # Only the most recently used words are kept.
    names.word_vectors(embedder, ["players"])
    assert embedder.calls[2:] == [["players"]]


def test_a_count_of_something_else_makes_an_answer_less_sure(tmp_path, embedder, monkeypatch):
    from assistant import confidence as model

    files = {
        "bikes.txt": "Bikes\n\nThe two biggest players, Ofo and Mobike, are both based in Beijing. "
        "Ofo bikes literally litter the streets of cities across China.\n",
    }
    assistant = assistant_over(tmp_path, embedder, files)
    question = "How many bikes does Ofo have?"
    answer = assistant.ask(question)
    assert "two biggest" in answer.citations[0].quote
    factor = model.COUNTS_ANOTHER_ODDS
    monkeypatch.setattr(model, "COUNTS_ANOTHER_ODDS", 1.0)
    plain = assistant.ask(question)
    assert plain.citations[0].quote == answer.citations[0].quote
    # Only the count of another thing tells the two apart: it scales the odds of an answer by its factor.
    odds = lambda c: c / (1 - c)  # noqa: E731
    assert factor < 1 and odds(answer.confidence) == pytest.approx(factor * odds(plain.confidence), rel=0.01)
