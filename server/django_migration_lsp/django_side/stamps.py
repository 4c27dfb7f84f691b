"""What a loaded module was loaded from: the one record of "what changed since the worker last
loaded it". A stamp holds the hash of the exact source that was executed (a file's bytes or an
editor's unsaved text) and, for a file, the ``stat`` it had then; the next load compares the
file's ``stat`` and, when it moved, its hash, and re-executes the module only when the content
differs. The cache keys on the same hash, so a result is never stored under the key of a file
other than the one rendered.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

#: a file modified within this many ns of being stamped may change again within the file
#: system's timestamp granularity without its (mtime, size) moving ("racily clean", as git
#: says): such a stamp is always re-hashed
SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class FileStat:
    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: str) -> FileStat | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)


@dataclass(frozen=True)
class Stamp:
    """The source a module was executed from: its sha256, and the file's stat at that time
    (None for an unsaved buffer, or when the file changed while it was being imported)."""

    sha: str
    stat: FileStat | None

    @classmethod
    def of_text(cls, text: str) -> Stamp:
        return cls(sha_of(text.encode("utf-8")), None)

    def matches(self, stat: FileStat | None, now_ns: int) -> bool:
        """True when ``stat`` proves the file is still what was stamped (without reading it)."""
        return stat is not None and self.stat == stat and now_ns - stat.mtime_ns > SETTLED_NS


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_stamped(path: str) -> tuple[bytes, Stamp] | None:
    """The file's bytes and their stamp (stat taken before the read: a later write moves it);
    None when the file cannot be read."""
    before = FileStat.of(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    stable = before if FileStat.of(path) == before else None
    return data, Stamp(sha_of(data), stable)
