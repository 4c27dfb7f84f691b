"""The PostgreSQL fixture starts a real server."""

import pytest


@pytest.mark.postgres
def test_real_server(postgres_server):
    (version,) = postgres_server.query("postgres", "SELECT version()")[0]
    assert version.startswith("PostgreSQL ")
    name = postgres_server.create_database("fixture_check")
    assert postgres_server.query(name, "SELECT current_database()") == [(name,)]
    postgres_server.drop_database(name)
    rows = postgres_server.query(
        "postgres", "SELECT 1 FROM pg_database WHERE datname = 'fixture_check'"
    )
    assert rows == []
