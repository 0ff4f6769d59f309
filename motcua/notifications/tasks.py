"""Background work: thin tasks taking ids; the rules are in services.py."""

from django.tasks import task

from . import services


@task()
def deliver(message_id: int) -> str:
    """Send one outbox message; safe to run twice (the message is claimed with a conditional UPDATE)."""
    return services.deliver_message(message_id=message_id)
