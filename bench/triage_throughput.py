"""Benchmark triage: incidents per second without an LLM, model calls with one.

    .venv/bin/python bench/triage_throughput.py [--incidents 10000]
        [--llm-url http://127.0.0.1:8765/v1]   # a real local model (optional)

Incidents are drawn from the labelled cases with their record ids, keys,
amounts and numbers varied, so most carry a signature seen before (as in
production, where one outage fails many deliveries) and some are new.
Without `--llm-url`, the LLM figures use a loopback OpenAI-compatible stub
that counts calls and answers with the model's first candidate.
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opsgate.agent.classify import Classifier
from opsgate.agent.classify.facts import IncidentFacts
from opsgate.agent.classify.model import TriageModel
from opsgate.agent.llm import LLMClient
from opsgate.agent.remedy import choose_remedy
from opsgate.agent.settings import LLMSettings
from opsgate.evals.triage.cases import load_cases


def incidents(count: int, seed: int = 11) -> list[IncidentFacts]:
    rng = random.Random(seed)
    cases = load_cases("all")
    out = []
    for n in range(count):
        case = rng.choice(cases)
        facts = case.facts.model_copy(deep=True)
        facts.incident_id = n
        facts.evidence_ids = [f"event:evt-{n}", f"delivery:{n}", f"attempt:{n * 3}"]
        facts.amount_at_risk = str(rng.randint(0, 50000))
        out.append(facts)
    return out


def _triage(classifier: Classifier, batch: list[IncidentFacts], chunk: int) -> float:
    started = time.perf_counter()
    for i in range(0, len(batch), chunk):
        part = batch[i : i + chunk]
        for facts, result in zip(part, classifier.classify_many(part), strict=True):
            choose_remedy(result, facts)
    return time.perf_counter() - started


def run_without_llm(batch: list[IncidentFacts], chunk: int) -> None:
    elapsed = _triage(Classifier(TriageModel.load()), batch, chunk)
    print(
        f"without LLM, signatures repeating: {len(batch)} incidents in "
        f"{elapsed:.2f} s = {len(batch) / elapsed:,.0f} incidents/s (classify + remedy)"
    )
    distinct = [
        f.model_copy(
            update={"fault": {**f.fault, "name": f"{f.fault.get('name')} v{n}"}}
        )
        for n, f in enumerate(batch)
    ]
    elapsed = _triage(Classifier(TriageModel.load()), distinct, chunk)
    print(
        f"without LLM, every signature new: {len(batch)} incidents in "
        f"{elapsed:.2f} s = {len(batch) / elapsed:,.0f} incidents/s"
    )
    tracemalloc.start()
    _triage(Classifier(TriageModel.load()), batch, chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory of one run: {peak / 2**20:.1f} MiB")


class _Stub(BaseHTTPRequestHandler):
    calls = 0

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        _Stub.calls += 1
        prompt = body["messages"][-1]["content"]
        guess = prompt.split("Their best guesses: ", 1)[1].split(" ", 1)[0]
        answer = {
            "category": guess,
            "root_cause": "The stub agrees with the model.",
            "confidence": 0.7,
        }
        reply = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "stub",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": json.dumps(answer)},
                }
            ],
            "usage": {
                "prompt_tokens": 700,
                "completion_tokens": 60,
                "total_tokens": 760,
            },
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


def run_with_llm(batch: list[IncidentFacts], chunk: int, url: str | None) -> None:
    server = None
    if url is None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings = LLMSettings(
        base_url=url,
        model="smollm2-135m-instruct",
        max_output_tokens=160,
        max_tokens_per_day=10**9,
    )
    client = LLMClient(settings)
    classifier = Classifier(TriageModel.load(), llm=client, threshold=0.6)
    started = time.perf_counter()
    layers: dict[str, int] = {}
    for i in range(0, len(batch), chunk):
        for result in classifier.classify_many(batch[i : i + chunk]):
            layers[result.layer] = layers.get(result.layer, 0) + 1
    elapsed = time.perf_counter() - started
    if server is not None:
        server.shutdown()
    print(
        f"with LLM ({'loopback stub' if server else url}): {client.calls} model calls "
        f"for {len(batch)} incidents = {client.calls * 1000 / len(batch):.1f} per "
        f"1,000 incidents; {elapsed:.2f} s; decided by layer {layers}; "
        f"tokens spent {client.budget.spent:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--llm-url", default=None)
    args = parser.parse_args()
    batch = incidents(args.incidents)
    run_without_llm(batch, args.chunk)
    run_with_llm(batch, args.chunk, args.llm_url)


if __name__ == "__main__":
    main()
