"""One phone, several people: who shares a number, how each one is told apart, shown and named.

A household's phone is a way to reach its people, not who they are. Each person has their own account
(their own dossiers, password and sessions) and is told apart by their personal ID number when both
sides have one, otherwise by their name compared without diacritics, case or spacing ('nguyen van an'
is 'Nguyễn Văn An'). At most `settings.PEOPLE_PER_PHONE` people share one number. An officer's number is
never shared: a code alone never opens an officer's account, so such a number gets no code at all.

The first person on a number has it as username, as before; the next ones `<number>.2`, `<number>.3`...
Nobody types those: citizens sign in with their phone (then say who they are) or their ID number.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.agencies.services import agency_for
from motcua.text import fold

from .cccd import describe_cccd
from .models import User

__all__ = [
    "SeveralPeople",
    "find",
    "holders",
    "is_officer",
    "labels",
    "masked_name",
    "people_per_phone",
    "same_person",
    "username_for",
]


class SeveralPeople(Exception):
    """A password (or a code) that opens the accounts of several people sharing one phone: the person
    says which one is theirs ("Bạn là ai?"). Raised only after the password matched: it tells nothing
    to whoever does not know it."""

    def __init__(self, people: list[User]):
        super().__init__("several people")
        self.people = people


def people_per_phone() -> int:
    return int(getattr(settings, "PEOPLE_PER_PHONE", 6))


def is_officer(user: User) -> bool:
    """Officers and administrators: they sign in with their password, never with an SMS code alone."""
    return bool(user.is_staff or user.is_superuser or agency_for(user) is not None)


def holders(e164: str | None) -> list[User]:
    """Every account on a number (E.164), oldest first."""
    if not e164:
        return []
    return list(User.objects.filter(phone=e164).order_by("pk"))


def same_person(user: User, *, full_name: str = "", id_number: str = "") -> bool:
    """Whether `user` is the person with this name and ID number: the ID numbers decide when both are
    known, else the names (folded)."""
    if id_number and user.id_number:
        return user.id_number == id_number
    return bool(fold(full_name)) and fold(user.full_name) == fold(full_name)


def find(people: list[User], *, full_name: str = "", id_number: str = "") -> User | None:
    """The one of `people` who is this person, or None."""
    if id_number:
        for person in people:
            if person.id_number == id_number:
                return person
    for person in people:
        if same_person(person, full_name=full_name, id_number=id_number):
            return person
    return None


def username_for(e164: str, *, exclude: int | None = None) -> str:
    """A free username for one more person on a number: the number itself, else `<number>.2`, ..."""
    taken = set(
        User.objects.filter(Q(username=e164) | Q(username__startswith=f"{e164}."))
        .exclude(pk=exclude)
        .values_list("username", flat=True)
    )
    if e164 not in taken:
        return e164
    n = 2
    while f"{e164}.{n}" in taken:
        n += 1
    return f"{e164}.{n}"


def _birth_year(id_number: str) -> int | None:
    if not id_number:
        return None
    try:
        return describe_cccd(id_number)["birth_year"]
    except ValidationError:
        return None


def masked_name(user: User, *, year: bool = True) -> str:
    """'Nguyễn Văn An' (ID number 045058...) -> 'Nguyễn V… An, sinh 1958': enough for a household to
    pick themselves out, not a whole name shown on a screen others may see."""
    words = user.full_name.split()
    if not words:
        name = _("Người chưa ghi tên")
    elif len(words) == 1:
        name = words[0]
    elif len(words) == 2:
        name = f"{words[0][0]}… {words[1]}"
    else:
        name = " ".join([words[0], *(f"{word[0]}…" for word in words[1:-1]), words[-1]])
    born = _birth_year(user.id_number) if year else None
    return _("%(name)s, sinh %(year)d") % {"name": name, "year": born} if born else name


def labels(people: list[User]) -> list[str]:
    """Each person's masked name; two that read alike are told apart by their order."""
    names = [masked_name(person) for person in people]
    return [
        _("%(name)s (người thứ %(n)d)") % {"name": name, "n": n} if names.count(name) > 1 else name
        for n, name in enumerate(names, start=1)
    ]
