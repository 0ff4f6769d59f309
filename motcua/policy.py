"""The access policy: who may open which page or API call, written in one table.

Every URL pattern of the site has a rule in `RULES`, keyed by its route as Django joins it
(`can-bo/thanh-toan/`, `api/v1/dossiers/<code>`). A rule names a permission; `GRANTS` says which roles
hold it. One middleware (`motcua.accounts.access.PolicyMiddleware`) applies the rule before any view
runs, so a view never does anything, a POST included, for someone the table turns away:

- nobody signed in: a page sends them to the sign-in page, the API answers 401;
- signed in without the permission: 404, the very answer a page that does not exist gives;
- a route with no rule: 404 for everybody; the system check `policy.E001` and the persona sweep
  (motcua/api/tests/test_policy_sweep.py) fail until it has one.

Inside a permitted route the object decides: a citizen sees only their own dossier, an officer only
what their agency holds (`reaches`; a dossier that is not yours is a 404 like an unknown code). A role
in `ACROSS_AGENCIES` reaches every agency of the deployment, and it is written here rather than
implied: no role has that reach today (a province's officer would).

Every answer about a person is never stored: each route that needs signing in, each open route marked
`personal`, and every page rendered for someone signed in carries `Cache-Control: private, no-store`,
so that the next person on a shared phone cannot bring it back with the Back button.

This module imports no app: roles are plain strings (`agencies.models.Role` gives them their labels).
"""

from dataclasses import dataclass

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

# --- who ---------------------------------------------------------------------------------------------------

ONESTOP = "onestop"  # the one-stop desk (bộ phận một cửa)
SPECIALIST = "specialist"  # chuyên viên
LEADER = "leader"  # lãnh đạo, who signs
ADMIN = "admin"  # the commune's administrator
COMMUNITY = "community"  # a volunteer of the community digital team: files for people, nothing more
PROVINCE = "province"  # a province's officer; not a Role yet, see ACROSS_AGENCIES

DOSSIER_HANDLERS = frozenset({ONESTOP, SPECIALIST, LEADER})  # the roles of the action table
# Roles whose reach is every agency of the deployment, not only their own. Explicit, and empty of real
# roles until a province runs motcua for its communes.
ACROSS_AGENCIES = frozenset({PROVINCE})


@dataclass(frozen=True)
class Subject:
    """Who is asking: signed in or not, their roles, the agency they work for (None for a citizen)."""

    signed_in: bool = False
    roles: frozenset[str] = frozenset()
    agency_id: int | None = None
    staff: bool = False  # Django's is_staff: the Django admin's own test

    @property
    def is_officer(self) -> bool:
        return self.agency_id is not None


ANONYMOUS = Subject()

# --- what -------------------------------------------------------------------------------------------------

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed-in"  # anyone signed in; the view shows only what is theirs (own dossier, own inbox)
ADMIN_SITE = "admin-site"  # the Django admin: staff accounts (set_officer makes the admin role staff)
DOSSIERS = "office.dossiers"  # the agency's queue and one of its dossiers (visible_dossiers decides which)
ACT = "office.act"  # act on a dossier; the action table says which action each role may take
INTAKE = "office.intake"  # file for someone at the counter (desk) or with their consent (community team)
ACCOUNTS = "office.accounts"  # find, verify and restore citizens' accounts at the desk
EXEMPT = "office.exempt"  # record a fee exemption
PAYMENTS = "office.payments"  # bank credits, statements, gateway attempts to check
REFUND = "office.refund"  # record that a fee was given back (the desk handles the money)
OUTBOX = "office.outbox"  # every text and mail the agency sent, with phone numbers
REGISTER = "office.register"  # the dossier register (sổ theo dõi), every dossier of a period
SCAN = "office.scan"  # attach the papers scanned at the counter to a dossier filed there
SYNC = "office.sync"  # the national portal's synchronisation log, and sending a failed record again
POSTERS = "office.posters"  # print a set of posters or leaflets of the catalogue for the notice board
BULLETINS = "office.bulletins"  # write, voice and record loudspeaker bulletins; their schedule and its log
CAMPAIGNS = (
    "office.campaigns"  # the agency's outreach campaigns, their message to citizens, what they brought
)
HELP = "office.help"  # the help requests people sent on /ho-tro/: pick up, call back, visit, file, close
HELP_ASSIGN = "office.help.assign"  # give a help request to a member of the community digital team
TEAM = "office.team"  # the community digital team: its members, the villages they cover, their work
TEAM_MANAGE = "office.team.manage"  # say which villages a member of the community team covers
STATS = "office.stats"  # the agency's indicators with the dossiers behind them, officers' workload, outreach
# Every commune of the deployment side by side (suppressed as on /thong-ke/). A province's officer holds it;
# until the province role exists (ACROSS_AGENCIES), the administrator does, who answers for the figures.
PROVINCE_STATS = "office.province"
FEEDBACK = "office.feedback"  # the agency's complaints and suggestions (phản ánh, kiến nghị): assign, answer

