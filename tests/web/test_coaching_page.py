"""The analysis page's coaching: summary, one priority cue, what went well, the top three faults
(the rest under details), faults not checked with their reasons, and a ``not_judged`` verdict
shown as "Not judged" with its reason and filming advice -- never raw, never as good."""

from __future__ import annotations

import html
import re

import pytest
from webkit import csrf_of, wait_job


@pytest.fixture(scope="module")
def faulty_json(tmp_path_factory):
    """A simulated 3-rep deadlift with faults injected in reps 1 and 3 (keypoint file)."""
    from liftsafe.pose.files import write_keypoints
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    faults = {0: ("jerked_pull",), 2: ("squatting_the_hinge",)}
    sim = simulate_lift(SimConfig(n_reps=3, seed=3, faults=faults))
    return write_keypoints(sim.series, tmp_path_factory.mktemp("kp") / "faulty.json")


@pytest.fixture(scope="module")
def behind_json(tmp_path_factory):
    """The same lift filmed from behind: no rep can be judged from there."""
    from liftsafe.pose.files import write_keypoints
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    sim = simulate_lift(SimConfig(n_reps=3, seed=3, camera_yaw_deg=90.0))
    return write_keypoints(sim.series, tmp_path_factory.mktemp("kp") / "behind.json")


def _analyse(client, path):
    with open(path, "rb") as f:
        r = client.post("/analyses", files={"video": (path.name, f, "application/json")},
                        data={"exercise": "deadlift", "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_id = int(r.headers["location"].rsplit("/", 1)[1])
    body = wait_job(client, job_id)
    assert body["status"] == "done", body
    return job_id, body["result"]


def _section(page: str, element_id: str) -> str:
    m = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert m, f"no #{element_id} on the page"
    return html.unescape(m.group(2))


def test_the_page_shows_the_sets_coaching(lifter, faulty_json):
    job_id, result = _analyse(lifter, faulty_json)
    assert result["verdict"] == "needs_work" and result["priority"], result["summary"]
    page = html.unescape(lifter.get(f"/analyses/{job_id}").text)
    assert _section(page, "verdict") == "Needs work"
    assert result["summary"] and result["summary"] in _section(page, "summary")
    prio = _section(page, "priority")
    name = result["priority"]["code"].replace("_", " ")
    assert name in prio.lower() and result["priority"]["cue"] in prio
    assert len(page.split('id="priority"')) == 2  # one priority cue
    top = _section(page, "top-faults")
    codes = {f["code"] for rep in result["reps"] for f in rep["faults"]}
    assert top.count("<li") == min(3, len(codes))
    # each fault named once in the top list, the most important (the priority) first
    assert top.lower().index(name) == min(top.lower().index(c.replace("_", " ")) for c in codes)
    if result["not_checked"]:
        shown = _section(page, "not-checked")
        assert all(x["reason"] in shown for x in result["not_checked"])
    if result["went_well"]:
        assert result["went_well"] in page
    assert "not_judged" not in page and "needs_work" not in page.replace('class="verdict needs_work"', "")


def test_not_judged_is_shown_with_its_reason_and_filming_advice(lifter, behind_json):
    from liftsafe.report.html import FILMING_ADVICE

    job_id, result = _analyse(lifter, behind_json)
    assert result["verdict"] == "not_judged" and result["priority"] is None
    page = html.unescape(lifter.get(f"/analyses/{job_id}").text)
    assert _section(page, "verdict") == "Not judged"
    assert result["summary"].startswith("Not judged: ") and result["summary"] in page  # the reason
    advice = _section(page, "not-judged")
    assert all(tip in advice for tip in FILMING_ADVICE)
    assert "clean rep" not in page and ">Good<" not in page and 'id="priority"' not in page
    assert all(x["reason"] in _section(page, "not-checked") for x in result["not_checked"])
    history = html.unescape(lifter.get("/analyses").text)
    assert "Not judged" in history and ">not_judged<" not in history


def test_the_rest_of_the_faults_go_under_details():
    """Ranking of a stored result: severity, then reps affected; three on top, the rest in details;
    a rep's own not-checked faults are listed with that rep; an old result without priority too."""
    from liftsafe.web.services.analyses import coaching_view

    def fault(code, severity):
        return {"code": code, "severity": severity, "cue": f"cue for {code}"}

    reps = [
        {"index": 1, "faults": [fault("heels_rise", "minor"), fault("jerked_pull", "minor")]},
        {"index": 2, "faults": [fault("heels_rise", "minor"), fault("twisting", "minor"),
                                fault("rounded_back", "major")],
         "not_checked": [{"code": "hips_rise_first", "reason": "hips hidden behind the plate",
                          "kind": "occlusion"}]},
        {"index": 3, "faults": [fault("asymmetry", "minor")]},
    ]
    view = coaching_view({"verdict": "needs_work", "reps": reps})
    assert [f["code"] for f in view["top_faults"]] == ["rounded_back", "heels_rise", "jerked_pull"]
    assert [f["code"] for f in view["more_faults"]] == ["twisting", "asymmetry"]
    assert view["priority"]["code"] == "rounded_back" and view["priority"]["reps_text"] == "rep 2 of 3"
    assert view["rep_not_checked"][2][0]["reason"] == "hips hidden behind the plate"
    assert view["verdict_label"] == "Needs work" and view["filming_advice"] == ()
    odd = coaching_view({"verdict": "maybe", "reps": []})
    assert odd["verdict"] is None and odd["verdict_label"] == "Unknown verdict"
