from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Phản ánh, kiến nghị và đánh giá")

    def ready(self):
        from motcua.dossiers.panels import add_panel

        from .panels import rating_panel

        add_panel("feedback/_rating_panel.html", rating_panel)
