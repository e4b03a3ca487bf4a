"""Copy field metadata from the Odoo recordings into the stand-in's schema files.

Run by hand when the recordings change:

    .venv/bin/python scripts/extract_odoo_schema.py /work/shared/odoo

For every `corpus/NNN_fields_get_<model>_jsonrpc.json` it writes
`connectors/odoo/standin/schema/<model>.json` holding the recorded `fields_get`
answer, with `store` merged in from `samples/<model>.fields_get.json` and
`searchable`/`store` from the product search recording where those exist.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "connectors/odoo/standin/schema"


def main(recordings: Path) -> None:
    """Write one schema file per model recorded with `fields_get`."""
    extra_attrs: dict[str, dict[str, dict[str, object]]] = {}
    for sample in (recordings / "samples").glob("*.fields_get.json"):
        model = sample.name.removesuffix(".fields_get.json")
        extra_attrs[model] = json.loads(sample.read_text())["result"]
    paths = sorted((recordings / "corpus").glob("*_fields_get_*_jsonrpc.json"))
    paths.sort(key=lambda path: "searchable" not in path.name)
    for path in paths:
        exchange = json.loads(path.read_text())
        args = exchange["request"]["params"]["args"]
        model = args[3]
        fields = exchange["response"]["result"]
        if "searchable" in path.name:
            extra_attrs.setdefault(model, {})
            for name, attrs in fields.items():
                extra_attrs[model].setdefault(name, {}).update(attrs)
            continue
        merged = {}
        for name, attrs in fields.items():
            known = extra_attrs.get(model, {}).get(name, {})
            merged[name] = {
                **attrs,
                **{k: known[k] for k in ("store", "searchable") if k in known},
            }
        out = TARGET / f"{model}.json"
        out.write_text(json.dumps(merged, indent=1, sort_keys=True, ensure_ascii=False))
        print(f"{out.name}: {len(merged)} fields")  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1]))
