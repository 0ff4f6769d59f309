from django.contrib.auth.backends import ModelBackend
from django.db import router

from . import households
from .models import User
from .phones import normalize_phone
from .signed_in import has_one_statement, signed_in_user


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
        """The signed-in person of a session with their officer row, its agency and body, and their roles,
        in one query (AuthenticationMiddleware asks on every request; `signed_in`). Nothing is cached
        between requests: a role taken away or an account deactivated counts from the very next one."""
        using = router.db_for_read(User)
        if not has_one_statement(using):
            return super().get_user(user_id)
        user = signed_in_user(user_id, using=using)
        return user if user is not None and self.user_can_authenticate(user) else None
