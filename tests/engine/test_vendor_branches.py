"""Operations assigned under ``if connection.vendor == …`` in the class body (wagtail's pattern)
are reported at their call, in the branch Django runs on the project's database."""

from __future__ import annotations

from .conftest import INITIAL

BRANCHES = """\
from django.db import connection, migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    if connection.vendor == "postgresql":
        operations = [
            migrations.RunSQL("SELECT 1", "SELECT 1"),
        ]
    else:
        operations = [
            migrations.RunSQL("SELECT 1", "SELECT 1"),
            migrations.RunSQL("SELECT 2"),
        ]
"""


def test_findings_in_a_vendor_branch_point_at_the_operation(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_branches": BRANCHES}})
    result = cli("lint", str(root), "--no-cache", "--format", "json")
    [finding] = result.migration("shop", "0002_branches")["findings"]
    assert finding["code"] == "RUNSQL_REVERSIBLE"
    assert (finding["operation_index"], finding["line"], finding["column"]) == (1, 14, 13)
