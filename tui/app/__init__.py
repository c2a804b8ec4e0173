"""The Textual app: its main screen, widgets, screens, and the one writer."""

from __future__ import annotations

from tui.app.app import PapershelfApp

__all__ = ["PapershelfApp"]
