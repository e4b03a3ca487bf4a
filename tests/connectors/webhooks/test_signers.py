"""Every signer makes what its receiver accepts, and nothing else passes."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from opsgate.connectors.inbound.errors import SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.webhooks.errors import SignatureInvalid
from opsgate.connectors.webhooks.peers import PEER_RECEIVERS
from opsgate.connectors.webhooks.schemes import SCHEMES
from opsgate.connectors.webhooks.signers import SIGNERS, signed_for

SAMPLES = Path(__file__).parents[2] / "fixtures" / "formats" / "webhooks"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
URL = "http://127.0.0.1:8080/webhooks/somewhere"
ORG_ID = "ABC90000000gNcmEAE"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def body_and_secret(scheme: str) -> tuple[bytes, str]:
    if scheme == "salesforce":
        xml = SAMPLES / "salesforce-outbound-message-account.xml"
        return xml.read_bytes(), ORG_ID
    return b'{"id": "evt_1", "type": "invoice.paid"}', SECRET


def accepts(scheme: str, headers: dict[str, str], body: bytes, secret: str) -> bool:
    try:
        if scheme in PEER_RECEIVERS:
            request = InboundRequest(body=body, headers=headers, url=URL)
            PEER_RECEIVERS[scheme].verify(request, secret, NOW)
        else:
            SCHEMES[scheme](
                secret, headers=headers, body=body, tolerance_s=300, now=NOW
            )
    except (SignatureRejected, SignatureInvalid):
        return False
    return True


def test_every_receiving_scheme_has_a_signer():
    assert set(SIGNERS) == set(PEER_RECEIVERS) | set(SCHEMES)


@pytest.mark.parametrize("scheme", sorted(SIGNERS))
def test_signed_body_is_accepted_by_its_receiver(scheme):
    body, secret = body_and_secret(scheme)

    headers = signed_for(scheme, secret, URL, body, NOW)

    assert accepts(scheme, headers, body, secret)


@pytest.mark.parametrize("scheme", sorted(set(SIGNERS) - {"salesforce"}))
def test_body_signed_with_another_secret_is_refused(scheme):
    body, secret = body_and_secret(scheme)

    headers = signed_for(scheme, "whsec_" + "A" * 32, URL, body, NOW)

    assert not accepts(scheme, headers, body, secret)


def test_unknown_scheme_names_the_known_ones():
    with pytest.raises(KeyError, match="known: bamboohr"):
        signed_for("carrier-pigeon", SECRET, URL, b"{}", NOW)
