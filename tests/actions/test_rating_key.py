"""The rating key and the flags are printed from their one definition: every tag, legend,
XLSX fill and the families' plain words come from actions.rules.rating_key."""

from django.template import Context, Template

from actions.rules import flags, rating_key


def render(source, **context):
    return Template("{% load board %}" + source).render(Context(context))


def test_each_rating_and_not_rated_has_its_own_tag_and_not_rated_is_not_grey():
    tags = {e.value: render("{% rating_tag value %}", value=e.value) for e in rating_key.KEY}
    assert tags["green"] == '<strong class="govuk-tag govuk-tag--green">Green</strong>'
    assert tags["amber"] == '<strong class="govuk-tag govuk-tag--orange">Amber</strong>'
    not_rated = render("{% rating_tag value %}", value="")
    assert not_rated == '<strong class="govuk-tag app-rating--not-rated">Not rated</strong>'
    assert "govuk-tag--grey" not in not_rated


def test_the_legend_lists_the_whole_key_with_its_meanings():
    legend = render("{% rating_legend %}")
    for entry in rating_key.KEY:
        assert f">{entry.word}</strong> {entry.meaning}</li>" in legend
    assert ">Not rated</strong> no update in the quarter</li>" in legend


def test_flags_keep_their_colours():
    html = render("{% for f in flags %}{% flag_tag f %}{% endfor %}", flags=flags.FLAGS)
    assert 'govuk-tag--blue">Due for update<' in html
    assert 'govuk-tag--red">Overdue<' in html
    assert 'govuk-tag--purple">Stuck<' in html


def test_a_person_is_named_by_full_name_else_username(django_user_model):
    named = django_user_model(username="ann", first_name="Ann", last_name="O'Neill")
    unnamed = django_user_model(username="bob")
    assert render("{{ a|person }} / {{ b|person }}", a=named, b=unnamed) == "Ann O&#x27;Neill / bob"
