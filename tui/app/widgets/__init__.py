"""The app's widgets, one main class per module."""

from tui.app.widgets.fetch_bar import FetchBar
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.note_editor import NoteEditor
from tui.app.widgets.paper_detail import PaperDetail
from tui.app.widgets.paper_list import PaperList
from tui.app.widgets.search_bar import SearchBar
from tui.app.widgets.view_tabs import ViewTabs

__all__ = [
    "FetchBar",
    "KeyFooter",
    "NoteEditor",
    "PaperDetail",
    "PaperList",
    "SearchBar",
    "ViewTabs",
]
