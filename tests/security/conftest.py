"""Fixtures of the security probes: a real ``liftsafe serve`` on 127.0.0.1 per module."""

from __future__ import annotations

import pytest
from probekit import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("server"))
    s.start()
    yield s
    s.stop()
