"""`liftsafe niosh / lifft / l5s1` through the real Typer app (CliRunner) and a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from liftsafe.cli import build_app

runner = CliRunner()

# Hand-worked multi-task job: ideal geometry (every multiplier 1 except FM), short duration.
# FM(V >= 75, <= 1 h): F=1 .94, F=2 .91, F=3 .88, F=4 .84
JOB = {
    "units": "metric",
    "duration": "short",
    "tasks": [
        {"name": "C", "load": 10, "origin": {"h": 20, "v": 75}, "destination": {"h": 20, "v": 90},
         "frequency": 1, "coupling": "good"},
        {"name": "A", "load": 20, "origin": {"h": 25, "v": 75}, "destination": {"h": 25, "v": 80},
         "frequency": 1, "coupling": "good"},
        {"name": "B", "load": 15, "origin": {"h": 25, "v": 75}, "destination": {"h": 25, "v": 75},
         "frequency": 2, "coupling": "fair", "control_at_destination": True},
    ],
}  # fmt: skip
EXPECTED_CLI = 20 / (23 * 0.94) + (15 / 23) * (1 / 0.88 - 1 / 0.94) + (10 / 23) * (1 / 0.84 - 1 / 0.88)


@pytest.fixture
def job_file(tmp_path):
    path = tmp_path / "job.json"
    path.write_text(json.dumps(JOB))
    return path


def test_niosh_json_schema_and_values(job_file):
    result = runner.invoke(build_app(), ["niosh", str(job_file), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"tasks", "cli", "warnings"}
    assert doc["cli"] == pytest.approx(EXPECTED_CLI)
    by_name = {t["name"]: t for t in doc["tasks"]}
    assert set(by_name["A"]) == {"name", "origin", "rwl", "li", "firwl", "strwl", "fili", "stli"}
    assert set(by_name["B"]) == {
        "name",
        "origin",
        "destination",
        "rwl",
        "li",
        "firwl",
        "strwl",
        "fili",
        "stli",
    }
    assert set(by_name["A"]["origin"]) == {"rwl", "li", "multipliers"}
    assert set(by_name["A"]["origin"]["multipliers"]) == {"hm", "vm", "dm", "am", "fm", "cm"}
    assert by_name["A"]["rwl"] == pytest.approx(23 * 0.94)  # kg, the job's unit
    assert by_name["A"]["li"] == pytest.approx(20 / (23 * 0.94))
    assert by_name["B"]["stli"] == pytest.approx(15 / (23 * 0.91))
    assert by_name["B"]["fili"] == pytest.approx(15 / 23)
    assert by_name["C"]["firwl"] == pytest.approx(23)


def test_niosh_json_us_units_report_pounds(tmp_path):
    job = {"units": "us", "duration": "long", "tasks": [
        {"name": "box", "load": 30, "origin": {"h": 10, "v": 30}, "destination": {"h": 10, "v": 30},
         "frequency": 1, "coupling": "good"}]}  # fmt: skip
    path = tmp_path / "us.json"
    path.write_text(json.dumps(job))
    doc = json.loads(runner.invoke(build_app(), ["niosh", str(path), "--json"]).stdout)
    assert doc["tasks"][0]["rwl"] == pytest.approx(51 * 0.75)
    assert doc["cli"] is None


def test_niosh_details_and_human_output(job_file):
    result = runner.invoke(build_app(), ["niosh", str(job_file), "--json", "--details"])
    doc = json.loads(result.stdout)
    assert doc["units"] == "metric" and [t["name"] for t in doc["composite"]] == ["A", "B", "C"]
    a = next(t for t in doc["tasks"] if t["name"] == "A")
    assert a["details"]["band"] == "acceptable" and a["details"]["rounded"]["multipliers"]["fm"] == 0.94
    human = runner.invoke(build_app(), ["niosh", str(job_file)], terminal_width=120)
    assert human.exit_code == 0
    assert "Composite Lifting Index" in human.stdout and "HM" in human.stdout
    assert f"CLI = {EXPECTED_CLI:.2f}" in human.stdout


def test_niosh_advice_in_human_output(tmp_path):
    job = {"units": "metric", "duration": "short", "tasks": [
        {"name": "far", "load": 15, "origin": {"h": 50, "v": 75}, "destination": {"h": 50, "v": 75},
         "frequency": 1, "coupling": "good"}]}  # fmt: skip
    path = tmp_path / "far.json"
    path.write_text(json.dumps(job))
    out = runner.invoke(build_app(), ["niosh", str(path)], terminal_width=200).stdout
    assert "horizontal (HM) multiplier costs most" in out
    assert "H <= 36 cm (now 50)" in out


def test_niosh_out_of_scope_task_reports_no_number(tmp_path):
    job = json.loads(json.dumps(JOB))
    job["tasks"][0]["one_handed"] = True
    path = tmp_path / "scope.json"
    path.write_text(json.dumps(job))
    doc = json.loads(runner.invoke(build_app(), ["niosh", str(path), "--json"]).stdout)
    c = next(t for t in doc["tasks"] if t["name"] == "C")
    assert c["rwl"] is None and c["li"] is None and c["origin"] is None and doc["cli"] is None
    assert any("one-handed" in w for w in doc["warnings"])
    forced = json.loads(runner.invoke(build_app(), ["niosh", str(path), "--json", "--ignore-scope"]).stdout)
    assert forced["cli"] == pytest.approx(EXPECTED_CLI)


def test_niosh_lifft_and_l5s1_from_the_job_file(tmp_path):
    job = json.loads(json.dumps(JOB))
    job["worker"] = {"body_mass": 80, "height": 178}
    job["tasks"][1].update(reps_per_day=400, spine_h=40, trunk_flexion_deg=45)
    path = tmp_path / "full.json"
    path.write_text(json.dumps(job))
    doc = json.loads(runner.invoke(build_app(), ["niosh", str(path), "--json", "--details"]).stdout)
    assert doc["lifft"]["tasks"][0]["name"] == "A"
    assert doc["lifft"]["tasks"][0]["peak_load_moment_nm"] == pytest.approx(20 * 9.80665 * 0.4)
    assert doc["l5s1"][0]["name"] == "A" and doc["l5s1"][0]["compression_n"] > 0


def test_niosh_bad_file_is_a_one_line_error_exit_2(tmp_path):
    job = json.loads(json.dumps(JOB))
    job["tasks"][2]["origin"]["h"] = -4
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(job))
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-c", "from liftsafe.cli import main; main()", "niosh", str(path), "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "task 3 ('B'): field 'origin.h' must be >= 0" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_niosh_subprocess_json_parses(job_file):
    proc = subprocess.run(
        [sys.executable, "-c", "from liftsafe.cli import main; main()", "niosh", str(job_file), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["cli"] == pytest.approx(EXPECTED_CLI)


def test_lifft_and_l5s1_commands():
    out = runner.invoke(build_app(), ["lifft", "--load", "10", "--distance", "50", "--reps", "500", "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["tasks"][0]["peak_load_moment_nm"] == pytest.approx(49.03325)
    assert 0 < doc["probability_high_risk"] < 1
    out = runner.invoke(build_app(), ["l5s1", "--body-mass", "80", "--height", "178", "--trunk-flexion", "0",
                                      "--hand-distance", "30", "--load", "10", "--json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["band"] == "below_action_limit"


def test_lifft_mismatched_options_error():
    out = runner.invoke(
        build_app(), ["lifft", "--load", "10", "--load", "5", "--distance", "50", "--reps", "500"]
    )
    assert out.exit_code != 0
    assert "give --load, --distance and --reps once per task" in str(out.exception)


def test_human_output_is_markup_safe(tmp_path):
    job = {"units": "metric", "duration": "long", "tasks": [
        {"name": "far [bold]", "load": 10, "origin": {"h": 70, "v": 75}, "destination": {"h": 30, "v": 75},
         "frequency": 1, "coupling": "good"}]}  # fmt: skip
    path = tmp_path / "markup.json"
    path.write_text(json.dumps(job))
    out = runner.invoke(build_app(), ["niosh", str(path)], terminal_width=150)
    assert out.exit_code == 0, out.output
    assert "far [bold]" in out.stdout  # the name is printed literally, not eaten as rich markup
    assert "inf  [inf]" in out.stdout  # RWL = 0 -> LI infinite, manual rounding in brackets


def test_niosh_task_above_15_per_min_does_not_block_the_report(tmp_path):
    job = json.loads(json.dumps(JOB))
    point = {"h": 25, "v": 75}
    job["tasks"].append(
        {"name": "F", "load": 5, "origin": point, "destination": point, "frequency": 16, "coupling": "good"}
    )
    path = tmp_path / "fast.json"
    path.write_text(json.dumps(job))
    out = runner.invoke(build_app(), ["niosh", str(path), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    fast = doc["tasks"][-1]
    assert fast["rwl"] == 0.0 and fast["li"] is None and fast["origin"]["multipliers"]["fm"] == 0.0
    expected = [10 / (23 * 0.94), 20 / (23 * 0.94), 15 / (23 * 0.91)]
    assert [t["li"] for t in doc["tasks"][:3]] == [pytest.approx(x) for x in expected]
    assert any("'F'" in w and "FM = 0" in w for w in doc["warnings"])
    assert doc["cli"] is None  # the summed frequency leaves Table 5: unbounded, with a warning
    human = runner.invoke(build_app(), ["niosh", str(path)])
    assert human.exit_code == 0, human.output


def _main(argv, capsys):
    """Run the real entry point in-process: (exit code, stdout, stderr)."""
    from liftsafe.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_niosh_absurd_load_is_exit_2_naming_the_field(tmp_path, capsys):
    job = json.loads(json.dumps(JOB))
    job["tasks"][0]["load"] = 1e28
    path = tmp_path / "absurd.json"
    path.write_text(json.dumps(job))
    code, _, err = _main(["niosh", str(path)], capsys)
    assert code == 2
    assert "task 1 ('C'): field 'load' must be <= 1000" in err and "Traceback" not in err


def test_lifft_absurd_load_is_exit_2_naming_the_field(capsys):
    code, _, err = _main(["lifft", "--load", "20000", "--distance", "45", "--reps", "300"], capsys)
    assert code == 2
    assert "field 'load' is 20000 kg" in err and "Traceback" not in err


def test_lifft_command_prints_the_100_nm_caution_and_the_published_example(capsys):
    code, out, _ = _main(["lifft", "--load", "30", "--distance", "45", "--reps", "300"], capsys)
    assert code is None or code == 0
    assert "warning:" in out and "132 N·m is above 100 N·m" in out
    argv = ["lifft", "--load", "30", "--distance", "16", "--reps", "760", "--units", "us"]
    code, out, _ = _main(argv, capsys)
    assert "probability of a high-risk job 40 %" in out  # LiFFT calculator's published example
