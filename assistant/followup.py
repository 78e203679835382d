"""Follow-up questions: deciding whether a question leans on the conversation, and what to search.

No generative model: a question that depends on earlier turns (a pronoun, "In what year?", very few
content words) is searched together with what those turns were about, the names and key terms of the
previous question and of the quote that answered it, and sentences near the passages already cited get
a small nudge; "What about Beijing?" is the last question asked again of Beijing. A question that stands
alone is searched as asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS

from assistant.conversation import Turn
from assistant.question import NAMED_THINGS, OTHER_WORDS, QUESTION_WORDS, WORD, besides_asked, expected_type, words
from assistant.spelling import english
from index.lexical import idf_of, terms

# "the company" points back unless what follows says which one ("the company behind Vivo", "the author of
# the piece on Uber", "the app called WeChat").
_REFERRING = re.compile(
    r"\b(it|its|it's|itself|they|them|their|theirs|themselves|he|him|his|she|her|hers|this|that|these|those|"
    r"there|then|the (company|firm|city|place|person|man|woman|founder|ceo|product|app|platform|service|brand|"
    r"group|team|university|government|country|article|author|area|district|one|same)"
    r"(?!\s+(of|on|about|behind|from|that|which|who|whose|where)\b|\s+(called|named)\s+\w))\b",
    re.I,
)
# "that" opening what someone says or thinks ("Who said that hardware is software?", "Who warned that the market…?",
# "…told us that…"), or a clause of purpose or cause ("so that", "now that", "given that"): it points to nothing.
# Only before a clause of two words or more: "Who said that?" and "Who said that first?" point back.
_SAYS_THAT = re.compile(
    r"\b((said|says|say|claimed|claims|claim|argued|argues|argue|warned|warns|warn|noted|notes|note|mentioned|"
    r"mentions|mention|believed|believes|believe|thought|thinks|think|reported|reports|report|stated|states|state|"
    r"wrote|writes|write|suggested|suggests|suggest|explained|explains|explain|added|adds|add|found|finds|find|"
    r"knew|knows|know|predicted|predicts|predict|insisted|insists|insist|admitted|admits|admit|announced|"
    r"announces|announce|agreed|agrees|agree|hoped|hopes|hope|feared|fears|fear|realized|realised|realizes|"
    r"realises|realize|realise|learned|learnt|learns|learn|showed|shows|show|means|meant|mean)"
    r"|(told|tells|tell|telling|reminded|reminds|remind|assured|assures|assure)\s+[\w’'-]+|so|such|now|given)"
    r"\s+(?P<that>that)\b(?=(\s+[\w’'-]+){2,})",
    re.I,
)
_ELLIPSIS = re.compile(
    r"^\s*(and|or|but|also|what about|how about|and what about|same for|what else|why|how so)\b", re.I
)
_NAME = re.compile(r"\b[a-z]?[A-Z][\w’'&.-]*\w|\b\d[\d,.]*\b")
_OPENING_WORD = re.compile(r"[A-Z][a-z]+,")
_SENTENCE_START = re.compile(r"(^|[.!?:;][”\"’')\]]*)\s*$")
# The wording of questions, with words that open one and are capitalised only for that ("According to him, …").
_QUESTION_WORDS = QUESTION_WORDS | {"the", "a", "an", "and", "or", "in", "of", "tell", "me", "about", "i", "if"}
_QUESTION_WORDS |= {"what's", "who's", "where's", "when's", "how's", "according", "please", "so", "ok", "okay", "now"}
MAX_CONTEXT_TERMS = 8
MAX_ELLIPTICAL_WORDS = 3
GENERIC_SHARE = 0.2
ANSWER_NAMES = 2
NEAR_SHARE = 0.35  # a second name is added when at least this near, relative to the nearest
ANSWER_WINDOW = 8  # words between a name and a word of the question it answered, at most, to count as near
_MADE_FROM_NAME = re.compile(r"-[a-z]+$")  # "Beijing-based", "US-listed"
# The words that point to the answer of a question asking for a person, a place or a name
# ("Who is the CEO?" then "Where is his office?"); other pronouns point to what the questions are about.
_POINTS_TO_ANSWER = {
    "person": re.compile(r"\b(he|him|his|she|her|hers)\b", re.I),
    "place": re.compile(r"\b(there|that|it)\b", re.I),
    "name": re.compile(
        r"\b(it|its|it's|they|them|their|that|this|these|those|the (company|firm|brand|app|platform))\b", re.I
    ),
}
# A question that is only a thing it asks for, owned by what the conversation is about ("And its vine-like video
# app?", "Their parent company?"): it asks for that thing's name.
_ONLY_THING = re.compile(
    r"^\W*((and|also|so|or|what about|how about)\s+)?(its|their|his|her)\s+([\w’'-]+\s+){0,3}" + NAMED_THINGS + r"\W*$",
    re.I,
)
_POINTS_TO_PERSON = _POINTS_TO_ANSWER["person"]
PERSON_TURNS = 5  # how far back "he" (or "there") may point
_THERE = re.compile(r"\bthere\b", re.I)
# "there" saying only that something is ("Are there other drone makers?", "How many drone makers are there?"),
# not where ("Which research lab is there?").
_EXISTENTIAL = re.compile(
    r"^\W*(is|are|was|were)\s+there\b|\bthere\s+(is|are|was|were|'s|’s)\b|\bhow\s+many\b.*\b(is|are|was|were)\s+there\b",
    re.I,
)


def _there(question: str) -> bool:
    """Whether ``question`` says "there" of a place."""
    return bool(_THERE.search(question)) and not _EXISTENTIAL.search(question)


NEAR_SENTENCES = 6
# A follow-up that asks for something besides what was shown ("Which other accelerators are there?",
# "Tell me more."): the sentences just quoted are pushed well down, below what else the documents say.
_ASKS_OTHER = re.compile(
    r"(?<!each )(?<!the )(?<!in )\b(other|others)\b(?!\s+than\b)|\b(another|besides|apart from|aside from)\b|"
    r"(?<!one )(?<!body )\belse\b|\b(tell|show|give)\s+(me|us)\s+more\b|\bmore\s+(about|on|details?|info)\b|"
    r"^\W*(and\s+)?more\W*$|\b(anything|something|what)\s+more\b",
    re.I,
)
SHOWN_PENALTY = -1.0
# A question that is only a fragment of one: a question word and at most one word more, maybe after a
# preposition ("To which rival?", "In which city?", "In what year?", "How many?").
_FRAGMENT = re.compile(
    r"^\W*((and|so|but)\s+)?((to|in|at|from|by|for|with|since|on|of|into|after|before|during|until)\s+)?"
    r"(which|what|whom|who|when|where|why|how(\s+(many|much|long|far|old))?)(\s+[\w'’-]+)?\W*$",
    re.I,
)


@dataclass(frozen=True)
class Resolution:
    """What to search for a question asked in a conversation."""

    query: str
    followup: bool
    cited: list[tuple[str, int, int]] = field(default_factory=list)  # (doc, start, end) cited last turn
    wants_other: bool = False  # it asks for something besides what the last answer's first quote says
    # It names a subject of its own besides what it borrows ("According to him, what was Ping'an originally?").
    names_subject: bool = False


def _name_matches(text: str, common: Collection[str] = (), *, repeats: bool = False) -> list[re.Match[str]]:
    """Where the capitalised words and numbers of ``text`` are, in order, without common words, a pronoun
    with a verb ("I’ve", "We’re"), words in ``common`` (words the documents use in lower case, so capitalised
    only because they open a sentence) or, unless ``repeats``, a name met before."""
    seen, out = set(), []
    for m in _NAME.finditer(text):
        lower = _plain(m.group(0))
        if lower in _QUESTION_WORDS or lower in STOPWORDS_EN or lower in common or (not repeats and lower in seen):
            continue
        if _OPENING_WORD.match(text, m.start()) and _SENTENCE_START.search(text[: m.start()]) and english(lower):
            continue  # "Additionally, Goletz said…": a word of English opening a sentence, set off by a comma
        if "'" in lower and lower.split("'")[0] in STOPWORDS_EN_PLUS:
            continue
        seen.add(lower)
        out.append(m)
    return out


def _names(text: str, common: Collection[str] = ()) -> list[str]:
    """The capitalised words and numbers of ``text`` (see ``_name_matches``)."""
    return [m.group(0) for m in _name_matches(text, common)]


def _runs(quote: str, matches: Iterable[re.Match[str]]) -> list[list[re.Match[str]]]:
    """``matches`` of words in ``quote`` grouped into names: runs with only spaces between them ("Henk Werner")."""
    runs: list[list[re.Match[str]]] = []
    for m in matches:
        if runs and not quote[runs[-1][-1].end() : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _answer_names(
    quote: str, question: str, leave_out: Collection[str], common: Collection[str], generic: Callable[[str], bool]
) -> list[str]:
    """The names in the quote that answered ``question`` that it may have been asking for: the one nearest
    to the question's own words ("Which Hangzhou company is China's biggest e-commerce provider?" is
    answered by the name beside "biggest e-commerce provider", not by "Silicon Valley" earlier in the
    quote), and a second one when it is nearly as near ("Meitu XiuXiu, aka MeituPic"); the first two in
    the quote when none is near. A name of several words ("Henk Werner") counts as one, at its nearest
    mention. Left out: words in ``leave_out``, names too common to tell anything (``generic``) and words
    made from a name ("Beijing-based")."""
    tokens = list(WORD.finditer(quote))
    asked = set(terms([" ".join(w for w in _content_words(question) if not generic(w))])[0])
    token_terms = terms([t.group(0) for t in tokens]) if tokens else []
    anchors = [i for i, found in enumerate(token_terms) if asked & set(found)]
    left_out = {_plain(w) for w in leave_out}

    def nearness(m: re.Match[str]) -> float:
        at = next((i for i, t in enumerate(tokens) if t.start() <= m.start() < t.end()), None)
        if at is None:
            return 0.0
        return sum(1.0 / abs(at - i) for i in anchors if 0 < abs(at - i) <= ANSWER_WINDOW)

    groups = _runs(quote, _name_matches(quote, common, repeats=True))
    best_of: dict[str, float] = {}  # each name at its nearest mention, in the order of first mention
    for group in groups:
        kept = [
            m
            for m in group
            if _plain(m.group(0)) not in left_out and not generic(m.group(0)) and not _MADE_FROM_NAME.search(m.group(0))
        ]
        if kept:
            name = " ".join(m.group(0) for m in kept)
            best_of[name] = max(best_of.get(name, 0.0), max(nearness(m) for m in kept))
    if not best_of:
        return []
    best = max(best_of.values())
    nearest = sorted(best_of, key=best_of.get, reverse=True)[:ANSWER_NAMES]  # stable among equals
    return [name for name in best_of if name in nearest and best_of[name] >= NEAR_SHARE * best]


_WORDING = frozenset(STOPWORDS_EN_PLUS) | _QUESTION_WORDS | OTHER_WORDS


def _plain(word: str) -> str:
    """A word in lower case with a typographic apostrophe made plain ("What’s" is "what's")."""
    return word.lower().replace("’", "'")


def _content_words(text: str) -> list[str]:
    """The words of ``text`` besides the wording any question has ("what", "tell me", "anything else")."""
    return [w for w in WORD.findall(text) if _plain(w) not in _WORDING]


def _words_besides(text: str, leave_out: Collection[str], asked: str) -> list[str]:
    """The first words of ``text`` (at most ``MAX_CONTEXT_TERMS``), besides the wording of questions, the
    words in ``leave_out`` and those already ``asked`` (the question in lower case)."""
    kept = [w for w in WORD.findall(text) if _plain(w) not in _QUESTION_WORDS and w.lower() not in leave_out]
    return [w for w in kept if w.lower() not in asked][:MAX_CONTEXT_TERMS]


def truecase(
    text: str,
    forms: Mapping[str, str],
    pairs: Collection[tuple[str, str]] = (),
    lone: Collection[str] | None = None,
) -> str:
    """``text`` with each word typed in lower case that the documents write only capitalised in their form
    ("which city is alibaba in" is "which city is Alibaba in"), so that it reads as the name it is; a
    possessive too ("tencent's"). ``forms`` maps such words in lower case to how the documents write them;
    given ``lone``, the words of ``forms`` the documents also write as names of one word, any other is cased
    only typed beside a word it is written beside in ``pairs`` ("new" of "Raja New Energy" stays "new" in "its
    new camera", and "yongxi li" is "Yongxi Li")."""
    if not forms:
        return text
    found = list(WORD.finditer(text))
    keys = [_plain(m.group(0)) for m in found]
    keys = [k if k in forms or not k.endswith("'s") else k[:-2] for k in keys]

    def named(n: int) -> bool:
        key = keys[n]
        if key not in forms or not found[n].group(0).islower():
            return False
        if lone is None or key in lone:
            return True
        return (n > 0 and (keys[n - 1], key) in pairs) or (n + 1 < len(keys) and (key, keys[n + 1]) in pairs)

    out, at = [], 0
    for n, m in enumerate(found):
        if named(n):
            form = forms[keys[n]]
            tail = m.group(0)[len(keys[n]) :] if keys[n] != _plain(m.group(0)) else ""
            out += [text[at : m.start()], form + tail]
            at = m.end()
    return "".join(out) + text[at:]


def casing_in(snapshot) -> Callable[[str], str]:
    """``truecase`` with the names of the documents of ``snapshot``."""
    forms, pairs, lone = snapshot.name_forms, snapshot.name_pairs, snapshot.lone_names
    return lambda text: truecase(text, forms, pairs, lone)


# A question naming what it is about before asking of it ("And the video site Tudou, when did it merge with
# Youku?", "Shenzhen's VCs, what are they looking forward to?"): its pronouns point to that.
_TOPIC_FIRST = re.compile(
    r"^\W*((and|so|but|also|now|what about|how about|as for)\s+)?(?P<topic>[^,?]{2,60}),\s*"
    r"(what|who|whom|whose|when|where|which|why|how|is|are|was|were|do|does|did|has|have|had|can|could|will|would)\b",
    re.I,
)


# What opens a question without being what it is about ("In 2015, what did it buy?", "According to him, …").
_NOT_A_TOPIC = re.compile(
    r"(in|at|on|by|for|from|to|with|without|within|since|after|before|during|until|according|besides|apart|aside|"
    r"if|when|while|once|although|though|because|as|unlike|like|compared|outside|inside|other|under|over|despite|"
    r"versus|vs|against|through|throughout|including|excluding|across|among|beyond|near|around|about|via|per)\b",
    re.I,
)


def _names_its_topic(question: str, common: Collection[str] = ()) -> bool:
    """Whether ``question`` names what it is about first, and asks of it after a comma (``_TOPIC_FIRST``)."""
    m = _TOPIC_FIRST.match(question)
    if m is None or _REFERRING.search(m.group("topic")) or _NOT_A_TOPIC.match(m.group("topic")):
        return False
    # A name, not a word of English opening the question ("Sorry, who owns it?", "Last year, what did it buy?").
    names = _names(m.group("topic"), common)
    return any(not name[0].isdigit() and not (n == 0 and english(_plain(name))) for n, name in enumerate(names))


def depends_on_context(question: str, common: Collection[str] = ()) -> bool:
    """Whether a question reads as a follow-up: it refers back, is elliptical, or says very little
    ("Anything else?", "In what year?"; not "What is Huawei?" or "2015?", which name what they are about:
    a word capitalised, a number, or a word the documents never use in lower case, ``common``)."""
    said = _content_words(question)
    if _names_its_topic(question, common):
        return False
    # "And Beijing?" leans on what came before; "And which local government is Tencent co-sponsoring an AI
    # park with?" says all it asks.
    if (
        _REFERRING.search(_SAYS_THAT.sub(lambda m: m.group(0)[: m.start("that") - m.start()], question))
        or _ORDINAL.search(question)
        or (_ELLIPSIS.search(question) and len(said) <= MAX_ELLIPTICAL_WORDS)
    ):
        return True
    if len(said) != 1:
        return not said
    word = said[0].strip("’'-") or said[0]
    return not (word[0].isupper() or word.isdigit() or (common and word.lower() not in common))


# "it", or "this" or "that" standing for a thing ("How many users does that have?"), not "the app that edits…".
_IT = re.compile(
    r"\b(it|its|it's|it’s|itself)\b|\b(this|that)\b(?=\s*[?.!]*\s*$|\s+(is|was|has|have|had|does|do|did|cost|costs)\b)",
    re.I,
)
_THEY = re.compile(r"\b(they|them|their|theirs|themselves)\b", re.I)
# A question asking for something a thing has ("What's its most popular app?"), not for who stands behind it
# ("What is its parent company?"): "they" is then the thing, not what was asked for.
_OWNED = re.compile(
    r"\b(its|their)\s+(?!([\w-]+\s+){0,2}(compan(y|ies)|firms?|parents?|owners?|investors?|backers?|partners?|"
    r"rivals?|competitors?|founders?|teams?|groups?|people|staff)\b)",
    re.I,
)


def _other_pronoun(question: str, last_question: str, before: str) -> bool:
    """Whether ``question`` points back with "they" or "their" where ``last_question`` did with "it" or "that"
    to the answer of a question asking for something of another (``before``: "What's its most popular app?"):
    that other, the owner, rather than what it owns."""
    return bool(
        _THEY.search(question) and not _IT.search(question) and _IT.search(last_question) and _OWNED.search(before)
    )


OWN_WORDS = 3  # content words of its own that make a follow-up say much of what it asks


def says_much(question: str) -> bool:
    """Whether a follow-up says much of what it asks in its own words ("What have officials laid out plans to do
    about it?"), not only what kind of thing ("When was it founded?")."""
    return len({_plain(w) for w in _content_words(question)}) >= OWN_WORDS


def _swaps_subject(question: str, names: list[str], topic: list[str], last_query: str) -> bool:
    """Whether an elliptical question asks the last one again of something else ("What about Beijing?",
    "And how many are in Shenzhen?"): it names something new and says nothing the last one did not ("And
    who founded Tencent?" asks something else)."""
    if not _ELLIPSIS.search(question) or _ASKS_OTHER.search(question):
        return False
    named = {n.lower() for n in names}
    if not named - {n.lower() for n in topic}:
        return False
    before = {w.lower() for w in WORD.findall(last_query)}
    return all(w.lower() in before for w in _content_words(question) if w.lower() not in named)


def _names_own_subject(names: list[str], topic: list[str], generic: Callable[[str], bool] | None) -> bool:
    """Whether a question names something of its own to ask about: a name (not a number, not one too common to
    tell anything, not one the last question was about)."""
    known = {n.lower() for n in topic}
    return any(not n[0].isdigit() and n.lower() not in known and not (generic and generic(n)) for n in names)


def _same_kind(name: str, others: list[str]) -> bool:
    """Whether ``name`` is of a kind (a number, or a word) found among ``others``."""
    return any(name[0].isdigit() == other[0].isdigit() for other in others)


def resolve(
    question: str,
    history: list[Turn],
    *,
    force: bool = False,
    common: Collection[str] = (),
    generic: Callable[[str], bool] | None = None,
    cased: Callable[[str], str] | None = None,
    people: Callable[[str], list[str]] | None = None,
    places: Callable[[str], list[str]] | None = None,
) -> Resolution:
    """The query to search for ``question`` given the earlier turns (oldest first).

    What is added: the names the last question was about (or, when it named nothing telling, the ones it
    was itself resolved with), and, when the last question asked for a name, a place or a person and this
    one points to it ("Who is the CEO?" then "Where is his office?"), the new names in the quote that
    answered it that stand nearest the last question's words (``_answer_names``; then in place of the
    earlier turns' names, when the last question named nothing telling or this one names its own subject:
    "According to him, what was Ping'an originally?"). "What about Beijing?" gets the
    last question's words instead, without its names.
    ``force`` treats the question as a follow-up even when its wording does not say so; ``common``
    holds words that are not names even when capitalised; ``generic`` tells a name too common in the
    documents to say what a question is about ("China" in documents on China); ``cased`` (see ``truecase``)
    tells names typed in lower case; ``people`` finds the people a text names, for "he", "his" or "her" (see
    ``_last_person``); ``places`` the places it names, for "there" (see ``_last_place``).
    """
    if not history or not (force or depends_on_context(question, common)):
        return Resolution(query=question, followup=False)
    cased = cased or (lambda text: text)
    typed, question = question, cased(question)
    last = history[-1]
    last_question, last_query = cased(last.question), cased(last.query)
    cites = _answered_with(last)
    asked = question.lower()
    # What the last question was about: its names or, when it named nothing telling ("Whose China business
    # did it take over?"), the names it was itself read with.
    telling = [n for n in _names(last_question, common) if generic is None or not generic(n)]
    read_with = last_query
    if not telling and len(history) > 1 and _other_pronoun(question, last_question, history[-2].question):
        # "What's its most popular app?", then "How many users does that have?" of the app; "Do they make
        # phones?" is of the app's maker, which "its" was.
        read_with = cased(history[-2].query)
    topic = telling or [n for n in _names(read_with, common) if generic is None or not generic(n)]
    cited = [(c["document"], c["start"], c["end"]) for c in cites[:1]]
    new_names = _names(question, common)
    if _swaps_subject(question, new_names, topic, last_query):
        # The same question of the new name: the last question's words without the names it asked about
        # that the new one takes the place of ("And in 2015?" keeps the company, drops 2014).
        replaced = {n.lower() for n in topic if _same_kind(n, new_names)}
        context = _words_besides(last_query, replaced, asked)
        return Resolution(query=f"{typed} {' '.join(context)}".strip(), followup=True, cited=cited)
    picked = _one_of_listed(question, history, cased, common)
    if picked is not None:
        name, listed = picked
        # "What are Shenzhen's two biggest companies?", then "What is the first one focusing on now?" and "And the
        # other one?": the name picked from the answer's list, with the last question's words when this one
        # says little else, without the listed name they were asked of.
        # The name takes the place of the words picking it: "What is Ping’an focusing on now?".
        query = _ORDINAL.sub(name, typed, count=1)
        if _ELLIPSIS.search(question) or not _content_words(_ORDINAL.sub(" ", question)):
            context = _words_besides(_ORDINAL.sub(" ", last_query), {n.lower() for n in listed}, query.lower())
            query = f"{query} {' '.join(context)}".strip()
        return Resolution(query=query, followup=True, cited=cited)
    answer = []
    points = _POINTS_TO_ANSWER.get(expected_type(last_question) or ("name" if _ONLY_THING.match(last_question) else ""))
    found = _last_person(history, cased, people) if people and _POINTS_TO_PERSON.search(question) else None
    person = found[0] if found else None
    # "he" after "Who is Thomas Goletz?" is him, not a name in the answer.
    named_person = found is not None and found[1] and words(person) <= words(last_question)
    # "there" after a question asking for a name is the place named ("…the market at Huaqiangbei", "What gets
    # traded there?").
    pointing = points is not None and (
        points.search(question) or (points is _POINTS_TO_ANSWER["name"] and _there(question))
    )
    if cites and pointing and not named_person:
        leave_out = {n.lower() for n in topic} | words(last_query) | words(question)
        answer = _answer_names(cites[0]["quote"], last_question, leave_out, common, generic or (lambda _: False))
    # A question pointing to the last answer ("What's its app called?" then "How many users does that
    # have?") is about that answer, not about what the turns before it were; so is one naming what it asks
    # about besides ("Who founded Greater Bay Insights?" then "According to him, what was Ping'an originally?").
    names_subject = _names_own_subject(new_names, topic, generic)
    wants_other = bool(_ASKS_OTHER.search(question))
    if answer and (not telling or names_subject):
        topic = []
    place = None
    if places and not answer and _there(question):
        # "there" is the place the conversation last spoke of ("Which Beijing company…?", "And Uber?", "Which lab is
        # there?"); what the last question was about stays ("How many people work there?" of a company).
        place = _last_place(history, cased, places, topic, generic)
    context = [n for n in topic if n.lower() not in asked][:MAX_CONTEXT_TERMS] + answer
    if person and not words(person) <= words(" ".join(context)) | words(question):
        # "he" is the person the conversation last spoke of, though not in the last turn ("And his catchphrase?").
        context = [person] + [c for c in context if c.lower() not in words(person)]
    if place and place.lower() not in asked and place.lower() not in {c.lower() for c in context}:
        context = [place] + context
    if not context:
        context = _words_besides(last_query, (), asked)
    elif _FRAGMENT.search(question) or (wants_other and not _content_words(question)):
        # "In which city?", "To which rival?": the rest of the question is the last one's ("…was Tudou
        # established?", "…did it start losing market share?"); "Anything else?" asks the last one again.
        have = {c.lower() for c in context}
        context += [w for w in _content_words(last_question) if w.lower() not in have and w.lower() not in asked]
    context += [w for w in _said_of(question, last_question) if w.lower() not in {c.lower() for c in context}]
    query = f"{typed} {' '.join(context)}".strip() if context else typed
    return Resolution(
        query=query,
        followup=True,
        cited=cited,
        wants_other=wants_other,
        names_subject=names_subject,
    )


def _last_person(
    history: list[Turn], cased: Callable[[str], str], people: Callable[[str], list[str]]
) -> tuple[str, bool] | None:
    """The person the conversation last spoke of (the latest of the last ``PERSON_TURNS`` turns first), and
    whether the question of that turn named them: for a question asking for a person ("Who founded Greater Bay
    Insights?", "Who is Thomas Goletz's co-founder?"), the first the quote answering it names besides those
    of the question; else one the question names ("Who is Thomas Goletz?", "What did Yongxi Li say?")."""
    for turn in reversed(history[-PERSON_TURNS:]):
        question = cased(turn.question)
        named = [_without_possessive(p) for p in people(question)]
        # "Who is Thomas Goletz?" asks about the person it names, not for another one.
        if named and {_plain(w) for w in _content_words(question)} <= words(" ".join(named)):
            return named[0], True
        cites = _answered_with(turn)
        if cites and expected_type(turn.question) == "person":
            found = besides_asked(people(cites[0]["quote"]), question)
            if found:
                return _without_possessive(found[0]), False
        if named:
            return named[0], True
    return None


# "the first one", "the former", "the other one": one of the names an earlier answer listed.
# Not "the first one to invest", "the former CEO", "the latter half": "the former" and "the latter" stand alone,
# or before a verb.
_NOT_PICKED = r"(?!\s+(to|of|who|that|which)\b)"
_ALONE = r"(?=\s*([?.!,;:]|$)|\s+(\w+ing|\w+ed|is|was|are|were|has|had|does|did|do|can|will|makes?|owns?|sells?)\b)"
_ORDINAL = re.compile(
    rf"\bthe\s+((?P<first>first)|(?P<second>second)|(?P<other>other))\s+one\b{_NOT_PICKED}"
    rf"|\bthe\s+((?P<former>former)|(?P<latter>latter))\b{_ALONE}",
    re.I,
)
# Names listed together: "Ping’an and Tencent", "Oppo, Vivo and OnePlus".
_LIST_JOIN = re.compile(r"^(,\s*|\s+and\s+|,\s+and\s+)$")


def _listed(quote: str, leave_out: Collection[str], common: Collection[str]) -> list[str]:
    """The first run of two or more names ``quote`` lists together ("Ping’an and Tencent", "Pony Ma and Zhang
    Zhidong"), besides those in ``leave_out`` (plain, in lower case: see ``_plain``)."""
    kept = (
        m
        for m in _name_matches(quote, common, repeats=True)
        if _plain(m.group(0)) not in leave_out and not m.group(0)[0].isdigit()
    )
    names = [(group[0].start(), group[-1].end()) for group in _runs(quote, kept)]
    run: list[tuple[int, int]] = []
    for span in names:
        if run and not _LIST_JOIN.match(quote[run[-1][1] : span[0]]):
            if len(run) > 1:
                break
            run = []
        run.append(span)
    return [quote[a:b] for a, b in run] if len(run) > 1 else []


def _one_of_listed(
    question: str, history: list[Turn], cased: Callable[[str], str], common: Collection[str]
) -> tuple[str, list[str]] | None:
    """The name ``question`` picks by order ("the first one", "the latter", "the other one") from the names the
    latest answer listing several gave, within the last ``PERSON_TURNS`` turns, and those names; "the other one"
    is the one the turns since have not asked of."""
    m = _ORDINAL.search(question)
    if m is None:
        return None
    recent = history[-PERSON_TURNS:]
    for back, turn in enumerate(reversed(recent)):
        cites = _answered_with(turn)
        if not cites:
            continue
        listed = _listed(cites[0]["quote"], {_plain(w) for w in WORD.findall(cased(turn.question))}, common)
        if len(listed) < 2:
            continue
        if m.group("first") or m.group("former"):
            return listed[0], listed
        if m.group("latter"):
            return listed[-1], listed
        if m.group("second"):
            return listed[1], listed
        since = words(" ".join(cased(t.query) for t in recent[len(recent) - back :]))
        others = [n for n in listed if not words(n) <= since]
        return (others[0] if len(others) == 1 else listed[1]), listed
    return None


_THE_THING = re.compile(r"\bthe\s+([a-z][\w-]*)\b", re.I)


def _said_of(question: str, last_question: str) -> list[str]:
    """The words the last question said of a thing this one calls "the" thing: "software" for "the park" after
    "Which photo app came out of Chengdu's software park?"."""
    asked = {_plain(w) for w in WORD.findall(question)}
    out = []
    for m in _THE_THING.finditer(question):
        thing = re.escape(m.group(1))
        said = re.search(rf"\b([a-z][\w-]*)\s+{thing}\b", last_question, re.I)
        if said and _plain(said.group(1)) not in _WORDING and _plain(said.group(1)) not in asked:
            out.append(said.group(1))
    return out


def _last_place(
    history: list[Turn],
    cased: Callable[[str], str],
    places: Callable[[str], list[str]],
    topic: list[str],
    generic: Callable[[str], bool] | None,
) -> str | None:
    """The place the conversation last spoke of for "there": none when the last question's subject is a place
    itself ("What about Shenzhen?" then "Who is based there?" is of Shenzhen already), else the first place, not
    one too common to tell anything ("China"), that the latest of the last ``PERSON_TURNS`` questions naming one
    named."""
    known = {n.lower() for n in topic}
    for turn in reversed(history[-PERSON_TURNS:]):
        found = [_without_possessive(p) for p in places(cased(turn.question)) if not (generic and generic(p))]
        if found:
            return None if any(p.lower() in known for p in found) else found[0]
    return None


def _answered_with(turn: Turn) -> list[dict]:
    """The citations a turn answered with (none when it said the documents do not answer)."""
    return turn.answer.get("citations", []) if turn.answer.get("answered") else []


def _without_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name)


