"""What kind of answer a question asks for, and whether a piece of text holds one."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Collection
from typing import Literal

from assistant.opposites import opposites

AnswerType = Literal["number", "date", "time", "person", "place", "name", "amount"]

# Things known by a name: "What company…?" asks for one.
NAMED_THINGS = (
    r"(compan(y|ies)|firms?|brands?|apps?|platforms?|startups?|newspapers?|websites?|universit(y|ies)|banks?|"
    r"accelerators?|organi[sz]ations?|networks?|products?|games?|sites?|stores?|magazines?|schools?|"
    r"agenc(y|ies)|teams?|providers?|makers?|manufacturers?|retailers?|operators?)\b"
)
# Words naming a role only a person holds, and kinds of place, shared by the wordings below.
_ROLES = (
    r"(co-?)?(founders?|ceo|chief\s+executive|chairman|chairwoman|president|authors?|creators?|inventors?|boss|"
    r"writers?)"
)
_PLACES = r"(city|country|place|region|district|province|state|town|location|neighbo[u]?rhood)"
# Verbs that open a yes-or-no question ("Is…", "Did…"), or follow "which" in one asking nothing of a kind ("Which
# is bigger…?").
_AUXILIARIES = r"(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should)"
# A query typed as keywords, with no question word, ends on the kind of thing it wants: "Beijing venture capital
# amount", "Meitu HQ city?", "Huawei founding year", "Trouble Maker chief executive?". Not a yes-or-no question or
# a request ("Was 2015 a good year?", "Tell me about their funding").
_KEYWORDS = (
    rf"^(?!\W*({_AUXILIARIES}|tell|explain|describe|show|give)\b)"
    r"(?![^?]*\b(what|which|who|whom|whose|when|where|why|how)\b)[^?]*\b"
)
_KEYWORD_DATE = re.compile(_KEYWORDS + r"(year|date|day|month)\W*$", re.I)
_KEYWORD_AMOUNT = re.compile(_KEYWORDS + r"(amount|sum|cost|price|funding|revenue|valuation)\W*$", re.I)
_KEYWORD_COUNT = re.compile(_KEYWORDS + r"(count|number|total|population)\W*$", re.I)
# A person or a place asked for by keywords is only a likelier kind of answer, not one the quote must hold: the
# gate on a missing person (``_PERSON_ROLE``) keeps to wordings measured on SQuAD.
_KEYWORD_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    (_KEYWORD_DATE, "date"),
    (_KEYWORD_AMOUNT, "number"),
    (_KEYWORD_COUNT, "number"),
    (re.compile(_KEYWORDS + _ROLES + r"\W*$", re.I), "person"),
    (re.compile(_KEYWORDS + r"(" + _PLACES + r"|hq|headquarters)\W*$", re.I), "place"),
]
_TYPE_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    *_KEYWORD_RULES,
    (
        re.compile(
            r"\b(when|what (year|date|day|month|time|decade|century|period)|which (year|date|decade|century)|"
            r"in what (year|decade|century)|how long ago|since when)\b",
            re.I,
        ),
        "date",
    ),
    (
        re.compile(
            r"\b(how (many|much|far|long|old|big|large|tall|high|fast|often|heavy|deep|wide)|"
            r"what (percentage|percent|proportion|number|amount|share|fraction|size|population)|"
            r"at what (age|rate|speed|price|cost))\b",
            re.I,
        ),
        "number",
    ),
    (re.compile(r"\b(who|whom|whose)\b", re.I), "person"),
    (
        re.compile(
            rf"\b(where|(what|which) {_PLACES})\b",
            re.I,
        ),
        "place",
    ),
    # "Which company…", "What score…", "What was it called?", "What company…", "What's the one notable tech
    # company in Xiamen?": a name the question does not already hold.
    (
        re.compile(
            rf"\bwhich\s+(?!({_AUXILIARIES}|one|ones|of)\b)[a-z]+"
            r"|\b(called|named|known as)\W*$|\bwhat(\s+is|\s+was|'s|’s)\s+(the|its|their|his|her)\s+name\b"
            rf"|\bwhat\s+((?!({_AUXILIARIES}|the|a|an|its|their|his|her|this|that|of|about)\b)[a-z][\w-]*(?<![^s]s)(?<!ed)\s+){{0,2}}"
            rf"{NAMED_THINGS}|\bwhat(\s+is|\s+was|'s|’s)\s+(the|its|their|his|her|[\w-]+['’]s)\s+([\w-]+\s+){{0,3}}?"
            rf"{NAMED_THINGS}(?!['’])",
            re.I,
        ),
        "name",
    ),
]

_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|quarter|"
    r"once|twice|several)\b",
    re.I,
)
# A figure written in digits, with its thousands commas or decimal point: "2,000", "2.5".
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR_DIGITS = r"(1[0-9]\d\d|20\d\d)"  # a year from 1000 to 2099
# "May" and "March" are months only with a capital ("it may be", "they march"), "fall" only as a time of year
# ("in the fall", "fall 2017"; not "sales fall", "hit by the fall in prices"), "BC" and "AD" only in capitals ("an ad",
# "2 ad campaigns").
_DATE = re.compile(
    rf"(?i:\b{_YEAR_DIGITS}s?\b|\b\d{{1,2}}(st|nd|rd|th)\b|"
    r"\b(january|february|april|june|july|august|september|october|november|december|"
    r"spring|summer|autumn|winter|century|centuries|decade|today|yesterday|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|ago)\b|"
    rf"\b(in|during|by|last|this|next|early|late)\s+(the\s+)?fall\b(?!\s+(in|of)\s+(?!{_YEAR_DIGITS}\b))|"
    rf"\bfall\s+(of\s+)?{_YEAR_DIGITS}\b)|"
    r"\d\s?(BCE?|BP|AD)\b|\b(May|March|BCE?|AD)\b"
)
# A sum of money or a share: "$1.2 billion", "RMB 300", "2 billion yuan", "123 billion U.S. dollars", "20 per
# cent", "no additional cost", "paid 266 million"; not "400 million users".
_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\d\s?(%|percent\b|per\s+cent\b)|\b(usd|rmb|cny|hkd|jpy|us\$|eur|gbp)\s?\d|"
    r"\b(free|nothing)\b|\bno\s+((additional|extra)\s+)?(cost|charge|fee)s?\b|"
    r"\b(paid|pay|pays|spent|spend|cost|costs|raised|raise|sold\s+for|bought\s+for|worth|valued\s+at)\s+"
    r"((about|around|roughly|nearly|almost|over|some|more\s+than|less\s+than|an?\s+estimated)\s+)?\d|"
    r"\d\s*((thousand|million|billion|trillion|[kmb]n?)\s+)?((u\.?s\.?|hong\s+kong|singapore|new\s+taiwan)\s+)?"
    r"(usd|rmb|cny|hkd|yuan|renminbi|yen|dollars?|euros?|pounds?|lira|lire|francs?|rupees?|pesos?|"
    r"pesetas?|r[ou]bles?|shillings?|guilders?|dinars?|baht|ringgit)\b",
    re.I,
)
# What was going on at a time, or a time said in words: "during the war", "following the Nice Treaty",
# "after the founder retired", "toward the end of his life", "last year", "in the 90s", "in 960", "the Tang
# dynasty", "at the age of 43", "in week 7".
_EVENT_TIME = re.compile(
    r"\b(during|following|throughout|amid|until|after|before|since|toward|towards)\s+"
    r"(the|a|an|his|her|their|its|one|this|that)\b|"
    r"\b(at|by|near|toward|towards)\s+the\s+(end|start|beginning|height|close|time|turn)\s+of\b|\bweek\s+\d|"
    r"\b(last|next|this|that|the\s+following|the\s+previous)\s+(year|month|week|decade|century|season)\b|"
    r"\b'?\d0s\b|\bin\s+\d{3,4}\b|\b(dynasty|era|reign)\b|\bage\s+of\s+\d",
    re.I,
)
# The kinds of answer a pattern spells out.
_SPELLED = {"number": _NUMBER, "date": _DATE, "amount": _AMOUNT}
# A year ("in 1987", "the 1980s"; not "1500 stalls") is not a count: "How many stalls…?" is not answered by
# "in the 1980s". It still answers how old or how long, and a count of years.
_YEAR = re.compile(
    rf"\b(1[0-9]\d0|20\d0)s\b|\b(in|since|by|from|until|till|during|around|before|after|circa)\s+{_YEAR_DIGITS}\b",
    re.I,
)
_YEARS_COUNT = frozenset({"year", "years", "old", "age", "long", "decade", "decades", "century", "centuries"})
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’&-]*")
# A word, with its apostrophes and hyphens ("Ping’an", "co-founded").
WORD = re.compile(r"[\w'’-]+")
_FIRST_WORD = re.compile(r"^\W*([A-Z][\w'’&-]*)")


# Questions that open by asking for a date or an amount: "When was DJI founded?", "In what year…", "How many
# employees…?", "How much did Alibaba pay…?", also after a word or two carrying on a conversation ("So, when was it
# founded?") or an opening phrase ending on a comma, which mostly says whose account is asked for ("According to
# the author, what is the population of Shenzhen?", "In the writer's view, who…"; also "In 2015, how many…"), and
# keywords ending on one ("Huawei founding year"). A quote without one seldom answers them. Looser wordings ask for
# a condition, a clause or a degree instead: "What is formed when…", "When do cash-flow problems exist?", "When the
# gap is smaller, what…?", "How far did the reforms go?", "How much does the writer value…?".
_OPENING = (
    r"^\W*((and|so|but|then|also|ok|okay|well|hmm|now)\W+)*((according\s+to|as\s+per|per|in)\s+[^,?]{1,40}?,\s*)?"
)
_DEFINITE_RULES: list[tuple[re.Pattern[str], AnswerType]] = [
    (_KEYWORD_DATE, "date"),
    (_KEYWORD_AMOUNT, "amount"),
    (_KEYWORD_COUNT, "number"),
    (
        re.compile(
            _OPENING + r"((in|on|during|by|since|until|from)\s+)?(what|which)\s+(year|date|day|month|decade|century)\b",
            re.I,
        ),
        "date",
    ),
    # "When was…?" may be answered by a date or by what was going on: "during the Second World War".
    (re.compile(_OPENING + r"when\s+(was|were|did)\b", re.I), "time"),
    (
        re.compile(
            _OPENING
            + r"how\s+much\b(?!\s+of\b)(?=[^?]*\b(pay|paid|cost|costs|spend|spent|raise|raised|worth|sell|sold|"
            r"invest|invested|price|revenue|earn|earned|fund|funding|valued|money|capital|fees?|salary|budget|"
            r"subsid(y|ies))\b)",
            re.I,
        ),
        "amount",
    ),
    (
        re.compile(
            _OPENING + r"(what(\s+(is|was|are|were)|['’]s)|how\s+much\s+(is|was|are|were))\s+"
            r"((the|its|their|his|her)\s+|[\w-]+['’]s\s+)([\w-]+\s+){0,2}?"
            r"(revenue|price|cost|budget|salary|valuation|profit|income|turnover|sales)s?\s*(\?|$|(of|in|for|at)\b)",
            re.I,
        ),
        "amount",
    ),
    # "What price did Alibaba pay…?", "What did Alibaba pay for the paper?"
    (
        re.compile(
            _OPENING + r"what\s+((price|amount|sum|fee)\s+(did|does|do|was|is|were|will|would)\b|"
            r"(did|does|do|will|would)\s+((?!to\b)[\w'’-]+\s+){1,5}?(pay|spend)\s+(for|on|to)\s+\w)",
            re.I,
        ),
        "amount",
    ),
    (
        re.compile(
            _OPENING + r"(how\s+many|"
            r"how\s+(tall|high|far|old|heavy|deep|wide|long)\s+(is|are|was|were)\b|"
            r"what(\s+(is|was)|['’]s)\s+the\s+(number\s+of|population))\b",
            re.I,
        ),
        "number",
    ),
]


# Questions that ask who holds a role or did what only a person does: "Who founded Huawei?", "Who is the CEO of
# Tencent?", "Who wrote the article?", "Who was it founded by?". "Who owns…", "Who started…", "Who created…" and
# "Who led…" are left alone: a company, a state or a team is as often the answer.
_PERSON_ROLE = re.compile(
    _OPENING + r"who(['’]s|\s+(is|was|are|were))?\s+((the|its|their|his|her)\s+|([\w-]+\s+){0,3}?[\w-]+['’]s\s+)?"
    r"((current|original|first|present)\s+)?"
    + _ROLES
    + r"\b|"
    + _OPENING
    + r"who\s+(co-?founded|founded|invented|wrote|authored|discovered|painted|composed|directed)\b|"
    + _OPENING
    + r"who\b[^?]*\b(founded|written|authored|invented|discovered|painted|composed|directed)\s+by\b",
    re.I,
)


def asks_person(question: str) -> bool:
    """Whether the question opens by asking for a person (``_PERSON_ROLE``)."""
    return bool(_PERSON_ROLE.search(question))


# The roles a question may ask a person of ("Who is the CEO of Tencent?", "Who founded Baidu?"), each with the
# forms a text gives it in.
_CEO = r"ceo|chief\s+executive"
_CHAIR = r"chair(man|woman)"
_ROLE_FORMS = {
    r"(co-?)?found(ed|er|ers)": r"(co-?)?found(ed|er|ers)\b",
    _CEO: rf"({_CEO})\b",
    _CHAIR: rf"{_CHAIR}\b",
}
# Roles a quote answering who holds one names ("CEO Henk Werner"), unless in one of these words (``_HEADS``);
# a founding is told in many other words ("started by", "set up"), so it is not among them.
_NAMED_ROLES = frozenset({_CEO, _CHAIR})
_HEADS = re.compile(
    r"\b(ceos|chair|chairs|chairperson|head|heads|headed|boss|president|presidents|runs|ran|leads|led|helm)\b",
    re.I,
)
# Where a question names what the role is held in: "the CEO of Tencent", "founded Baidu", "Tencent's CEO".
_ROLE_HELD_IN = [r"\b(?:{role})\s+(of|at|for)\s+(the\s+)?(?P<org>.*)", r"\bfounded\s+(?P<org>.*)"]
_ROLE_HOLDER = r"(?P<org>.*?)(['’]s)?\s+((current|original|first|present)\s+)?(?:{role})\b"
# A role given to someone of something named: "CEO at collaborative product development platform Wikifactory",
# "founder of Google Brain"; not "CEO of China's biggest social network" or "of the Chinese internet giant",
# where the capitalised word only describes.
_OF_NAME = re.compile(
    r"\s+(of|at)\s+(?:[a-z][\w-]*\s+){0,5}?((?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)(?![\w’'-])(?!\s+[a-z])"
)
ROLE_WINDOW = 6  # words either side of a role within which the name asked about binds it


def besides_asked(names: list[str], question: str) -> list[str]:
    """The ``names`` that ``question`` does not give; a possessive gives one ("Henk Werner's boss")."""
    asked = words(question)
    asked |= {w[:-2] for w in asked if w.endswith(("'s", "’s"))}
    return [name for name in names if not words(name) <= asked]


def _plain_name(word: str) -> str:
    """A word as a name is compared: lower case, without a possessive ending, "’" as "'"."""
    return word.lower().replace("’", "'").removesuffix("'s")


def _role_held_in(question: str, role: str, is_name: Callable[[str], bool]) -> set[str]:
    """The name a question gives to what a role is held in, as plain words ("tencent" in "Who is the CEO of
    Tencent?"); empty when it names none there ("Who founded the company behind WeChat?")."""
    for pattern in [p.format(role=role) for p in _ROLE_HELD_IN]:
        m = re.search(pattern, question, re.I)
        if m:
            taken = list(itertools.takewhile(is_name, WORD.findall(m.group("org"))))
            if taken:
                return {_plain_name(w) for w in taken}
    m = re.search(_ROLE_HOLDER.format(role=role), question, re.I)
    if m:
        taken = list(itertools.takewhile(is_name, reversed(WORD.findall(m.group("org")))))
        return {_plain_name(w) for w in taken}
    return set()


def role_of_another(question: str, quote: str, common: Collection[str] = ()) -> bool:
    """Whether ``question`` asks for the holder of a role in something it names ("Who is the CEO of Tencent?",
    "Who founded Baidu?", "Who is Tencent's CEO?") and ``quote`` gives that role, each time, to someone of
    something else named ("Chance Jiang, China CEO at … Wikifactory", "founder of Google Brain"), never near the
    name asked about; or, asked for a CEO or a chairman, names none ("Andrew Ng as their Chief Scientist").

    A name is a capitalised word or one the documents never use in lower case (``common`` holds those they do):
    "who is the ceo of tencent" names Tencent."""
    if not asks_person(question):
        return False

    def is_name(word: str) -> bool:
        return word.lower() not in QUESTION_WORDS and (word[0].isupper() or bool(common and word.lower() not in common))

    for asked_role, form in _ROLE_FORMS.items():
        if not re.search(rf"\b({asked_role})\b", question, re.I):
            continue
        held_in = _role_held_in(question, asked_role, is_name)
        found = list(re.finditer(rf"\b{form}", quote, re.I))
        if not held_in:
            return False
        if not found:
            # No one is called the CEO there, nor said to head anything: someone of another role.
            return asked_role in _NAMED_ROLES and not _HEADS.search(quote)
        for m in found:
            around = WORD.findall(quote[: m.start()])[-ROLE_WINDOW:] + WORD.findall(quote[m.end() :])[:ROLE_WINDOW]
            # "Tencent-affiliated" is near Tencent; "Coca-Cola" is Coca-Cola.
            near = {_plain_name(v) for w in around for v in (w, w.split("-")[0])}
            other = _OF_NAME.match(quote[m.end() :])
            if held_in & near or not other or _plain_name(other.group(2).split()[0]) in held_in:
                return False
        return True
    return False


# A question asking for a reason: "Why…?", "So, why…?", "How come…?", "Can you explain why…?", "What were the
# reasons…?", "For what reason…?".
_ASKS_REASON = re.compile(
    _OPENING + r"(why|how\s+come)\b|\b(explain|know|tell\s+\w+|wonder|understand)\s+why\b|"
    r"\b(what|which)(\s+(is|was|are|were)|['’]s)?\s+the\s+reasons?\b|\bfor\s+what\s+reasons?\b",
    re.I,
)
# A sentence that gives a reason of its own.
_GIVES_REASON = re.compile(
    r"\b(because|due to|owing to|thanks to|as a result|so that|in order to|(the|one|a) reasons?|"
    r"(that|this)(\s+is|[’']s)\s+why|which is why|for this reason|therefore|hence|thus)\b",
    re.I,
)


def asks_reason(question: str) -> bool:
    """Whether the question asks why (``_ASKS_REASON``)."""
    return bool(_ASKS_REASON.search(question))


def gives_reason(text: str) -> bool:
    """Whether a sentence says why, by its wording ("because", "due to", "the reason", …)."""
    return bool(_GIVES_REASON.search(text))


def _first_kind(rules: list[tuple[re.Pattern[str], AnswerType]], question: str) -> AnswerType | None:
    return next((kind for pattern, kind in rules if pattern.search(question)), None)


def definite_type(question: str) -> AnswerType | None:
    """The date, time, number or amount a question opens by asking for, if it does (see ``_DEFINITE_RULES``)."""
    return _first_kind(_DEFINITE_RULES, question)


def lacks_definite(question: str, quote: str) -> bool:
    """Whether ``quote`` lacks the date, number or amount that ``question`` opens by asking for."""
    kind = definite_type(question)
    return kind is not None and not holds_type(quote, kind, words(question))


def number_spans(text: str, question_words: set[str]) -> list[tuple[int, int]]:
    """Where the numbers in ``text`` are that the question does not already say ("2014" in "…after the 2014
    merger?"); a year ("in 1987") only when the question counts years ("How many years…")."""
    if not question_words & _YEARS_COUNT:
        text = _YEAR.sub(lambda m: " " * len(m.group(0)), text)
    text = _FIGURE.sub(
        lambda m: " " * len(m.group(0)) if m.group(0).replace(",", "") in question_words else m.group(0), text
    )
    return [m.span() for m in _NUMBER.finditer(text) if m.group(0).lower() not in question_words]


def expected_type(question: str) -> AnswerType | None:
    """The kind of answer the question wants, if its wording says."""
    return _first_kind(_TYPE_RULES, question)


def holds_type(text: str, kind: AnswerType | None, question_words: set[str], common: Collection[str] = ()) -> bool:
    """Whether ``text`` holds something of ``kind`` that the question does not already say.

    ``common`` holds words the documents use in lower case: a capitalised first word of a sentence
    that is not one of them is a name too ("Ctrip is the Expedia of China").
    """
    if kind is None:
        return False
    if kind == "time":
        return holds_type(text, "date", question_words) or bool(_EVENT_TIME.search(text))
    if kind == "number":
        return bool(number_spans(text, question_words))
    pattern = _SPELLED.get(kind)
    if pattern is not None:
        return any(m.group(0).lower() not in question_words for m in pattern.finditer(text))
    # Person, place or name: a capitalised word that is not in the question and not a sentence opening; "China’s"
    # is in a question saying "China's" or "China".
    asked = {_plain_name(w.strip("'’")) for w in question_words}
    if any(_plain_name(m.group(0).strip("'’")) not in asked for m in _CAPITALISED.finditer(text)):
        return True
    first = _FIRST_WORD.match(text)
    if not common or first is None:
        return False
    word = first.group(1).lower().strip("'’")
    return _plain_name(word) not in asked and word not in common


_REQUEST = re.compile(
    r"^\W*(please\s+)?((can|could|would|will) you\s+)?(please\s+)?(tell me|tell us|explain|describe|summari[sz]e|"
    r"give me|show me|what do you know|do you know|i (want|would like|'d like) to know|let me know)"
    r"(\s+(more|something|anything|a bit|a little))?(\s+(about|on|of|regarding))?\b",
    re.I,
)


def strip_request(question: str) -> str:
    """The question without a request's wording: "Tell me about Didi." is about "Didi."."""
    return _REQUEST.sub("", question).strip() or question


# A question asking what or who something is ("What is Mobike?", "Who is Henk Werner?", "What does HAX do?"), a
# request to be told about it ("Tell me about Didi.") or its name alone ("Renren?"): it is answered by the sentence
# introducing the thing, as writers do on its first mention, not by any sentence naming it ("Didi is so big…").
_WHAT_IS = re.compile(r"^\W*(?P<asks>what|who)\s*(is|are|was|were|'s|’s)\s+(?P<thing>.+?)[\s?.!]*$", re.I)
_WHAT_DOES = re.compile(r"^\W*what\s+(does|do|did)\s+(?P<thing>.+?)\s+do[\s?.!]*$", re.I)
_THING_WORD = re.compile(r"[\w’'&.-]+")
# Words that make a phrase something else than a thing's name: a possessive or "of" asks for something of it
# ("What is DJI's best known drone?", "What is the capital of France?"), a pronoun points back in a conversation.
_NOT_A_THING = re.compile(
    r"\b(of|for|in|on|at|to|from|with|by|about|that|which|who|whose|when|where|why|how|it|its|they|them|their|he|"
    r"him|his|she|her|this|these|those|there|here|you|your|we|our|my|me|i|one|ones|so|called|named|known|between|"
    r"into|within|against|as|not|no|than|like|also|later|often|used|using|some|most|many|all|any|every|each|other|"
    r"(?-i:[a-z]+ly))\b|['’]s\b|"
    r"\d{4}",
    re.I,
)
MAX_THING_WORDS = 5


def definition_target(question: str) -> str | None:
    """The thing ``question`` asks to be told what or who it is, if that is what it asks ("Mobike" of "What is
    Mobike?", "Didi" of "Tell me about Didi."): a name, or a word or two in lower case with "a" or "an" or none
    ("What is a hardware accelerator?", "What is bike-sharing?"). Not a thing's part or kind ("What is the
    population?", "Who is the CEO?", "What is DJI's best known drone?"), nor a pronoun ("Tell me more about it")."""
    plain = strip_request(question)
    asked_by = "what"
    m = _WHAT_IS.match(plain) or _WHAT_DOES.match(plain)
    if m is not None:
        asked_by = m.groupdict().get("asks", "what").lower()
        thing = m.group("thing")
    elif plain != question.strip():
        thing = plain.strip(" ?.!")  # a request
    elif not _ASKING_WORD.search(plain) and all(w[:1].isupper() for w in _THING_WORD.findall(plain)):
        thing = plain.strip(" ?.!")  # a name alone, not keywords ("Didi founding year")
    else:
        return None
    words = [w.strip("'’") for w in _THING_WORD.findall(thing) if w.strip("'’")]
    if (
        not words
        or len(words) > MAX_THING_WORDS
        or any(w.lower() in OTHER_WORDS for w in words)
        or _NOT_A_THING.search(thing)
        or _ASKING_WORD.search(thing)
    ):
        return None
    first = words[0].lower()
    article = first in ("a", "an", "the")
    words = words[article:]
    named = [w[:1].isupper() or any(c.isdigit() for c in w) for w in words]
    if any(named):
        # A name, all of it ("Tesla Electric Light & Manufacturing"; not "the Victoria state bird"). "The Mi
        # Band" is a thing; "the CEO", a person asked for by what they are.
        if not all(n or w in ("&", "and") for n, w in zip(named, words, strict=True)) or asked_by == "who" and article:
            return None
        return " ".join(words)
    if first == "the" or len(words) > 3:
        return None
    return " ".join(words)


def introduces(text: str, thing: str) -> bool:
    """Whether ``text`` says what or who ``thing`` is: the way writers introduce a thing, by an apposition
    ("Didi Chuxing, the Uber and Lyft of China, …", "Renren, formerly known as…"), a copula with a description
    ("Xiaomi is another big…", "Haidian really is China’s Silicon Valley"; not "Didi is so big"), a name it is
    known by ("…, better known as DJI"), a kind it belongs to ("hardware accelerators, including HAX"), or saying
    what it stands for."""
    return _introducing(thing).search(text) is not None


@functools.lru_cache(maxsize=256)
def _introducing(thing: str) -> re.Pattern[str]:
    """The ways of introducing ``thing`` (``introduces``), in one pattern, made once for all a search reads."""
    name = r"\s+".join(re.escape(w) for w in thing.split())
    # The thing, with the rest of its name ("Didi" in "Didi Chuxing").
    said = rf"(?<![\w-])(?i:{name})(?![\w-])(?:\s+[A-Z][\w’'&-]*)?"
    described = (
        r"(a|an|the|one|another|its|his|her|their|which|who|whose|known|called|dubbed|founded|"
        r"short|literally|[A-Z][\w’'&-]*[’']s)\b"
    )
    patterns = (
        rf"{said}\s*(,|\(|—|–|:)\s*((also|formerly|better|now|once|originally|officially|commonly|widely|often)\s+)?"
        + described,
        rf"{said}\s+(\w+ly\s+)?(is|are|was|were|has\s+been|have\s+been|remains)\s+(\w+ly\s+)?"
        r"(a|an|the|one|another|known|considered|regarded|seen|called|dubbed|described|[A-Z][\w’'&-]*[’']s)\b",
        rf"\b(known|referred\s+to|dubbed|called|named)\s+(as\s+)?(the\s+)?{said}",
        rf"\b(including|such\s+as)\s+{said}",
        rf"{said}\s+(stands\s+for|refers\s+to|means|is\s+short\s+for)\b",
    )
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# The wording every question has: not a word the documents could be expected to use.
QUESTION_WORDS = frozenset(
    "what which who whom whose where when why how is are was were do does did can could would should".split()
)
_ASKING_WORD = re.compile(r"\b(" + "|".join(sorted(QUESTION_WORDS)) + r")\b", re.I)


# The word naming the kind of answer wanted, where it is only that: after "what" or "which" ("In what year…",
# "Which city…"), as "the name of", or closing a query typed as keywords ("Didi user count", "Meitu HQ city?",
# "Mike Reed job title"). The answer gives a year or a city; it need not say "year" or "city".
_KINDS = (
    r"(years?|dates?|day|month|decade|century|time|city|cities|country|countries|place|region|district|province|"
    r"state|town|location|name|(job\s+)?title|number|count|amount|total|sum)"
)
_WORD_ENDS = r"(?![\w'’-])"  # not the start of "state-owned" or "country's"
_ASKED_KIND = [
    re.compile(rf"\b(what|which)\s+((kind|sort|type)\s+of\s+)?(?P<kind>{_KINDS}){_WORD_ENDS}", re.I),
    re.compile(r"\b(what|which)(['’]s|\s+(is|was|are|were))?\s+the\s+(?P<kind>name)\s+of\b", re.I),
    re.compile(rf"(?P<kind>\b(job\s+)?{_KINDS}){_WORD_ENDS}\W*$", re.I),  # in a query typed as keywords only
    # Whose name, title or job is asked for: "What's Mike Reed's job title…", "What is its name?", "What is Mike
    # Reed's job?" (answered "Mechatronics Engineering Lead").
    re.compile(
        r"\b(what|which)(['’]s|\s+(is|was|are|were))?\s+(the\s+)?(([\w-]+\s+){0,2}[\w-]+['’]s|his|her|its|their)\s+"
        rf"(?P<kind>(job\s+)?title|name|job|role|position|occupation|profession){_WORD_ENDS}",
        re.I,
    ),
]
_TYPED_AS_KEYWORDS = re.compile(_KEYWORDS, re.I)
_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+$")


def _kind_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names the kind of answer it asks for (``_KINDS``), where that is all the words do: not as
    the end of a name ("Mexico City", "Chaoyang District")."""
    first, name_of, closing, owned = _ASKED_KIND
    found = [*first.finditer(text), *name_of.finditer(text), *owned.finditer(text)]
    if _TYPED_AS_KEYWORDS.match(text):
        found += [
            m
            for m in closing.finditer(text)
            if not (text[m.start("kind")].isupper() and _NAME_BEFORE.search(text, 0, m.start("kind")))
        ]
    return sorted({m.span("kind") for m in found})


def _without_kind(text: str) -> str:
    for start, end in reversed(_kind_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def asked_kind_words(question: str) -> str:
    """The words of ``question`` naming the kind of answer it asks for ("year" in "In what year…")."""
    return " ".join(question[start:end] for start, end in _kind_spans(question))


# In a question for a place, the words saying only that something is at one ("Where is Alibaba based?"). An
# answer may say so in other words ("This is where Alibaba is", "Shenzhen is home to ZTE").
_PLACE_RELATION = re.compile(r"\b(based|located|headquartered|situated)\b", re.I)


# A question for where something is, saying so with "is" alone: "Where is Tuya?", "Which city is Alibaba in?",
# "What country is Meitu from?".
_WHERE_IS = re.compile(
    rf"^\W*((in|at)\s+)?(where|(which|what)\s+{_PLACES})\s+(is|are|was|were)\s+(?!there\b)[^?]+?(\s+(in|from|at))?\W*$",
    re.I,
)


def place_relation_words(question: str) -> list[str]:
    """The words of a question for a place that say only that something is at one: "based" in "Where is X
    based?" or "Which city is X based in?"."""
    if expected_type(question) != "place":
        return []
    found = [m.group(0) for m in _PLACE_RELATION.finditer(question)]
    if not found and _WHERE_IS.search(question):
        found = ["located"]  # "Which city is Alibaba in?" asks where it is located, in other words
    return found


def without_question_words(text: str) -> str:
    """``text`` without the words asking ("who", "which", "does") or naming the kind of answer asked for ("In
    what year…", "Didi user count"): no text need hold them to answer. Taken out as written, before stemming:
    "Who is John Doe?" keeps "Doe", though "does" and "Doe" share a stem."""
    return _ASKING_WORD.sub(" ", _without_kind(_LIKENED.sub(r"\g<name>", text)))


# A word made into one saying "like it" ("a Quora-type service", "Uber-like apps", "Netflix-style shows"): the word,
# mostly a name, is what a text would hold, not the word for "like" ("the types of services Google has").
_LIKENED = re.compile(r"\b(?P<name>[\w’']+)-(type|like|style|esque|ish|inspired)\b", re.I)


# Words a follow-up uses to ask for something besides what it was shown ("Anything else?").
OTHER_WORDS = frozenset("other others another else anything more besides".split())


def writer_words(question: str) -> list[str]:
    """The words by which a question refers to whoever wrote the text ("What does the author call…"):
    in the text itself the writer says "I", "my" or "we"."""
    return [m.group(2) for m in _WRITER.finditer(question)]


_TEXTS = "piece article post story essay report text document blog column op-ed paper interview review newsletter"
# One of the documents, perhaps with a few words saying which: "the TechNode article", "the Beijing-vs-Shenzhen
# piece", "the rebuttal to the Shanghai article".
# Not "the book mentioned in the article" or "the song about the report": those are other works.
_OTHER_WORK = r"(?!(in|from|by|about|on|of|with|for|mentioned|quoted|cited|named|called)\b)"
_TEXT = rf"(?:{_OTHER_WORK}[\w’'-]+\s+){{0,4}}?({'|'.join(_TEXTS.split())})s?"

# "The author" with nothing after it saying whose, or "the author of the piece": the writer of one of the
# documents, who says "I", "my" or "we" in it; not "the author of Hamlet".
_WRITER = re.compile(
    rf"\b(the|this|our) (author|authors|writer|writers|narrator)\b(?!\s+of\b(?!\s+(the|this|that)\s+{_TEXT}\b))",
    re.I,
)
# A question for whoever wrote one of the documents: "Who is the author of the piece on…?", "Who wrote this
# article?", "Who is the author?". Not "Who wrote Hamlet?" or "the author of Hamlet": those name another work.
_AUTHORSHIP = re.compile(
    rf"\b(author|writer)s?\s+of\s+(the|this|that)\s+{_TEXT}\b"
    rf"|\bwho\s+(wrote|authored|penned|is\s+behind)\s+((the|this|that)\s+{_TEXT}|it|this|that)\b"
    rf"|\b(the|this|that)\s+{_TEXT}\b[^?]{{0,80}}?\b(written|authored)\s+by\b"
    r"|\bwho\s+(is|was|are|were)\s+(the|its|their)\s+(author|writer)s?\b(?!\s+of\b)",
    re.I,
)


_AUTHORSHIP_WORDS = frozenset(f"author writer wrote written authored penned behind {_TEXTS}".split())


def authorship_words(question: str) -> list[str]:
    """The words by which a question asks who wrote the text ("author", "piece"); empty if it does not."""
    m = _AUTHORSHIP.search(question)
    found = re.findall(r"[\w-]+", m.group(0)) if m else []
    return [w for w in found if w.lower().removesuffix("s") in _AUTHORSHIP_WORDS or w.lower() in _AUTHORSHIP_WORDS]


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


# Words denying what a sentence says: "not", "never", "didn't", "instead of", "rather than". Not "if not" or "or
# not", which ask about both ("Is Meitu based in Shenzhen? If not, which city?"), "not only", nor "No. 1".
_NEGATION = re.compile(
    r"(?<!\bif )(?<!\bor )\b(not(?!\s+only\b)|never|no(?!\.?\s*\d)|none|nor|neither|nobody|nothing|nowhere|cannot|"
    r"without|instead)\b|\brather\s+than\b|n['’]t\b",
    re.I,
)


def negates(text: str) -> bool:
    """Whether ``text`` denies something ("What was not the aim of…?", "Instead of moving factories…")."""
    return bool(_NEGATION.search(text))


# How far a denial reaches: the words after it up to a stop or a "but" ("…did not equal the 40%, but…"), of which
# the first ``DENIAL_REACH``.
DENIAL_REACH = 4
_DENIAL_END = re.compile(r"[,;:.!?()\[\]—–]|\bbut\b", re.I)
# Saying only that the denial is of the future ("is not going to be the next Silicon Valley"): no word denied.
_FUTURE = re.compile(r"\s*(going\s+to|gonna)\b", re.I)


def denied_words(text: str) -> frozenset[str]:
    """The words ``text`` denies, with their lemmas: those of the first ``DENIAL_REACH`` words after each denial, up
    to a stop or a "but", not stop words ("What did the court not acknowledge?": "acknowledge"; "…the vote did not
    equal the 40%": "equal"), nor "going to" ("…is not going to be the next hub": "hub")."""
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy takes a second to import: on first use

    found: set[str] = set()
    for denial in _NEGATION.finditer(text):
        end = _DENIAL_END.search(text, denial.end())
        future = _FUTURE.match(text, denial.end())
        start = future.end() if future else denial.end()
        reach = WORD.findall(text[start : end.start() if end else len(text)])[:DENIAL_REACH]
        found.update(*(_lemmas(w) for w in _word_forms(" ".join(reach)) if w not in STOP_WORDS))
    return frozenset(found)


def denies_elsewhere(asked_denied: frozenset[str], quoted: list[str]) -> bool:
    """Whether the ``quoted`` texts deny something, but none of what a question denies (``asked_denied``, its
    ``denied_words``): "What did articles 1 to 4 not generally require of workers?" and "…articles 1 to 4
    generally require that workers can…, and not suffer discrimination"; "51.6% was not in favor of what?" and
    "…51.6% in favour of…, this figure did not equal…". False when the question's denial reaches no word."""
    if not asked_denied or not any(map(negates, quoted)):
        return False
    return not asked_denied & frozenset().union(*map(denied_words, quoted))


_ASKING_OPENING = re.compile(
    _OPENING + r"((in|on|at|for|from|by|to|with)\s+)?(what|which|who|whom|whose|when|where|why|how)\b", re.I
)
_CONDITION = re.compile(r"\b(if|unless|when|whenever|whether|although|though|because|since|even|in\s+case)\b", re.I)


# A question asking what, which, who… after it denies something: "Friction is not caused by what?". Not one
# whose question word opens a clause of a verb of knowing or telling ("I don't know what to do?").
_ASKED_AFTER = re.compile(
    r"(?<!\bknow )(?<!\bsure )(?<!\bunderstand )(?<!\btell )(?<!\bwonder )(?<!\bask )(?<!\bdecide )(?<!\bsee )"
    r"(?<!\bexplain )(?<!\bremember )(?<!\bcare )(?<!\bmatter )\b(what|which|who|whom|whose|when|where|why|how)\b",
    re.I,
)
_YES_NO_OPENING = re.compile(_OPENING + _AUXILIARIES + r"(n['’]t)?\b", re.I)


def asks_denied(question: str) -> bool:
    """Whether ``question`` asks for something it denies: "What was not the aim of…?", "Which path don't
    policymakers want to follow?", or, asking last, "Friction is not caused by the gradients of what?". Not a
    condition the asker states ("What if I do not have a permit?", "What happens if I don't comply?"), nor a
    question not asking what, which, who… ("Is it not…?"), nor a statement ("I'm not making payments on my loan")."""
    denial = _NEGATION.search(question)
    if denial is None:
        return False
    opening = _ASKING_OPENING.match(question)
    if opening is not None:
        return denial.start() >= opening.end() and not _CONDITION.search(question, opening.end(), denial.start())
    # Asking last: in the clause that denies (no comma or stop between), in a question that does not open by
    # asking yes or no, after no condition.
    asked = _ASKED_AFTER.search(question, denial.end())
    return (
        asked is not None
        and question.rstrip().endswith("?")
        and not re.search(r"[,;:.!?]", question[denial.end() : asked.start()])
        and not _YES_NO_OPENING.match(question)
        and not _CONDITION.search(question, 0, denial.start())
    )


# An opening that denies the rest of a word ("non-binary", "unknown", "informal", "impossible", "illegal",
# "irregular", "disconnected"), with the fewest letters the rest needs to be read as a word of its own: "under" is
# no "un" + "der", "discover" no "dis" + "cover", "inform" no "in" + "form".
_DENYING_PREFIX = re.compile(
    r"^(non-?(?=[a-z]{3})|un-?(?=[a-z]{4})|dis-?(?=[a-z]{6})|in(?=[ac-z][a-z]{5})|im(?=[bmp][a-z]{5})|"
    r"il(?=l[a-z]{5})|ir(?=r[a-z]{5}))"
)


# A search reads the same texts (a candidate with the sentences beside it) for each of its checks, and again for the
# questions after it: their words are worked out once.
TEXT_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def _word_forms(text: str) -> frozenset[str]:
    return frozenset(w.lower().strip("'’-") for w in WORD.findall(text))


def flips_polarity(question: str, text: str) -> bool:
    """Whether ``text`` says a word of ``question`` only in the form denying it, or the other way round: "What is
    represented by non-binary notation?" and "…in binary notation", "How are graphs encoded indirectly?" and
    "…encoded directly", "What makes the bounds dependent…?" and "…independent of…". The text then says the
    opposite of what is asked about."""
    asked, said = _word_forms(question), _word_forms(text)

    def denies_one_of(word: str, others: set[str]) -> bool:
        opening = _DENYING_PREFIX.match(word)
        return opening is not None and word[opening.end() :] in others

    return any(denies_one_of(w, said) for w in asked - said) or any(denies_one_of(w, asked) for w in said - asked)


@functools.lru_cache(maxsize=65536)
def _lemmas(word: str) -> frozenset[str]:
    """``word`` and its lemmas by lemminflect's English tables, of any part of speech ("stronger": "strong")."""
    from lemminflect import getAllLemmas  # its tables load on first use

    return frozenset({word, *itertools.chain.from_iterable(getAllLemmas(word).values())})


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def _all_lemmas(text: str) -> frozenset[str]:
    """The words of ``text`` and all their lemmas (``_lemmas``)."""
    return frozenset().union(*map(_lemmas, _word_forms(text)))


def says_opposite(question: str, text: str) -> bool:
    """Whether ``text`` says, instead of a word of ``question``, one of opposite meaning by WordNet's antonyms
    (``assistant.opposites``): "What precedes…?" and "…succeeds…", "Who decreased…?" and "…increased…", "Why are
    the committees weaker…?" and "…stronger…". Only a word of the question that the text says in no form, and an
    opposite the question does not say itself."""
    table = opposites()
    asked = [_lemmas(w) for w in _word_forms(question)]
    said = _all_lemmas(text)
    only_said = said.difference(*asked)
    return any(not forms & said and any(table.get(f, frozenset()) & only_said for f in forms) for forms in asked)


def figures(text: str) -> set[str]:
    """The figures written in digits in ``text``, without their thousands commas ("2,000" is "2000";
    "the 1970s" and "10th" give "1970" and "10")."""
    return {m.group(0).replace(",", "") for m in _FIGURE.finditer(text)}
