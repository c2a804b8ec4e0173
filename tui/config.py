"""The user's settings: `config.toml` in the platform's config folder (`XDG_CONFIG_HOME`
on Linux), read with `tomllib` behind `load_config`, so tests point it elsewhere.

    theme = "textual-light"
    [keys]              # action id = keys (ids are shown in help)
    to_read = "T"
    [export]
    markdown = "~/notes/papers"
    bibtex = "~/refs/papers.bib"
    [fetch]
    arxiv = ["cs.LG", "cs.CL"]
    hf_day = "latest"   # or "2025-03-01"

A file that cannot be read is one line on stderr or in the app, and the defaults hold.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

APP_NAME = "papershelf"
DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True)
class Config:
    theme: str = DEFAULT_THEME
    keys: dict[str, str] = field(default_factory=dict)
    markdown_folder: Path | None = None
    bibtex_file: Path | None = None
    arxiv_categories: tuple[str, ...] = ()
    hf_day: str | None = None
    problem: str | None = None  # why the file was not used, as one line


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def data_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def load_config(path: Path | None = None) -> Config:
    """The settings in `path` (default: `config_path()`); defaults with `problem` set when
    the file is unreadable or wrong."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        return Config(problem=f"{path}: cannot be read ({error}); using defaults")
    except tomllib.TOMLDecodeError as error:
        return Config(problem=f"{path}: {error}; using defaults")
    try:
        return _config(data)
    except (TypeError, ValueError) as error:
        return Config(problem=f"{path}: {error}; using defaults")


def _config(data: dict) -> Config:
    known = {"theme", "keys", "export", "fetch"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r} (settings: {', '.join(sorted(known))})")
    theme = _text(data, "theme", DEFAULT_THEME)
    keys = _table(data, "keys")
    for action, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f'keys.{action} must be a key name such as "T" or "ctrl+t"')
    export = _table(data, "export")
    fetch = _table(data, "fetch")
    categories = fetch.get("arxiv", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise ValueError('fetch.arxiv must be a list of categories such as ["cs.LG"]')
    day = fetch.get("hf_day")
    if day is not None and not isinstance(day, str):
        raise ValueError('fetch.hf_day must be a date such as "2025-03-01"')
    return Config(
        theme=theme,
        keys=dict(keys),
        markdown_folder=_path(export, "markdown"),
        bibtex_file=_path(export, "bibtex"),
        arxiv_categories=tuple(categories),
        hf_day=day,
    )


def _text(data: dict, name: str, default: str) -> str:
    value = data.get(name, default)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text in quotes")
    return value


def _table(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ValueError(f"[{name}] must be a table")
    return value


def _path(table: dict, name: str) -> Path | None:
    value = table.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"export.{name} must be a path in quotes")
    return Path(os.path.expanduser(value))


def save_setting(config: Config, *, path: Path | None = None, **changes: object) -> Config:
    """`config` with `changes` (theme, export folders, fetch sources), written back to the file.

    Only the changed keys are rewritten; other lines and comments stay as they were."""
    path = path or config_path()
    updated = replace(config, **changes)  # type: ignore[arg-type]
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for name, value in changes.items():
        section, key = SETTING_PLACES[name]
        lines = _set_line(lines, section, key, _toml_value(value))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(path)
    return updated


SETTING_PLACES = {
    "theme": ("", "theme"),
    "markdown_folder": ("export", "markdown"),
    "bibtex_file": ("export", "bibtex"),
    "arxiv_categories": ("fetch", "arxiv"),
    "hf_day": ("fetch", "hf_day"),
}


def _toml_value(value: object) -> str:
    """A string, or a list of strings (the arXiv categories), as TOML writes it."""
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_string(str(item)) for item in value) + "]"
    return _toml_string(str(value))


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _set_line(lines: list[str], section: str, key: str, value: str) -> list[str]:
    """`lines` of a TOML file with `key = value` set in `[section]` ("" for the top)."""
    current = ""
    end = None  # where the section's lines end
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("["):
            if current == section and end is None:
                end = index
            current = stripped.strip("[]").strip()
            continue
        if current == section and stripped.split("=", 1)[0].strip() == key and "=" in stripped:
            return [*lines[:index], f"{key} = {value}", *lines[index + 1 :]]
    if current == section and end is None:
        end = len(lines)
    if end is not None:
        return [*lines[:end], f"{key} = {value}", *lines[end:]]
    if section:
        return [*lines, *([""] if lines else []), f"[{section}]", f"{key} = {value}"]
    return [f"{key} = {value}", *lines]
