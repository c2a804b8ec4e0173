"""The app's actions, grouped by what they do; each group is mixed into `PapershelfApp`."""

from tui.app.actions.notes import NoteActions
from tui.app.actions.state import StateActions, UndoEntry
from tui.app.actions.transfer import TransferActions

__all__ = ["NoteActions", "StateActions", "TransferActions", "UndoEntry"]
