"""The board's vocabulary in templates: a rating's tag (word and colour from the one
rating key), the key itself as a legend, a grid row's cells, a row of the actions list, a
flag's tag, and a person's name."""

from functools import cache, lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from actions.rules import on_track, rating_key

register = template.Library()


@register.simple_tag
def rating_tag(value, label=None):
    """A rating word ('green', ...; '' or None for not rated) as its GOV.UK tag."""
    entry = rating_key.entry(value)
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', entry.tag_class, label or entry.word
    )


@register.simple_tag
def grid_cells(cells):
    """A grid row's quarters as table cells: each the accepted rating as its word and colour
    ("Not rated" looks nothing like Grey), the officer's where the board's differs, and any
    update awaiting approval. Built in Python, not a template include per cell: a 10x grid
    has 14,000 cells, and a cell depends only on its three words."""
    return mark_safe(
        "".join(cell_html(c.rating, c.officer_rating, c.pending_rating) for c in cells)
    )


@register.simple_tag(takes_context=True)
def grid_row(context, row, links=False):
    """A grid row: its action (linked on the page, plain in the pack), the warning signs
    raised for it and the measures behind a "Green while off track", then its cells. In
    Python for the same reason as its cells: a 10x grid has 700 rows, so the link to an
    action's page is reversed once a render, not once a row, and a sign's note is written
    once, not once a row."""
    action = row.action
    code = conditional_escape(action.code)
    if links:
        url = detail_url(context.render_context, action.pk)
        code = f'<a class="govuk-link" href="{conditional_escape(url)}">{code}</a>'
    notes = []
    green = bool(row.warnings) and row.latest.rating == "green"
    if green:
        notes.extend(
            format_html(
                '<br><strong class="govuk-tag govuk-tag--red">Green, but {} is off track</strong>',
                measure.name,
            )
            for measure in row.measures_off_track()
        )
    notes.extend(
        warning_note(sign.title)
        for sign in row.warnings
        if sign.key != "green_measure_off_track" or not green
    )
    text = conditional_escape(Truncator(action.text).words(12, truncate=" …"))
    return mark_safe(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header '
        f'app-grid__action">{code} {text}{"".join(notes)}</th>{grid_cells(row.cells)}</tr>'
    )


@register.simple_tag(takes_context=True)
def action_row(context, row):
    """A row of the actions list: the action (linked, its text cut at 18 words), the links
    to correct or approve its updates, its latest update's rating and month, and its flags.
    In Python, like the grid's rows: a page has 50, and a template's row costs five times
    as much."""
    action, latest = row["action"], row["latest"]
    code = conditional_escape(action.code)
    text = conditional_escape(Truncator(action.text).words(18, truncate=" …"))
    url = conditional_escape(detail_url(context.render_context, action.pk))
    links = [
        row_link(route, words, code, rating)
        for route, words, ratings in (
            ("actions:rating-correct", "Correct and resubmit", row["to_correct"]),
            ("actions:rating-approve", "Approve or return", row["to_approve"]),
        )
        for rating in ratings
    ]
    todo = f'<ul class="govuk-list app-row-actions">{"".join(links)}</ul>' if links else ""
    note = ""
    if latest is not None and latest.awaiting_approval:
        note = '<span class="app-cell__note">Awaiting approval</span>'
    elif latest is not None and latest.returned:
        note = '<span class="app-cell__note app-cell__note--pending">Returned</span>'
    month = conditional_escape(date_filter(latest.month, "F Y")) if latest else "None"
    return mark_safe(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link" href="{url}">{code} {text}</a>{todo}</th>'
        f'<td class="govuk-table__cell" data-label="Latest rating">'
        f"{rating_tag(latest.rating if latest else '')}{note}</td>"
        f'<td class="govuk-table__cell" data-label="Last update">{month}</td>'
        '<td class="govuk-table__cell app-flags" data-label="Flags">'
        f"{flags_cell(row['flags'], row['record_note'])}</td></tr>"
    )


def row_link(route, words, code, rating):
    month = rating.month
    return format_html(
        '<li><a class="govuk-link" href="{}">{} <span class="govuk-visually-hidden">the update '
        "to {} for </span>{}</a></li>",
        reverse(route, args=[rating.action_id, month.year, month.month]),
        words,
        code,
        date_filter(month, "F Y"),
    )


@cache  # one for each of the six signs
def warning_note(title):
    return format_html(
        '<br><strong class="govuk-tag govuk-tag--yellow app-warning">Warning: {}</strong>', title
    )


def detail_url(render_context, pk):
    """Action.get_absolute_url() for `pk`, from the pattern reversed once per render."""
    pattern = render_context.get("action_detail_url")
    if pattern is None:
        pattern = reverse("actions:detail", args=[0]).removesuffix("/0/") + "/{}/"
        render_context["action_detail_url"] = pattern
    return pattern.format(pk)


@lru_cache(maxsize=128)
def cell_html(rating, officer_rating, pending_rating):
    officer = rating_key.entry(officer_rating).word if officer_rating else ""
    pending = rating_key.entry(pending_rating).word if pending_rating else ""
    return format_html(
        '<td class="govuk-table__cell">{}{}{}</td>',
        rating_tag(rating),
        format_html('<span class="app-cell__note">Board\'s rating; officer: {}</span>', officer)
        if officer
        else "",
        format_html(
            '<span class="app-cell__note app-cell__note--pending">Awaiting approval: {}</span>',
            pending,
        )
        if pending
        else "",
    )


@register.simple_tag
def rating_legend(meaning_of_not_rated="no update in the quarter"):
    """The rating key as a list: each tag and its meaning in the plan."""
    items = format_html_join(
        "\n",
        '<li><strong class="govuk-tag {}">{}</strong> {}</li>',
        ((e.tag_class, e.word, e.meaning) for e in rating_key.KEY),
    )
    return format_html(
        '<ul class="govuk-list govuk-body-s app-rating-key">\n{}\n<li><strong class="govuk-tag '
        '{}">{}</strong> {}</li>\n</ul>',
        items,
        rating_key.NOT_RATED_ENTRY.tag_class,
        rating_key.NOT_RATED_ENTRY.word,
        meaning_of_not_rated,
    )


@register.simple_tag
def rating_tag_styles():
    """CSS for the tags in the PDF board pack (WeasyPrint has no GOV.UK stylesheet)."""
    return format_html_join(
        "\n",
        "  .{} {{ background: #{}; color: #{}; }}",
        ((e.tag_class, e.fill, e.ink) for e in rating_key.KEY),
    )


@register.simple_tag
def flag_tag(flag):
    return format_html('<strong class="govuk-tag {}">{}</strong>', flag.tag_class, flag.title)


@register.simple_tag
def flags_cell(flags, record_note=""):
    """An action's flags as tags, "None" if none is raised, or instead the note of a plan
    that is a record (which raises no flags). A tag, not an include: the actions list has
    one a row."""
    if record_note:
        return conditional_escape(record_note)
    return format_html_join("", "{}", ((flag_tag(flag),) for flag in flags)) or "None"


@register.filter
def person(user):
    """A person as the pages name them: their full name, else their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def on_track_rule():
    """The rule that says whether a measure is on track, as the measures pages print it."""
    return on_track.RULE
