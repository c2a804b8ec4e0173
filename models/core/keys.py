"""Identifiers and the normalised keys that make duplicates meet in an index.

Two records are one paper when they share an arXiv id, a DOI, a normalised title,
or (lacking those) a normalised abstract. Each key here is the exact string an
index column holds, so finding a duplicate is one indexed look-up, never a scan.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from models.core.text import strip_accents

# New-style ids: YYMM.NNNN until 1412, YYMM.NNNNN from 1501 on. Spelling the two
# eras out lets a squashed listing ("arXiv:2407.18743In recent years") split right.
ARXIV_NEW_ID = (
    r"(?:(?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\.\d{4}"
    r"|(?:1[5-9]|[2-9]\d)(?:0[1-9]|1[0-2])\.\d{5})"
)
# Old-style ids: archive(.SUBJECT)/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
ARXIV_OLD_ID = r"(?:[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})"
ARXIV_ID = rf"(?:{ARXIV_NEW_ID}|{ARXIV_OLD_ID})"

_ARXIV_REF = re.compile(
    rf"^\s*(?:arxiv:\s*|https?://arxiv\.org/(?:abs|pdf)/)?(?P<id>{ARXIV_ID})(?:v(?P<version>\d+))?"
    r"(?:\.pdf)?\s*$",
    re.IGNORECASE,
)
_DOI = re.compile(
    r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(?P<doi>10\.\d{2,9}(?:\.\d+)*/\S+)\s*$", re.I
)
_NOT_WORD = re.compile(r"[\W_]+")
_ASCII_LOWER = bytes(range(256)).lower()
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """`arXiv:2407.18743v2` -> (`2407.18743`, 2); None when it is no arXiv id."""
    match = _ARXIV_REF.match(text)
    if not match:
        return None
    identifier = match["id"]
    if "/" in identifier:  # old style: the archive is lower case, the subject class upper
        archive, number = identifier.split("/")
        head, _, subject = archive.partition(".")
        identifier = f"{head.lower()}{'.' + subject.upper() if subject else ''}/{number}"
    version = int(match["version"]) if match["version"] else None
    return identifier, version


def parse_doi(text: str) -> str | None:
    """The bare DOI (`10.1145/3637528.3671661`) from a DOI, `doi:` or doi.org URL."""
    match = _DOI.match(text)
    return match["doi"].rstrip(".,;") if match else None


def doi_key(doi: str | None) -> str | None:
    """DOIs are case-insensitive."""
    return doi.lower() if doi else None


def fold(text: str) -> str:
    """Letters and digits only, lower case, accents dropped: what survives any respelling
    of punctuation, spacing and case ("Weak-to-Strong" and "weak to strong" agree)."""
    if text.isascii():  # the common case, one pass in C
        return text.encode("ascii").translate(_ASCII_LOWER, _ASCII_NOT_ALNUM).decode("ascii")
    return _NOT_WORD.sub("", strip_accents(text.casefold()))


def title_key(title: str | None) -> str | None:
    """The title as duplicates share it: case, accents, punctuation and spacing ignored."""
    if not title:
        return None
    return fold(title) or None


def abstract_key(abstract: str | None) -> str | None:
    """A fingerprint of the folded abstract (40 hex digits fit an index cheaply)."""
    if not abstract:
        return None
    folded = fold(abstract)
    if not folded:
        return None
    return hashlib.sha1(folded.encode()).hexdigest()


def dedupe_keys(
    *, doi: str | None, title: str | None, abstract: str | None
) -> dict[str, str | None]:
    """The three key columns a paper is found by when a duplicate arrives."""
    return {
        "doi_key": doi_key(doi),
        "title_key": title_key(title),
        "abstract_key": abstract_key(abstract),
    }


def paper_url(arxiv_id: str | None, doi: str | None) -> str | None:
    """Where a paper can be read: its arXiv abstract page, else its DOI's resolver."""
    if arxiv_id:
        return f"https://arxiv.org/abs/{arxiv_id}"
    if doi:
        return "https://doi.org/" + quote(doi, safe="/:;.-_()")
    return None
