"""System check: every slip the action catalogue names is a document this app makes."""

from django.core import checks

from motcua.dossiers.actions import ACTIONS

from .content.slips import BUILDERS
from .models import Kind


@checks.register()
def check_slips(app_configs, **kwargs):
    errors = []
    made = {Kind.FEE_RECEIPT, *BUILDERS}
    for action in ACTIONS.values():
        for slip in action.slips:
            if slip not in Kind.values or slip not in made:
                errors.append(
                    checks.Error(
                        f"Action {action.name!r} names the slip {slip!r}, which documents does not make.",
                        id="documents.E001",
                    )
                )
    return errors
