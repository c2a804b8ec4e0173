"""A one-line question in a modal: a tag, a file path; `enter` answers, `escape` cancels."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Static


class PathSuggester(Suggester):
    """Completes file and folder names as you type a path."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        path = Path(value).expanduser()
        folder, stem = (path, "") if value.endswith("/") else (path.parent, path.name)
        try:
            names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())
        except OSError:
            return None
        for name in names:
            if name.startswith(stem) and name != stem and not name.startswith("."):
                return value + name[len(stem) :]
        return None


class TextPrompt(ModalScreen[str | None]):
    """Asks for one line of text, with completion from `choices` (or from the file system)."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 70; height: auto; padding: 1 2; background: $panel; border: thick $accent;
    }
    TextPrompt #prompt-title { margin-bottom: 1; }
    TextPrompt #prompt-choices { color: $text-muted; margin-top: 1; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        choices: list[str] | None = None,
        paths: bool = False,
        value: str = "",
        placeholder: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices or []
        self.paths = paths
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        if self.paths:
            suggester: Suggester | None = PathSuggester()
        elif self.choices:
            suggester = SuggestFromList(self.choices, case_sensitive=False)
        else:
            suggester = None
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), id="prompt-title")
            yield Input(self.value, placeholder=self.placeholder, suggester=suggester)
            if self.choices:
                shown = ", ".join(self.choices[:12]) + (" …" if len(self.choices) > 12 else "")
                yield Static(Text(f"tab or → completes · {shown}"), id="prompt-choices")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
