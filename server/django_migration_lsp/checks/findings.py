"""Cross-check findings and the report that carries them (pure, no Django)."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..check_codes import CHECK_CODES


@dataclass
class CheckFinding:
    code: str
    message: str
    app: str | None = None
    migration: str | None = None
    database: str | None = None
    path: str | None = None
    line: int | None = None
    col: int = 0

    @property
    def severity(self) -> str:
        return CHECK_CODES[self.code][0]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity
        return data


@dataclass
class CheckReport:
    project: dict[str, Any]
    findings: list[CheckFinding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def summary(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]}

    def to_json(self) -> dict[str, Any]:
        """The ``check --format json`` document (README, `schemas/check.schema.json`)."""
        return {
            "version": 1,
            "project": self.project,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "message": f.message,
                    "app": f.app,
                    "migration": f.migration,
                    "database": f.database,
                    "path": self._relative(f.path),
                    "line": f.line,
                }
                for f in self.findings
            ],
            "summary": self.summary(),
        }

    def _relative(self, path: str | None) -> str | None:
        if not path:
            return None
        root = self.project.get("root") or ""
        rel = os.path.relpath(path, root) if root else path
        return path if rel.startswith("..") else rel

    def position(self, finding: CheckFinding) -> Any:
        """Where ``finding`` is (``output.Position``), or None when it concerns no file."""
        from ..output import Position

        path = self._relative(finding.path)
        return Position(path, finding.line or 1, finding.col + 1) if path else None

    def to_text(self) -> str:
        lines = []
        for f in self.findings:
            position = self.position(f)
            where = position.text() if position else (f.app or "project")
            lines.append(f"{where}: {f.code} {f.message} [{f.severity}]")
        s = self.summary()
        lines.append(f"*** {s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos ***")
        return "\n".join(lines)

    def to_github(self) -> str:
        from ..output import github_command

        root = self.project.get("root") or ""
        out = []
        for f in self.findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
            position = self.position(f)
            props = position.github(root) if position else {}
            out.append(github_command(level, f.message, **props, title=f.code))
        return "\n".join(out)

    def to_sarif(self) -> dict[str, Any]:
        from ..output import sarif_level, sarif_log
        from ..rules.catalogue import DOCS_ROOT

        codes = sorted({f.code for f in self.findings})
        results = []
        for f in self.findings:
            result: dict[str, Any] = {
                "ruleId": f.code,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
            }
            position = self.position(f)
            if position is not None:
                result["locations"] = [{"physicalLocation": position.sarif(position.path)}]
            results.append(result)
        rules = [
            {
                "id": code,
                "helpUri": f"{DOCS_ROOT}/checks.md",
                "defaultConfiguration": {"level": sarif_level(CHECK_CODES[code][0])},
            }
            for code in codes
        ]
        return sarif_log(rules, results, self.project.get("root"))

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)
