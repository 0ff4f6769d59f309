"""Background work: thin tasks taking ids; the rules are in services.py, where the task is defined so that
the transition's subscriber can enqueue it without a circular import."""

from .services import deliver

__all__ = ["deliver"]
