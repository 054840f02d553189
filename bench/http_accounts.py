"""The accounts bench_http.py signs in with: an officer with an API token, a governor, a
regent and locust's users of the four roles, each holding its office, with a second
factor where the office asks for one, and a session cookie made as a login leaves it."""

PASSWORD = "Bench-http-2027!sandi"  # noqa: S105 (benchmark accounts in their own database)


def appoint(username, kind, region=None):
    """The user holding the office, with PASSWORD: hashed once, on the first run (a hash
    costs about a second with Django's iterations, and there are some fifty accounts)."""
    from django.contrib.auth import get_user_model

    from compliance.offices import appoint_official

    existing = get_user_model().objects.filter(username=username).first()
    user, _, _ = appoint_official(
        username=username,
        kind=kind,
        region_code=region,
        email=f"{username}@bench.example",
        password=None if existing and existing.has_usable_password() else PASSWORD,
    )
    return user


def second_factor(user, codes):
    """A confirmed authenticator and `codes` fresh recovery codes (the old ones dropped):
    locust signs in with password and recovery code, as a user without his phone would."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import AUTHENTICATOR, RECOVERY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=True)
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    tokens = [StaticToken(device=static, token=StaticToken.random_token()) for _ in range(codes)]
    StaticToken.objects.bulk_create(tokens)
    return device, [t.token for t in tokens]


def session_cookie(user, device=None):
    """A signed-in session as django.contrib.auth.login (and django_otp.login, for a user
    who gave his second factor) would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def accounts(args):
    """The wrk users (officer, governor of Jambi, regent of Merangin) with their cookies and
    the officer's token; and the locust accounts, written to a JSON file for the
    locustfile: several of each role, with what each visits."""
    from accounts.tokens import issue
    from compliance.models import Province, Regency
    from workflow.models import Assignment, Directive

    officer = appoint("bench-officer", "ministry_officer")
    governor = appoint("bench-governor-15", "governor", "15")
    regent = appoint("bench-regent-15.02", "regent", "15.02")
    device, _ = second_factor(governor, 0)
    _, token = issue(officer, "bench-http", replace=True)
    cookies = {
        "officer": session_cookie(officer),
        "governor": session_cookie(governor, device),
        "regent": session_cookie(regent),
    }
    codes = args.locust_users + 10  # one a sign-in, for every user locust may start
    provinces = list(Province.objects.order_by("code").values_list("code", flat=True))
    regencies = list(Regency.objects.order_by("code").values_list("code", "kind"))
    directives = list(Directive.objects.order_by("id").values_list("id", flat=True)[:50])
    roles = {"officer": [], "director": [], "governor": [], "regent": []}
    for i in range(5):
        roles["officer"].append({"username": appoint(f"bench-officer-{i}", "ministry_officer")})
    for i in range(2):
        user = appoint(f"bench-director-{i}", "ministry_director")
        roles["director"].append({"username": user, "codes": second_factor(user, codes)[1]})
    for code in provinces[::5]:
        user = appoint(f"bench-governor-{code}", "governor", code)
        roles["governor"].append(
            {"username": user, "codes": second_factor(user, codes)[1], "province": code}
        )
    for code, kind in regencies[::17]:
        user = appoint(f"bench-{kind}-{code}", "regent" if kind == "kabupaten" else "mayor", code)
        mine = Assignment.objects.filter(regency__code=code).order_by("due_at", "id")
        roles["regent"].append(
            {
                "username": user,
                "regency": code,
                "assignments": list(mine.values_list("id", flat=True)[:20]),
            }
        )
    for entries in roles.values():
        for entry in entries:
            entry["username"] = entry["username"].username
    scenario = {
        "password": PASSWORD,
        "roles": roles,
        "provinces": provinces,
        "regencies": [code for code, _ in regencies],
        "directives": directives,
        "assignments": list(
            Assignment.objects.order_by("id").values_list("id", flat=True)[:500:10]
        ),
    }
    return cookies, token, scenario
