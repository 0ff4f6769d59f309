"""Benchmarks and their data generators. Not part of the installed package (pyproject installs `motcua*`).

- `python -m bench` (`make bench`): search speed, page weights and document rendering on a throwaway
  SQLite database; `python -m bench documents` runs one part.
- `python -m bench.dossiers` (`make bench-dossiers`): throughput over 1,000,000 dossiers on PostgreSQL,
  filled by `python -m bench.generate_dossiers`, with `bench.urls` adding a raw-SQL reference endpoint.
- `bench.weight`: what a phone downloads for one page; the page-budget tests use it too.
"""
