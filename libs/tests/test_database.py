"""The database helpers on both engines the project supports: SQLite (embedded run) and PostgreSQL."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from haat.db import UtcDateTime, make_engine, make_session_factory
from haat.messaging import inbox
from haat.messaging.tables import add_messaging_tables


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, databases):
    url = f"sqlite:///{tmp_path / 'test.db'}" if request.param == "sqlite" else databases.create("haat_libs")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_inbox_claims_an_event_once_per_consumer(engine):
    metadata = MetaData()
    _, inbox_table = add_messaging_tables(metadata)
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        assert inbox.claim(session, inbox_table, "orders", "e-1", "t") is True
        session.commit()
    with sessions() as session:
        assert inbox.claim(session, inbox_table, "orders", "e-1", "t") is False
        assert inbox.claim(session, inbox_table, "gateway", "e-1", "t") is True, "another consumer's own claim"
        session.commit()


def test_timestamps_come_back_timezone_aware_utc(engine):
    metadata = MetaData()
    table = Table("moments", metadata, Column("id", Integer, primary_key=True), Column("at", UtcDateTime()))
    metadata.create_all(engine)
    ist = timezone(timedelta(hours=5, minutes=30))
    moment = datetime(2026, 11, 24, 10, 0, tzinfo=ist)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, at=moment))
        stored = conn.scalar(select(table.c.at))
    assert stored == moment
    assert stored.utcoffset() == timedelta(0)
    assert stored.tzinfo is not None
    with pytest.raises(Exception, match="naive datetime"), engine.begin() as conn:
        conn.execute(insert(table).values(id=2, at=datetime(2026, 1, 1)))


def test_sqlite_read_then_write_transactions_wait_their_turn_instead_of_failing(tmp_path):
    """The embedded run's SQLite: concurrent read-modify-write transactions all succeed, none is lost."""
    import threading

    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'counter.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[Exception] = []

    def bump() -> None:
        for _ in range(25):
            try:
                with engine.begin() as conn:
                    n = conn.execute(text("SELECT n FROM counter")).scalar_one()
                    conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
            except Exception as error:  # reported below
                errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 100
    engine.dispose()
    assert errors == []
