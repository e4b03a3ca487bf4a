import pytest
from pydantic import ValidationError

from opsgate.connectors.odoo.calls import OdooCall
from opsgate.connectors.odoo.settings import OdooSettings


def test_execute_kw_takes_ids_and_leading_arguments_positionally():
    call = OdooCall("res.partner", "write", [66], {"vals": {"name": "x"}})

    assert call.execute_kw_arguments() == ([[66], {"name": "x"}], {})


def test_execute_kw_passes_the_rest_as_keywords_with_the_context():
    call = OdooCall(
        "res.partner",
        "search_read",
        None,
        {"domain": [], "fields": ["name"], "limit": 4},
        {"active_test": False},
    )

    assert call.execute_kw_arguments() == (
        [[]],
        {"fields": ["name"], "limit": 4, "context": {"active_test": False}},
    )


def test_json2_body_names_every_argument():
    call = OdooCall("sale.order", "action_confirm", [27], {}, {"lang": "en_US"})

    assert call.json2_body() == {"ids": [27], "context": {"lang": "en_US"}}


def test_only_reads_are_safe_to_resend():
    assert OdooCall("res.partner", "read", [1]).changes_data is False
    assert OdooCall("account.move", "action_post", [1]).changes_data is True


def test_settings_need_a_credential():
    with pytest.raises(ValidationError, match="odoo.api_key"):
        OdooSettings(url="http://odoo.test")


def test_json2_settings_need_an_api_key():
    with pytest.raises(ValidationError, match="API key"):
        OdooSettings(url="http://odoo.test", password="pw", transport="json2")


def test_settings_never_show_the_key():
    settings = OdooSettings(url="http://odoo.test/", api_key="sekrit")

    assert "sekrit" not in repr(settings)
    assert settings.base_url == "http://odoo.test"
    assert settings.secret == "sekrit"
