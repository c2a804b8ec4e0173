"""What the list shows: one value, so the tabs, the search line and the loader agree."""

from __future__ import annotations

from dataclasses import dataclass, replace

from models.search.query import Filter, Query, parse_query

VIEW_ORDER: list[str | None] = ["new", "to-read", "reading", "read", "skipped", None]


@dataclass(frozen=True)
class View:
    """A status view (None: all), an optional tag, and what was typed into search."""

    status: str | None = "new"
    tag: str | None = None
    text: str = ""

    @property
    def searching(self) -> bool:
        return bool(self.text.strip())

    def query(self) -> Query:
        """The structured query; a search looks through the whole library (its own
        `status:` narrows it). Raises QueryError for a malformed search."""
        typed = parse_query(self.text)
        filters = [] if self.searching or not self.status else [Filter("status", self.status)]
        if self.tag:
            filters.append(Filter("tag", self.tag))
        return Query(terms=typed.terms, filters=filters + typed.filters)

    def step(self, steps: int) -> View:
        """The view `steps` tabs along (wrapping), search and tag kept."""
        index = (VIEW_ORDER.index(self.status) + steps) % len(VIEW_ORDER)
        return replace(self, status=VIEW_ORDER[index])
