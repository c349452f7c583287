"""Helpers of the security probes: a real ``liftsafe serve`` process on 127.0.0.1 (a free port,
SQLite and data in a temporary folder) and small functions that talk to it over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

PASSWORD = "correct horse battery"
UPLOAD_MB = 5
# the header limits the server runs with: low enough that small test clips cross them
SERVER_LIMITS = {
    "LIFTSAFE_MAX_PIXELS": "1000000",
    "LIFTSAFE_MAX_DURATION_S": "600",
    "LIFTSAFE_MAX_FRAMES": "36000",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = folder / "data"
        self.db = folder / "web.db"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            **SERVER_LIMITS,
            "LIFTSAFE_DATABASE_URL": f"sqlite:///{self.db}",
            "LIFTSAFE_DATA_DIR": str(self.data_dir),
        }
        self.log = (self.folder / "server.log").open("a")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "liftsafe",
                "serve",
                "--port",
                str(self.port),
                "--max-upload-mb",
                str(UPLOAD_MB),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise AssertionError((self.folder / "server.log").read_text()) from None
                time.sleep(0.1)
        self.proc.kill()
        raise AssertionError("the server did not start in 60 s")

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is None:
            return
        self.proc.kill() if kill else self.proc.terminate()
        self.proc.wait(15)
        self.proc = None
        self.log.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory (VmHWM) so far."""
        text = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) / 1024

    def client(self):
        import httpx

        return httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)


def csrf_of(client) -> str:
    if "liftsafe_csrf" not in client.cookies:
        client.get("/signin")
    return client.cookies["liftsafe_csrf"]


def sign_up(client, email: str, role: str = "lifter"):
    r = client.post(
        "/signup", data={"email": email, "password": PASSWORD, "role": role, "csrf_token": csrf_of(client)}
    )
    assert r.status_code == 303, r.text[:300]
    return r


def upload(client, name: str, content: bytes, exercise: str = "deadlift"):
    return client.post(
        "/api/analyses",
        files={"video": (name, content)},
        data={"exercise": exercise},
        headers={"X-CSRF-Token": csrf_of(client)},
    )


def wait_job(client, job_id: int, timeout_s: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout_s
    body: dict = {}
    while time.monotonic() < deadline:
        body = client.get(f"/api/analyses/{job_id}").json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s: {body}")


def write_clip(path: Path, *, size=(64, 48), frames=20, fps=15.0, noise=False, options=None) -> Path:
    """A real H.264 clip (plain or noisy frames)."""
    from fractions import Fraction

    import av

    with av.open(str(path), "w", options=options or {}) as container:
        stream = container.add_stream(
            "libx264", rate=Fraction(fps).limit_denominator(1000), options={"preset": "ultrafast"}
        )
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        rng = np.random.default_rng(0)
        for i in range(frames):
            if noise:
                img = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            else:
                img = np.full((size[1], size[0], 3), 100 + i % 100, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
