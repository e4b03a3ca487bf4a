import json
from datetime import UTC, datetime

import pytest

from opsgate.connectors.inbound import standard_webhooks
from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest


def _request(samples, sample_headers, signature=None):
    body = (
        samples / "webhooks" / "standard-webhooks-v1-symmetric.payload.json"
    ).read_bytes()
    headers = sample_headers("standard-webhooks-v1-symmetric.payload.headers.txt")
    if signature is not None:
        headers["webhook-signature"] = signature
    return InboundRequest(body=body, headers=headers)


def test_published_vector_verifies_with_the_clock_pinned(samples, sample_headers):
    vector = json.loads(
        (
            samples / "webhooks" / "standard-webhooks-v1-symmetric-vector.json"
        ).read_text()
    )
    pinned = datetime.fromtimestamp(vector["timestamp"] + 10, UTC)

    standard_webhooks.verify(
        _request(samples, sample_headers), vector["secret"], now=pinned
    )
    assert (
        standard_webhooks.signature(
            vector["secret"],
            vector["msg_id"],
            vector["timestamp"],
            vector["payload"].encode(),
        )
        == vector["expected_webhook_signature"]
    )


def test_known_bad_signature_and_stale_timestamp_are_refused(samples, sample_headers):
    vector = json.loads(
        (
            samples / "webhooks" / "standard-webhooks-v1-symmetric-vector.json"
        ).read_text()
    )
    bad = _request(
        samples, sample_headers, vector["known_bad_signature_from_same_tests"]
    )

    with pytest.raises(SignatureRejected, match="no v1 signature"):
        standard_webhooks.verify(
            bad, vector["secret"], now=datetime.fromtimestamp(vector["timestamp"], UTC)
        )
    with pytest.raises(SignatureRejected, match="window"):
        standard_webhooks.verify(_request(samples, sample_headers), vector["secret"])


def test_several_space_separated_signatures_pass_when_one_matches(
    samples, sample_headers
):
    vector = json.loads(
        (
            samples / "webhooks" / "standard-webhooks-v1-symmetric-vector.json"
        ).read_text()
    )
    both = f"v1,bm9wZQ== {vector['expected_webhook_signature']}"

    standard_webhooks.verify(
        _request(samples, sample_headers, both),
        vector["secret"],
        now=datetime.fromtimestamp(vector["timestamp"], UTC),
    )
