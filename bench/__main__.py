"""`make bench`: search speed over 2,000 procedures, the weight of each citizen page, and the render time
of every document.

Runs against a throwaway SQLite database (or BENCH_DATABASE_URL), never the one `make run` uses.
Figures are printed for the README and the closing notes; nothing here is a pass/fail test.
`python -m bench [search] [pages] [documents]` runs only the parts named.
"""

import sys

from bench.database import throwaway_database

PARTS = ("search", "pages", "documents")


def main(argv: list[str]) -> None:
    unknown = sorted(set(argv) - set(PARTS))
    if unknown:
        sys.exit(f"unknown part {', '.join(unknown)}; the parts are {', '.join(PARTS)}")
    parts = argv or PARTS
    with throwaway_database():
        # These import models, so only once Django is set up.
        from django.conf import settings

        from bench import documents, pages, search

        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        search.generate(2000)  # every part reads the catalogue
        if "search" in parts:
            search.bench()
        if "pages" in parts:
            pages.bench()
        if "documents" in parts:
            documents.bench()
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
