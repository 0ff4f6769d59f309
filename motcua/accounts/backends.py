from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, StringAgg, Subquery, Value

from . import households
from .models import User
from .phones import normalize_phone


def _card_number(text: str) -> str | None:
    """'045 190 012 345' -> '045190012345' when the text is a personal ID number (12 digits)."""
    digits = "".join(text.replace(".", " ").replace("-", " ").split())
    return digits if len(digits) == 12 and digits.isascii() and digits.isdigit() else None


class PhoneOrUsernameBackend(ModelBackend):
    """Citizens sign in with their phone number written any usual way, or with their personal ID number;
    officers with a username.

    A phone may be shared by a household (`households`): the password is checked against each citizen on
    it. One match signs that person in; several (a family that chose one password) raise SeveralPeople,
    and the page asks who is signing in. Officers' accounts are found by username only."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        text = username.strip()
        if card := _card_number(text):
            found = self._of(User.objects.filter(id_number=card).order_by("pk"), password)
            if found is not None:
                return found
        elif (phone := normalize_phone(text)) and not text.isalpha():
            found = self._of(households.holders(phone), password)
            if found is not None:
                return found
        return super().authenticate(request, username=username, password=password, **kwargs)

    def _of(self, people, password: str) -> User | None:
        citizens = [person for person in people if not households.is_officer(person)]
        if not citizens:
            User().set_password(password)  # as long as a wrong password, whether or not the number has one
            return None
        matches = [
            person
            for person in citizens
            if person.check_password(password) and self.user_can_authenticate(person)
        ]
        if len(matches) > 1:
            raise households.SeveralPeople(matches)
        return matches[0] if matches else None

    def get_user(self, user_id):
        """The signed-in person of a session, with their officer row, its body and their roles, in one
        query (AuthenticationMiddleware asks on every request). Nothing is cached between requests: a role
        taken away, an officer removed, a deactivated account count from the very next request."""
        try:
            user = remember_roles(signed_in_users().get(pk=user_id))
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def signed_in_users():
    """Users with `officer` (and its body) joined and `role_names` annotated: `remember_roles` then fills
    `Officer.roles` without a query of its own."""
    roles = (
        User.groups.through.objects.filter(user_id=OuterRef("pk"))
        .order_by()
        .values("user_id")
        .annotate(names=StringAgg("group__name", Value(",")))
        .values("names")
    )
    return User._default_manager.select_related("officer__agency", "officer__body").annotate(role_names=Subquery(roles))


def remember_roles(user):
    """Put the roles read with the user (`signed_in_users`) where `Officer.roles` looks first."""
    officer = getattr(user, "officer", None)
    if officer is not None:
        officer.remember_roles((getattr(user, "role_names", None) or "").split(","))
    return user
