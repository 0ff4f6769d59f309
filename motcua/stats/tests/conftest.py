import pytest


@pytest.fixture(autouse=True)
def _live_figures(settings):
    """Each test reads the figures it just made: no lag (the rows of an earlier test are rolled back)."""
    settings.STATS_PUBLIC_LAG = 0
