"""People who have recorded anything stay in the record: they are deactivated, never deleted.

Deleting them would blank the "who" of their history rows (which the database refuses
anyway, history being append-only) and break the attribution that inspectors rely on.
"""

from django.apps import apps
from django.conf import settings
from django.db.models import PROTECT, ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .history_guard import is_history

REFUSAL = "{user} has changed the record, so the account can be deactivated but not deleted."


def has_changed_the_record(user):
    """Anyone named as "who" in a history row, or by a record that keeps its author
    (ratings and figures recorded, roles held, reminders sent)."""
    in_history = (
        model.objects.filter(history_user=user).exists()
        for model in apps.get_models()
        if is_history(model)
    )
    kept = (
        relation.related_model._base_manager.filter(**{relation.field.name: user}).exists()
        for relation in user._meta.related_objects
        if relation.on_delete is PROTECT
    )
    return any(kept) or any(in_history)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def refuse_to_delete_someone_in_the_record(sender, instance, **kwargs):
    if has_changed_the_record(instance):
        raise ProtectedError(REFUSAL.format(user=instance), {instance})