def generic_in(snapshot) -> Callable[[str], bool]:
    """Whether a name is too common in the documents to tell what a question is about: each of its terms
    is in more than ``GENERIC_SHARE`` of the sentences ("China" in documents on China)."""
    lexical, n = snapshot.sentence_bm25, len(snapshot.sentences)
    cutoff = idf_of(int(GENERIC_SHARE * n), n)

    def generic(name: str) -> bool:
        found = terms([name])[0]
        return bool(found) and all(lexical.idf(t) < cutoff for t in found)

    return generic


def _sentences_within(snapshot, doc: str, start: int, end: int) -> list[tuple[int, int]]:
    """(position in the document, row) of the sentences of ``doc`` that overlap [start, end)."""
    rows = snapshot.sentences_of_doc.get(doc, [])
    return [
        (pos, r)
        for pos, r in enumerate(rows)
        if snapshot.sentences[r].start < end and start < snapshot.sentences[r].end
    ]


def nearness_prior(snapshot, resolution: Resolution, *, near: float = 0.3, same_doc: float = 0.1):
    """A score nudge for sentences close to what the last turn cited (follow-ups often continue there).

    The very sentences it quoted get no nudge, while the rest of their document gets ``same_doc`` and
    their neighbours more: a follow-up often asks for something they hold that the person had not read
    ("Tell me about Didi." quotes a paragraph, "When was it founded?" is answered inside it). On
    doc2dial, pushing them down (-0.3) lowered hit@3 (0.309 -> 0.304). They are pushed down
    (``SHOWN_PENALTY``) when the question asks for something else ("Which other…").
    """
    if not resolution.cited:
        return None
    anchors: dict[str, list[int]] = {}
    shown: set[int] = set()
    for doc, start, end in resolution.cited:
        for pos, row in _sentences_within(snapshot, doc, start, end):
            anchors.setdefault(doc, []).append(pos)
            shown.add(row)

    def prior(row: int) -> float:
        if row in shown and resolution.wants_other:
            return SHOWN_PENALTY
        sentence = snapshot.sentences[row]
        positions = anchors.get(sentence.doc)
        if not positions:
            return 0.0
        distance = min(abs(snapshot.position_in_doc[row] - p) for p in positions)
        if distance == 0:
            return 0.0
        if distance <= NEAR_SENTENCES:
            return same_doc + near * (1 - distance / (NEAR_SENTENCES + 1))
        return same_doc

    return prior
