"""What the main screen's collaborators may use of it and of the app, as protocols, so
they need not import the screen (which imports them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from sqlmodel import Session
from textual.binding import Binding
from textual.screen import Screen

from models.store.library import Library
from tui.app.history import History
from tui.app.view import View
from tui.app.widgets import PaperList
from tui.app.writer import LibraryWriter
from tui.config import Config


class Shelf(Protocol):
    """The main screen: its view, list, history, and the writer behind it."""

    library: Library
    writer: LibraryWriter
    history: History

    @property
    def view(self) -> View: ...

    @view.setter
    def view(self, value: View) -> None: ...

    @property
    def paper_list(self) -> PaperList: ...

    def write(self, description: str, change: Callable[[Session], Any]) -> None: ...

    def load_tags(self, prompt: Screen[Any]) -> Any: ...

    def reload(self, paper_ids: list[int] | None = None, *, keep: int | None = None) -> None: ...


class Settings(Protocol):
    """The app's memory of the user's settings."""

    config: Config

    def key_display(self, binding: Binding) -> str: ...

    def export_target(self, kind: str) -> Path | None: ...

    def remember_export(self, kind: str, target: Path) -> None: ...

    def remember_fetch(self, settings: dict[str, Any]) -> None: ...
