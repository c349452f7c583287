"""``liftsafe batch --db``: results stored as web-app analyses of a workplace admin (SQLite, PostgreSQL)."""

from __future__ import annotations


def _admin(url: str):
    from liftsafe.store.db import Store
    from liftsafe.web.services import accounts

    with Store(url) as store:
        return accounts.sign_up(
            store, email="safety@example.com", password="a long enough password", role="workplace_admin"
        )


def test_batch_results_show_as_the_admins_analyses(run_cli, clip_folder, tmp_path, db_url):
    from liftsafe.store.db import Store
    from liftsafe.web.services import analyses

    admin = _admin(db_url)
    out = tmp_path / "out"
    args = (
        "batch",
        str(clip_folder),
        "--out",
        str(out),
        "--db",
        db_url,
        "--db-owner",
        "Safety@example.com",
        "--batch-name",
        "line 4, week 49",
    )
    # a first run without the database, then with it: the skipped clips are stored too
    assert run_cli("batch", str(clip_folder), "--out", str(out)).exit_code == 3
    res = run_cli(*args)
    assert res.exit_code == 3 and "0 analysed, 3 already done" in res.stderr, res.stderr
    assert run_cli(*args, "--force").exit_code == 3  # a re-run updates the same rows
    with Store(db_url) as store:
        jobs = analyses.list_jobs(store, admin)
        by_name = {j.filename: j for j in jobs}
        assert set(by_name) == {"lift3.json", "sub/lift4.csv", "broken.json"}
        assert by_name["broken.json"].status == "failed" and "frames" in by_name["broken.json"].error
        done = by_name["lift3.json"]
        assert done.status == "done" and done.result["rep_count"] == 2
        assert [p["id"] for p in analyses.trend(jobs)] == sorted(j.id for j in jobs if j.status == "done")


def test_an_unknown_owner_is_bad_input(run_cli, clip_folder, tmp_path, db_url):
    _admin(db_url)
    res = run_cli(
        "batch",
        str(clip_folder),
        "--out",
        str(tmp_path / "out"),
        "--db",
        db_url,
        "--db-owner",
        "x@example.com",
    )
    assert res.exit_code == 2 and "x@example.com" in res.stderr
    assert not (tmp_path / "out").exists()
