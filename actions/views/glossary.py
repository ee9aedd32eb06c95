"""The glossary of the board's words, in plain English, for anyone (no sign-in: it holds no
personal data); the rating key is printed from its one home, rules.rating_key."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actions.rules import rating_key


@login_not_required
@require_safe
def glossary(request):
    return render(
        request,
        "actions/glossary.html",
        {"key": rating_key.KEY, "not_rated": rating_key.NOT_RATED_ENTRY},
    )
