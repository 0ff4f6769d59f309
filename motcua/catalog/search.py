"""Forgiving procedure search: no diacritics needed, everyday words understood, best first.

The catalogue is small (tens to a few thousand procedures), so the whole index of the versions in
force lives in memory, keyed by a cheap fingerprint of the table; each query scores only the
procedures that share a word with it.
"""

import bisect
import datetime as dt
import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from motcua.text import fold

from .models import Procedure

MAX_QUERY_CHARS = 200

# Words that carry no meaning in a search for a procedure ("tôi muốn làm giấy khai sinh cho con").
_STOP = (
    "toi em anh chi ong ba muon can lam xin thu tuc o dau the nao nhu sao de va cua la mot cac nhung cho con "
    "minh gi bao nhieu phai tai duoc co khong thi ve voi nay ay huong dan cach nop online"
)
STOP_WORDS = frozenset(_STOP.split())
# Words that match too much to decide on their own ("giấy", "đăng ký", "cấp").
WEAK_WORDS = frozenset(["giay", "dang", "ky", "cap", "ban", "nguoi"])

# Everyday phrases (folded) and the words the catalogue uses for them.
SYNONYMS: dict[str, str] = {
    "doc than": "tinh trang hon nhan",
    "chua ket hon": "tinh trang hon nhan",
    "chua vo": "tinh trang hon nhan",
    "chua chong": "tinh trang hon nhan",
    "ho khau": "thuong tru",
    "nhap khau": "thuong tru",
    "tach khau": "tach ho",
    "sao y": "chung thuc ban sao",
    "cong chung": "chung thuc",
    "photo cong chung": "chung thuc ban sao",
    "chet": "khai tu",
    "mat": "khai tu",
    "qua doi": "khai tu",
    "bao tu": "khai tu",
    "lay vo": "ket hon",
    "lay chong": "ket hon",
    "cuoi": "ket hon",
    # "Làm giấy khai sinh" is registering a birth, not asking for a copy of the certificate.
    "lam giay khai sinh": "dang ky khai sinh",
    "chia thua ke": "phan chia di san",
    "de con": "khai sinh",
    "sinh con": "khai sinh",
    "moi sinh": "khai sinh",
    "em be": "khai sinh",
    "tro cap": "tro cap xa hoi",
    "nguoi gia": "tro cap xa hoi",
    "tan tat": "khuyet tat",
    "buon ban": "ho kinh doanh",
    "mo quan": "ho kinh doanh",
    "kinh doanh": "ho kinh doanh",
    "xay nha": "giay phep xay dung",
    "o tro": "tam tru",
    "thue nha": "tam tru",
    "kt3": "tam tru",
    "di vang": "tam vang",
    "doi ten": "thay doi cai chinh ho tich",
    "sua ten": "thay doi cai chinh ho tich",
    "sai ten": "thay doi cai chinh ho tich",
    "sua ngay sinh": "thay doi cai chinh ho tich",
    "nhan con": "nhan cha me con",
    "ban sao giay khai sinh": "trich luc khai sinh",
    "ban sao khai sinh": "trich luc khai sinh",
}


@dataclass(frozen=True)
class Term:
    word: str
    weight: float
    required: bool = True


@dataclass
class Entry:
    id: int
    code: str
    name: str  # folded
    keywords: list[str]  # folded
    popularity: int


@dataclass
class Index:
    entries: list[Entry]
    in_name: dict[str, set[int]]  # word -> positions of entries whose name has it
    elsewhere: dict[str, set[int]]  # word -> positions whose keywords, field or code have it
    name_vocabulary: list[str]  # sorted name words, for prefixes while the citizen is still typing

    def name_prefix(self, prefix: str) -> set[int]:
        found: set[int] = set()
        start = bisect.bisect_left(self.name_vocabulary, prefix)
        for word in self.name_vocabulary[start:]:
            if not word.startswith(prefix):
                break
            found |= self.in_name[word]
        return found


