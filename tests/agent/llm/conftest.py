import os
from pathlib import Path

import pytest
import vcr

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
RECORDING = os.environ.get("OPSGATE_RECORD_CASSETTES") == "1"
LOCAL_MODEL_URL = os.environ.get("OPSGATE_TEST_LLM_URL", "http://127.0.0.1:8765/v1")


@pytest.fixture
def cassette(request):
    """Replay the test's recorded model traffic; record only when asked to."""
    module = Path(request.node.fspath).stem
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES / module),
        record_mode="once" if RECORDING else "none",
        decode_compressed_response=True,
        filter_headers=["authorization", "x-api-key", "api-key", "cookie"],
        match_on=["method", "path", "body"],
    )
    with recorder.use_cassette(f"{request.node.name}.yaml") as recorded:
        yield recorded
