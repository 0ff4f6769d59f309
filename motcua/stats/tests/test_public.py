"""/thong-ke/, its CSV and XLSX and /api/v1/stats tell the same figures, with the same cells suppressed; bad
queries are refused in Vietnamese; nothing in them names a person."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from bench.weight import page_weight
from motcua.stats import services
from motcua.stats.indicators import INDICATORS

from .helpers import PARTLY, act, at_counter, by_team, finish, online

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=7))
QUERY = "tu=2026-02&den=2026-04"
API = "/api/v1/stats?from=2026-02&to=2026-04"


@pytest.fixture
def figures(catalogue, agency, people, community, settings, tmp_path):
    """March 2026: five dossiers filed online and received, one by the team, one at the counter; four of
    the online ones finished on time; one partly-online."""
    settings.MEDIA_ROOT = tmp_path / "media"
    p = {**people, "community": community}
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZONE), tick=True):
        for _ in range(4):
            finish(act(online(p["citizen"], agency), "receive", p["desk"]), p)
        act(online(p["citizen"], agency, PARTLY), "receive", p["desk"])
        act(by_team(community, agency), "receive", p["desk"])
        at_counter(p["desk"], agency)
    return p


def api(client, query=API):
    response = client.get(query)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_answers_the_indicators_with_small_counts_null(client, figures):
    answer = api(client)
    march = next(p for p in answer["periods"] if p["period"] == "2026-03")["values"]
    assert march["received"] == 7
    assert march["received_online_full"] == 4
    # one each: under 3, null; three of the four channels are hidden, so nothing is derivable
    assert march["received_online_partial"] is None
    assert march["received_community"] is None
    assert march["received_counter"] is None
    assert march["finished"] == 4 and march["finished_on_time"] == 4 and march["finished_late"] == 0
    assert march["on_time_share"] == 100.0
    assert march["online_share"] is None  # 6 of 7: the complement (1 at the counter) would show
    assert answer["now"] == {"open": 3, "overdue": 3}  # received in March, still open today: all past due
    assert [i["key"] for i in answer["indicators"]][:2] == ["received", "received_online_full"]
    on_time = next(i for i in answer["indicators"] if i["key"] == "on_time_share")
    assert "766/QĐ-TTg" in on_time["source"] and "2.1" in on_time["source"]
    assert answer["suppressed_below"] == 3


def test_one_hidden_part_hides_another_so_the_total_does_not_give_it_back():
    values = dict.fromkeys(services.COUNTERS, 0)
    values.update(received_online_full=10, received_online_partial=5, received_counter=2)
    cells = services.present(values)
    assert cells["received"].value == 17
    assert (cells["received_counter"].value, cells["received_counter"].mark) == (None, "<3")
    assert (cells["received_online_partial"].value, cells["received_online_partial"].mark) == (None, "hidden")
    assert cells["received_online_full"].value == 10
    assert cells["received_community"].value == 0
    assert cells["online_share"].value is None  # 15 of 17: the 2 at the counter would show


def test_page_csv_xlsx_and_api_agree(client, figures):
    answer = api(client)
    by_key = {row["period"]: row["values"] for row in answer["periods"]}
    by_key["total"] = answer["total"]

    def shown(value):
        return "<3" if value is None else value

    response = client.get(f"/thong-ke/chi-so.csv?{QUERY}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1:] == [str(i.label) for i in INDICATORS]
    book = load_workbook(io.BytesIO(client.get(f"/thong-ke/chi-so.xlsx?{QUERY}").content))
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    periods = ["2026-02", "2026-03", "2026-04", "total"]
    for n, period in enumerate(periods, start=1):
        want = by_key[period]
        got_csv = dict(zip([i.key for i in INDICATORS], rows[n][1:], strict=True))
        got_xlsx = dict(zip([i.key for i in INDICATORS], sheet[n][1 : len(INDICATORS) + 1], strict=True))
        for indicator in INDICATORS:
            value = want[indicator.key]
            if value is None:  # suppressed (<3), hidden (x), or a share of nothing (–)
                assert got_csv[indicator.key] in ("<3", "x", "–"), (period, indicator.key)
            else:
                assert got_csv[indicator.key] == str(value).replace(".", ","), (period, indicator.key)
            assert got_xlsx[indicator.key] == (got_csv[indicator.key] if value is None else value), (
                period,
                indicator.key,
            )
    page = client.get(f"/thong-ke/?{QUERY}").content.decode()
    # the chart's table: March's received figures as the API gives them
    march = by_key["2026-03"]
    assert (
        f'<th scope="row">2026-03</th><td>{march["received"]}</td><td>{march["received_online_full"]}</td>'
        in page
    )
    assert f"<td>{shown(march['received_online_partial'])}</td>".replace("<3", "&lt;3") in page
    for word in ("Nguyễn Thị Hường", "0912345678", "Trần Văn Ba"):
        assert word not in page and word not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("from=2026-13", "from", "Không có tháng này."),
        ("from=03/2026", "from", "Tháng phải viết dạng NNNN-TT, ví dụ 2026-03."),
        ("from=2020-01&to=2026-01", "to", "Mỗi lần xem không quá 36 tháng."),
        ("from=2026-05&to=2026-01", "to", "Tháng cuối phải sau hoặc trùng tháng đầu."),
        ("agency=000.99.99.H99", "agency", "Không có cơ quan có mã này."),
        ("procedure=9.999999", "procedure", "Không có thủ tục có mã này."),
        ("period=week", "period", "Kỳ phải là month (tháng) hoặc quarter (quý)."),
    ],
)
def test_bad_queries_are_refused_field_by_field_in_vietnamese(
    client, catalogue, agency, query, field, message
):
    response = client.get(f"/api/v1/stats?{query}")
    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["detail"]
    assert client.get(f"/thong-ke/?{query.replace('from', 'tu').replace('period', 'ky')}").status_code in (
        200,
        422,
    )


def test_the_page_refuses_a_bad_month_with_422_and_says_why(client, catalogue, agency):
    response = client.get("/thong-ke/?tu=2026-13")
    assert response.status_code == 422
    assert "Không có tháng này." in response.content.decode()
    assert client.get("/thong-ke/chi-so.csv?tu=2026-13").status_code == 422


def test_quarters_add_their_months(client, figures):
    answer = api(client, "/api/v1/stats?from=2026-01&to=2026-06&period=quarter")
    assert [p["period"] for p in answer["periods"]] == ["2026-Q1", "2026-Q2"]
    assert answer["periods"][0]["values"]["received"] == 7
    assert answer["periods"][1]["values"]["received"] == 0


def test_the_page_draws_its_charts_in_svg_without_script_or_style(client, figures):
    html = client.get(f"/thong-ke/?{QUERY}").content.decode()
    assert html.count('role="img"') == 2 and '<title id="c1-t">' in html
    assert "<script>" not in html and "<style" not in html and " style=" not in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_page_fits_the_budget_in_both_languages(client, figures, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    weight = page_weight(client, "/thong-ke/?tu=2025-05&den=2026-04")
    assert weight["total"] <= 14 * 1024, weight
    page = client.get("/thong-ke/?tu=2025-05&den=2026-04").content.decode()
    assert ("Dossiers received" in page) == (language == "en")


def test_the_public_figures_lag_at_most_the_stated_time_the_officers_never(
    client, catalogue, agency, people, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.STATS_PUBLIC_LAG = 60
    month = timezone.localdate().strftime("%Y-%m")
    query = f"/api/v1/stats?from={month}&to={month}"
    for _ in range(3):
        act(online(people["citizen"], agency), "receive", people["desk"])
    assert api(client, query)["total"]["received"] == 3
    act(online(people["citizen"], agency), "receive", people["desk"])
    assert api(client, query)["total"]["received"] == 3  # within the lag: the report built a moment ago
    client.force_login(people["leader"])
    assert "<td>4</td>" in client.get(f"/can-bo/thong-ke/?tu={month}&den={month}").content.decode()
    cache.clear()  # the lag over
    assert api(client, query)["total"]["received"] == 4
