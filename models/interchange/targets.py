"""Where an export may write: a regular file is replaced atomically, anything else is not.

`-o /dev/null`, `-o /dev/stdout`, a FIFO or a terminal is written to as a stream: a
rename over it would turn a device into a file holding the library (as root,
world-readable). A symlink to a regular file has its target replaced and stays a
symlink; a symlink to nowhere is refused, since writing through it could create a
file anywhere. Temporary files carry the writer's process id, so the next export
beside them removes those a killed writer left.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

#: Paths that name a process's own streams: never renamed over, even when they lead to a file
#: (`> out.json` makes /dev/stdout a link to one; replacing it would lose the output).
_STREAM_ROOTS = ("/dev/", "/proc/")


class UnsafeTarget(OSError):
    """A path an export must not write: the message says why."""


@dataclass(frozen=True)
class Target:
    """Where the bytes go: a file replaced through a temporary beside it, or a stream."""

    path: Path
    is_stream: bool


def export_target(path: Path) -> Target:
    """How to write `path`: replace the regular file it is (or leads to), create it, or
    stream into the device, FIFO or socket it is. UnsafeTarget for a dangling symlink."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise UnsafeTarget(
                "a symbolic link to a file that does not exist; left alone"
            ) from None
        return Target(path, is_stream=False)
    if str(path).startswith(_STREAM_ROOTS) or not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        return Target(path, is_stream=True)
    return Target(Path(os.path.realpath(path)), is_stream=False)


def temporary_prefix(path: Path) -> str:
    """The start of a temporary file's name beside `path`: hidden, and owned by this process."""
    return f".{path.name}.{os.getpid()}."


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files beside `path` whose writing process is gone (killed midway).

    Each folder is swept once per process, for every name in it, so an export of
    thousands of files beside each other does not scan the folder once per file."""
    folder = os.path.realpath(path.parent)
    with _swept_lock:
        if folder in _swept:
            return
        _swept.add(folder)
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMPORARY.fullmatch(entry.name)
            if match and not _alive(int(match[1])) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


#: `tempfile.mkstemp`'s names with `temporary_prefix`: eight random letters, digits or `_`.
_TEMPORARY = re.compile(r"\..+\.(\d+)\.[a-z0-9_]{8}\.tmp")
_swept: set[str] = set()
_swept_lock = threading.Lock()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process: not ours to judge
    return True
