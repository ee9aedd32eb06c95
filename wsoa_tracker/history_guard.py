"""History tables are append-only: the database itself refuses UPDATE and DELETE on them.

django-simple-history writes a row for every change; these triggers make sure no code
path, admin screen or raw SQL session can rewrite or remove one. They guard every history
table and the tables of group memberships kept with the accounts' history. A migration
installs them; a migration that adds a history table, or alters one (SQLite rebuilds the
table and its triggers go with it), must call `install` again. `tests/test_audit.py` tries
every such table, so a forgotten one fails the suite.
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
        ]
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_no_{operation.lower()}" '
        f'BEFORE {operation} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} on {table} refused'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def unguard_sql(vendor, table):
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"']
    return [f'DROP TRIGGER IF EXISTS "{table}_no_{op}"' for op in ("update", "delete")]


def install(connection, tables):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        for table in tables:
            for statement in guard_sql(connection.vendor, table):
                cursor.execute(statement)


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
    """The newest history row of each history table: since history is append-only, any
    change to the record (outside `excluding`) gives a new value. One cheap query."""
    quote = connection.ops.quote_name
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if is_history(model) and model not in excluding
    ]
    newest = ", ".join(f"(SELECT MAX(history_id) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")
        return tuple(cursor.fetchone())
