from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
"""Byte-exact copies of /work/shared/formats/samples (real peer payloads)."""


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_headers() -> Callable[[str], dict[str, str]]:
    def read(name: str) -> dict[str, str]:
        headers = {}
        for line in (SAMPLES / "webhooks" / name).read_text().splitlines():
            if line.startswith("#") or ":" not in line:
                continue
            key, value = line.split(":", 1)
            headers[key.strip()] = value.strip()
        return headers

    return read
