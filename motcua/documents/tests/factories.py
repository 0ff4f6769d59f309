"""Dossiers that have every document, filled declarations of any procedure, and hostile text."""

import datetime as dt

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import file_birth, filed_at_counter, sample_form

__all__ = ["file_birth", "filed_at_counter", "sample_form"]  # re-exported for the document tests

# The declarations the issue names: birth, marriage, death, marital status, copy of a civil-status
# extract, certification of copies (signatures have no declaration in the catalogue) and CT01.
DECLARATIONS = ["1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000815", "1.004222"]
SUPPLEMENT_ITEMS = ["Giấy chứng sinh bản chính", "Bản sao Giấy chứng nhận kết hôn của cha mẹ"]
SUPPLEMENT_REASON = "Ảnh chụp giấy chứng sinh bị mờ, không đọc được số."
EXTENSION_REASON = "Cần xác minh thông tin tại nơi đăng ký cũ."
STOP_REASON = "Người yêu cầu đề nghị dừng để bổ sung giấy tờ gốc."
REFUSAL_REASON = "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã."

# Hostile values: markup and quotes, XML-illegal control characters (removed), a 5,000-character
# string, emoji, right-to-left marks and an override, a template tag.
HOSTILE = {
    "markup": "Công ty A & B <Quảng Trị> \"Hưng Thịnh\" 'Phát' </w:t><w:t>",
    # No NUL: PostgreSQL cannot store one, and the forms remove it on the way in (motcua.text.clean_text).
    "controls": "Nguyễn\x07\x08\x0b\x0c\x1b Văn\x1f Ánh",
    "long": ("Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị. " * 112)[:4999] + "!",
    "emoji": "Bé Na 👶🏻 nhà mình 🇻🇳 ❤️",
    "rtl": "Lê\u200f Thị\u200e Hoa \u202eđảo ngược",
    "template": "{{ 7|add:7 }} {% now 'Y' %} ${7*7}",
}
CONTROL_FREE = {**HOSTILE, "controls": "Nguyễn Văn Ánh"}  # what "controls" must print as


def printed(procedure, form: dict) -> list[str]:
    """Every value of `form` as the declaration must print it (dates dd/mm/yyyy, choices by label); for an
    official form, each blank as its line fills it and the form's own sentences."""
    from motcua.documents.content import official_forms

    official = official_forms.official_form(procedure, dt.date.today())
    if official is not None:
        specs = {spec.name: spec for spec in procedure.form_fields.all()}
        form = {k: v.strip() if isinstance(v, str) else v for k, v in form.items()}  # as the form stores it
        out = [line.text.split("}")[-1] for line in official.lines if line.kind == official_forms.SENTENCE]
        for line in official.lines:
            for name, how in line.slots():
                if name not in ("kinh_gui", "signed_place"):
                    out.append(official_forms.value(name, how, form, specs))
        return [value for value in out if value]
    out = []
    names = {spec.name for spec in procedure.form_fields.all()}
    for spec in procedure.form_fields.all():
        value = form.get(spec.name)
        if value is None or spec.name in ("kinh_gui", "signed_place"):
            continue
        base = spec.name.removesuffix("_other")
        if spec.name.endswith("_other") and base in names and form.get(base) != "khac":
            continue  # what "Khác" means, printed only when "Khác" is ticked
        if spec.type == "date":
            day = dt.date.fromisoformat(value)
            out.append(f"{day:%d/%m/%Y}")
        elif spec.type == "choice":
            out.append(next(c["label"] for c in spec.choices if c["value"] == value))
        elif spec.type == "boolean":
            out.append(spec.label)
        else:
            out.append(str(value))
    return out


def with_every_slip(people: dict, agency) -> Dossier:
    """A birth registration received, forwarded, sent back for papers, supplemented, extended, stopped."""
    dossier = file_birth(people["citizen"], agency)
    perform = dossiers.perform
    dossier = perform(dossier, "receive", by=people["desk"])
    dossier = perform(dossier, "forward", by=people["desk"])
    dossier = perform(
        dossier,
        "request_supplement",
        by=people["specialist"],
        note=SUPPLEMENT_REASON,
        data={"items": SUPPLEMENT_ITEMS},
    )
    dossier = perform(dossier, "supplement", by=people["citizen"], note="Đã chụp lại rõ hơn.")
    new_day = dossier.due_at.date() + dt.timedelta(days=7)
    dossier = perform(
        dossier, "extend", by=people["specialist"], note=EXTENSION_REASON, data={"new_due_date": new_day}
    )
    return perform(dossier, "stop", by=people["specialist"], note=STOP_REASON)


def refused(people: dict, agency) -> Dossier:
    dossier = file_birth(people["citizen"], agency)
    return dossiers.perform(dossier, "refuse", by=people["desk"], note=REFUSAL_REASON)
