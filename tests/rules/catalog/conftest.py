from pathlib import Path

import pytest

from opsgate.rules.catalog.loader import load_catalog

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def catalog():
    return load_catalog([])
