"""Job-specific practice: the worker's job lift as a drill, capped at the NIOSH RWL."""

from __future__ import annotations

import json

import pytest

from liftsafe.app.joblifts import job_lifts_from_job_file
from liftsafe.errors import InputError
from liftsafe.training.joblift import JobLift, job_drill, parse_job_lift
from liftsafe.training.plan import generate_plan

#: ``liftsafe assess-me`` answers of a pain-free beginner who passes the screen (job options follow).
SOUND_ASSESS_ME = (
    "assess-me", "--no-interactive", "--level", "beginner", "--pain", "0", "--no-red-flags",
    "--toe-touch", "floor", "--hinge-test", "pass",
)



@pytest.fixture()
def dock_job_file(tmp_path):
    """A NIOSH job file of one task, "box to pallet": 23 kg from 10 to 75 cm high, over its RWL."""
    path = tmp_path / "job.json"
    path.write_text(
        json.dumps(
            {
                "name": "loading dock",
                "units": "metric",
                "duration": "long",
                "tasks": [
                    {
                        "name": "box to pallet",
                        "load": 23,
                        "origin": {"h": 40, "v": 10},
                        "destination": {"h": 40, "v": 75},
                        "frequency": 1,
                        "coupling": "fair",
                    }
                ],
            }
        )
    )
    return path

def test_plan_adds_the_job_drill_with_load_heights_and_distances():
    job = parse_job_lift("name=tote to shelf,load_kg=12,from_cm=0,to_cm=150,reach_cm=40,carry_m=3")
    plan = generate_plan("beginner", weeks=12, sessions_per_week=2, job_lifts=[job]).to_dict()
    drills = [
        (w, ex)
        for w in plan["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
        if ex["id"] == "job-lift"
    ]
    phases = {w["phase"] for w, _ in drills}
    assert phases == {"stability", "loading"}  # not in the mobility phase
    w, ex = drills[-1]
    assert "from the floor (0 cm) to shoulder or above (150 cm)" in ex["load"] and "carry 3 m" in ex["load"]
    assert any("half-kneel" in c for c in ex["cues"]) and any("Carry it 3 m" in c for c in ex["cues"])
    loads = [
        float(ex["load"].split(" kg")[0]) for w, ex in drills if w["phase"] == "loading" and not w["deload"]
    ]
    assert max(loads) == 12 and min(loads) == 7  # 60 % -> 100 % of the job load across the wave


def test_above_the_rwl_the_worker_is_told_to_get_help_and_practises_at_the_limit():
    job = JobLift("box to pallet", load_kg=23, origin_cm=10, destination_cm=75, rwl_kg=14.2)
    d = job_drill(job, phase="loading", deload=False, loading_week=2, loading_weeks_total=3)
    assert d.load_kg == 14 and any("get help from a second person or use a lifting aid" in c for c in d.cues)
    ok = job_drill(
        JobLift("light", 8, 75, 75, rwl_kg=15),
        phase="loading",
        deload=False,
        loading_week=2,
        loading_weeks_total=3,
    )
    assert ok.load_kg == 8 and not any("lifting aid" in c for c in ok.cues)


def test_niosh_job_file_gives_rwl(dock_job_file):
    (job,) = job_lifts_from_job_file(str(dock_job_file))
    assert (
        job.load_kg == 23
        and job.origin_cm == 10
        and job.rwl_kg is not None
        and job.rwl_kg < 23
        and job.over_rwl
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("load_kg=12,from_cm=0", r"--job-lift, field 'to_cm': missing"),
        ("load_kg=500,from_cm=0,to_cm=10", r"field 'load_kg': 500 is impossible"),
        ("load_kg=x,from_cm=0,to_cm=10", r"field 'load_kg': expected a number"),
        ("weight=1", r"unknown field\(s\) weight"),
    ],
)
def test_bad_job_lift_specs_name_the_field(spec, message):
    with pytest.raises(InputError, match=message):
        parse_job_lift(spec)


def test_plan_cli_with_job_lift(run_cli):
    code, out, err = run_cli(
        "plan",
        "--level",
        "beginner",
        "--weeks",
        "8",
        "--sessions-per-week",
        "2",
        "--job-lift",
        "name=box,load_kg=20,from_cm=5,to_cm=90,rwl_kg=12",
        "--json",
    )
    assert code == 0, err
    drills = [
        ex
        for w in json.loads(out)["weeks"]
        for s in w["sessions"]
        for b in s["blocks"]
        for ex in b["exercises"]
        if ex["id"] == "job-lift"
    ]
    assert drills and all("lifting aid" in " ".join(ex["cues"]) for ex in drills)
    code, _, err = run_cli("plan", "--job-lift", "load_kg=20", "--json")
    assert code == 2 and "--job-lift 1, field 'from_cm': missing" in err


def test_assessment_takes_a_niosh_job_file(run_cli, dock_job_file):
    path = dock_job_file  # named in assess-me's next command
    code, out, err = run_cli(
        *SOUND_ASSESS_ME,
        "--job",
        "heavy",
        "--job-file",
        str(path),
    )
    assert code == 0, err
    assert "box to pallet" in out and "use a lifting aid" in out and f"--job-file {path}" in out
    code, out, _ = run_cli(
        *SOUND_ASSESS_ME,
        "--job-file",
        str(path),
        "--json",
    )
    (job,) = json.loads(out)["job_lifts"]
    assert job["load_kg"] == 23 and job["rwl_kg"] < 23


def test_filmed_job_lift_gives_a_drill_with_the_measured_rwl(run_cli, tmp_path):
    """A filmed (here: simulated, as keypoints) lift: its geometry is measured and assessed with
    the NIOSH equation exactly as ``liftsafe assess`` does, and the drill gets that RWL."""
    from liftsafe.app.joblifts import job_lift_from_video
    from liftsafe.app.workplace import VideoTask, assess_video
    from liftsafe.pose.files import write_keypoints
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    clip = write_keypoints(
        simulate_lift(SimConfig(n_reps=3, seed=3, image_size=(360, 640))).series, tmp_path / "lift.json"
    )
    lift, notes = job_lift_from_video(clip, load_kg=30, height_m=1.78, frequency=2)
    task_in = VideoTask(load_kg=30, height_m=1.78, frequency=2)
    va = assess_video(clip, task_in, exercise="box-lift", out_dir=tmp_path)
    task = va.assessment.jobfile.job.tasks[0]
    assert lift.origin_cm == round(task.origin.v, 1) and lift.destination_cm == round(task.destination.v, 1)
    assert lift.rwl_kg is not None and 0 < lift.rwl_kg < 30 and notes
    args = ["assess-me", "--no-interactive", "--level", "beginner", "--pain", "0", "--no-red-flags",
            "--toe-touch", "floor", "--hinge-test", "pass", "--job", "heavy"]  # fmt: skip
    video = ["--job-video", str(clip), "--job-video-load", "30", "--height", "1.78"]
    video += ["--job-video-frequency", "2"]
    code, out, err = run_cli(*args, *video)
    assert code == 0, err
    # the advice, and the next command carries the measured lift
    assert "use a lifting aid" in out and f"rwl_kg={lift.rwl_kg:g}" in out
    code, _, err = run_cli(*args, "--job-video", str(clip))
    assert code == 2 and "--job-video-load" in err
