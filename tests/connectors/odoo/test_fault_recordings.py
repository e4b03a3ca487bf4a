"""Every fault recorded from real Odoo 18 and 19 lands in its error category.

The expected category of each file is written out below, so a change in the
classifier shows up as a diff in this table. `uncertain` means the change may
have been applied (XML-RPC could not encode a None result): not retryable,
read back first. `no fault` marks sample files named after an error case
whose answer is not an error (a `read` of a deleted id answers `[]`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from opsgate.connectors.errors import ConnectorError
from opsgate.connectors.odoo.calls import OdooCall
from opsgate.connectors.odoo.faults import error_from_fault, fault_from_http
from opsgate.connectors.odoo.transports.json2 import decode_json2_response
from opsgate.connectors.odoo.transports.jsonrpc import (
    checked_uid,
    decode_jsonrpc_response,
)
from opsgate.connectors.odoo.transports.xmlrpc import decode_xmlrpc_response

SHARED = Path("/work/shared/odoo")

EXPECTED: dict[str, str] = {
    # --- Odoo 18, JSON-RPC and XML-RPC (corpus/) ---
    "corpus/007_common_authenticate_wrong_key_jsonrpc.json": "auth",
    "corpus/008_common_authenticate_wrong_key_xmlrpc.json": "auth",
    "corpus/009_execute_kw_wrong_key_jsonrpc.json": "auth",
    "corpus/010_execute_kw_wrong_key_xmlrpc.json": "auth",
    "corpus/011_wrong_key_after_many_failures_jsonrpc.json": "auth",
    "corpus/012_wrong_key_after_many_failures_xmlrpc.json": "auth",
    "corpus/053_load_partner_unknown_column_jsonrpc.json": "schema_drift",
    "corpus/054_load_partner_unknown_column_xmlrpc.json": "schema_drift",
    "corpus/102_create_timesheet_archived_employee_jsonrpc.json": "validation",
    "corpus/103_create_timesheet_archived_employee_xmlrpc.json": "validation",
    "corpus/126_sale_order_private_create_invoices_jsonrpc.json": "permission",
    "corpus/127_sale_order_private_create_invoices_xmlrpc.json": "permission",
    "corpus/131_invoice_wizard_create_invoices_xmlrpc.json": "uncertain",
    "corpus/138_invoice_unlink_posted_unpaid_jsonrpc.json": "validation",
    "corpus/139_invoice_unlink_posted_unpaid_xmlrpc.json": "validation",
    "corpus/142_payment_register_without_context_jsonrpc.json": "validation",
    "corpus/143_payment_register_without_context_xmlrpc.json": "validation",
    "corpus/152_timesheet_write_invoiced_jsonrpc.json": "validation",
    "corpus/153_timesheet_write_invoiced_xmlrpc.json": "validation",
    "corpus/156_timesheet_unlink_invoiced_jsonrpc.json": "validation",
    "corpus/157_timesheet_unlink_invoiced_xmlrpc.json": "validation",
    "corpus/158_invoice_unlink_posted_paid_jsonrpc.json": "validation",
    "corpus/159_invoice_unlink_posted_paid_xmlrpc.json": "validation",
    "corpus/166_invoice2_wizard_create_invoices_xmlrpc.json": "uncertain",
    "corpus/177_payment_action_post_xmlrpc.json": "uncertain",
    "corpus/181_invoice2_js_assign_outstanding_line_xmlrpc.json": "uncertain",
    "corpus/188_write_deleted_record_jsonrpc.json": "missing_reference",
    "corpus/189_write_deleted_record_xmlrpc.json": "missing_reference",
    "corpus/190_unlink_deleted_record_jsonrpc.json": "missing_reference",
    "corpus/191_unlink_deleted_record_xmlrpc.json": "missing_reference",
    "corpus/196_search_read_unknown_field_in_domain_jsonrpc.json": "schema_drift",
    "corpus/197_search_read_unknown_field_in_domain_xmlrpc.json": "schema_drift",
    "corpus/198_create_unknown_field_jsonrpc.json": "schema_drift",
    "corpus/199_create_unknown_field_xmlrpc.json": "schema_drift",
    "corpus/200_create_string_for_integer_jsonrpc.json": "validation",
    "corpus/201_create_string_for_integer_xmlrpc.json": "validation",
    "corpus/206_write_bad_date_format_jsonrpc.json": "validation",
    "corpus/207_write_bad_date_format_xmlrpc.json": "validation",
    "corpus/210_write_datetime_iso_z_jsonrpc.json": "validation",
    "corpus/211_write_datetime_iso_z_xmlrpc.json": "validation",
    "corpus/212_write_datetime_offset_jsonrpc.json": "validation",
    "corpus/213_write_datetime_offset_xmlrpc.json": "validation",
    "corpus/214_write_datetime_iso_t_jsonrpc.json": "validation",
    "corpus/215_write_datetime_iso_t_xmlrpc.json": "validation",
    "corpus/227_sale_order_action_lock_xmlrpc.json": "uncertain",
    "corpus/231_sale_order_action_unlock_xmlrpc.json": "uncertain",
    "corpus/247_xmlid_resolve_unknown_check_object_reference_jsonrpc.json": (
        "missing_reference"
    ),
    "corpus/248_xmlid_resolve_unknown_check_object_reference_xmlrpc.json": (
        "missing_reference"
    ),
    # --- Odoo 19, JSON-2 and the legacy endpoints (json2/) ---
    "json2/003_json2_root_get.json": "schema_drift",
    "json2/004_json2_model_only_post.json": "schema_drift",
    "json2/005_json2_get_instead_of_post.json": "schema_drift",
    "json2/008_doc_html_no_session.json": "auth",  # /doc wants a web login
    "json2/009_doc_html_with_bearer.json": "auth",
    "json2/012_db_header_unknown_db.json": "auth",  # settings name no database
    "json2/013_auth_no_header.json": "auth",
    "json2/014_auth_basic_scheme.json": "auth",
    "json2/015_auth_bearer_empty.json": "auth",
    "json2/016_auth_unknown_key.json": "auth",
    "json2/018_auth_expired_key.json": "auth",
    "json2/021_apikey_unlink_refused.json": "permission",
    "json2/025_auth_revoked_key.json": "auth",
    "json2/028_demo_access_error_config_param.json": "permission",
    "json2/029_demo_access_error_write_company.json": "permission",
    "json2/049_context_lang_uninstalled.json": "validation",
    "json2/053_search_fetch_no_domain.json": "schema_drift",
    "json2/054_api_model_with_ids.json": "schema_drift",
    "json2/059_create_positional_vals.json": "schema_drift",
    "json2/069_action_confirm_again.json": "validation",
    "json2/073_private_method.json": "permission",
    "json2/074_api_private_method.json": "permission",
    "json2/081_load_unknown_column.json": "schema_drift",
    "json2/082_load_positional_name.json": "schema_drift",
    "json2/086_err_unknown_model.json": "schema_drift",
    "json2/087_err_unknown_method.json": "schema_drift",
    "json2/088_err_unknown_field_in_domain.json": "schema_drift",
    "json2/089_err_bad_domain_operator.json": "validation",
    "json2/090_err_wrong_argument_name.json": "schema_drift",
    "json2/091_err_positional_args.json": "schema_drift",
    "json2/092_err_missing_required_arg.json": "schema_drift",
    "json2/093_err_body_is_list.json": "schema_drift",
    "json2/094_err_body_not_json.json": "unknown",  # our own bug: a bad body
    "json2/095_err_body_wrong_content_type.json": "schema_drift",
    "json2/097_err_unknown_field_in_write.json": "schema_drift",
    "json2/098_err_unknown_field_in_read.json": "schema_drift",
    "json2/099_err_wrong_type_int_field.json": "validation",
    "json2/104_err_many2one_missing_target.json": "missing_reference",
    "json2/105_err_required_missing.json": "validation",
    "json2/106_err_required_missing_so.json": "validation",
    "json2/107_err_validation_recursion.json": "validation",
    "json2/108_err_validation_badge.json": "validation",
    "json2/109_err_user_error_unlink_posted.json": "validation",
    "json2/110_err_user_error_cancel_so.json": "validation",
    "json2/111_err_missing_write.json": "missing_reference",
    "json2/112_err_missing_unlink.json": "missing_reference",
    "json2/113_err_missing_action.json": "missing_reference",
    "json2/114_err_ids_strings.json": "validation",
    "json2/115_err_context_not_dict.json": "unknown",
    "json2/117_tx_write_then_constraint.json": "validation",
    "json2/119_tx_create_list_then_constraint.json": "validation",
    "json2/127_legacy_jsonrpc_error.json": "schema_drift",
    "json2/131_legacy_web_session_authenticate.json": "auth",
    "json2/132_db_header_omitted_two_dbs.json": "auth",
    # --- Odoo 18 samples, /xmlrpc/2 (xmlrpc2), legacy /xmlrpc (xmlrpc1), /jsonrpc ---
    "samples/errors/authenticate_wrong_password.xmlrpc2.xml": "auth",
    "samples/errors/authenticate_wrong_password.jsonrpc.json": "auth",
    "samples/errors/login_wrong_password.jsonrpc.json": "auth",
    "samples/errors/execute_kw_wrong_password.xmlrpc2.xml": "auth",
    "samples/errors/execute_kw_wrong_password.xmlrpc1.xml": "auth",
    "samples/errors/execute_kw_wrong_password.jsonrpc.json": "auth",
    "samples/errors/execute_kw_unknown_db.xmlrpc2.xml": "auth",
    "samples/errors/execute_kw_unknown_db.xmlrpc1.xml": "auth",
    "samples/errors/execute_kw_unknown_db.jsonrpc.json": "auth",
    "samples/errors/session_authenticate_wrong_password.jsonrpc.json": "auth",
    "samples/errors/session_authenticate_with_api_key.jsonrpc.json": "auth",
    "samples/errors/access_error_read_ir_config_parameter.xmlrpc2.xml": "permission",
    "samples/errors/access_error_read_ir_config_parameter.xmlrpc1.xml": "permission",
    "samples/errors/access_error_read_ir_config_parameter.jsonrpc.json": "permission",
    "samples/errors/access_error_write_company.xmlrpc2.xml": "permission",
    "samples/errors/access_error_write_company.xmlrpc1.xml": "permission",
    "samples/errors/access_error_write_company.jsonrpc.json": "permission",
    "samples/errors/validation_error_recursive_partner.xmlrpc2.xml": "validation",
    "samples/errors/validation_error_recursive_partner.xmlrpc1.xml": "validation",
    "samples/errors/validation_error_recursive_partner.jsonrpc.json": "validation",
    "samples/errors/sql_constraint_crm_lead_probability.xmlrpc2.xml": "validation",
    "samples/errors/sql_constraint_crm_lead_probability.xmlrpc1.xml": "validation",
    "samples/errors/sql_constraint_crm_lead_probability.jsonrpc.json": "validation",
    "samples/errors/required_field_missing_project.xmlrpc2.xml": "validation",
    "samples/errors/required_field_missing_project.xmlrpc1.xml": "validation",
    "samples/errors/required_field_missing_project.jsonrpc.json": "validation",
    "samples/errors/user_error_unlink_posted_move.xmlrpc2.xml": "validation",
    "samples/errors/user_error_unlink_posted_move.xmlrpc1.xml": "validation",
    "samples/errors/user_error_unlink_posted_move.jsonrpc.json": "validation",
    "samples/errors/missing_error_read_deleted.xmlrpc2.xml": "no fault",
    "samples/errors/missing_error_read_deleted.xmlrpc1.xml": "no fault",
    "samples/errors/missing_error_read_deleted.jsonrpc.json": "no fault",
    "samples/errors/missing_error_read_deleted.calljson.json": "no fault",
    "samples/errors/missing_error_write_deleted.xmlrpc2.xml": "missing_reference",
    "samples/errors/missing_error_write_deleted.xmlrpc1.xml": "missing_reference",
    "samples/errors/missing_error_write_deleted.jsonrpc.json": "missing_reference",
    "samples/errors/missing_error_unlink_deleted.xmlrpc2.xml": "missing_reference",
    "samples/errors/missing_error_unlink_deleted.xmlrpc1.xml": "missing_reference",
    "samples/errors/missing_error_unlink_deleted.jsonrpc.json": "missing_reference",
    "samples/errors/unknown_model.xmlrpc2.xml": "schema_drift",
    "samples/errors/unknown_model.xmlrpc1.xml": "schema_drift",
    "samples/errors/unknown_model.jsonrpc.json": "schema_drift",
    "samples/errors/unknown_method.xmlrpc2.xml": "schema_drift",
    "samples/errors/unknown_method.xmlrpc1.xml": "schema_drift",
    "samples/errors/unknown_method.jsonrpc.json": "schema_drift",
    "samples/errors/private_method.xmlrpc2.xml": "permission",
    "samples/errors/private_method.xmlrpc1.xml": "permission",
    "samples/errors/private_method.jsonrpc.json": "permission",
    "samples/errors/bad_field_in_domain.xmlrpc2.xml": "schema_drift",
    "samples/errors/bad_field_in_domain.xmlrpc1.xml": "schema_drift",
    "samples/errors/bad_field_in_domain.jsonrpc.json": "schema_drift",
    "samples/errors/bad_kwarg.xmlrpc2.xml": "schema_drift",
    "samples/errors/bad_kwarg.xmlrpc1.xml": "schema_drift",
    "samples/errors/bad_kwarg.jsonrpc.json": "schema_drift",
    "samples/errors/malformed_xml.xmlrpc2.xml": "unknown",
    "samples/errors/malformed_xml.xmlrpc1.xml": "unknown",
    "samples/errors/unknown_service.xmlrpc2.xml": "schema_drift",
    "samples/errors/unknown_common_method.xmlrpc2.xml": "schema_drift",
    "samples/errors/malformed_json.jsonrpc.txt": "unknown",
    "samples/errors/json_missing_params.jsonrpc.json": "schema_drift",
    "samples/errors/json_unknown_service.jsonrpc.json": "schema_drift",
    "samples/errors/json_wrong_content_type.jsonrpc.html": "unknown",
    "samples/errors/get_not_allowed.xmlrpc2.html": "schema_drift",
    "samples/errors/json2_not_available.http.html": "schema_drift",
    "samples/errors/route_not_found.http.html": "schema_drift",
    "samples/errors/call_kw_without_session.calljson.json": "auth",
}

_LOGIN_METHODS = ("authenticate", "login")


def _recorded(name: str) -> dict[str, Any]:
    """Status, headers, body text, endpoint and whether it answers a login."""
    if name.startswith("samples/"):
        index = json.loads((SHARED / "samples/index.json").read_text())
        capture = next(c for c in index["captures"] if f"samples/{c['file']}" == name)
        sent = json.dumps(capture.get("sent", ""))
        return {
            "status": capture["http_status"],
            "headers": {k.lower(): v for k, v in capture.get("headers", {}).items()},
            "text": (SHARED / name).read_text(),
            "endpoint": capture["path"],
            "login": any(m in sent for m in _LOGIN_METHODS),
        }
    record = json.loads((SHARED / name).read_text())
    response = record["response"]
    request = json.dumps(record["request"])
    return {
        "status": record["status"],
        "headers": record["headers"],
        "text": response if isinstance(response, str) else json.dumps(response),
        "endpoint": record["endpoint"],
        "login": "<methodName>authenticate" in request
        or '"method": "authenticate"' in request,
    }


def decode(name: str) -> Any:
    """Decode a recorded answer the way the client's transports do."""
    r = _recorded(name)
    endpoint, status, headers, text = (
        r["endpoint"],
        r["status"],
        r["headers"],
        r["text"],
    )
    if endpoint.startswith("/json/2"):
        parts = endpoint.strip("/").split("/") + ["", ""]
        call = OdooCall(parts[2] or "?", parts[3] or "?")
        return decode_json2_response(status, headers, text, call=call)
    if endpoint.startswith("/xmlrpc"):
        result = decode_xmlrpc_response(status, headers, text, operation="call")
    elif endpoint in ("/jsonrpc", "/web/session/authenticate") or endpoint.startswith(
        "/web/dataset"
    ):
        result = decode_jsonrpc_response(status, headers, text, operation="call")
    else:
        raise error_from_fault(fault_from_http(status, headers, text), operation="call")
    if r["login"]:
        return checked_uid(result, login="admin", database="db", protocol="recorded")
    return result


