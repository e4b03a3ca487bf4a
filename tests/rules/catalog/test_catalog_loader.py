import textwrap
from pathlib import Path

import pytest

from opsgate.rules.catalog.errors import CatalogError
from opsgate.rules.catalog.loader import load_catalog, load_source_file

GOOD = """\
source: acme
event:
  id: id
  type: kind
mappings:
  - name: client
    when: {type: "client.*"}
    canonical: customer
    fields:
      source_key: id
      name: {path: client.name, transform: strip}
    routes:
      - {target: odoo, operation: "upsert:res.partner"}
"""


def write(tmp_path: Path, text: str, name: str = "acme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_shipped_catalog_loads_the_generic_and_stripe_sources():
    catalog = load_catalog([])

    assert {"standard", "stripe"} <= set(catalog.sources)
    assert catalog.get("standard").signature == "standard-webhooks"


def test_extra_folder_adds_its_sources(tmp_path):
    write(tmp_path, GOOD)

    catalog = load_catalog([tmp_path])

    assert catalog.get("acme").mappings[0].fields["name"].transform == ("strip",)


def test_unknown_transform_names_file_line_and_key(tmp_path):
    path = write(tmp_path, GOOD.replace("transform: strip", "transform: centz"))

    with pytest.raises(CatalogError) as caught:
        load_source_file(path)

    message = str(caught.value)
    assert f"{path}:11" in message
    assert "mappings[0].fields.name.transform" in message
    assert "unknown transform 'centz'" in message
    assert caught.value.line == 11


def test_unknown_key_is_named_with_its_line(tmp_path):
    path = write(
        tmp_path,
        GOOD.replace(
            "    canonical: customer\n", "    canonical: customer\n    colour: red\n"
        ),
    )

    with pytest.raises(CatalogError) as caught:
        load_source_file(path)

    assert caught.value.key == "mappings[0].colour"
    assert caught.value.line == 9
    assert "unknown key" in str(caught.value)


def test_unknown_canonical_kind_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace("canonical: customer", "canonical: client"))

    with pytest.raises(
        CatalogError,
        match=r"acme.yaml:8: mappings\[0\].canonical: unknown canonical kind 'client'",
    ):
        load_source_file(path)


def test_field_the_canonical_object_lacks_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace("      name: {", "      nickname: {"))

    with pytest.raises(
        CatalogError,
        match=r":11: mappings\[0\].fields.nickname: 'customer' has no field",
    ):
        load_source_file(path)


def test_missing_required_key_points_at_its_parent(tmp_path):
    path = write(tmp_path, GOOD.replace("      - {target: odoo, ", "      - {"))

    with pytest.raises(CatalogError) as caught:
        load_source_file(path)

    assert caught.value.key == "mappings[0].routes[0].target"
    assert caught.value.line == 13
    assert "required key is missing" in str(caught.value)


def test_duplicate_key_is_refused(tmp_path):
    path = write(
        tmp_path, GOOD.replace("  type: kind\n", "  type: kind\n  type: other\n")
    )

    with pytest.raises(CatalogError, match=r":5: event.type: key appears twice"):
        load_source_file(path)


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace("    when: {type:", "    when: {type: [}"))

    with pytest.raises(CatalogError, match=r"acme.yaml:7: \$: not valid YAML"):
        load_source_file(path)


def test_lookup_without_table_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace("transform: strip", "transform: lookup"))

    with pytest.raises(CatalogError, match="needs a `table`"):
        load_source_file(path)


def test_same_source_in_two_files_is_refused(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")

    with pytest.raises(CatalogError, match="already defined in .*a.yaml"):
        load_catalog([tmp_path], include_shipped=False)


def test_missing_catalog_path_is_named(tmp_path):
    with pytest.raises(CatalogError, match="no such file or folder"):
        load_catalog([tmp_path / "nowhere"])
