"""What the app's Fetch reads: the arXiv categories and the Hugging Face day of the config
file's `[fetch]` section, or of the reader's answer when it names none.

    [fetch]
    arxiv = ["cs.CL", "cs.AI"]   # today's announcements in these categories
    hf_day = "latest"            # Hugging Face's daily papers: "latest" or YYYY-MM-DD
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.fetch import (
    Download,
    PoliteClient,
    Progress,
    normalise_category,
    read_arxiv,
    read_hf,
)
from models.store.library import Library
from tui.config import Config

LATEST = "latest"
QUESTION = "Fetch which arXiv categories? (e.g. cs.CL cs.AI; add hf for Hugging Face's papers)"


@dataclass(frozen=True)
class FetchPlan:
    """The sources of one fetch: arXiv categories, and whether (and which day) Hugging Face."""

    categories: tuple[str, ...] = ()
    hf: bool = False
    hf_day: date | None = None  # None: the latest day

    @property
    def is_empty(self) -> bool:
        return not (self.categories or self.hf)

    def readers(self) -> list[Callable[[Library, PoliteClient, Progress], Download]]:
        """One function per source: it reads and parses, and writes nothing."""
        readers: list[Callable[[Library, PoliteClient, Progress], Download]] = []
        if self.categories:
            categories = self.categories
            readers.append(
                lambda library, client, progress: read_arxiv(
                    library, categories, client=client, progress=progress
                )
            )
        if self.hf:
            day = self.hf_day
            readers.append(
                lambda library, client, progress: read_hf(
                    library, day, client=client, progress=progress
                )
            )
        return readers

    def settings(self) -> dict[str, Any]:
        """The plan as `[fetch]` settings (`save_setting`'s keywords)."""
        settings: dict[str, Any] = {"arxiv_categories": self.categories}
        if self.hf:
            settings["hf_day"] = self.hf_day.isoformat() if self.hf_day else LATEST
        return settings


def plan_from_config(config: Config) -> FetchPlan:
    """The config's `[fetch]` sources; raises ValueError for a day that is not one."""
    day = (config.hf_day or "").strip()
    return FetchPlan(
        categories=tuple(config.arxiv_categories),
        hf=bool(day),
        hf_day=_day(day) if day and day != LATEST else None,
    )


def plan_from_answer(answer: str) -> FetchPlan:
    """`cs.cl cs.AI hf` as typed (commas too); raises UnknownCategory for a category arXiv
    does not have, before anything is asked of it."""
    words = answer.replace(",", " ").split()
    hf = any(word.lower() in ("hf", "huggingface") for word in words)
    names = [word for word in words if word.lower() not in ("hf", "huggingface")]
    categories = tuple(dict.fromkeys(normalise_category(name) for name in names))
    return FetchPlan(categories=categories, hf=hf)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f'config: fetch.hf_day must be "latest" or a date YYYY-MM-DD, not {text!r}'
        ) from None
