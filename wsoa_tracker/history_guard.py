"""History tables are append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.

django-simple-history writes a row for every change; these triggers make sure no code
path, admin screen or raw SQL session can rewrite or remove one. They guard every history
table, the tables of group memberships kept with the accounts' history, and the audit
seals (wsoa_tracker.audit_chain). A migration installs them; a migration that adds a
history table, or alters one (SQLite rebuilds the table and its triggers go with it), must
call `install` again. `tests/test_audit.py` tries every such table, so a forgotten one
fails the suite.

On PostgreSQL the triggers are ENABLE ALWAYS, so `session_replication_role = replica`
does not turn them off, a statement trigger refuses TRUNCATE (row triggers never see it),
and `install` takes UPDATE, DELETE, TRUNCATE, REFERENCES and TRIGGER on these tables away
from every role but the table's owner, whatever default privileges granted. The owner
(which runs the migrations) could still drop a trigger; the app does not run as the owner
(README: Production, Database roles), and the seals' hash chain shows any change made
that way (`manage.py verify_audit`).
"""

MESSAGE = "History is append-only"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;
"""


# Append-only tables that are not simple-history's: the audit seals.
SEAL_MODELS = {("wsoa_tracker", "auditseal")}
# Privileges nobody but a table's owner keeps on an append-only table.
NOT_GRANTED = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def is_history(model):
    """simple_history's history models are the ones with a history_type column."""
    return any(field.name == "history_type" for field in model._meta.concrete_fields)


def is_history_m2m(model):
    """The many-to-many rows simple-history keeps with a history row (m2m_fields)."""
    return any(field.name == "m2m_history_id" for field in model._meta.concrete_fields)


def is_append_only(model):
    meta = model._meta
    return (
        is_history(model)
        or is_history_m2m(model)
        or ((meta.app_label, meta.model_name) in SEAL_MODELS)
    )


def append_only_models(apps):
    return sorted(
        (model for model in apps.get_models() if is_append_only(model)),
        key=lambda model: model._meta.db_table,
    )


def history_tables(apps):
    """Every append-only table: history, kept memberships and seals."""
    return [model._meta.db_table for model in append_only_models(apps)]


def guard_sql(vendor, table):
    if vendor == "postgresql":
        return [
            f'CREATE OR REPLACE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE '
            f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION refuse_history_change()',
            f'ALTER TABLE "{table}" ENABLE ALWAYS TRIGGER "{table}_append_only"',
            f'CREATE OR REPLACE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE '
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()',
            f'ALTER TABLE "{table}" ENABLE ALWAYS TRIGGER "{table}_no_truncate"',
        ]
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_no_{operation.lower()}" '
        f'BEFORE {operation} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} on {table} refused'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def unguard_sql(vendor, table):
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS "{table}_{name}" ON "{table}"'
            for name in ("append_only", "no_truncate")
        ]
    return [f'DROP TRIGGER IF EXISTS "{table}_no_{op}"' for op in ("update", "delete")]


GRANTS_TO_TAKE_BACK = """
SELECT c.relname, r.rolname, a.privilege_type
FROM pg_class c
CROSS JOIN LATERAL aclexplode(c.relacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  AND c.relname = ANY(%s)
  AND a.grantee <> c.relowner
  AND a.privilege_type = ANY(%s)
ORDER BY 1, 2, 3
"""


def take_back_grants(cursor, tables):
    """Only SELECT and INSERT stay granted on append-only tables (a grant to everyone,
    PUBLIC, is the role oid 0, which pg_roles does not name)."""
    cursor.execute(GRANTS_TO_TAKE_BACK, [list(tables), list(NOT_GRANTED)])
    for table, role, privilege in cursor.fetchall():
        grantee = f'"{role}"' if role else "PUBLIC"
        cursor.execute(f'REVOKE {privilege} ON "{table}" FROM {grantee}')


def install(connection, tables):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        for table in tables:
            for statement in guard_sql(connection.vendor, table):
                cursor.execute(statement)
        if connection.vendor == "postgresql":
            take_back_grants(cursor, tables)


def remove(connection, tables):
    with connection.cursor() as cursor:
        for table in tables:
            for statement in unguard_sql(connection.vendor, table):
                cursor.execute(statement)


def install_for_migration(apps, schema_editor):
    install(schema_editor.connection, history_tables(apps))


def remove_for_migration(apps, schema_editor):
    remove(schema_editor.connection, history_tables(apps))


def record_version(connection, apps, excluding=()):
    """The newest history row of each history table of the record: since history is
    append-only, any change to the record (outside `excluding`) gives a new value. One
    cheap query. Accounts are not the record: making or editing one changes nothing."""
    quote = connection.ops.quote_name
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if is_history(model) and model not in excluding and model._meta.app_label != "wsoa_tracker"
    ]
    newest = ", ".join(f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")
        return tuple(cursor.fetchone())
