"""The footer of keys: Textual's `Footer`, recomposed once for any number of binding changes
that arrive before the next refresh.

Textual's footer queues a whole recompose for every change of the screen's bindings, and
a starting app changes them five times before its first paint (focus, the screen stack,
callbacks after refresh): five footers of keys built, styled and thrown away, a fifth
of the time to the first painted list. The last one is the only one anybody sees.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A `Footer` whose recomposes for one refresh's worth of binding changes are one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.change_queued = False

    def bindings_changed(self, screen: Screen) -> None:
        if not self.change_queued:  # later changes before the refresh join this one
            self.change_queued = True
            self.call_after_refresh(self._bindings_settled, screen)

    def _bindings_settled(self, screen: Screen) -> None:
        self.change_queued = False
        super().bindings_changed(screen)  # Textual's recompose, reading the bindings then
