"""The workplace admin's batch page and API: batches stored by ``liftsafe batch --db``."""

from __future__ import annotations

import shutil

from webkit import api_token, new_client, sign_up


def test_an_admin_sees_a_batch_by_task_and_worker(app, settings, run_cli, keypoint_json, tmp_path):
    clips = tmp_path / "clips"
    for rel in ("line4/ann/a.json", "line4/ann/b.json", "line4/bob/a.json", "dock/ann/a.json"):
        (clips / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(keypoint_json, clips / rel)
    (clips / "dock/bob").mkdir(parents=True)
    (clips / "dock/bob/broken.json").write_text('{"frames": 3}')
    with new_client(app) as admin, new_client(app) as other:
        assert sign_up(admin, "safety@example.com", role="workplace_admin").status_code == 303
        assert sign_up(other, "someone@example.com", role="workplace_admin").status_code == 303
        res = run_cli(
            "batch",
            str(clips),
            "--out",
            str(tmp_path / "out"),
            "--db",
            settings.database_url,
            "--db-owner",
            "safety@example.com",
            "--batch-name",
            "week 49",
        )
        assert res.exit_code == 3, res.stderr
        token = api_token(admin)
        listing = admin.get("/api/batches", headers={"Authorization": f"Bearer {token}"}).json()
        assert [(b["name"], b["clips"], b["failed"]) for b in listing] == [("week 49", 5, 1)]
        table = admin.get("/api/batches/week 49", headers={"Authorization": f"Bearer {token}"}).json()
        groups = {(g["task"], g["worker"]): g for g in table["groups"]}
        assert set(groups) == {("line4", "ann"), ("line4", "bob"), ("dock", "ann"), ("dock", "bob")}
        assert groups[("line4", "ann")]["clips"] == 2 and len(groups[("line4", "ann")]["trend"]) == 2
        assert groups[("dock", "bob")]["failed"] == 1
        page = admin.get("/workplace/batches", params={"name": "week 49"})
        assert page.status_code == 200 and "line4/bob/a.json" in page.text and "week 49" in page.text
        # another account sees none of it
        assert other.get("/workplace/batches", params={"name": "week 49"}).status_code == 404
        other_token = api_token(other)
        assert other.get("/api/batches", headers={"Authorization": f"Bearer {other_token}"}).json() == []