GRANTS: dict[str, frozenset[str]] = {
    # The community team sees in the queue only what it filed (dossiers.services.visible_dossiers); the
    # administrator reads dossiers to help, and acts on none.
    DOSSIERS: DOSSIER_HANDLERS | {ADMIN, COMMUNITY, PROVINCE},
    ACT: DOSSIER_HANDLERS,
    INTAKE: frozenset({ONESTOP, COMMUNITY}),
    ACCOUNTS: frozenset({ONESTOP}),
    EXEMPT: frozenset({ONESTOP}),
    PAYMENTS: frozenset({ONESTOP, LEADER}),
    REFUND: frozenset({ONESTOP}),
    OUTBOX: frozenset({ONESTOP, ADMIN}),
    REGISTER: DOSSIER_HANDLERS | {PROVINCE},
    SCAN: frozenset({ONESTOP}),
    # Whoever answers for the agency's figures on the national portal (Decision 766 indicator 1.4).
    SYNC: frozenset({LEADER, ADMIN}),
    # Outreach is every officer's work: anyone prints the catalogue's posters; the desk, the leader, the
    # administrator and the community team, who run the village meetings and the commune radio, write and
    # air bulletins. Nothing in them is about a person.
    POSTERS: DOSSIER_HANDLERS | {ADMIN, COMMUNITY},
    BULLETINS: frozenset({ONESTOP, LEADER, ADMIN, COMMUNITY}),
    # A campaign may text every citizen who asked for news, on the agency's SMS budget: the desk, the
    # leader and the administrator run them; its report holds counts only.
    CAMPAIGNS: frozenset({ONESTOP, LEADER, ADMIN}),
    # Help on request: the desk and the community team answer people who asked; the leader and the
    # administrator watch the queue. A member of the team sees only their own (`own_work_only`); the desk,
    # the leader and the administrator hand requests out and say who covers which village.
    HELP: frozenset({ONESTOP, LEADER, ADMIN, COMMUNITY}),
    HELP_ASSIGN: frozenset({ONESTOP, LEADER, ADMIN}),
    TEAM: frozenset({ONESTOP, LEADER, ADMIN, COMMUNITY}),
    TEAM_MANAGE: frozenset({ONESTOP, LEADER, ADMIN}),
    # The agency's own figures: every officer who handles dossiers, the administrator, a province's officer;
    # not the community team, which sees only what it filed.
    STATS: DOSSIER_HANDLERS | {ADMIN, PROVINCE},
    PROVINCE_STATS: frozenset({ADMIN, PROVINCE}),
    # Feedback is answered by whoever handles dossiers, the leader who signs for the commune included; the
    # senders' names and phones are in it, so not the community team.
    FEEDBACK: DOSSIER_HANDLERS,
}
# Roles whose holder, holding nothing else, sees only their own work: a volunteer of the community digital
# team reads the help requests given to them, the visits they made and the dossiers they filed, and no one
# else's (another member's request answers 404, like one that does not exist).
OWN_WORK_ONLY = frozenset({COMMUNITY})


@dataclass(frozen=True)
class Rule:
    permission: str
    why: str
    personal: bool = False  # open to all, but the answer is about one person: never stored

    @property
    def private(self) -> bool:
        return self.personal or self.permission != PUBLIC


def public(why: str) -> Rule:
    return Rule(PUBLIC, why)


def personal(why: str) -> Rule:
    return Rule(PUBLIC, why, personal=True)


def signed_in(why: str) -> Rule:
    return Rule(SIGNED_IN, why)


def office(permission: str, why: str) -> Rule:
    assert permission in GRANTS, permission
    return Rule(permission, why)


