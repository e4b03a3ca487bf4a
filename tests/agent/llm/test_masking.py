import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsgate.agent.llm.masking import Masker


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("write to ada.lovelace@example.com today", "ada.lovelace@example.com"),
        ("call +44 20 7946 0958 now", "+44 20 7946 0958"),
        ("pay to DE89 3704 0044 0532 0130 00 please", "DE89 3704 0044 0532 0130 00"),
        ("Authorization: Bearer abcdef0123456789xyz", "abcdef0123456789xyz"),
        ("api_key=live_9f8e7d6c5b4a", "live_9f8e7d6c5b4a"),
        ("key sk-proj-abcdefghijklmnop", "sk-proj-abcdefghijklmnop"),
        ("hash 0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"),
    ],
)
def test_masker_removes_personal_data_and_secrets(text, secret):
    masked = Masker().text(text)

    assert secret not in masked
    assert "<" in masked


def test_known_names_and_person_fields_are_masked_consistently():
    masker = Masker(["Ada Lovelace"])

    masked = masker.data(
        {
            "consultant": "Grace Hopper",
            "note": "Ada Lovelace logged 38 h; ada lovelace again",
        }
    )

    assert masked["consultant"] == "<person_1>"
    assert masked["note"] == "<person_2> logged 38 h; <person_2> again"


def test_masker_keeps_odoo_fault_text_readable():
    fault = "ValueError: Invalid field 'x_hubspot_id' on model 'res.partner'"

    assert Masker().text(fault) == fault


@given(st.emails())
def test_any_email_is_masked(email):
    assert email not in Masker().text(f"contact: {email} .")
