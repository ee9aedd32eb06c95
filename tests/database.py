import pytest
from django.db import IntegrityError, transaction


def refused(create):
    """The database refuses what `create` writes (a constraint, not Python, says no)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def count_queries(client, url):
    """How many queries a page takes, to compare a small set with a large one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
