import pytest


@pytest.fixture
def people(citizen, desk, specialist, leader):
    return {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://dichvucong.vinhlinh.example.vn"
    return settings.SITE_URL
