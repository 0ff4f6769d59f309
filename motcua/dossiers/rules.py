"""Filing rules that the filing pages and the API both apply, so that there is one path.

To be folded into services.py (which is being rewritten) — its callers then import it from there.
"""

from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure

from .lifecycle import NotAllowed


def check_online(procedure: Procedure) -> None:
    """A procedure filed only in person (level `truc_tiep`) cannot be filed online: NotAllowed says where."""
    if not procedure.is_online:
        raise NotAllowed(_("Thủ tục này chỉ nộp trực tiếp tại bộ phận một cửa."))
