"""Web app fixtures: an app on a fresh database (SQLite always; PostgreSQL when
LIFTSAFE_TEST_POSTGRES_URL is set, failing under CI=true when it is not), signed-in
clients, and real upload files made with the simulator."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from webkit import new_client, sign_up


@pytest.fixture()
def web_db_url(db_url):
    """The shared ``db_url`` fixture (tests/conftest.py): SQLite and PostgreSQL variants."""
    return db_url


@pytest.fixture()
def settings(web_db_url, tmp_path):
    from liftsafe.web.settings import Settings

    return Settings(database_url=web_db_url, data_dir=tmp_path / "data", max_upload_mb=5)


@pytest.fixture()
def app(settings):
    from liftsafe.web import create_app

    application = create_app(settings)
    yield application
    application.state.store.close()


@pytest.fixture()
def client(app):
    with new_client(app) as c:
        yield c


@pytest.fixture()
def lifter(app):
    with new_client(app) as c:
        assert sign_up(c, "ann@example.com").status_code == 303
        yield c


@pytest.fixture()
def other(app):
    with new_client(app) as c:
        assert sign_up(c, "bob@example.com").status_code == 303
        yield c


@pytest.fixture(scope="session")
def keypoint_json(tmp_path_factory) -> Path:
    """A keypoint file of a simulated 3-rep deadlift (what ``liftsafe analyze`` accepts)."""
    from liftsafe.pose.files import write_keypoints
    from liftsafe.simulate.lifter import SimConfig, simulate_lift

    sim = simulate_lift(SimConfig(n_reps=3, seed=3, image_size=(360, 640)))
    return write_keypoints(sim.series, tmp_path_factory.mktemp("kp") / "lift.json")


@pytest.fixture(scope="session")
def silhouette_mp4(tmp_path_factory) -> Path:
    """A small H.264 clip of the simulator's rendered silhouette (grey on white)."""
    import av
    import cv2

    from liftsafe.simulate.lifter import SimConfig, simulate_lift
    from liftsafe.simulate.render import render_silhouette

    sim = simulate_lift(SimConfig(n_reps=1, seed=5, fps=15.0, idle_before_s=0.2, idle_after_s=0.2))
    path = tmp_path_factory.mktemp("video") / "silhouette.mp4"
    with av.open(str(path), "w") as container:
        stream = None
        for i in range(sim.n_frames):
            mask = render_silhouette(sim, i)
            img = np.full((*mask.shape[:2], 3), 255, np.uint8)
            img[mask > 0] = (90, 90, 90)
            h, w = img.shape[:2]
            scale = 320 / w
            img = cv2.resize(img, (320, int(h * scale) // 2 * 2))
            if stream is None:
                stream = container.add_stream("libx264", rate=15)
                stream.width, stream.height, stream.pix_fmt = img.shape[1], img.shape[0], "yuv420p"
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _plain_clip(path: Path, n_frames: int) -> Path:
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=15, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(n_frames):
            img = np.full((240, 320, 3), 180 + i % 60, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="session")
def blank_mp4(tmp_path_factory) -> Path:
    """A real H.264 clip of an empty room (plain frames): nobody to find."""
    return _plain_clip(tmp_path_factory.mktemp("blank") / "empty-room.mp4", 20)


@pytest.fixture(scope="session")
def long_blank_mp4(tmp_path_factory) -> Path:
    """30 s of an empty room: long enough to cancel while the pose model runs."""
    return _plain_clip(tmp_path_factory.mktemp("long") / "long-empty-room.mp4", 450)
