from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = _("Văn bản, biểu mẫu")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