def _fault_files() -> set[str]:
    """Every recorded file whose answer is an error or a refused login."""
    found = {f"samples/errors/{p.name}" for p in (SHARED / "samples/errors").iterdir()}
    for folder in ("corpus", "json2"):
        for path in sorted((SHARED / folder).glob("*.json")):
            name = f"{folder}/{path.name}"
            r = _recorded(name)
            text = r["text"]
            if (
                r["status"] >= 300
                or '"error": {' in text
                or "<fault>" in text
                or (r["login"] and ("false" == _result(text) or "<boolean>0" in text))
            ):
                found.add(name)
    return found


def _result(text: str) -> str:
    try:
        return json.dumps(json.loads(text).get("result"))
    except (ValueError, AttributeError):
        return ""


def test_the_table_names_every_fault_file_in_the_recordings():
    missing = sorted(_fault_files() - set(EXPECTED))

    assert missing == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_fault_maps_to_its_category(name):
    expected = EXPECTED[name]

    if expected == "no fault":
        assert decode(name) == []
        return
    with pytest.raises(ConnectorError) as caught:
        decode(name)
    error = caught.value

    if expected == "uncertain":
        assert error.outcome_uncertain is True
        assert error.retryable is False
    else:
        assert error.category.value == expected
        assert error.retryable is (expected in {"rate_limit", "timeout", "unavailable"})
    assert error.target == "odoo"
    assert error.message.endswith(".")
    assert "<api-key>" not in json.dumps(error.to_dict())
