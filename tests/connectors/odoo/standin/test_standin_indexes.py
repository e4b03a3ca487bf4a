"""The stand-in's `ir.model.data` lookups answer as a full scan would."""

from __future__ import annotations

from typing import Any

from tests.connectors.odoo.standin.conftest import Json2

FIELDS = ["module", "name", "model", "res_id"]


def _xmlids(json2: Json2, domain: list[Any]) -> list[dict[str, Any]]:
    return json2.call("ir.model.data", "search_read", domain=domain, fields=FIELDS)


def _scanned(json2: Json2, domain: list[Any]) -> list[dict[str, Any]]:
    # A `!` keeps the stand-in from using an index, so this is the plain scan.
    return _xmlids(json2, [*domain, "!", ["name", "=", "no such name"]])


def _load(json2: Json2, *rows: list[str]) -> dict[str, Any]:
    return json2.call(
        "res.partner", "load", fields=["id", "name", "country_id/id"], data=list(rows)
    )


def test_external_id_lookups_by_name_and_by_record_agree_with_a_scan(
    json2: Json2,
) -> None:
    loaded = _load(json2, ["opsgate.p_1", "One", ""], ["opsgate.p_2", "Two", ""])
    ids = loaded["ids"]

    by_name = [
        ["module", "in", ["opsgate"]],
        ["name", "in", ["p_1", "p_2", "p_3"]],
    ]
    by_record = [["model", "=", "res.partner"], ["res_id", "in", ids]]

    assert [x["name"] for x in _xmlids(json2, by_name)] == ["p_1", "p_2"]
    assert _xmlids(json2, by_name) == _scanned(json2, by_name)
    assert [x["res_id"] for x in _xmlids(json2, by_record)] == ids
    assert _xmlids(json2, by_record) == _scanned(json2, by_record)


def test_failed_load_leaves_no_external_id_to_find(json2: Json2) -> None:
    failed = _load(
        json2, ["opsgate.p_ok", "Fine", "base.us"], ["opsgate.p_bad", "Bad", "base.xx"]
    )

    assert failed["ids"] is False
    domain = [["module", "=", "opsgate"], ["name", "in", ["p_ok", "p_bad"]]]
    assert _xmlids(json2, domain) == []
    assert _scanned(json2, domain) == []


def test_unlinked_record_loses_its_external_id(json2: Json2) -> None:
    (kept, gone) = _load(
        json2, ["opsgate.p_kept", "Kept", ""], ["opsgate.p_gone", "Gone", ""]
    )["ids"]

    json2.call("res.partner", "unlink", ids=[gone])

    domain = [["model", "=", "res.partner"], ["res_id", "in", [kept, gone]]]
    assert [x["name"] for x in _xmlids(json2, domain)] == ["p_kept"]
    assert _xmlids(json2, domain) == _scanned(json2, domain)
    reloaded = _load(json2, ["opsgate.p_gone", "Back", ""])["ids"]
    assert reloaded != [gone]


def test_seeded_external_ids_are_found_by_name(json2: Json2) -> None:
    domain = [["module", "=", "base"], ["name", "=", "main_company"]]

    assert _xmlids(json2, domain) == [
        {
            "id": _xmlids(json2, domain)[0]["id"],
            "module": "base",
            "name": "main_company",
            "model": "res.company",
            "res_id": 1,
        }
    ]
