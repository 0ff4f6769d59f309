"""What a citizen rates once their result is delivered (the action `rate`, status 10), and the cleaners of it.

The criteria are those a person can judge from their own dossier among the indices the national public
service portal scores a dossier's handling on: Nghị định 61/2018/NĐ-CP, Điều 33 (the criteria for assessing
how an administrative procedure was handled), set out as nine indices in the "Bảng đánh giá việc giải quyết
thủ tục hành chính" of Thông tư 01/2018/TT-VPCP (the form one-stop software and the national portal keep per
dossier). Left out: index 2 (the time each body took: inside the administration, the citizen cannot see
it) and index 8 (how feedback was taken up: asked of a feedback item, not a dossier). The portal's
overall satisfaction (Không hài lòng / Hài lòng / Rất hài lòng) feeds Decision 766/QĐ-TTg's satisfaction
group (group 5); here it is a 1-5 score, kept as given, and `portal_level` maps it to the portal's three.

Each criterion is optional (an elderly person at the counter may answer only the overall score); the
overall score is required. Stored in the event as {"score": 1-5, "criteria": {slug: 1-5}, "comment": bool}.
"""

from django.utils.translation import gettext, gettext_lazy

SCORES = (1, 2, 3, 4, 5)
SCORE_WORDS = {
    1: gettext_lazy("Rất không hài lòng"),
    2: gettext_lazy("Không hài lòng"),
    3: gettext_lazy("Bình thường"),
    4: gettext_lazy("Hài lòng"),
    5: gettext_lazy("Rất hài lòng"),
}
# slug -> (the index of Thông tư 01/2018/TT-VPCP's table, the question as the citizen reads it)
CRITERIA = {
    "thoi_gian": (1, gettext_lazy("Thời gian giải quyết so với thời hạn quy định")),
    "so_lan_lien_he": (3, gettext_lazy("Số lần phải liên hệ để hoàn thiện hồ sơ")),
    "so_co_quan": (4, gettext_lazy("Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ")),
    "mot_cua": (5, gettext_lazy("Tiếp nhận, giải quyết, trả kết quả tại bộ phận một cửa")),
    "cong_khai": (6, gettext_lazy("Thủ tục được công khai đầy đủ, dễ hiểu")),
    "thai_do": (7, gettext_lazy("Thái độ của cán bộ khi hướng dẫn, tiếp nhận, giải quyết")),
    "truc_tuyen": (9, gettext_lazy("Tiến độ và chất lượng dịch vụ công trực tuyến")),
}
MAX_COMMENT = 1000


class BadRating(ValueError):
    """A score or criterion out of range; its message is for the person."""


def score_of(value) -> int:
    """1-5 from an int or its text; BadRating otherwise."""
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        score = 0
    if score not in SCORES:
        raise BadRating(gettext("Chọn mức hài lòng từ 1 đến 5."))
    return score


def criteria_of(value) -> dict[str, int]:
    """The criteria answered, {slug: 1-5}, in the table's order; unanswered ones left out."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise BadRating(gettext("Các tiêu chí đánh giá gửi lên không đúng dạng."))
    unknown = set(value) - set(CRITERIA)
    if unknown:
        raise BadRating(gettext("Có tiêu chí đánh giá không có trong danh sách."))
    answered = {}
    for slug in CRITERIA:
        given = value.get(slug)
        if given in (None, ""):
            continue
        try:
            answered[slug] = score_of(given)
        except BadRating:
            raise BadRating(
                gettext("“%(criterion)s”: chọn mức từ 1 đến 5.") % {"criterion": CRITERIA[slug][1]}
            ) from None
    return answered


def portal_level(score: int) -> str:
    """The national portal's three levels: 1-2 not satisfied, 3-4 satisfied, 5 very satisfied."""
    return "khong_hai_long" if score <= 2 else "hai_long" if score <= 4 else "rat_hai_long"
