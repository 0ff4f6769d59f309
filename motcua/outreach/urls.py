from django.urls import path

from .views import bulletins, campaigns, posters, schedule

app_name = "outreach"
urlpatterns = [
    # for everyone: from the guide of a procedure
    path("thu-tuc/<str:code>/ap-phich.pdf", posters.poster, name="poster"),
    path("thu-tuc/<str:code>/to-roi.pdf", posters.leaflet, name="leaflet"),
    path("su-kien/<slug:slug>/ap-phich.pdf", posters.event_poster, name="event_poster"),
    path("su-kien/<slug:slug>/to-roi.pdf", posters.event_leaflet, name="event_leaflet"),
    path("thu-tuc/<str:code>/loa/", bulletins.bulletin_page, name="bulletin"),
    path("thu-tuc/<str:code>/loa.mp3", bulletins.bulletin_audio, name="bulletin_audio"),
    # the commune's officers
    path("can-bo/ap-phich/", posters.poster_set, name="poster_set"),
    path("can-bo/ap-phich/in.pdf", posters.poster_set_pdf, name="poster_set_pdf"),
    path("can-bo/loa/", bulletins.bulletin_list, name="bulletins"),
    path("can-bo/loa/<str:code>/", bulletins.bulletin_edit, name="bulletin_edit"),
    path("can-bo/loa/<str:code>/tao-am-thanh/", bulletins.bulletin_render, name="bulletin_render"),
    path("can-bo/loa/<str:code>/thu-am/", bulletins.bulletin_recording, name="bulletin_recording"),
    path("can-bo/loa/<str:code>/trang-thai/", bulletins.bulletin_status, name="bulletin_status"),
    path("can-bo/loa/<str:code>/am-thanh.mp3", bulletins.bulletin_office_audio, name="bulletin_office_audio"),
    path("can-bo/lich-phat-loa/", schedule.schedule_page, name="schedule"),
    path("can-bo/lich-phat-loa/<int:pk>/da-phat/", schedule.broadcast_aired, name="broadcast_aired"),
    path("can-bo/lich-phat-loa/<int:pk>/xoa/", schedule.broadcast_cancel, name="broadcast_cancel"),
    # campaigns: the commune's officers; stopping the news, for the citizen, with no sign-in
    path("can-bo/chien-dich/", campaigns.campaign_list, name="campaigns"),
    path("can-bo/chien-dich/moi/", campaigns.campaign_edit, name="campaign_new"),
    path("can-bo/chien-dich/<int:pk>/", campaigns.campaign_page, name="campaign"),
    path("can-bo/chien-dich/<int:pk>/sua/", campaigns.campaign_edit, name="campaign_edit"),
    path("can-bo/chien-dich/<int:pk>/gui-tin/", campaigns.campaign_send, name="campaign_send"),
    path("tu-choi-tin/<str:token>/", campaigns.opt_out, name="opt_out"),
]
