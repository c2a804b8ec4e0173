"""A one-line question in a modal: a tag, a file path; `enter` answers, `escape` cancels."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Static

from tui.app.messages import TagsLoaded


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
        width: 70; max-width: 100%; height: auto; padding: 1 2;
        background: $panel; border: thick $accent;
    }
    TextPrompt #prompt-title { margin-bottom: 1; }
    TextPrompt #prompt-choices { color: $text-muted; margin-top: 1; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_prompt"),
        Binding("tab", "complete", "Complete", show=False, id="complete"),
    ]

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
        self._early: list[str] = []  # keys that came before the field had the focus

    def compose(self) -> ComposeResult:
        suggester: Suggester | None = PathSuggester() if self.paths else None
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), id="prompt-title")
            yield Input(self.value, placeholder=self.placeholder, suggester=suggester)
            yield Static("", id="prompt-choices")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        self.set_focus(field)
        if self._early:
            field.insert_text_at_cursor("".join(self._early))
            self._early.clear()
        if self.choices:
            self.set_choices(self.choices)

    def on_key(self, event: events.Key) -> None:
        """Type-ahead: a key pressed while the prompt was still opening is text."""
        if self.focused is None and event.is_printable and event.character:
            event.stop()
            self._early.append(event.character)

    def set_choices(self, choices: list[str]) -> None:
        """Offer these for completion (they may come after the prompt opened)."""
        self.choices = choices
        field = self.query_one(Input)
        if not self.paths:
            field.suggester = SuggestFromList(choices, case_sensitive=False)
        shown = ", ".join(choices[:12]) + (" …" if len(choices) > 12 else "")
        hint = self.query_one("#prompt-choices", Static)
        hint.update(Text(f"tab or → completes · {shown}" if choices else ""))

    @on(TagsLoaded)
    def _tags_loaded(self, message: TagsLoaded) -> None:
        self.set_choices(message.names)

    def action_complete(self) -> None:
        """Take the suggestion shown in the field (as → does at its end)."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmPrompt(ModalScreen[bool]):
    """A yes-or-no question: `y` or `enter` confirms, `n` or `escape` declines."""

    DEFAULT_CSS = """
    ConfirmPrompt { align: center middle; }
    ConfirmPrompt > Static {
        width: 70; max-width: 100%; height: auto; padding: 1 2;
        background: $panel; border: thick $error;
    }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        text = Text(self.question, style="bold")
        text.append("\n\ny or enter: yes · n or esc: no", style="dim")
        yield Static(text)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