# --- the table --------------------------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    # The portal: open to all.
    "": public("home"),
    "tin-tuc/": public("news"),
    "tin-tuc/<slug:slug>/": public("one article"),
    "trang/<slug:slug>/": public("a static page"),
    "thu-tuc/": public("the catalogue and its search"),
    "thu-tuc/<str:code>/": public("one procedure's guide"),
    "su-kien/": public("life events: what to do when a baby is born, someone dies, a couple marries..."),
    "su-kien/<slug:slug>/": public("one life event: its procedures in order and the papers to bring"),
    "tra-cuu/": personal("the public lookup: code and the phone's last four digits (or the claim code)"),
    "tra-cuu/<str:token>/": personal("the receipt's QR code: a signed token opens one public status"),
    "ho-so/<str:code>/qr.svg": public("the receipt's QR code: the public lookup link, nothing else"),
    "thu-tuc/<str:code>/ap-phich.pdf": public("a procedure's poster (A4), from the catalogue"),
    "su-kien/<slug:slug>/ap-phich.pdf": public("a life event's poster (A4), from the catalogue"),
    "su-kien/<slug:slug>/to-roi.pdf": public("a life event's leaflet (A5), from the catalogue"),
    "thu-tuc/<str:code>/to-roi.pdf": public("a procedure's leaflet (A5), from the catalogue"),
    "thu-tuc/<str:code>/loa/": public("a procedure's loudspeaker bulletin: its script and its sound"),
    "thu-tuc/<str:code>/loa.mp3": public("the sound of a procedure's loudspeaker bulletin"),
    # Practice filing: open to all; the answers typed are the visitor's own (session only), so never stored.
    "thu-nop/<str:code>/": personal("practice filing: step 1 with sample answers; nothing is stored"),
    "thu-nop/<str:code>/buoc/<int:step>/": personal("one step of a practice run (answers in the session)"),
    "thu-nop/<str:code>/giay-to/": personal("the papers of a practice run, explained; no file is taken"),
    "thu-nop/<str:code>/xem-lai/": personal("the review of a practice run, and “Nộp thử” (POST)"),
    "thu-nop/<str:code>/can-bo-xem/": personal("a practice run's answers as the officer will see them"),
    "thu-nop/<str:code>/giay-hen/": personal("what the receipt of a practice run would look like"),
    "thanh-toan/ket-qua/": personal("where the gateway sends the payer back; shows a signed result"),
    "i18n/setlang/": public("the language switcher"),
    "ngon-ngu/": public("the footer's language switch (GET: sets the language cookie, goes back)"),
    "healthz": public("the load balancer's probe"),
    "readyz": public("monitoring's readiness probe: database, storage, a recent worker; names nobody"),
    "metrics": public("Prometheus; the view answers only its token (METRICS_TOKEN), else 404"),
    # Ways in: open to all, each about one person signing in.
    "dang-nhap/": personal("sign in"),
    "dang-xuat/": personal("sign out (POST)"),
    "dang-xuat/moi-noi/": personal("sign out everywhere (POST; signed out already, it does nothing)"),
    "dang-ky/": personal("registration"),
    "dang-ky/nhap-ma/": personal("the registration code (needs the phone given a step before)"),
    "dang-nhap/ma/": personal("sign in with a code sent by SMS"),
    "dang-nhap/ma/nhap/": personal("the sign-in code (needs the phone given a step before)"),
    "dang-nhap/ban-la-ai/": personal("which person of a shared phone (after its code or password)"),
    "dang-nhap/vneid/": personal("start signing in with VNeID"),
    "dang-nhap/vneid/ve/": personal("VNeID's callback (checks state, nonce and the signed token)"),
    # One's own things: anyone signed in; the view shows only what is theirs, else 404.
    "thu-tuc/<str:code>/nop/": signed_in("file online: step 1, or where the person's own draft stopped"),
    "thu-tuc/<str:code>/nop/buoc/<int:step>/": signed_in("one step of the person's own declaration"),
    "thu-tuc/<str:code>/nop/giay-to/": signed_in("the papers of the person's own draft"),
    "thu-tuc/<str:code>/nop/xem-lai/": signed_in("review and submit the person's own draft"),
    "thu-tuc/<str:code>/nop/xoa/": signed_in("delete the person's own draft (asks first; POST deletes)"),
    "thu-tuc/<str:code>/nop/tep/<int:pk>/": signed_in("a file of the person's own draft"),
    "ho-so/": signed_in("my dossiers"),
    "ho-so/nhan/": signed_in("claim a dossier filed for me"),
    "ho-so/lien-thong/<str:code>/": signed_in("my joined-up filing: every part's status (its citizen only)"),
    "ho-so/<str:code>/": signed_in("my dossier (officers work on /can-bo/ho-so/)"),
    "ho-so/<str:code>/bo-sung/": signed_in("answer a supplement request on my dossier"),
    "ho-so/<str:code>/rut/": signed_in("withdraw my dossier"),
    "ho-so/<str:code>/tep/<int:pk>/": signed_in("a file of a dossier: its citizen, its agency's officers"),
    "ho-so/<str:code>/ket-qua/<int:pk>/": signed_in(
        "a dossier's result file: its citizen (the first download delivers it online), its agency's officers"
    ),
    "ho-so/<str:code>/van-ban/": signed_in("a dossier's documents: its citizen, its agency's officers"),
    "ho-so/<str:code>/van-ban/<slug:kind>.<str:fmt>": signed_in("one document of a dossier, as above"),
    "ho-so/<str:code>/thanh-toan/qr.svg": signed_in("the VietQR of my dossier's fee"),
    "ho-so/<str:code>/thanh-toan/vnpay/": signed_in("pay my dossier's fee by VNPay"),
    "ho-so/<str:code>/thanh-toan/dvcqg/": signed_in("pay my dossier's fee on the national platform"),
    "thong-bao/": signed_in("my messages"),
    "thong-bao/cach-nhan/": signed_in("how I receive messages"),
    # The back office.
    "can-bo/": office(DOSSIERS, "the agency's queue"),
    "can-bo/ho-so/<str:code>/": office(DOSSIERS, "one dossier of the agency"),
    "can-bo/ho-so/<str:code>/xu-ly/<str:action>/": office(ACT, "an action on a dossier of the agency"),
    "can-bo/ho-so/<str:code>/mien-phi/": office(EXEMPT, "a fee exemption"),
    "can-bo/ho-so/<str:code>/sua-to-khai/": office(ACT, "correct the declaration at reception (the desk)"),
    "can-bo/ho-so/<str:code>/tep/": office(SCAN, "attach papers scanned at the counter (POST)"),
    "can-bo/tiep-nhan/": office(INTAKE, "choose the procedure to file for someone"),
    "can-bo/tiep-nhan/<str:procedure_code>/": office(INTAKE, "file for someone"),
    "can-bo/cong-dan/": office(ACCOUNTS, "citizens' accounts at the desk"),
    "can-bo/thanh-toan/": office(PAYMENTS, "bank credits, statements, gateway attempts, refunds to make"),
    "can-bo/thanh-toan/hoan-tra/<int:pk>/": office(REFUND, "record a fee given back (POST)"),
    "can-bo/thanh-toan/bien-lai/<int:pk>/phat-hanh/": office(PAYMENTS, "issue a paid fee's e-receipt again"),
    "can-bo/tin-nhan/": office(OUTBOX, "the agency's outbox"),
    "can-bo/tin-nhan/<int:pk>/gui-lai/": office(OUTBOX, "send a failed message again"),
    "can-bo/so-theo-doi/": office(REGISTER, "the dossier register"),
    "can-bo/dong-bo/": office(SYNC, "the national portal's synchronisation log"),
    "can-bo/dong-bo/<int:pk>/gui-lai/": office(SYNC, "send a failed synchronisation record again"),
    "can-bo/ap-phich/": office(POSTERS, "choose the posters or leaflets to print"),
    "can-bo/ap-phich/in.pdf": office(POSTERS, "the chosen posters or leaflets in one PDF"),
    "can-bo/loa/": office(BULLETINS, "the commune's loudspeaker bulletins"),
    "can-bo/loa/<str:code>/": office(BULLETINS, "write a bulletin, hear it"),
    "can-bo/loa/<str:code>/tao-am-thanh/": office(BULLETINS, "have the worker voice a bulletin (POST)"),
    "can-bo/loa/<str:code>/thu-am/": office(BULLETINS, "upload or remove a bulletin's recording (POST)"),
    "can-bo/loa/<str:code>/trang-thai/": office(BULLETINS, "how far the worker is with a bulletin's sound"),
    "can-bo/loa/<str:code>/am-thanh.mp3": office(BULLETINS, "the sound of the commune's own bulletin"),
    "can-bo/lich-phat-loa/": office(BULLETINS, "the broadcast schedule and its log; villages"),
    "can-bo/lich-phat-loa/<int:pk>/da-phat/": office(BULLETINS, "tick an airing as aired (POST)"),
    "can-bo/lich-phat-loa/<int:pk>/xoa/": office(BULLETINS, "take an airing off the schedule (POST)"),
    "can-bo/chien-dich/": office(CAMPAIGNS, "the agency's outreach campaigns"),
    "can-bo/chien-dich/moi/": office(CAMPAIGNS, "create a campaign"),
    "can-bo/chien-dich/<int:pk>/": office(CAMPAIGNS, "a campaign: its kit, its message, what it brought"),
    "can-bo/chien-dich/<int:pk>/sua/": office(CAMPAIGNS, "edit a campaign"),
    "can-bo/chien-dich/<int:pk>/gui-tin/": office(CAMPAIGNS, "start a campaign's message (POST)"),
    "tu-choi-tin/<str:token>/": personal("stop the commune's news, by the signed link in a campaign message"),
    "ho-tro/": personal("ask for help: name, phone, village, what for; no account needed"),
    "ho-tro/da-gui/": public("a help request was sent: what happens next"),
    "can-bo/ho-tro/": office(HELP, "the help requests: the agency's; a team member's own only"),
    "can-bo/ho-tro/<int:pk>/": office(HELP, "one help request and its history, as above"),
    "can-bo/ho-tro/<int:pk>/nhan/": office(HELP, "pick up a help request: the person gets a text (POST)"),
    "can-bo/ho-tro/<int:pk>/giao/": office(HELP_ASSIGN, "give a help request to a team member (POST)"),
    "can-bo/ho-tro/<int:pk>/ghi/": office(HELP, "record a call back, a visit, a filing on behalf (POST)"),
    "can-bo/ho-tro/<int:pk>/dong/": office(HELP, "close a help request with its outcome (POST)"),
    "can-bo/to-cong-nghe/": office(TEAM, "the community digital team: members, villages, work"),
    "can-bo/to-cong-nghe/<int:pk>/": office(TEAM, "one member's work; a member sees only their own"),
    "can-bo/to-cong-nghe/<int:pk>/thon/": office(TEAM_MANAGE, "the villages a member covers (POST)"),
    # Statistics: public figures count, never name; small counts suppressed everywhere (motcua/stats).
    "thong-ke/": public("the commune's indicators by month, with charts"),
    "thong-ke/chi-so.csv": public("the same indicators as CSV"),
    "thong-ke/chi-so.xlsx": public("the same indicators as XLSX"),
    "can-bo/thong-ke/": office(STATS, "the agency's indicators, workload per officer, outreach's effect"),
    "can-bo/thong-ke/ho-so/<str:kind>/": office(STATS, "the agency's dossiers behind a figure"),
    "can-bo/thong-ke/tinh/": office(PROVINCE_STATS, "every commune's indicators side by side"),
    # Feedback and the satisfaction rating (motcua/feedback).
    "phan-anh/": public("send a complaint or suggestion; the answers published, without personal data"),
    "phan-anh/da-gui/": personal("thanks for feedback just sent: its number, in the sender's session"),
    "phan-anh/xem/<str:key>/": personal("the sender's own feedback and its answer, by the key in their text"),
    "ho-so/<str:code>/danh-gia/": signed_in("rate my delivered dossier, once"),
    "can-bo/ho-so/<str:code>/danh-gia/": office(
        ACT, "the counter tablet: a citizen rates (the desk opens it)"
    ),
    "can-bo/phan-anh/": office(FEEDBACK, "the agency's feedback queue, deadlines, late ones"),
    "can-bo/phan-anh/<int:pk>/": office(FEEDBACK, "one feedback item: assign, answer, publish"),
    "can-bo/phan-anh/<int:pk>/tep/": office(FEEDBACK, "the file a sender attached"),
    # The JSON API: a bearer token, never the session cookie.
    "api/v1/": public("the API's root"),
    "api/v1/openapi.json": public("the API's schema"),
    "api/v1/auth/token": personal("a token for a username and password"),
    "api/v1/auth/otp": personal("send a sign-in or registration code"),
    "api/v1/auth/register": personal("register with a phone and its code"),
    "api/v1/procedures": public("search the catalogue"),
    "api/v1/procedures/<code>": public("one procedure"),
    "api/v1/lookup": personal("the public lookup: code and the phone's last four digits, or claim code"),
    "api/v1/dossiers": signed_in("my dossiers or the agency's queue; file a dossier"),
    "api/v1/dossiers/<code>": signed_in("one dossier: its citizen, its agency's officers"),
    "api/v1/dossiers/<code>/attachments": signed_in("add a file to a dossier, as above"),
    "api/v1/dossiers/<code>/actions/<action>": signed_in("act on a dossier; the action table decides"),
    "api/v1/dossiers/<code>/results": signed_in("attach a result file; the action table decides"),
    "api/v1/dossiers/<code>/results/<pk>": signed_in(
        "a dossier's result file: its citizen (the first download delivers it online), its agency's officers"
    ),
    "api/v1/dossiers/<code>/payment": signed_in("a dossier's fee and how to pay it"),
    "api/v1/dossiers/<code>/payment/vnpay": signed_in("start paying a dossier's fee by VNPay"),
    "api/v1/dossiers/<code>/documents": signed_in("a dossier's documents"),
    "api/v1/dossiers/<code>/documents/<kind>.<fmt>": signed_in("one document of a dossier"),
    "api/v1/notifications": signed_in("my messages"),
    "api/v1/stats": public("the public indicators as JSON, small counts suppressed"),
    "api/v1/notifications/receipts/esms/<message_id>/<signature>": public("eSMS's delivery report, signed"),
    "api/v1/payments/vnpay/ipn": public("VNPay's server-to-server callback, signed"),
    "api/v1/payments/bank": public("the bank's credit webhook, HMAC-signed"),
    "api/v1/payments/sepay": public(
        "SePay's credit notice, authenticated by its API key (no cookie, no CSRF)"
    ),
    "api/v1/payments/casso": public("Casso's credit notice, authenticated by its HMAC signature (no CSRF)"),
    # The demonstration only: mounted with DEMO=1 (motcua/urls.py), refused otherwise.
    "thu-nghiem/vnpay/paymentv2/vpcpay.html": public("VNPay's stand-in page for demonstrations"),
    # The Django admin: its own login page, and staff only past it.
    "quan-tri/login/": personal("the Django admin's sign-in page"),
}
# Every other route under these prefixes (the Django admin generates one set per model).
PREFIX_RULES: dict[str, Rule] = {
    "quan-tri/": Rule(ADMIN_SITE, "the Django admin: staff only, then Django's model permissions"),
}