def parse_query(query: str) -> tuple[list[Term], str]:
    """The query's terms and its folded phrase, with everyday words mapped to catalogue words."""
    folded = fold(query[:MAX_QUERY_CHARS])
    terms: list[Term] = []
    padded = f" {folded} "
    triggered: set[str] = set()
    for phrase, canonical in SYNONYMS.items():
        if f" {phrase} " in padded:
            triggered.update(phrase.split())
            terms.extend(Term(word, 1.0) for word in canonical.split())
    for word in folded.split():
        if word in STOP_WORDS:
            continue
        if word in triggered:
            terms.append(Term(word, 0.5, required=False))
        else:
            terms.append(Term(word, 0.3 if word in WEAK_WORDS else 1.0))
    unique: dict[str, Term] = {}
    for term in terms:
        if term.word not in unique or term.weight > unique[term.word].weight:
            unique[term.word] = term
    phrase = " ".join(w for w in folded.split() if w not in STOP_WORDS)
    return list(unique.values()), phrase


def _phrase_bonus(entry: Entry, phrase: str) -> float:
    if len(phrase) < 4:
        return 0.0
    if phrase in entry.name:
        return 6.0
    return 5.0 if any(phrase in keyword for keyword in entry.keywords) else 0.0


def build_index(on: dt.date) -> Index:
    entries: list[Entry] = []
    in_name: dict[str, set[int]] = {}
    elsewhere: dict[str, set[int]] = {}
    rows = Procedure.objects.current(on).values_list("id", "code", "name", "field", "keywords", "popularity")
    for position, (pk, code, name, field_name, keywords, popularity) in enumerate(rows):
        name_f = fold(name)
        keywords_f = [fold(k) for k in keywords or []]
        entries.append(Entry(pk, code, name_f, keywords_f, popularity))
        for word in name_f.split():
            in_name.setdefault(word, set()).add(position)
        for word in " ".join([*keywords_f, fold(field_name), code]).split():
            elsewhere.setdefault(word, set()).add(position)
    return Index(entries, in_name, elsewhere, sorted(in_name))


_cache: dict[tuple, Index] = {}
_lock = threading.Lock()


def current_index() -> Index:
    today = timezone.localdate()
    stamp = Procedure.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    key = (today, stamp["n"], stamp["last"])
    index = _cache.get(key)
    if index is None:
        index = build_index(today)
        with _lock:
            _cache.clear()
            _cache[key] = index
    return index


def clear_cache() -> None:
    """Forget the index. The fingerprint misses a change that keeps the count and the latest `updated_at`
    (`QuerySet.update()`, a save under frozen time, or a test's rollback of either)."""
    with _lock:
        _cache.clear()


def search(query: str, *, limit: int | None = None) -> list[int]:
    """Ids of the procedures in force that match `query`, best first.

    Each word scores 3 where a name has it, 2 where keywords or the field have it, 1 where a name has a
    word starting with it; a procedure must match at least 60 % of the query's weight, and then gains
    for the whole phrase and for being commonly used. Work grows with the postings, not the catalogue.
    """
    index = current_index()
    terms, phrase = parse_query(query)
    if not terms:
        return []
    score: dict[int, float] = {}
    matched: dict[int, float] = {}
    needed = sum(t.weight for t in terms if t.required)
    for term in terms:
        name_hits = index.in_name.get(term.word, set())
        other_hits = index.elsewhere.get(term.word, set()) - name_hits
        prefix_hits = index.name_prefix(term.word) - name_hits - other_hits if len(term.word) >= 3 else set()
        for hits, points in ((name_hits, 3.0), (other_hits, 2.0), (prefix_hits, 1.0)):
            for position in hits:
                score[position] = score.get(position, 0.0) + points * term.weight
                if term.required:
                    matched[position] = matched.get(position, 0.0) + term.weight
    code = query.strip()
    ranked = []
    for position, points in score.items():
        entry = index.entries[position]
        if entry.code == code:
            points = 100.0
        elif needed and matched.get(position, 0.0) < needed * 0.6:
            continue
        else:
            points += _phrase_bonus(entry, phrase) + entry.popularity / 100
        ranked.append((-points, entry.code, entry.id))
    ranked.sort()
    ids = [pk for _, _, pk in ranked]
    return ids[:limit] if limit else ids
