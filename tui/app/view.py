"""What the list shows: one value, so the tabs, the search line and the loader agree."""

from __future__ import annotations

from dataclasses import dataclass, replace

from models.search.query import Filter, Query, parse_query

VIEW_ORDER: list[str | None] = ["new", "to-read", "reading", "read", "skipped", None]


@dataclass(frozen=True)
class View:
    """A status view (None: all) or a watch (a saved search, by name), an optional tag,
    and what was typed into search."""

    status: str | None = "new"
    tag: str | None = None
    text: str = ""
    watch: str | None = None
    watch_query: str = ""

    @property
    def searching(self) -> bool:
        return bool(self.text.strip())

    def query(self) -> Query:
        """The structured query; a search looks through the whole library (its own
        `status:` narrows it). Raises QueryError for a malformed search."""
        watching = self.watch is not None and not self.searching
        typed = parse_query(self.watch_query if watching else self.text)
        filters = [] if self.searching or not self.status else [Filter("status", self.status)]
        if self.tag:
            filters.append(Filter("tag", self.tag))
        return Query(terms=typed.terms, filters=filters + typed.filters)

    def step(self, steps: int) -> View:
        """The view `steps` tabs along (wrapping), search and tag kept."""
        index = (VIEW_ORDER.index(self.status) + steps) % len(VIEW_ORDER)
        return replace(self, status=VIEW_ORDER[index], watch=None, watch_query="")

    def showing(self, status: str | None) -> View:
        """The status view `status`, search and watch left, tag kept."""
        return replace(self, status=status, text="", watch=None, watch_query="")

    def watching(self, name: str, query: str) -> View:
        """The watch `name`: its query's matches in every status, search left, tag kept."""
        return replace(self, status=None, text="", watch=name, watch_query=query)
