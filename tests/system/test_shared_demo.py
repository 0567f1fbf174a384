"""The shared read-only demo (tests/shared_demo.py): a test that writes to it fails, one that only
reads passes; the order long modules are handed out in."""

from __future__ import annotations

import pytest
from conftest import TEST_HASHING
from shared_demo import LONG_FIRST, SharedDemo, long_first, use

from carbonpeak.services.users import create_user


def _no_pg() -> None:
    raise AssertionError("SQLite only")


def test_a_write_to_the_shared_demo_fails_the_test(db_templates, tmp_path):
    shared = SharedDemo(db_templates, tmp_path, TEST_HASHING, str, _no_pg)  # its own copy: the session's stays clean
    try:
        reader = use(shared, "sqlite")
        next(reader)
        with pytest.raises(StopIteration):
            next(reader)  # only read: the check passes
        writer = use(shared, "sqlite")
        p = next(writer)
        create_user(p, "intruder", "Zijiang-write-4471", "viewer", "test")
        with pytest.raises(pytest.fail.Exception, match="wrote to it") as failed:
            next(writer)
        assert "users" in str(failed.value)  # names the table and the topic that moved
    finally:
        shared.close()


def test_long_modules_are_handed_out_first():
    class Item:
        def __init__(self, path):
            self.fspath = path

    items = [Item(f"/x/tests/{n}") for n in ("test_a.py", LONG_FIRST[1], "test_b.py", LONG_FIRST[0], "test_a.py")]
    long_first(items)
    assert [i.fspath.rsplit("/", 1)[1] for i in items] == [LONG_FIRST[0], LONG_FIRST[1], "test_a.py", "test_b.py",
                                                          "test_a.py"]
