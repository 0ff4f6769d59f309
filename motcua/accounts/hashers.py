"""The password hasher: argon2id with OWASP's parameters instead of Django's heavier defaults.

Django's `Argon2PasswordHasher` uses 100 MiB, 2 passes and 8 lanes: about 0.2 s of CPU (all of a 2-core
machine's for that time) for every sign-in and API token. 200 people signing in within ten seconds kept
a 2-core machine busy with nothing else, and every page read meanwhile waited (`make loadtest`, README
"Load and faults"). The OWASP Password Storage Cheat Sheet recommends "Argon2id with a minimum
configuration of 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism"
(https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id), about 21 ms
of CPU here. Same algorithm name ("argon2"): a hash made with other parameters (Django's defaults) still
verifies, and Django re-hashes it with these at that person's next sign-in (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher

__all__ = ["OwaspArgon2PasswordHasher"]


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
