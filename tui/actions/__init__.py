"""The app's actions, grouped by what they do; each group is mixed into `PapershelfApp`."""

from tui.actions.notes import NoteActions
from tui.actions.state import StateActions, UndoEntry
from tui.actions.transfer import TransferActions

__all__ = ["NoteActions", "StateActions", "TransferActions", "UndoEntry"]
