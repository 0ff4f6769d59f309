"""Why an action on a dossier did not happen. The API maps them in one place: 403, 409, 422."""


class NotAllowed(Exception):
    """The action is not possible in the dossier's current status, or not for this person (HTTP 409)."""


class Forbidden(NotAllowed):
    """The person may see the dossier but this action is not for their role (HTTP 403)."""


class Invalid(Exception):
    """A required field is missing or wrong (HTTP 422). `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
