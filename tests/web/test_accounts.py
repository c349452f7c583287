"""Accounts: sign-up/in/out, argon2 hashes, cookies, CSRF, expired sessions, API tokens, serve CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from webkit import PASSWORD, api_token, csrf_of, new_client, sign_up


def test_sign_up_sets_secure_session_and_stores_argon2_hash(app, client):
    r = sign_up(client, "Ann@Example.com")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "liftsafe_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    from liftsafe.store.web_models import UserRow

    with app.state.store.transaction() as s:
        row = s.scalars(select(UserRow)).one()
    assert (
        row.email == "ann@example.com"
        and row.password_hash.startswith("$argon2id$")
        and PASSWORD not in row.password_hash
    )
    page = client.get("/analyses")
    assert page.status_code == 200 and "ann@example.com" in page.text


def test_session_cookie_is_secure_over_https(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as c:
        r = sign_up(c, "tls@example.com")
    assert "secure" in r.headers["set-cookie"].lower()


def test_sign_in_wrong_password_and_duplicate_sign_up(app, client):
    sign_up(client, "ann@example.com")
    with new_client(app) as c2:
        r = c2.post(
            "/signin",
            data={"email": "ann@example.com", "password": "wrong password!", "csrf_token": csrf_of(c2)},
        )
        assert r.status_code == 400 and "wrong e-mail or password" in r.text
        r = sign_up(c2, "ann@example.com")
        assert r.status_code == 400 and "cannot be used for a new account" in r.text
        r = c2.post(
            "/signin",
            data={
                "email": "ann@example.com",
                "password": PASSWORD,
                "csrf_token": csrf_of(c2),
                "next": "/account",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == "/account"


def test_short_password_and_bad_role_rejected(client):
    r = client.post(
        "/signup", data={"email": "x@example.com", "password": "short", "csrf_token": csrf_of(client)}
    )
    assert r.status_code == 400 and "at least 10 characters" in r.text
    r = client.post(
        "/signup",
        data={"email": "x@example.com", "password": PASSWORD, "role": "root", "csrf_token": csrf_of(client)},
    )
    assert r.status_code == 400 and "role must be one of" in r.text


def test_csrf_missing_or_wrong_is_rejected(lifter):
    r = lifter.post("/account/tokens", data={"name": "x"})
    assert r.status_code == 403 and "CSRF check failed" in r.text
    r = lifter.post("/account/tokens", data={"name": "x", "csrf_token": "forged"})
    assert r.status_code == 403
    r = lifter.post("/signout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert lifter.get("/account").status_code == 200  # still signed in


def test_signed_out_and_expired_sessions_redirect_to_sign_in(app, lifter):
    r = lifter.get("/analyses?x=1", follow_redirects=False)
    assert r.status_code == 200
    from liftsafe.web.services import accounts

    user = accounts.authenticate(app.state.store, email="ann@example.com", password=PASSWORD)
    accounts.expire_sessions_of(app.state.store, user.id)
    api = lifter.get("/api/analyses")
    assert api.status_code == 401 and "expired" in api.json()["error"]
    r = lifter.get("/analyses?x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/analyses%3Fx%3D1&expired=1"
    page = lifter.get(r.headers["location"])
    assert "sign-in has expired" in page.text


def test_sign_out_ends_the_session(lifter):
    r = lifter.post("/signout", data={"csrf_token": csrf_of(lifter)}, follow_redirects=False)
    assert r.status_code == 303
    assert lifter.get("/account", follow_redirects=False).status_code == 303


def test_open_redirect_is_refused(app, client):
    sign_up(client, "ann@example.com")
    with new_client(app) as c:
        r = c.post(
            "/signin",
            data={
                "email": "ann@example.com",
                "password": PASSWORD,
                "csrf_token": csrf_of(c),
                "next": "//evil.example/",
            },
            follow_redirects=False,
        )
        assert r.headers["location"] == "/"


def test_api_token_works_and_bad_token_is_401(app, lifter):
    token = api_token(lifter)
    assert token.startswith("lsk_")
    with new_client(app) as anon:
        r = anon.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json()["email"] == "ann@example.com"
        r = anon.get("/api/me", headers={"Authorization": "Bearer lsk_nope"})
        assert r.status_code == 401 and "not valid" in r.json()["error"]
        r = anon.get("/api/me")
        assert r.status_code == 401 and "authentication required" in r.json()["error"]


def test_api_with_cookie_needs_csrf_header_for_posts(lifter):
    r = lifter.post("/api/analyses/1/cancel")
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["error"]
    r = lifter.post("/api/analyses/1/cancel", headers={"X-CSRF-Token": csrf_of(lifter)})
    assert r.status_code == 404


def test_revoked_token_stops_working(app, lifter):
    token = api_token(lifter)
    from liftsafe.web.services import accounts

    user = accounts.token_user(app.state.store, token)
    (token_id, _name, _created, _expires), = accounts.list_api_tokens(app.state.store, user)
    lifter.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(lifter)})
    with new_client(app) as anon:
        assert anon.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_openapi_documents_the_analysis_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/analyses" in spec["paths"] and "/api/analyses/{job_id}" in spec["paths"]
    assert "202" in spec["paths"]["/api/analyses"]["post"]["responses"]
    page = client.get("/api/docs")
    assert page.status_code == 200 and "POST /api/analyses" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text  # every asset is local


def test_serve_is_registered():
    from typer.testing import CliRunner

    from liftsafe.cli import build_app

    result = CliRunner().invoke(build_app(), ["serve", "--help"])
    assert result.exit_code == 0 and "--data-dir" in result.output and "--port" in result.output


def test_settings_from_env_rejects_bad_numbers(monkeypatch):
    from liftsafe.errors import InputError
    from liftsafe.web.settings import Settings

    monkeypatch.setenv("LIFTSAFE_MAX_UPLOAD_MB", "lots")
    with pytest.raises(InputError, match="LIFTSAFE_MAX_UPLOAD_MB must be a number"):
        Settings.from_env()
    monkeypatch.setenv("LIFTSAFE_MAX_UPLOAD_MB", "50")
    monkeypatch.setenv("LIFTSAFE_DATA_DIR", "/tmp/x-liftsafe")
    s = Settings.from_env()
    assert s.max_upload_bytes == 50 * 1024 * 1024 and str(s.data_dir) == "/tmp/x-liftsafe"


def test_form_post_after_expiry_returns_to_the_form_page(app, lifter):
    from liftsafe.web.services import accounts

    user = accounts.authenticate(app.state.store, email="ann@example.com", password=PASSWORD)
    accounts.expire_sessions_of(app.state.store, user.id)
    r = lifter.post("/train/log", data={"csrf_token": csrf_of(lifter)}, follow_redirects=False,
                    headers={"Referer": "http://testserver/train/today?week=1&session=2"})
    assert r.status_code == 303
    assert r.headers["location"] == "/signin?next=/train/today%3Fweek%3D1%26session%3D2&expired=1"
    r = lifter.post("/train/log", data={"csrf_token": csrf_of(lifter)}, follow_redirects=False,
                    headers={"Referer": "http://evil.example/train/today"})
    assert r.headers["location"] == "/signin?next=/"  # foreign referer ignored (the cookie is gone by now)


def test_serve_with_an_unreachable_database_is_one_line(capsys, tmp_path):
    from liftsafe.cli import main

    with pytest.raises(SystemExit, match="^2$") as exc:
        main(["serve", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "--data-dir", str(tmp_path)])
    err = " ".join(capsys.readouterr().err.split())
    assert exc.value.code == 2 and "cannot open the database" in err and "Traceback" not in err


def test_height_is_validated_and_stored(app, lifter):
    r = lifter.post("/account/height", data={"height_cm": "300", "csrf_token": csrf_of(lifter)})
    assert r.status_code == 400 and "height must be 100-230 cm" in r.text
    r = lifter.post(
        "/account/height", data={"height_cm": "178", "csrf_token": csrf_of(lifter)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert 'value="178"' in lifter.get("/account").text
    from liftsafe.store.web_models import UserRow

    with app.state.store.transaction() as s:
        assert s.get(UserRow, lifter.get("/api/me").json()["id"]).height_m == 1.78


def test_password_guessing_is_throttled(app, client):
    from liftsafe.web.security import SignInThrottle

    sign_up(client, "ann@example.com")
    with new_client(app) as c:
        for _ in range(SignInThrottle.MAX_FAILURES):
            r = c.post(
                "/signin",
                data={"email": "ann@example.com", "password": "guess guess guess", "csrf_token": csrf_of(c)},
            )
            assert r.status_code == 400
        r = c.post(
            "/signin", data={"email": "ANN@example.com", "password": PASSWORD, "csrf_token": csrf_of(c)}
        )
        assert r.status_code == 429 and "too many failed sign-ins" in r.text
        # other accounts are unaffected
        assert sign_up(c, "bob@example.com").status_code == 303
        r = c.post(
            "/signin",
            data={"email": "bob@example.com", "password": PASSWORD, "csrf_token": csrf_of(c)},
            follow_redirects=False,
        )
        assert r.status_code == 303
    throttle = SignInThrottle()
    for t in range(SignInThrottle.MAX_FAILURES):
        throttle.failed("x", now=float(t))
    assert throttle.wait_s("x", now=10.0) > 0
    assert throttle.wait_s("x", now=SignInThrottle.WINDOW_S + 0.5) == 0


def test_core_never_imports_the_web_layer_and_import_has_no_side_effects():
    import subprocess
    import sys

    code = (
        "import sys, liftsafe.pipeline, liftsafe.training.plan, liftsafe.ergonomics.report, "
        "liftsafe.store.db, liftsafe.web; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn') "
        "or m.startswith('liftsafe.web.')); print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
