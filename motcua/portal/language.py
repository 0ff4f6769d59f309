"""The footer's language switch, a GET form: it sets the language cookie and goes back to the page.

A GET, not Django's set_language (a POST): choosing the language of the pages one reads changes nothing
anybody else sees, so it needs no CSRF token, and without one the anonymous pages carry no token and set
no csrftoken cookie (every page rendered its own before). It works the same without JavaScript. POSTs keep
their CSRF check everywhere; /i18n/setlang/ stays for links and clients that post to it.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


@require_safe
def switch(request):
    code = request.GET.get("language", "")
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    patch_cache_control(response, private=True, no_store=True)  # the cookie is this visitor's choice
    return response
