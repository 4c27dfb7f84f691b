"""Why a project or one of its migrations did not load: the located ``LoadProblem`` and the
``ProjectLoadError`` that stops a whole load (no settings, settings that fail to import, …).

A leaf, so the front doors can catch and report a load failure without importing the Django
side (the warm, cached CLI path never imports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class LoadProblem:
    """Something that kept a migration (or the project) from loading, with where it happened."""

    kind: str  # "syntax", "import", "dependency", "cycle", "settings", "database", "decode"
    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None
    app: str | None = None
    migration: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadProblem:
        return cls(**data)


class ProjectLoadError(Exception):
    """The project cannot be loaded at all (no settings, settings that fail to import, …)."""

    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem
