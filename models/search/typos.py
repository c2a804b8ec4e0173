"""What a mistyped word meant: the indexed words one or two edits away, found with rapidfuzz.

A word gets typo tolerance from five letters on (one edit; two from nine letters),
so a short word never matches everything. A close word counts as a correction
when the typed word is not in the library, or is far rarer than the close word
(`transfomer` once, `transformer` in thousands of papers). Only the closest
corrections count: `transfomer` means `transformer` (one edit), not `transfer`
(two). An edit is an insertion, deletion, substitution or swap of neighbouring
letters (`mixtrue` -> `mixture`). Search matches corrections as prefixes, so
`transformer` also finds `transformers`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: How many times more papers a close word must be in to correct a word that exists.
RARITY = 10
#: At most this many corrections per word, closest and commonest first.
MAX_CORRECTIONS = 6


def max_typos(word: str) -> int:
    """How many edits a query word may be away from what it matches."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


class Vocabulary:
    """The words of an index with how many documents hold each."""

    def __init__(self, documents: Iterable[tuple[str, int]]) -> None:
        self.documents: dict[str, int] = dict(documents)
        self.terms = sorted(self.documents)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.terms:
            self.by_length[len(term)].append(term)

    def prefix_documents(self, prefix: str) -> int:
        """Documents holding words that start with `prefix` (an upper bound: a document
        with two such words counts twice)."""
        total = 0
        for index in range(bisect_left(self.terms, prefix), len(self.terms)):
            term = self.terms[index]
            if not term.startswith(prefix):
                break
            total += self.documents[term]
        return total

    def with_prefix(self, prefix: str, limit: int) -> list[str] | None:
        """The words starting with `prefix`, in order; None when there are more than `limit`."""
        first = bisect_left(self.terms, prefix)
        words = []
        for term in self.terms[first : first + limit + 1]:
            if not term.startswith(prefix):
                break
            words.append(term)
        return None if len(words) > limit else words

    def corrections(self, word: str) -> list[str]:
        """Indexed words that `word` is probably a typo of, best first."""
        typos = max_typos(word)
        if not typos:
            return []
        close = []
        for length in range(len(word) - typos, len(word) + typos + 1):
            matches = process.extract(
                word,
                self.by_length.get(length, ()),
                scorer=OSA.distance,
                score_cutoff=typos,
                limit=None,
            )
            close += [(term, distance, self.documents[term]) for term, distance, _ in matches]
        return closest_corrections(word, close, known=self.prefix_documents(word))


def closest_corrections(
    word: str, close: Iterable[tuple[str, int, int]], *, known: int
) -> list[str]:
    """Which of the words `close` to `word` (word, edits, documents) count as its
    corrections, best first; `known` is how many documents hold `word` as a prefix."""
    found: list[tuple[int, int, str]] = []
    for term, distance, documents in close:
        if term.startswith(word) or (known and documents < RARITY * known):
            continue  # the prefix match finds it, or the word is no typo
        found.append((distance, -documents, term))
    if not found:
        return []
    closest = min(distance for distance, _, _ in found)
    kept: list[str] = []
    for distance, _, term in sorted(found):
        if distance == closest and not any(term.startswith(other) for other in kept):
            kept.append(term)
    return kept[:MAX_CORRECTIONS]
