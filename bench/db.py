"""A throwaway database for a benchmark, chosen before Django reads its settings.

SQLite runs on a file under ``var/bench/``; MariaDB/MySQL on a database of its own, created afresh
and dropped afterwards, so a benchmark never touches the sandbox's or the tests' data. The server
is the one ``SLS_DB_HOST``, ``SLS_DB_PORT``, ``SLS_DB_USER`` and ``SLS_DB_PASSWORD`` name (default:
root with an empty password at 127.0.0.1:3306, as ``make mariadb`` sets it up).
"""
import os
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def engine_for(db):
    """``sqlite`` or ``mariadb`` for a ``--db`` choice (``env``: the one ``SLS_DB`` selects)."""
    engine = (os.environ.get("SLS_DB", "sqlite") if db == "env" else db).lower()
    return "mariadb" if engine in ("mariadb", "mysql") else "sqlite"


def throwaway_database(db, name, sqlite_file):
    """Point the settings at an empty database: ``name`` on MariaDB, ``var/bench/<sqlite_file>`` on SQLite.

    Returns ``(description, cleanup)``; ``cleanup()`` closes Django's connections and removes the database.
    """
    if engine_for(db) == "mariadb":
        import MySQLdb  # pylint: disable=import-outside-toplevel

        params = {
            "host": os.environ.get("SLS_DB_HOST", "127.0.0.1"),
            "port": int(os.environ.get("SLS_DB_PORT", "3306")),
            "user": os.environ.get("SLS_DB_USER", "root"),
            "passwd": os.environ.get("SLS_DB_PASSWORD", ""),
        }
        server = MySQLdb.connect(**params)
        cursor = server.cursor()
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        cursor.execute("SELECT VERSION()")
        version = cursor.fetchone()[0]
        server.close()
        os.environ.update({"SLS_DB": "mariadb", "SLS_DB_NAME": name})

        def cleanup():
            from django.db import connections  # pylint: disable=import-outside-toplevel

            connections.close_all()
            drop = MySQLdb.connect(**params)
            drop.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
            drop.close()

        return f"MariaDB/MySQL {version} (database `{name}`)", cleanup

    path = ROOT / "var" / "bench" / sqlite_file
    path.parent.mkdir(parents=True, exist_ok=True)

    def remove():
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()

    remove()
    os.environ.update({"SLS_DB": "sqlite", "SLS_SQLITE_PATH": str(path)})

    def cleanup():
        from django.db import connections  # pylint: disable=import-outside-toplevel

        connections.close_all()
        remove()

    return f"SQLite {sqlite3.sqlite_version} (file `{path.relative_to(ROOT)}`)", cleanup
