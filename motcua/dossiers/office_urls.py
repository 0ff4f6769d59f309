from django.urls import path

from motcua.accounts import desk_views

from . import office

app_name = "office"
urlpatterns = [
    path("", office.queue, name="queue"),
    path("ho-so/<str:code>/", office.dossier, name="dossier"),
    path("ho-so/<str:code>/xu-ly/<str:action>/", office.act, name="act"),
    path("ho-so/<str:code>/sua-to-khai/", office.correct, name="correct"),
    path("ho-so/<str:code>/tep/", office.scan, name="scan"),
    path("tiep-nhan/", office.intake_start, name="intake_start"),
    path("cong-dan/", desk_views.citizens, name="citizens"),
    path("tiep-nhan/<str:procedure_code>/", office.intake, name="intake"),
]
