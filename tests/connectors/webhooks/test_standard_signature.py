import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsgate.connectors.webhooks.errors import (
    SignatureInvalid,
    SignatureMissing,
    TimestampStale,
)
from opsgate.connectors.webhooks.standard import sign, signed_headers, verify

FIXTURES = Path(__file__).parents[2] / "fixtures" / "webhooks"
VECTOR = json.loads(
    (FIXTURES / "standard-webhooks-v1-symmetric-vector.json").read_text()
)
BODY = (FIXTURES / "standard-webhooks-v1-symmetric.payload.json").read_bytes()
PINNED = datetime.fromtimestamp(VECTOR["timestamp"], UTC)


def published_headers() -> dict[str, str]:
    text = (FIXTURES / "standard-webhooks-v1-symmetric.payload.headers.txt").read_text()
    pairs = [
        line.split(":", 1) for line in text.splitlines() if line and line[0] != "#"
    ]
    return {name.strip(): value.strip() for name, value in pairs}


def test_published_vector_verifies_with_the_clock_pinned():
    msg_id = verify(
        VECTOR["secret"],
        headers=published_headers(),
        body=BODY,
        tolerance_s=300,
        now=PINNED,
    )

    assert msg_id == VECTOR["msg_id"]


def test_signing_reproduces_the_published_signature():
    signature = sign(
        VECTOR["secret"],
        msg_id=VECTOR["msg_id"],
        timestamp=VECTOR["timestamp"],
        body=BODY,
    )

    assert signature == VECTOR["expected_webhook_signature"]
    assert BODY == VECTOR["payload"].encode()


def test_known_bad_signature_is_refused():
    headers = published_headers() | {
        "webhook-signature": VECTOR["known_bad_signature_from_same_tests"]
    }

    with pytest.raises(SignatureInvalid, match="No signature"):
        verify(
            VECTOR["secret"], headers=headers, body=BODY, tolerance_s=300, now=PINNED
        )


def test_one_matching_signature_among_several_is_enough():
    headers = published_headers()
    headers["webhook-signature"] = (
        f"{VECTOR['known_bad_signature_from_same_tests']} {headers['webhook-signature']}"
    )

    assert verify(
        VECTOR["secret"], headers=headers, body=BODY, tolerance_s=300, now=PINNED
    )


def test_vector_is_stale_against_the_real_clock():
    with pytest.raises(TimestampStale, match="s old; the tolerance is 300 s"):
        verify(
            VECTOR["secret"], headers=published_headers(), body=BODY, tolerance_s=300
        )


def test_timestamp_from_the_future_is_refused():
    early = PINNED - timedelta(seconds=301)

    with pytest.raises(TimestampStale, match="in the future"):
        verify(
            VECTOR["secret"],
            headers=published_headers(),
            body=BODY,
            tolerance_s=300,
            now=early,
        )


def test_missing_header_is_named():
    headers = published_headers()
    del headers["webhook-timestamp"]

    with pytest.raises(SignatureMissing, match="'webhook-timestamp' is missing"):
        verify(
            VECTOR["secret"], headers=headers, body=BODY, tolerance_s=300, now=PINNED
        )


def test_tampered_body_is_refused():
    with pytest.raises(SignatureInvalid):
        verify(
            VECTOR["secret"],
            headers=published_headers(),
            body=BODY + b" ",
            tolerance_s=300,
            now=PINNED,
        )


def test_signed_headers_round_trip():
    headers = signed_headers(
        VECTOR["secret"], msg_id="msg_1", timestamp=1_700_000_000, body=b"{}"
    )
    now = datetime.fromtimestamp(1_700_000_010, UTC)

    assert (
        verify(VECTOR["secret"], headers=headers, body=b"{}", tolerance_s=60, now=now)
        == "msg_1"
    )
