"""A tamper-evident chain over the history (issue 12, item 3).

Each history row (and each group membership kept with an account's history) gets an
`AuditSeal` in the same transaction: the SHA-256 of the previous seal's digest, the table's
name and a canonical JSON of the row's columns. `verify` recomputes the chain from the
rows as stored and names the first break: a row altered, removed or added without a seal,
or a seal removed or re-ordered. The append-only guards stop changes; the chain shows any
change made by someone who could lift the guards (the tables' owner).

Writers take turns: on PostgreSQL a transaction-scoped advisory lock is held from the
first seal to the commit, so two transactions never seal onto the same head (and the
unique `previous` column refuses it if they did); on SQLite, IMMEDIATE transactions
already let one writer in at a time. This assumes READ COMMITTED, Django's default: each
statement after the lock sees the head committed before it.

The chain proves the rows agree with their seals, not that the newest seals are all
there: note the head digest and count that `verify_audit` prints (a board pack could
carry them) to notice a cut tail.
"""

import datetime
import decimal
import hashlib
import json

from django.apps import apps
from django.db import connections, transaction
from django.dispatch import receiver
from simple_history.signals import (
    post_create_historical_m2m_records,
    post_create_historical_record,
)

from . import history_guard

GENESIS = "0" * 64
LOCK = 0x5753_4F41_0001  # pg_advisory_xact_lock key: "WSOA", the audit chain


class ChainBroken(Exception):
    pass


def plain(field, value):
    """A column's value as JSON, the same whether it comes from the object just saved or
    from the database (dates in ISO form, times in UTC, decimals to their places)."""
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical(model, values):
    """`values`: attname to value, for every concrete column of the row."""
    row = {
        field.column: plain(field, values[field.attname]) for field in model._meta.concrete_fields
    }
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(previous, table, content):
    return hashlib.sha256(f"{previous}\n{table}\n{content}".encode()).hexdigest()


def seal_rows(Seal, model, rows, using):
    """Seal `rows` (saved instances of `model`) onto the head of the chain. Plain SQL: the
    record's loader writes hundreds of history rows at a time."""
    if not rows:
        return
    table = model._meta.db_table
    connection = connections[using]
    quote = connection.ops.quote_name
    seals = quote(Seal._meta.db_table)
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        cursor.execute(f"SELECT digest FROM {seals} ORDER BY id DESC LIMIT 1")
        head = cursor.fetchone()
        previous = head[0] if head else GENESIS
        for row in rows:
            values = {field.attname: getattr(row, field.attname) for field in fields(model)}
            sealed = digest(previous, table, canonical(model, values))
            cursor.execute(
                f"INSERT INTO {seals} ({quote('table')}, row_id, previous, digest) "
                "VALUES (%s, %s, %s, %s)",
                [table, row.pk, previous, sealed],
            )
            previous = sealed


def fields(model):
    return model._meta.concrete_fields


def seal_model():
    return apps.get_model("wsoa_tracker", "AuditSeal")


@receiver(post_create_historical_record)
def seal_history_row(sender, history_instance, using=None, **kwargs):
    seal_rows(seal_model(), sender, [history_instance], history_instance._state.db)


@receiver(post_create_historical_m2m_records)
def seal_kept_memberships(sender, created_rows, history_instance, **kwargs):
    seal_rows(seal_model(), sender, created_rows, history_instance._state.db)


def sealed_models(app_registry):
    return {
        model._meta.db_table: model
        for model in history_guard.append_only_models(app_registry)
        if (model._meta.app_label, model._meta.model_name) not in history_guard.SEAL_MODELS
    }


def verify(app_registry=apps, using="default"):
    """Recompute the chain; return (rows sealed, head digest) or raise ChainBroken naming
    the first break."""
    Seal = app_registry.get_model("wsoa_tracker", "AuditSeal")
    models = sealed_models(app_registry)
    unsealed = {}  # table: {row id: content}, loaded when the chain first reaches it

    def rows_of(table):
        if table not in unsealed:
            model = models[table]
            names = [field.attname for field in fields(model)]
            unsealed[table] = {
                values[model._meta.pk.attname]: canonical(model, values)
                for values in model._base_manager.using(using).values(*names)
            }
        return unsealed[table]

    previous, count = GENESIS, 0
    seals = Seal.objects.using(using).order_by("id")
    for seal in seals.iterator(chunk_size=2000):
        where = f"{seal.table} {seal.row_id} (seal {seal.pk})"
        if seal.previous != previous:
            raise ChainBroken(
                f"The chain is broken at seal {seal.pk} ({seal.table} {seal.row_id}): it does "
                "not follow the seal before it, so a seal was removed, added or re-ordered."
            )
        if seal.table not in models:
            raise ChainBroken(f"{where}: no such history table.")
        content = rows_of(seal.table).pop(seal.row_id, None)
        if content is None:
            raise ChainBroken(f"History row {where} was removed.")
        if digest(previous, seal.table, content) != seal.digest:
            raise ChainBroken(f"History row {where} was altered since it was sealed.")
        previous, count = seal.digest, count + 1
    for table in sorted(models):
        left = rows_of(table)
        if left:
            raise ChainBroken(
                f"History row {table} {min(left)} has no seal: it was added outside the app."
            )
    return count, previous
