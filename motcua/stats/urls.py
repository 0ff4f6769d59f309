from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("thong-ke/", views.public, name="public"),
    path("thong-ke/chi-so.csv", views.export_csv, name="csv"),
    path("thong-ke/chi-so.xlsx", views.export_xlsx, name="xlsx"),
    path("can-bo/thong-ke/", views.office, name="office"),
    path("can-bo/thong-ke/tinh/", views.province, name="province"),
    path("can-bo/thong-ke/ho-so/<str:kind>/", views.dossiers, name="dossiers"),
]