def rule_for(route: str) -> Rule | None:
    """The rule of a route (`request.resolver_match.route`); None when the table has no entry."""
    rule = RULES.get(route)
    if rule is None:
        rule = next((r for prefix, r in PREFIX_RULES.items() if route.startswith(prefix)), None)
    return rule


def declare(route: str, rule: Rule) -> None:
    """Add the rule of a route that lives outside motcua (the benchmark's reference endpoint)."""
    if RULES.get(route, rule) != rule:
        raise ValueError(f"{route!r} already has another rule")
    RULES[route] = rule


# --- the answer -------------------------------------------------------------------------------------------


def spans_agencies(roles) -> bool:
    return bool(set(roles) & ACROSS_AGENCIES)


def reaches(who: Subject, agency_id: int) -> bool:
    """An officer acts on their own agency's dossiers and citizens; ACROSS_AGENCIES roles on any."""
    return who.agency_id == agency_id or spans_agencies(who.roles)


def own_work_only(roles) -> bool:
    """Whether someone holding `roles` sees only their own work (OWN_WORK_ONLY and nothing more)."""
    roles = set(roles)
    return bool(roles) and roles <= OWN_WORK_ONLY


def allows(who: Subject, permission: str, *, agency_id: int | None = None) -> bool:
    """May `who` do `permission` — on an object of `agency_id`, when given? Unknown permissions: no."""
    if permission == PUBLIC:
        return True
    if not who.signed_in:
        return False
    if permission == SIGNED_IN:
        return True
    if permission == ADMIN_SITE:
        return who.staff
    if not who.roles & GRANTS.get(permission, frozenset()):
        return False
    return agency_id is None or reaches(who, agency_id)


# --- the table covers the site ----------------------------------------------------------------------------


def routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the URLconf, joined as `request.resolver_match.route` names it."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def check_routes(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check policy.E001: a route the table does not name would answer 404 to everyone."""
    return [
        checks.Error(
            f"The route {route!r} has no access rule.",
            hint="Add it to RULES in motcua/policy.py: who may open it, and why.",
            id="policy.E001",
        )
        for route in dict.fromkeys(routes())
        if rule_for(route) is None
    ]
