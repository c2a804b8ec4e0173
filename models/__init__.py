"""papershelf's data layer: tables, the database, import, search and export.

Nothing here imports textual; the app and the command line in `tui/` both call it.
"""
