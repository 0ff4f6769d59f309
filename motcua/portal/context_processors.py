from django.utils.functional import SimpleLazyObject

from motcua.agencies.services import site_agency


def site(request):
    """The commune the portal speaks for, looked up only when a template uses it (and then remembered by the
    process for a few seconds: `site_agency`)."""
    return {"site_agency": SimpleLazyObject(site_agency)}
