from django.urls import path

from . import views

app_name = "nationalportal"
urlpatterns = [
    path("can-bo/dong-bo/", views.records, name="records"),
    path("can-bo/dong-bo/<int:pk>/gui-lai/", views.resend, name="resend"),
]
