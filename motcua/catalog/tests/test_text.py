import unicodedata

import pytest

from motcua.text import fold, format_vnd


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("xác nhận tình trạng hôn nhân", "xac nhan tinh trang hon nhan"),
        ("Thủ tục 1.001193.", "thu tuc 1.001193"),
        ("  nhiều   khoảng   trắng ", "nhieu khoang trang"),
        ("<b>đất</b> & nhà", "b dat b nha"),
        ("", ""),
    ],
)
def test_fold_removes_diacritics_case_and_punctuation(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_and_composed_text_alike():
    composed = "Nguyễn Thị Hường"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "nguyen thi huong"


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0 đồng"), (8000, "8.000 đồng"), (200000, "200.000 đồng"), (1234567, "1.234.567 đồng")],
)
def test_format_vnd_groups_thousands_with_dots(amount, text):
    assert format_vnd(amount) == text
