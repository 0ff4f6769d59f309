"""The rating section of the citizen's dossier page (dossiers.panels)."""

from motcua.dossiers.models import Status
from motcua.dossiers.satisfaction import SCORE_WORDS

from .services import rating_of


def rating_panel(dossier) -> dict | None:
    """Once the result is delivered: the invitation to rate, or the rating given (asked once)."""
    if dossier.status != Status.RETURNED:
        return None
    rated = rating_of(dossier)
    return {"rating": rated, "rating_words": SCORE_WORDS.get(rated.data.get("score")) if rated else ""}
