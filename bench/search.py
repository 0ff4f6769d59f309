"""Search speed over the real catalogue padded with generated procedures (aim: median <= 5 ms).

Import once Django is set up (`bench.database`).
"""

import random
import statistics
import time

from django.utils import timezone

from motcua.catalog import search as search_engine
from motcua.catalog.models import Procedure
from motcua.catalog.schemas import FORMAT
from motcua.catalog.services import import_catalogue
from motcua.portal.services import CATALOGUE, load_catalogue_file

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


def generate(total: int) -> None:
    """The real catalogue, then generated procedures until there are `total`."""
    load_catalogue_file(CATALOGUE)
    rng = random.Random(2026)
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


def bench() -> None:
    # The first search builds the in-memory index, as the first request after a catalogue change does.
    search_engine.search("khai sinh")
    timings = []
    for _ in range(20):
        for query in QUERIES:
            start = time.perf_counter()
            search_engine.search(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(f"search over {Procedure.objects.current().count():,} procedures, {len(timings)} queries:")
    print(
        f"  median {statistics.median(timings):.2f} ms · p95 {timings[int(len(timings) * 0.95)]:.2f} ms"
        f" · max {timings[-1]:.2f} ms"
    )
    start = time.perf_counter()
    search_engine.build_index(timezone.localdate())
    print(f"  index rebuild after a catalogue change: {(time.perf_counter() - start) * 1000:.1f} ms")
