"""`make bench`: search speed over 2,000 generated procedures and the weight of each citizen page.

Runs against a throwaway SQLite database (or BENCH_DATABASE_URL), never the one `make run` uses.
Figures are printed for the README and the closing notes; nothing here is a pass/fail test.
"""

import os
import random
import statistics
import sys
import tempfile
import time

QUERIES = [
    "khai sinh",
    "dang ky khai sinh",
    "làm giấy khai sinh cho con",
    "xin giấy xác nhận độc thân",
    "ket hon",
    "chứng thực bản sao",
    "sao y",
    "thường trú",
    "nhập hộ khẩu",
    "tam tru",
    "khai tử",
    "trợ cấp xã hội",
    "hộ kinh doanh",
    "1.004873",
    "giấy phép xây dựng",
    "cải chính hộ tịch",
    "xyz không có",
]
WORDS = [
    "cấp",
    "đăng",
    "ký",
    "xác",
    "nhận",
    "thay",
    "đổi",
    "gia",
    "hạn",
    "điều",
    "chỉnh",
    "thu",
    "hồi",
    "giấy",
    "phép",
    "chứng",
    "nhận",
    "hỗ",
    "trợ",
    "trợ",
    "cấp",
    "đất",
    "đai",
    "xây",
    "dựng",
    "môi",
    "trường",
    "nông",
    "nghiệp",
    "thủy",
    "sản",
    "giáo",
    "dục",
    "y",
    "tế",
    "văn",
    "hóa",
    "lao",
    "động",
    "việc",
    "làm",
    "người",
    "có",
    "công",
    "bảo",
    "trợ",
    "xã",
    "hội",
    "hộ",
    "kinh",
    "doanh",
    "hợp",
    "tác",
    "xã",
    "tôn",
    "giáo",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "tài",
    "nguyên",
    "nước",
]
FIELDS = ["Đất đai", "Xây dựng", "Nông nghiệp", "Giáo dục", "Y tế", "Văn hóa", "Lao động", "Tôn giáo"]


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(total: int) -> None:
    from motcua.catalog.schemas import FORMAT
    from motcua.catalog.services import import_catalogue
    from motcua.portal.services import CATALOGUE, load_catalogue_file

    load_catalogue_file(CATALOGUE)
    rng = random.Random(2026)
    from motcua.catalog.models import Procedure

    missing = total - Procedure.objects.count()
    procedures = []
    for n in range(missing):
        name = " ".join(rng.sample(WORDS, rng.randint(3, 7))).capitalize()
        procedures.append(
            {
                "code": f"8.{n:06d}",
                "valid_from": "2025-07-01",
                "name": name,
                "field": rng.choice(FIELDS),
                "level": rng.choice(["toan_trinh", "mot_phan", "truc_tiep"]),
                "processing_time": {"kind": "working_days", "value": rng.randint(1, 20)},
                "keywords": [" ".join(rng.sample(WORDS, 3)) for _ in range(3)],
                "popularity": rng.randint(0, 60),
            }
        )
    import_catalogue({"format": FORMAT, "procedures": procedures})


def bench_search() -> None:
    from motcua.catalog import search
    from motcua.catalog.models import Procedure

    search.search("khai sinh")  # builds the in-memory index once, as the first request after a change does
    timings = []
    for _ in range(20):
        for query in QUERIES:
            start = time.perf_counter()
            search.search(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(f"search over {Procedure.objects.current().count():,} procedures, {len(timings)} queries:")
    print(
        f"  median {statistics.median(timings):.2f} ms · p95 {timings[int(len(timings) * 0.95)]:.2f} ms"
        f" · max {timings[-1]:.2f} ms"
    )
    start = time.perf_counter()
    search.build_index(search.timezone.localdate())
    print(f"  index rebuild after a catalogue change: {(time.perf_counter() - start) * 1000:.1f} ms")


def bench_pages() -> None:
    from django.test import Client

    from motcua.portal.models import Article
    from motcua.portal.services import DATA, load_content
    from motcua.weight import page_weight

    load_content(DATA / "demo_content.json")
    client = Client()
    article = Article.objects.first()
    print("page weight, gzip (budget 14,336 B = 14 KB for HTML + CSS + JS):")
    for url in [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/1.001193/",
        "/thu-tuc/1.004873/",
        "/tin-tuc/",
        article.get_absolute_url(),
        "/trang/lien-he/",
    ]:
        w = page_weight(client, url)
        print(
            f"  {url[:40]:<40} html {w['html']:>6,} · css {w['css']:>5,} · js {w['js']:>4,} · "
            f"total {w['total']:>6,} B"
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"))
        from django.conf import settings

        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        generate(2000)
        bench_search()
        bench_pages()
        from motcua.documents.bench import bench as bench_documents

        bench_documents()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
