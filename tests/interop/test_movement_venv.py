"""Across the numpy boundary: movement (numpy >= 2, its own venv) opens the netCDF liftsafe wrote.

liftsafe pins numpy < 2 for MediaPipe; movement needs numpy >= 2, so the two never share an
environment. This test builds a throw-away venv with ``pip install movement`` (cached in
``$LIFTSAFE_MOVEMENT_VENV``, default ``~/.cache/liftsafe-tests/movement-venv``; a first build
takes about 3 minutes) and runs a small script there on a file written by
:func:`liftsafe.report.interop.write_netcdf`. It skips only when the package registry cannot
be reached (its page for movement is fetched first, explicitly); any other failure -- the
install, an import, the script -- fails the test, under CI too.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from liftsafe.app.demo import demo_analysis
from liftsafe.report.interop import write_netcdf

pytestmark = pytest.mark.registry

VENV = Path(
    os.environ.get("LIFTSAFE_MOVEMENT_VENV", Path.home() / ".cache" / "liftsafe-tests" / "movement-venv")
)
UNREACHABLE = (
    "NewConnectionError", "ConnectTimeout", "ConnectionError", "Max retries exceeded",
    "Network is unreachable", "Temporary failure in name resolution", "Name or service not known",
    "ProxyError", "timed out",
)

SCRIPT = r"""
import json, sys
import numpy as np
import xarray as xr
from movement.io import load_poses
from movement.kinematics import compute_velocity

ds = xr.open_dataset(sys.argv[1])
# movement's own constructor validates the arrays, names and fps
poses = load_poses.from_numpy(
    position_array=ds["position"].values,
    confidence_array=ds["confidence"].values,
    individual_names=[str(i) for i in ds["individuals"].values],
    keypoint_names=[str(k) for k in ds["keypoints"].values],
    fps=float(ds.attrs["fps"]),
    source_software=ds.attrs["source_software"],
)
velocity = compute_velocity(ds["position"])
print(json.dumps({
    "numpy": np.__version__,
    "dims": list(ds["position"].dims),
    "shape": list(ds["position"].shape),
    "keypoints": [str(k) for k in ds["keypoints"].values],
    "fps": float(ds.attrs["fps"]),
    "movement_fps": float(poses.attrs["fps"]),
    "time_unit": ds.attrs["time_unit"],
    "velocity_dims": list(velocity.dims),
}))
"""


def _pip(python: Path | str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _skip_if_unreachable(proc: subprocess.CompletedProcess[str], what: str) -> None:
    text = proc.stdout + proc.stderr
    if proc.returncode != 0 and any(marker in text for marker in UNREACHABLE):
        pytest.skip(f"package registry unreachable ({what}): {text.strip().splitlines()[-1][:200]}")


def _index_url() -> str:
    """The index pip installs from: PIP_INDEX_URL, else pip's configured index-url, else PyPI."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    config = _pip(sys.executable, "config", "list", timeout=60).stdout
    for line in config.splitlines():
        key, _, value = line.partition("=")
        if key.split(".")[-1] == "index-url":
            return value.strip().strip("'\"")
    return "https://pypi.org/simple"


def _check_registry() -> None:
    """Skip when the registry's page for movement cannot be fetched; fail when it says no movement."""
    url = _index_url().rstrip("/") + "/movement/"
    cafile = os.environ.get("PIP_CERT") or None
    context = ssl.create_default_context(cafile=cafile) if url.startswith("https") else None
    try:
        with urllib.request.urlopen(url, timeout=60, context=context) as response:
            assert b"movement" in response.read(), f"{url} lists no movement files"
    except urllib.error.HTTPError as exc:
        pytest.fail(f"the package registry answered {exc.code} for {url}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        pytest.skip(f"package registry unreachable: {url}: {getattr(exc, 'reason', exc)}")


def _movement_python() -> Path:
    python = VENV / "bin" / "python"
    if (VENV / ".ready").exists() and python.exists():
        return python
    _check_registry()
    shutil.rmtree(VENV, ignore_errors=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    base = shutil.which("python3.11") or sys.executable
    subprocess.run([base, "-m", "venv", str(VENV)], check=True, timeout=300)
    install = _pip(python, "install", "-q", "movement", timeout=1800)
    _skip_if_unreachable(install, "pip install movement")
    assert install.returncode == 0, f"pip install movement failed:\n{install.stderr[-3000:]}"
    (VENV / ".ready").write_text("movement\n")
    return python


def test_movement_opens_liftsafe_netcdf(tmp_path):
    pytest.importorskip("xarray")
    analysis = demo_analysis(n_reps=1, seed=5)
    series = analysis.series
    path = write_netcdf(series, tmp_path / "lift.nc")
    python = _movement_python()
    script = tmp_path / "open_in_movement.py"
    script.write_text(SCRIPT)
    run = subprocess.run(
        [str(python), str(script), str(path)], capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, f"movement could not open the file:\n{run.stderr[-3000:]}"
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert int(got["numpy"].split(".")[0]) >= 2
    assert got["dims"] == ["time", "space", "keypoints", "individuals"]
    assert got["shape"] == [series.n_frames, 2, len(series.names), 1]
    assert got["keypoints"] == list(series.names)
    assert got["fps"] == got["movement_fps"] == pytest.approx(series.fps)
    assert got["time_unit"] == "seconds" and got["velocity_dims"] == got["dims"]
