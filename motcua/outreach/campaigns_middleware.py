"""Counting what a tagged link brings, for every public page: cheap for everyone else.

A request with neither a `kenh` in its query nor the tag cookie passes straight through (no read, no
write). A tagged one keeps its tag in `uptake.current` while the view runs (a dossier filed in it is
counted, `uptake.count_filing`); a GET of a public page from a tagged link counts one visit (one UPSERT)
and remembers the tag in the visitor's browser.
"""

from django.utils.cache import patch_cache_control

from motcua import policy

from . import uptake
from .links import CHANNEL, tag_of


class CampaignTagMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CHANNEL not in request.GET and uptake.COOKIE not in request.COOKIES:
            return self.get_response(request)
        query = uptake.known(tag_of(request.GET))  # one read when it names a campaign
        token = uptake.current.set(query or uptake.tag_for(request))
        try:
            response = self.get_response(request)
        finally:
            uptake.current.reset(token)
        if query is not None and request.method == "GET" and response.status_code < 400 and _public(request):
            uptake.visit(request, response, tag=query)
            patch_cache_control(response, private=True)  # the cookie is this visitor's
        return response


def _public(request) -> bool:
    match = getattr(request, "resolver_match", None)
    rule = policy.rule_for(match.route) if match is not None else None
    return rule is not None and rule.permission == policy.PUBLIC
