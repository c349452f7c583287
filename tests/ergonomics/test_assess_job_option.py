"""`liftsafe assess VIDEO --job JOB`: the job file's first task gives frequency, duration and coupling.

(Before the use-case moved to liftsafe.app.workplace this path read a task field that does not
exist and crashed.)
"""

import json

from liftsafe.result import Exercise
from liftsafe.simulate.lifter import SimConfig, simulate_lift

JOB = {"units": "metric", "duration": "moderate",
       "tasks": [{"name": "pack", "load": 12, "origin": {"h": 30, "v": 40}, "destination": {"h": 30, "v": 90},
                  "frequency": 3, "coupling": "poor"}]}


def test_assess_takes_frequency_duration_and_coupling_from_the_job_file(tmp_path, run_cli):
    from liftsafe.pose.files import write_keypoints

    sim = simulate_lift(SimConfig(exercise=Exercise.BOX_LIFT, n_reps=2, seed=5, with_world=False))
    kp = tmp_path / "lift.json"
    write_keypoints(sim.series, kp)
    job = tmp_path / "job.json"
    job.write_text(json.dumps(JOB), encoding="utf-8")
    res = run_cli("assess", str(kp), "--load", "15kg", "--height", "175cm", "--job", str(job),
                  "--out", str(tmp_path / "o"), "--json")
    assert res.exit_code == 0, res.stderr
    from_job = json.loads(res.stdout)
    by_flags = run_cli("assess", str(kp), "--load", "15kg", "--height", "175cm", "--frequency", "3",
                       "--duration", "moderate", "--coupling", "poor", "--out", str(tmp_path / "o"), "--json")
    assert by_flags.exit_code == 0, by_flags.stderr
    assert json.loads(by_flags.stdout)["tasks"] == from_job["tasks"]
    assert from_job["tasks"][0]["details"]["rounded"]["multipliers"]["cm"] < 1.0  # poor coupling
    # an explicit --frequency wins over the job file's
    other = run_cli("assess", str(kp), "--load", "15kg", "--height", "175cm", "--job", str(job),
                    "--frequency", "1", "--out", str(tmp_path / "o"), "--json")
    assert other.exit_code == 0, other.stderr
    assert json.loads(other.stdout)["tasks"][0]["rwl"] > from_job["tasks"][0]["rwl"]
