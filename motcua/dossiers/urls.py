from django.urls import path

from . import filing, views

app_name = "dossiers"
urlpatterns = [
    path("thu-tuc/<str:code>/nop/", filing.start, name="file"),
    path("thu-tuc/<str:code>/nop/buoc/<int:step>/", filing.declaration_step, name="step"),
    path("thu-tuc/<str:code>/nop/giay-to/", filing.papers, name="papers"),
    path("thu-tuc/<str:code>/nop/xem-lai/", filing.review, name="review"),
    path("thu-tuc/<str:code>/nop/xoa/", filing.discard, name="discard"),
    path("thu-tuc/<str:code>/nop/tep/<int:pk>/", views.draft_attachment, name="draft_file"),
    path("ho-so/", views.my_dossiers, name="mine"),
    path("ho-so/nhan/", views.claim, name="claim"),
    path("ho-so/lien-thong/<str:code>/", views.bundle_detail, name="bundle"),
    path("ho-so/<str:code>/", views.dossier_detail, name="detail"),
    path("ho-so/<str:code>/bo-sung/", views.answer_supplement, name="supplement"),
    path("ho-so/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<str:code>/tep/<int:pk>/", views.attachment, name="file_download"),
    path("ho-so/<str:code>/ket-qua/<int:pk>/", views.result_file, name="result_download"),
    path("ho-so/<str:code>/qr.svg", views.qr, name="qr"),
    path("tra-cuu/", views.public_lookup, name="lookup"),
    path("tra-cuu/<str:token>/", views.lookup_by_token, name="lookup_token"),
]
