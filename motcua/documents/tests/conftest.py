import pytest


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://dichvucong.vinhlinh.example.vn"
    return settings.SITE_URL
