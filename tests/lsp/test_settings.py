"""Client settings go through the one settings schema (config.structure_settings): a value of
the wrong type or an unknown key is shown to the user and its default applies; valid ones apply."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import codes, copy_example, start, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="function")

DROP = "catalog/migrations/0004_remove_product_legacy_code.py"


async def test_invalid_settings_are_shown_and_their_defaults_apply(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root], excludeApps=5, noSuchSetting=True, requestTimeout="soon")
    await wait_for(lambda: "DROP_COLUMN" in codes(bare, (root / DROP).as_uri()))
    warnings = [m.message for m in bare.messages if m.type == types.MessageType.Warning]
    assert any("excludeApps = 5 is not valid" in m for m in warnings), warnings
    assert any("unknown setting 'noSuchSetting'" in m for m in warnings), warnings
    assert any("requestTimeout = 'soon' is not valid" in m for m in warnings), warnings


async def test_valid_settings_apply(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    # `interpreter` is the VS Code client's own key: neither applied nor reported
    await start(bare, [root], excludeMigrationTests=["NOT_NULL"], interpreter="/usr/bin/x")
    await wait_for(lambda: "DROP_COLUMN" in codes(bare, (root / DROP).as_uri()))
    not_null = (root / "catalog/migrations/0003_product_stock.py").as_uri()
    await wait_for(lambda: not_null in bare.diagnostics)
    assert "NOT_NULL" not in codes(bare, not_null)
    assert not [m for m in bare.messages if m.type == types.MessageType.Warning]
