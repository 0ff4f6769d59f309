"""Keep what a citizen posted when their session had ended in the middle of a form.

The access policy (motcua/accounts/access.py) sends a POST by nobody signed in to the sign-in page before
any view runs, and the answers would be lost. A view that can keep them says so with a
`keep_signed_out_post(request, **kwargs)` attribute (motcua/dossiers/filing.py); this middleware, placed
after the CSRF check and before the policy, calls it, then lets the policy answer as always.
"""


class KeepAnswersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        keep = getattr(view, "keep_signed_out_post", None)
        if keep is not None and request.method == "POST" and not request.user.is_authenticated:
            keep(request, **kwargs)
        return None
