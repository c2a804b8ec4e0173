"""The app's widgets, one main class per module."""

from tui.widgets.note_editor import NoteEditor
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList
from tui.widgets.search_bar import SearchBar
from tui.widgets.view_bar import ViewBar

__all__ = ["NoteEditor", "PaperDetail", "PaperList", "SearchBar", "ViewBar"]
