"""Throwaway databases for the benchmark: one migrated template, then a fresh copy of it
for each size (history is append-only, so a used database is never emptied: it is
dropped). Every database made here is dropped again, whatever happens.

SQLite: files in a temporary folder, removed at the end. PostgreSQL: databases named
`<prefix>_<pid>_template` and `<prefix>_<pid>_<size>` on the server of DATABASE_URL,
made as that URL's user (which must be allowed to CREATE DATABASE) and dropped at the end.
"""

import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connections


class Throwaway:
    def __init__(self, prefix, pid, folder=None):
        self.connection = connections["default"]
        self.vendor = self.connection.vendor
        self.prefix = f"{prefix}_{pid}"
        self.made = []
        self.folder = Path(folder or tempfile.mkdtemp(prefix=f"{prefix}_"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.server_settings = dict(self.connection.settings_dict)

    # PostgreSQL: statements outside any database of ours.
    def server(self, sql):
        import psycopg2

        settings = self.server_settings
        admin = psycopg2.connect(
            dbname="postgres",
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
        )
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else None
        finally:
            admin.close()

    def name(self, label):
        if self.vendor == "sqlite":
            return str(self.folder / f"{label}.sqlite3")
        return f"{self.prefix}_{label}"

    def use(self, name):
        self.connection.close()
        self.connection.settings_dict["NAME"] = name

    def template(self):
        """Migrated once (guards installed by the migrations, as in production)."""
        name = self.name("template")
        if self.vendor != "sqlite":
            self.made.append(name)
            self.server(f'CREATE DATABASE "{name}"')
        self.use(name)
        call_command("migrate", verbosity=0)
        self.use(name)  # closed, so that it can be copied
        return name

    def fresh(self, label):
        """A new database for one size: a copy of the migrated template."""
        name = self.name(label)
        template = self.name("template")
        self.connection.close()
        if self.vendor == "sqlite":
            shutil.copyfile(template, name)
        else:
            self.made.append(name)
            self.server(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.use(name)
        return name

    def drop(self, name):
        self.connection.close()
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        elif name in self.made:
            self.server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.made.remove(name)

    def drop_all(self):
        self.connection.close()
        for name in list(self.made):
            self.drop(name)
        shutil.rmtree(self.folder, ignore_errors=True)

    def left_behind(self):
        """Databases of this prefix still on the server (for the tests)."""
        if self.vendor == "sqlite":
            return [str(p) for p in self.folder.glob("*")] if self.folder.exists() else []
        rows = self.server(
            f"SELECT datname FROM pg_database WHERE datname LIKE '{self.prefix}\\_%'"
        )
        return [row[0] for row in rows]
