from django.utils.functional import SimpleLazyObject

from motcua.agencies.services import default_agency


def site(request):
    """The commune the portal speaks for, looked up only when a template uses it."""
    return {"site_agency": SimpleLazyObject(default_agency)}
