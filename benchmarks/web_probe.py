"""Hostile-input probe of a real ``liftsafe serve`` (run on demand; not part of the test suite).

    python benchmarks/web_probe.py [--rounds 10] [--json]

Starts ``liftsafe serve`` on 127.0.0.1 (a free port, SQLite and data in a temporary folder)
and measures:

1. **sign-in time**, known vs unknown e-mail address (median of ``--rounds`` wrong-password
   sign-ins each, alternating): equal work means no account discovery by timing;
2. **30 parallel wrong passwords** for one address: how many were checked (limit 10);
3. **chunked upload** without Content-Length or sign-in: bytes the client got to send
   before the 413 (limit 5 MB);
4. **server peak RSS** (VmHWM) after the hostile uploads (a keypoint file with frames 0 and
   1,000,000, a 1920 x 1080 clip against a 1 MP limit, an hour-long 64 x 48 clip) and the
   parallel sign-ins.

Figures are reported in docs/security.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "security"))

from probekit import Server, csrf_of, sign_up, upload, wait_job, write_clip  # noqa: E402
from test_probes import _chunked_upload  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="liftsafe-probe-"))
    server = Server(folder)
    server.start()
    out: dict = {}
    try:
        out["rss_start_mb"] = round(server.peak_rss_mb())
        with server.client() as c:
            sign_up(c, "known@example.com")
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for _ in range(args.rounds):
            for kind in ("known", "unknown"):
                with server.client() as c:
                    token = csrf_of(c)
                    t = time.perf_counter()
                    c.post(
                        "/signin",
                        data={
                            "email": f"{kind}@example.com",
                            "password": "wrong password!",
                            "csrf_token": token,
                        },
                    )
                    times[kind].append(time.perf_counter() - t)
        out["signin_ms_median"] = {k: round(1000 * statistics.median(v)) for k, v in times.items()}

        with server.client() as c:
            sign_up(c, "victim@example.com")
        codes: list[int] = []
        barrier = threading.Barrier(30)

        def guess(i: int) -> None:
            with server.client() as c:
                token = csrf_of(c)
                barrier.wait(30)
                codes.append(
                    c.post(
                        "/signin",
                        data={"email": "victim@example.com", "password": f"guess {i}", "csrf_token": token},
                    ).status_code
                )

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        out["parallel_guesses"] = {"checked": codes.count(400), "refused_429": codes.count(429)}

        sent, answer = _chunked_upload(server, "/api/analyses", headers={}, max_bytes=300 * 1024 * 1024)
        out["chunked_upload"] = {
            "sent_mb_before_answer": round(sent / 2**20, 1),
            "answer": answer.split(b"\r\n")[0].decode(),
        }

        with server.client() as c:
            sign_up(c, "uploader@example.com")
            kp = {
                "fps": 30,
                "layout": "coco17",
                "frames": [
                    {"frame": f, "keypoints": [[100.0 + i, 200.0, 0.9] for i in range(17)]}
                    for f in (0, 1_000_000)
                ],
            }
            clips = folder / "clips"
            clips.mkdir()
            inputs = [
                ("span.json", json.dumps(kp).encode()),
                ("big.mp4", write_clip(clips / "big.mp4", size=(1920, 1080), frames=3).read_bytes()),
                (
                    "hour.mp4",
                    write_clip(clips / "hour.mp4", size=(64, 48), frames=3600, fps=1.0).read_bytes(),
                ),
            ]
            out["hostile_uploads"] = {}
            for name, content in inputs:
                body = wait_job(c, upload(c, name, content).json()["id"])
                out["hostile_uploads"][name] = {
                    "bytes": len(content),
                    "status": body["status"],
                    "error": body["error"],
                }
        out["rss_peak_mb"] = round(server.peak_rss_mb())
    finally:
        server.stop()
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for key, value in out.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
