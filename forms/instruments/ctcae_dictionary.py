"""The CTCAE v5.0 term dictionary: terms, MedDRA codes, grade texts, and search.

Source: National Cancer Institute, *Common Terminology Criteria for Adverse Events (CTCAE)
version 5.0* (27 November 2017), 837 terms, as the JSON conversion of ``CTCAE_v5.0.xlsx``
described in ``resources/ctcae/SOURCE.md``. A "-" in a grade column means the grade does not
exist for that term; such a grade cannot be chosen (:meth:`Term.grade_text` refuses it).

This module is pure: ``desktop_crf.instruments`` reads the bundled files and hands the parsed
JSON to :func:`parse_dictionary`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from forms.instruments.errors import DictionaryInvalid, GradeNotAvailable, UnknownTerm

GRADES: Final = (1, 2, 3, 4, 5)
_NOT_DEFINED: Final = "-"
_WORD: Final = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


@dataclass(frozen=True, slots=True)
class Term:
    """One CTCAE v5.0 term.

    Attributes:
        name: the term as spelled in CTCAE v5.0, e.g. "Platelet count decreased".
        meddra_code: its MedDRA v20.1 lowest-level-term code.
        soc: its MedDRA system organ class.
        grades: grade number → grade text, only for the grades that exist.
        definition: the CTCAE definition, or ``None`` where the source has none.
        navigational_note: the CTCAE navigational note, or ``None``.
    """

    name: str
    meddra_code: int
    soc: str
    grades: Mapping[int, str]
    definition: str | None
    navigational_note: str | None

    @property
    def available_grades(self) -> tuple[int, ...]:
        """The grades that may be chosen for this term, ascending."""
        return tuple(sorted(self.grades))

    def grade_text(self, grade: int) -> str:
        """Return the CTCAE text of ``grade``.

        Raises:
            GradeNotAvailable: the term has no such grade (a "-" in CTCAE v5.0).
        """
        if isinstance(grade, bool) or grade not in self.grades:
            raise GradeNotAvailable(self.name, grade, self.available_grades)
        return self.grades[grade]


_CJK = re.compile(r"[\u4e00-\u9fff]")


class Dictionary:
    """All CTCAE v5.0 terms, looked up by name or MedDRA code and searched by words."""

    def __init__(self, terms: Sequence[Term], synonyms: Mapping[str, Sequence[str]]) -> None:
        self._terms = tuple(sorted(terms, key=lambda term: term.name.casefold()))
        self._by_name = {term.name.casefold(): term for term in self._terms}
        self._by_code = {term.meddra_code: term for term in self._terms}
        if len(self._by_name) != len(self._terms) or len(self._by_code) != len(self._terms):
            raise DictionaryInvalid("a term name or MedDRA code occurs twice")
        self._synonyms: dict[tuple[str, ...], tuple[Term, ...]] = {}
        self._names_of: dict[str, list[str]] = {}
        for synonym, names in synonyms.items():
            self._synonyms[_words(synonym)] = tuple(self.get(name) for name in names)
            if len(names) == 1:  # a name of that term alone, not a word shared by several
                self._names_of.setdefault(self.get(names[0]).name, []).append(synonym)

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.strip().casefold() in self._by_name

    def local_names(self, term: Term) -> tuple[str, ...]:
        """The names in Chinese script that the synonym file gives this term alone (e.g.
        "贫血" for "Anemia"): shown beside the CTCAE term, never stored instead of it."""
        return tuple(n for n in self._names_of.get(term.name, ()) if _CJK.search(n))

    def get(self, name: str) -> Term:
        """Return the term spelled ``name`` (case and outer spaces ignored).

        Raises:
            UnknownTerm: no CTCAE v5.0 term has that name.
        """
        term = self._by_name.get(name.strip().casefold())
        if term is None:
            raise UnknownTerm(name, "not in CTCAE v5.0; search the dictionary and pick a term")
        return term

    def by_code(self, meddra_code: int) -> Term:
        """Return the term with this MedDRA code.

        Raises:
            UnknownTerm: no CTCAE v5.0 term has that code.
        """
        term = self._by_code.get(meddra_code)
        if term is None:
            raise UnknownTerm(meddra_code, "no CTCAE v5.0 term has this MedDRA code")
        return term

    def search(self, query: str, *, limit: int = 20) -> list[Term]:
        """Find terms by words of their name, by synonym, or by MedDRA code.

        Every word of the query must begin a word of the term (so "plat dec" finds "Platelet
        count decreased"), or of a synonym (so "ALT" finds "Alanine aminotransferase
        increased"). Exact names and synonyms come first, then names that start with the
        query, then other matches, each alphabetically.
        """
        wanted = _words(query)
        if not wanted:
            return []
        ranked: dict[str, tuple[int, Term]] = {}

        def offer(rank: int, term: Term) -> None:
            key = term.name.casefold()
            if key not in ranked or rank < ranked[key][0]:
                ranked[key] = (rank, term)

        if query.strip().isdigit() and int(query) in self._by_code:
            offer(0, self._by_code[int(query)])
        for words, terms in self._synonyms.items():
            if _starts_words(wanted, words):
                for term in terms:
                    offer(1 if words == wanted else 3, term)
        for term in self._terms:
            words = _words(term.name)
            if words == wanted:
                offer(0, term)
            elif _starts_words(wanted, words):
                offer(2 if words[0].startswith(wanted[0]) else 4, term)
        found = sorted(ranked.values(), key=lambda pair: (pair[0], pair[1].name.casefold()))
        return [term for _, term in found[:limit]]


def _starts_words(wanted: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """True when every wanted word begins some word of ``words``."""
    return all(any(word.startswith(part) for word in words) for part in wanted)


def _text_or_none(value: object) -> str | None:
    text = str(value or "").strip()
    return None if text in ("", _NOT_DEFINED) else text


def _parse_term(row: Mapping[str, Any]) -> Term:
    try:
        grades = {
            grade: text
            for grade in GRADES
            if (text := _text_or_none(row[f"Grade {grade}"])) is not None
        }
        name = str(row["CTCAE Term"]).strip()
        if not grades:
            raise DictionaryInvalid(f"term {name!r} has no grade at all")
        return Term(
            name=name,
            meddra_code=int(row["id"]),
            soc=str(row["MedDRA SOC"]).strip(),
            grades=MappingProxyType(grades),
            definition=_text_or_none(row.get("Definition")),
            navigational_note=_text_or_none(row.get("Navigational Note")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DictionaryInvalid(f"term {row!r:.80} lacks or mis-types {exc}") from None


def parse_dictionary(
    data: Mapping[str, Any], synonyms: Mapping[str, Any] | None = None
) -> Dictionary:
    """Build the dictionary from the parsed CTCAE JSON and the parsed synonym file.

    Args:
        data: the parsed ``ctcae_v5.0.json``: ``{"medra_code": [row, ...]}``.
        synonyms: the parsed ``synonyms.json``: ``{"synonyms": {word: [term, ...]}}``.

    Raises:
        DictionaryInvalid: the data does not have that shape.
        UnknownTerm: a synonym names a term that is not in the dictionary.
    """
    rows = data.get("medra_code") if isinstance(data, Mapping) else None
    if not isinstance(rows, list):
        raise DictionaryInvalid("the top-level key 'medra_code' with a list of terms is missing")
    table = (synonyms or {}).get("synonyms", {})
    if not isinstance(table, Mapping):
        raise DictionaryInvalid("'synonyms' must map a word to a list of terms")
    return Dictionary([_parse_term(row) for row in rows], table)
