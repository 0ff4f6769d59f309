"""Template tags of the ways in."""

from django import template

from ..vneid import vneid_config

register = template.Library()


@register.simple_tag
def vneid_offered() -> bool:
    """Whether VNeID sign-in is set up here: the button is shown only then (else it leads to an error)."""
    return vneid_config() is not None
