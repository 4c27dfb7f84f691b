"""The JSON Schemas (draft 2020-12) of ``lint --format json`` and ``check --format json``.

They ship inside the package: ``schema_path("lint")`` is the file, ``load_schema("lint")`` its
contents. A consumer validates the output with any JSON Schema validator, e.g.
``python -m jsonschema -i out.json "$(python -c 'from django_migration_lsp.schemas import
schema_path; print(schema_path("lint"))')"``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

SchemaName = Literal["lint", "check"]


def schema_path(name: SchemaName) -> Path:
    """The schema file of ``lint`` or ``check`` output, as installed."""
    return Path(str(resources.files(__name__).joinpath(f"{name}.schema.json")))


def load_schema(name: SchemaName) -> dict[str, Any]:
    """The parsed schema of ``lint`` or ``check`` output."""
    return json.loads(schema_path(name).read_text(encoding="utf-8"))
