"""Words as the search sees them: accents off, Spanish (or English) stems, stop words out.

PostgreSQL does this with the `es_unaccent` / `en_unaccent` text search configurations
(unaccent, then the Snowball stemmer with its stop list). SQLite has no Spanish stemmer, so
the same steps run here in Python, with the same Snowball algorithm (snowballstemmer) and
PostgreSQL's own stop lists (data/*.stop, from Snowball, BSD licence), on the indexed text
and on the query alike. The query syntax is PostgreSQL's `websearch_to_tsquery`:
words, "quoted phrases", -exclusions and `or`.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import snowballstemmer

# Longer queries are cut here: nobody types more, and the cost of a search stays bounded.
MAX_QUERY_CHARS = 200

LANGUAGES = {"es": "spanish", "en": "english"}
WORD = re.compile(r"\w+")
# Control characters (NUL above all) cannot reach PostgreSQL's text type.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Private-use characters that mark the start and end of a highlighted word in snippets.
MARK_START, MARK_END = "\ue000", "\ue001"


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # noqa: N802 (snowballstemmer's name)


@functools.cache
def _stop_words(language: str) -> frozenset[str]:
    path = Path(__file__).parent / "data" / f"{LANGUAGES[language]}.stop"
    return frozenset(path.read_text(encoding="utf-8").split())


@functools.cache
def _stemmer(language: str) -> _Stemmer:
    stemmer: _Stemmer = snowballstemmer.stemmer(LANGUAGES[language])  # the package has no types
    return stemmer


def unaccent(text: str) -> str:
    """Lower case without diacritics: "Participación" -> "participacion", "niña" -> "nina"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def lexeme(word: str, language: str = "es") -> str:
    """One word as PostgreSQL's `<language>_unaccent` configuration stores it ("" if stop word)."""
    plain = unaccent(word)
    if plain in _stop_words(language):
        return ""
    return _stemmer(language).stemWord(plain)


def lexemes(text: str | None, language: str = "es") -> list[str]:
    """The stems of a text in order, stop words left out."""
    return [stem for stem in (lexeme(word, language) for word in WORD.findall(text or "")) if stem]


def normalised(text: str | None, language: str = "es") -> str:
    """The text as SQLite's full-text index stores it: its stems separated by spaces."""
    return " ".join(lexemes(text, language))


def clean_query(text: str | None) -> str:
    """The query as the search runs it: no control characters, at most MAX_QUERY_CHARS."""
    return CONTROL.sub(" ", text or "").strip()[:MAX_QUERY_CHARS]


@dataclass
class Group:
    """Terms that must all match (each term a phrase of one or more stems) and must not."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)


def parse(query: str | None, language: str = "es") -> list[Group]:
    """`websearch_to_tsquery`'s syntax as groups joined by OR, each group an AND of phrases.

    Groups without a required word are dropped: a query must say what it looks for.
    """
    groups: list[Group] = []
    current = Group()
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', clean_query(query)):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or":
            groups.append(current)
            current = Group()
            continue
        if bare is not None:
            negated, phrase = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        stems = lexemes(phrase, language)
        if stems:
            (current.excluded if negated else current.required).append(stems)
    groups.append(current)
    return [group for group in groups if group.required]


def fts5_expression(groups: Iterable[Group]) -> str:
    """An SQLite FTS5 MATCH expression for parsed groups; every stem is a quoted string."""

    def phrase(stems: list[str]) -> str:
        return '"' + " ".join(stems) + '"'

    parts = []
    for group in groups:
        expression = "(" + " AND ".join(phrase(stems) for stems in group.required) + ")"
        for stems in group.excluded:
            expression = f"({expression} NOT {phrase(stems)})"
        parts.append(expression)
    return " OR ".join(parts)


def plain_words(query: str | None) -> str:
    """The query's words without accents, for the trigram (typo) search of names and codes."""
    return " ".join(unaccent(word) for word in WORD.findall(clean_query(query).replace("-", " ")))


def highlight(
    text: str | None, groups: Iterable[Group], language: str = "es", words: int = 30
) -> str:
    """A snippet of the text around its first matching word, matches between MARK_* characters.

    SQLite's stand-in for `ts_headline`: the text is plain, the caller escapes it.
    """
    wanted = {stem for group in groups for stems in group.required for stem in stems}
    tokens = re.split(r"(\w+)", (text or "").replace(MARK_START, "").replace(MARK_END, ""))
    # tokens alternate separator, word, separator, ...
    positions = [i for i in range(1, len(tokens), 2) if lexeme(tokens[i], language) in wanted]
    first = positions[0] if positions else 1
    start = max(first - 10, 0)
    end = min(start + 2 * words, len(tokens))
    for i in positions:
        if start <= i < end:
            tokens[i] = f"{MARK_START}{tokens[i]}{MARK_END}"
    snippet = "".join(tokens[start:end]).strip()
    if start > 0:
        snippet = "… " + snippet
    if end < len(tokens):
        snippet = snippet + " …"
    return snippet


def _trigram_words(text: str | None) -> list[str]:
    """pg_trgm's trigrams of each word, in order: "  j", " ja", "jal", ..., "co "."""
    sequence: list[str] = []
    for word in WORD.findall(unaccent(text or "")):
        padded = f"  {word} "
        sequence.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return sequence


def word_similarity(query: str | None, text: str | None) -> float:
    """pg_trgm's `word_similarity`: the best share of trigrams between the query and a stretch
    of the text, so "jaliso" is 0.71 like "Jalisco" in "Plan local de Jalisco"."""
    wanted = set(_trigram_words(query))
    if not wanted:
        return 0.0
    sequence = _trigram_words(text)
    hits = [i for i, trigram in enumerate(sequence) if trigram in wanted]
    best = 0.0
    for a, start in enumerate(hits):
        for end in hits[a:]:
            stretch = set(sequence[start : end + 1])
            best = max(best, len(wanted & stretch) / len(wanted | stretch))
    return best
