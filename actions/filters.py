import django_filters

from .models import Action, OwnerRole


class ActionFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        field_name="owners",
        queryset=OwnerRole.objects.filter(actions__isnull=False).distinct().order_by("title"),
        label="Owner role",
        empty_label="All owner roles",
    )

    class Meta:
        model = Action
        fields = ["owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["owner"].widget.attrs["class"] = "govuk-select"
