import pytest
from django.db import IntegrityError, transaction


def refused(create):
    """The database refuses what `create` writes (a constraint, not Python, says no)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()
