"""The papershelf app: the main screen over one library, one writer, the user's config.

Quitting never drops a change: with writes still queued (another program holding the
lock) the app says so and quits once they are saved; asked again, it writes what is
unsaved to a recovery file in the data folder, names it, and exits with status 1.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from models.ingest.importer import import_bundled_seeds
from models.store.changes import watch_changes
from models.store.library import Library
from tui.app.commands import PapershelfCommands
from tui.app.messages import LibraryChanged, Notice, WriterIdle
from tui.app.screens.help import binding_keys
from tui.app.screens.main import MainScreen
from tui.app.screens.note import NoteScreen
from tui.app.widgets import PaperList
from tui.app.writer import LibraryWriter, WriteJob
from tui.config import Config, data_folder, load_config, save_setting
from tui.errors import describe

WATCH_EVERY = 1.0  # seconds between asking SQLite whether another program wrote
QUIT_PATIENCE = 1.0  # seconds quitting waits for saves before saying the library is busy
#: How long the UI thread may hold the interpreter while a worker waits for it, in seconds
#: (Python's default is 5 ms). A worker's query gives the lock up on every round trip to
#: the database and waits up to this long to get it back while the UI thread lays out and
#: paints: at 5 ms, the first page from a PostgreSQL server (nine queries) took 0.2-0.4 s
#: behind the first frame instead of 0.06 s.
SWITCH_INTERVAL = 0.001
EXPORT_SETTINGS = {
    "markdown": "markdown_folder",
    "digest": "markdown_folder",
    "bibtex": "bibtex_file",
}


class PapershelfApp(App[None]):
    """Triage, read, tag, rate and take notes at keyboard speed."""

    TITLE = "papershelf"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {PapershelfCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app_quit")]

    def __init__(
        self,
        library: Library,
        *,
        seed_default: bool = False,
        watch: bool = True,
        watch_every: float = WATCH_EVERY,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.seed_default = seed_default
        self.watch_library = watch
        self.watch_every = watch_every
        self.config = config if config is not None else load_config()
        self.writer = LibraryWriter(library, self)
        self._quitting = False
        self._stop_watching = threading.Event()
        self._last_exports: dict[str, Path] = {}
        self._switch_interval = sys.getswitchinterval()  # Python's, restored on unmount
        if self.config.keys:
            self.set_keymap(self.config.keys)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.library, self.writer)

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_load(self) -> None:
        sys.setswitchinterval(SWITCH_INTERVAL)

    def on_mount(self) -> None:
        if self.config.problem:
            self.notify(self.config.problem, severity="error", markup=False, timeout=15)
        try:
            self.theme = self.config.theme
        except Exception:  # an unknown theme name: say so, keep the default
            self.notify(f"config: unknown theme {self.config.theme!r}", severity="error")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.seed_default and self.library.location.is_default:
            self.seed_library()
        if self.watch_library and self.library.location.path:
            self.set_interval(self.watch_every, self._look_for_changes)
            self._look_for_changes()
        elif self.watch_library:
            self.watch_server()

    def _look_for_changes(self) -> None:
        self.writer.check_for_changes()

    @work(thread=True, group="watch", exit_on_error=False)
    def watch_server(self) -> None:
        """Other readers' and terminals' commits to a server library, as they happen
        (LISTEN/NOTIFY on a connection of its own, reconnecting after a drop)."""
        changes = watch_changes(self.library, stop=self._stop_watching, ignore_own=True)
        self.post_message(LibraryChanged())  # catch up on commits from before it listened
        for _ in changes:
            self.post_message(LibraryChanged())

    def _theme_changed(self, theme) -> None:
        """Every row is drawn again at once, and the choice is kept for the next start."""
        for papers in self.main.query(PaperList):  # none before the screen is composed
            papers.styles_changed()
        if theme.name != self.config.theme:
            try:
                self.config = save_setting(self.config, theme=theme.name)
            except OSError as error:
                self.notify(f"Theme not saved: {error}", severity="warning", markup=False)

    def key_display(self, binding: Binding) -> str:
        """The keys of a binding as help and the palette show them, the user's keymap applied."""
        return binding_keys(self, binding, self.config.keys)

    def export_target(self, kind: str) -> Path | None:
        """Where this kind of export went last (or the config file says)."""
        if kind in self._last_exports or kind not in EXPORT_SETTINGS:
            return self._last_exports.get(kind)  # RIS, CSL-JSON: remembered for the session
        folder = getattr(self.config, EXPORT_SETTINGS[kind])
        if folder is not None and kind == "digest":
            return folder / "papershelf-digest.md"
        return folder

    def remember_export(self, kind: str, target: Path) -> None:
        self._last_exports[kind] = target
        if kind not in EXPORT_SETTINGS:
            return
        setting = EXPORT_SETTINGS[kind]
        value = target.parent if kind == "digest" else target
        if getattr(self.config, setting) != value:
            try:
                self.config = save_setting(self.config, **{setting: value})
            except OSError as error:
                self.notify(f"Export folder not remembered: {error}", markup=False)

    def remember_fetch(self, settings: dict[str, Any]) -> None:
        """Keep the sources the reader named for the next Fetch (a broken file is left alone)."""
        if self.config.problem:
            return
        try:
            self.config = save_setting(self.config, **settings)
        except OSError as error:
            self.notify(f"Fetch sources not remembered: {error}", markup=False)

    @work(thread=True, group="seed", exit_on_error=False)
    def seed_library(self) -> None:
        summaries = import_bundled_seeds(self.library)
        new = sum(summary.new for summary in summaries)
        if summaries:
            text = f"New library: imported {new} papers from the bundled demo listings."
            self.main.post_message(Notice(text, title="Welcome to papershelf", reload=True))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so: nothing fails silently."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                describe(event.worker.error, self.library),
                title="Something went wrong",
                severity="error",
                markup=False,
                timeout=10,
            )

    @on(LibraryChanged)
    def _changed_elsewhere(self) -> None:
        self.main.reload_changed()

    # --- quitting ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, NoteScreen):
                screen.leave_now()
        # The editor's last save was just queued: give it the moment a free library needs
        # (off this thread), so "busy" is said only when another program holds the lock.
        if not self._quitting:
            await asyncio.to_thread(self.writer.wait_idle, QUIT_PATIENCE)
        if self.writer.idle:
            self.exit()
            return
        if not self._quitting:
            self._quitting = True
            waiting = len(self.writer.queued)
            self.notify(
                f"Waiting to save {waiting} change(s): the library is busy. "
                "Quit again to keep unsaved notes in a recovery file and leave.",
                severity="warning",
                timeout=30,
            )
            return
        self._quit_dropping()

    @on(WriterIdle)
    def _writer_idle(self) -> None:
        if self._quitting:
            self.exit()

    def _quit_dropping(self) -> None:
        dropped = self.writer.stop(drop=True)
        path = write_recovery(dropped)
        lines = [f"papershelf: {len(dropped)} change(s) not saved (the library was locked)."]
        if path is not None:
            lines.append(f"Unsaved note text is in {path}")
        self.exit(return_code=1, message="\n".join(lines))

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        self._stop_watching.set()
        if not self.writer.stopped:
            dropped = self.writer.stop(drop=not self.writer.idle)
            write_recovery(dropped)


def write_recovery(jobs: list[WriteJob]) -> Path | None:
    """The unsaved changes, note text in full, in a new file in the data folder."""
    notes = [(job.description, job.unsaved_text()) for job in jobs]
    if not jobs:
        return None
    folder = data_folder() / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"unsaved-{datetime.now():%Y%m%d-%H%M%S-%f}.md"
    parts = ["# Changes papershelf could not save\n"]
    for description, text in notes:
        parts.append(f"\n## {description}\n")
        if text:
            parts.append(f"\n{text}\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path
