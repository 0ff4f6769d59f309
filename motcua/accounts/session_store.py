"""How long someone stays signed in (SESSION_ENGINE = "motcua.accounts.session_store").

- A citizen: 30 days (SESSION_COOKIE_AGE) after their last visit. Saving the session on every request
  (SESSION_SAVE_EVERY_REQUEST) would write a row per page; instead the store renews a signed-in
  session when it is read and less than 29 days remain: at most one write a day per person, and the
  cookie is sent again with a fresh Max-Age.
- A citizen who ticked "Máy dùng chung" (a relative's phone, a shop's computer), and every officer: the
  cookie has no Max-Age (it ends when the browser closes) and the server forgets the session
  SHORT_SESSION_AGE (8 hours) after its last change — what every session did before.

`signed_in` (the user_logged_in receiver) picks one of the two at each sign-in; a view marks a shared
device with `mark_shared_device(request)` before calling `login`.

The session is read on every signed-in page, by a query compiled once per process (`Prepared`).
"""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from motcua.prepared import Prepared

from .households import is_officer

RENEW_AFTER = dt.timedelta(days=1)
SHARED_DEVICE = "_shared_device"
_UNEXPIRED = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).order_by()[:1],
    key=str,
    now=dt.datetime,
)


class SessionStore(db.SessionStore):
    def get_session_cookie_age(self):
        if self.get("_session_expiry") == 0:  # ends with the browser: an officer's, or a shared device's
            return settings.SHORT_SESSION_AGE
        return settings.SESSION_COOKIE_AGE

    def _get_session_from_db(self):
        """As Django's, in a prepared query (the key is already checked: None for a malformed cookie)."""
        found = _UNEXPIRED.objects(key=self.session_key, now=timezone.now()) if self.session_key else []
        if not found:
            self._session_key = None
            return None
        return found[0]

    def load(self):
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        if data.get("_session_expiry") is None and "_auth_user_id" in data:
            full = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
            if row.expire_date - timezone.now() < full - RENEW_AFTER:
                self.modified = True  # SessionMiddleware saves it: a new expiry, a new cookie
        return data


def mark_shared_device(request, shared: bool) -> None:
    """The person ticked "Máy dùng chung": the next sign-in on this request ends with the browser."""
    setattr(request, SHARED_DEVICE, bool(shared))


def signed_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: a long session for a citizen, a browser-long one for officers and shared devices."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if is_officer(user) or getattr(request, SHARED_DEVICE, False):
        session.set_expiry(0)
    else:
        session.set_expiry(None)
