"""The selection step on plain values: no Django, no git, no database."""

from __future__ import annotations

import pytest

from django_migration_lsp.config import LintOptions
from django_migration_lsp.selection import (
    Entry,
    Facts,
    SelectionError,
    is_installed_path,
    select,
)

ROOT = "/work/site"


def entry(app: str, name: str, where: str = ROOT, **kwargs: bool) -> Entry:
    return Entry((app, name), f"{where}/{app}/migrations/{name}.py", **kwargs)


ENTRIES = (
    entry("shop", "0001_initial", initial=True),
    entry("shop", "0002_price"),
    entry("shop", "0003_ignored", ignored=True),
    entry("blog", "0001_initial", initial=True),
    entry("auth", "0001_initial", "/venv/lib/python3.11/site-packages/django/contrib"),
    entry("vendored", "0001_initial", f"{ROOT}/.venv/lib/python3.11/site-packages"),
)


def keys(facts: Facts, **options: object) -> list[str]:
    selection = select(facts, LintOptions(**options))  # type: ignore[arg-type]
    return [f"{app}.{name}" for app, name in selection.keys]


def test_installed_apps_are_left_out_unless_asked_for():
    facts = Facts(ENTRIES, ROOT)
    selection = select(facts, LintOptions())
    assert selection.installed_apps == ("auth", "vendored")
    assert {app for app, _ in selection.keys} == {"shop", "blog"}
    assert selection.ignored == {("shop", "0003_ignored")}
    assert "auth.0001_initial" in keys(facts, include_installed_apps=True)
    assert keys(facts, app_label="auth") == ["auth.0001_initial"]
    assert keys(facts, include_apps=["auth", "shop"])[0] == "auth.0001_initial"


def test_installed_path():
    assert is_installed_path("/elsewhere/app/migrations/0001.py", ROOT)
    assert is_installed_path(f"{ROOT}/venv/lib/python3/site-packages/x/migrations/1.py", ROOT)
    assert is_installed_path(f"{ROOT}/debian/dist-packages/x/migrations/1.py", ROOT)
    assert not is_installed_path(f"{ROOT}/shop/migrations/0001_initial.py", ROOT)


def test_new_changed_listed_and_applied_filters():
    new = frozenset({f"{ROOT}/shop/migrations/0002_price.py"})
    assert keys(Facts(ENTRIES, ROOT, new=new)) == ["shop.0002_price"]
    changed = frozenset({f"{ROOT}/blog/migrations/0001_initial.py"})
    assert keys(Facts(ENTRIES, ROOT, changed=changed)) == ["blog.0001_initial"]
    listed = frozenset({("shop", "0001_initial")})
    assert keys(Facts(ENTRIES, ROOT, listed=listed)) == ["shop.0001_initial"]
    applied = frozenset({("shop", "0001_initial"), ("blog", "0001_initial")})
    facts = Facts(ENTRIES, ROOT, applied=applied)
    assert keys(facts, unapplied_migrations=True) == ["shop.0002_price", "shop.0003_ignored"]
    assert keys(facts, applied_migrations=True) == ["blog.0001_initial", "shop.0001_initial"]


def test_editor_targets_waive_the_new_and_installed_filters():
    only = frozenset({("auth", "0001_initial"), ("shop", "0001_initial")})
    facts = Facts(ENTRIES, ROOT, new=frozenset(), only=only)
    assert keys(facts) == ["auth.0001_initial", "shop.0001_initial"]


def test_name_filters():
    facts = Facts(ENTRIES, ROOT)
    assert keys(facts, app_label="shop", migration_name="000") == [
        "shop.0001_initial",
        "shop.0002_price",
        "shop.0003_ignored",
    ]
    assert keys(facts, ignore_initial_migrations=True) == ["shop.0002_price", "shop.0003_ignored"]
    assert keys(facts, exclude_apps=["shop"]) == ["blog.0001_initial"]
    assert keys(facts, include_name_contains="price") == ["shop.0002_price"]
    assert keys(facts, ignore_name=["0001_initial"]) == ["shop.0002_price", "shop.0003_ignored"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"app_label": "shp"}, "app label 'shp' matches nothing; did you mean 'shop'?"),
        ({"include_apps": ["blg"]}, "--include-apps value 'blg' matches nothing; did you mean"),
        ({"app_label": "shop", "migration_name": "0009"}, "of shop '0009' matches nothing"),
    ],
)
def test_names_that_match_nothing_are_errors(options: dict, expected: str):
    with pytest.raises(SelectionError, match=expected.replace("?", r"\?")):
        select(Facts(ENTRIES, ROOT, app_labels=frozenset({"shop", "blog"})), LintOptions(**options))


def test_an_installed_app_without_migrations_is_known():
    facts = Facts(ENTRIES, ROOT, app_labels=frozenset({"sessions"}))
    assert keys(facts, app_label="sessions") == []
