"""What is published, per file: layers of diagnostics merged into one list per URI.

Layers: ``lint`` (the worker's verdict on a migration), ``static`` (what the source alone tells,
while no Django context is had, or a buffer that does not parse), ``checks`` (cross-checks on
models and migrations), ``problem`` (why a project's worker is not ready, on the file to blame).
Each layer belongs to a project root, so a removed workspace folder can take its own away.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from pathlib import Path

from lsprotocol import types

LAYERS = ("problem", "static", "lint", "checks")

Publish = Callable[[str, list[types.Diagnostic]], None]


class DiagnosticsStore:
    def __init__(self, publish: Publish) -> None:
        self._publish = publish
        #: uri -> layer -> (project root, diagnostics)
        self._files: dict[str, dict[str, tuple[Path | None, list[types.Diagnostic]]]] = {}

    def set(
        self, uri: str, layer: str, diagnostics: list[types.Diagnostic], root: Path | None = None
    ) -> None:
        """Replace one layer of one file and publish the file's merged diagnostics."""
        layers = self._files.setdefault(uri, {})
        if diagnostics:
            layers[layer] = (root, list(diagnostics))
        else:
            layers.pop(layer, None)
        self._publish(uri, self.merged(uri))
        if not layers:
            self._files.pop(uri, None)

    def clear(self, uri: str, layer: str) -> None:
        self.set(uri, layer, [])

    def merged(self, uri: str) -> list[types.Diagnostic]:
        layers = self._files.get(uri, {})
        return [d for layer in LAYERS for d in layers.get(layer, (None, []))[1]]

    def layer(self, uri: str, layer: str) -> list[types.Diagnostic]:
        return list(self._files.get(uri, {}).get(layer, (None, []))[1])

    def uris(self, layer: str, root: Path | None = None) -> builtins.set[str]:
        """Files with something in ``layer`` (of project ``root`` when given)."""
        return {
            uri
            for uri, layers in self._files.items()
            if layer in layers and (root is None or layers[layer][0] == root)
        }

    def keep_only(self, layer: str, root: Path, keep: Iterable[str]) -> None:
        """Clear ``layer`` on the files of ``root`` not in ``keep`` (files gone or unselected)."""
        for uri in self.uris(layer, root) - set(keep):
            self.clear(uri, layer)

    def drop_project(self, root: Path) -> None:
        """Every layer a project put anywhere (its workspace folder was removed)."""
        for layer in LAYERS:
            for uri in self.uris(layer, root):
                self.clear(uri, layer)
