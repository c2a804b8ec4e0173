"""The main screen's keys: one list that the footer, the help screen, the palette, the
README's key table and the `[keys]` table of the config file all read.

Every binding is `priority`: it is acted on when its key arrives, in the order typed,
so a key that moves the focus (`/`, `n`, `+`) takes every later key with it.
`MainScreen.check_action` turns them off while the focus is in a text field.
"""

from __future__ import annotations

from textual.binding import Binding


def key(
    keys: str, action: str, description: str, tooltip: str, *, id: str, show: bool = False
) -> Binding:
    """A priority binding with an id (for `[keys]` in the config file) and a tooltip."""
    return Binding(keys, action, description, show=show, tooltip=tooltip, priority=True, id=id)


RATINGS = range(1, 6)
MAIN_BINDINGS = [
    # First: the footer shows keys in this order and cuts the tail when narrow.
    key("question_mark", "help", "Help", "Show every key", id="help", show=True),
    key("slash", "search", "Search", "Search the library as you type", id="search", show=True),
    key("q", "quit", "Quit", "Quit (waits for changes being saved)", id="quit", show=True),
    key("t", "set_status('to-read')", "To read", "Mark to read", id="to_read", show=True),
    key("r", "set_status('reading')", "Reading", "Mark reading", id="reading", show=True),
    key("d", "set_status('read')", "Read", "Mark read (done)", id="read", show=True),
    key("x", "set_status('skipped')", "Skip", "Skip the paper", id="skip", show=True),
    key("u", "set_status('new')", "New", "Back to new (inbox)", id="new"),
    *(key(f"{n}", f"rate({n})", f"Rate {n}", f"Rate {n} of 5", id=f"rate_{n}") for n in RATINGS),
    key("0", "rate(0)", "Unrate", "Clear the rating", id="unrate"),
    key("plus", "add_tag", "Tag", "Add a tag (with completion)", id="add_tag", show=True),
    key("minus", "remove_tag", "Untag", "Remove a tag", id="remove_tag"),
    key("n", "new_note", "Note", "Write a new note", id="new_note", show=True),
    key("e", "edit_note", "Edit note", "Edit the latest note", id="edit_note"),
    key(
        "E", "external_note", "Edit in $EDITOR",
        "Edit the latest note (or a new one) in $VISUAL or $EDITOR", id="external_note",
    ),
    key("o", "open_paper", "Open", "Open the arXiv or DOI page", id="open"),
    key("y", "copy_id", "Copy key", "Copy the citation key (as every export gives it)", id="copy"),
    key("delete", "delete", "Delete", "Delete the papers (asks first; undoable)", id="delete"),
    key("ctrl+z", "undo", "Undo", "Undo the last change", id="undo"),
    key("ctrl+y", "redo", "Redo", "Redo what was undone", id="redo"),
    key("left_square_bracket", "cycle_view(-1)", "Prev view", "Previous view", id="prev_view"),
    key("right_square_bracket", "cycle_view(1)", "Next view", "Next view", id="next_view"),
    key("number_sign", "filter_tag", "Tag filter", "Only papers with a tag", id="tag_filter"),
    key("enter", "focus_detail", "Detail", "Focus the detail pane", id="detail"),
    key("escape", "escape", "Back", "Clear the selection, or back to the list", id="back"),
    key("ctrl+r", "reload", "Reload", "Reload from the library", id="reload"),
    key("F", "fetch", "Fetch", "Fetch today's papers (arXiv, Hugging Face)", id="fetch"),
]  # fmt: skip
