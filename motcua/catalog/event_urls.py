"""Life events (sự kiện cuộc sống), mounted at /su-kien/ beside the catalogue they point into."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.life_event_list, name="list"),
    path("<slug:slug>/", views.life_event_detail, name="detail"),
]
