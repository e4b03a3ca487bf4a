"""Match an export's header to the columns a format knows, by name only.

Names are compared after normalising: Unicode NFKC, case-folded, spaces
collapsed, a trailing `?` or `:` dropped. A bracket suffix is first tried as
part of the name (`Duration (h)`, `Duration (decimal)`); for money columns it
is the currency label instead (`Billable Rate (EUR)`, `Amount ()`,
`Billable Amount (CZ)`), so `Amount (EUR)` and `Amount ()` both match
`amount`. Aliases cover variant and localised headers; the lists for
localised Clockify exports come from secondary sources (see peer-formats.md)
and are tolerant rather than certain.
"""

import re
import unicodedata
from dataclasses import dataclass, field

_BRACKET = re.compile(r"^(?P<base>.*?)\s*\((?P<label>[^()]*)\)\s*$")


def normalise(name: str) -> str:
    """Return the comparable form of a header name."""
    text = unicodedata.normalize("NFKC", name).replace("\ufeff", "").casefold()
    text = " ".join(text.split())
    return text.rstrip("?:").strip()


@dataclass(frozen=True)
class ColumnSpec:
    """A column a format knows: its key and every name it goes by."""

    key: str
    """Our name for it (`hours`, `start_date`)."""
    names: tuple[str, ...]
    """Header names that mean this column, in any case."""
    money: bool = False
    """True when a bracket suffix holds a currency label."""
    required: bool = False
    """True when the format cannot be read without it."""


@dataclass(frozen=True)
class ColumnMap:
    """Where each known column sits in this file, and any currency labels."""

    positions: dict[str, int]
    """Column key → index in the row."""
    headers: list[str]
    """The header cells as the file spells them."""
    currency_labels: dict[str, str] = field(default_factory=dict)
    """Money column key → the label in its brackets (`EUR`, `CZ`, ``)."""

    def has(self, key: str) -> bool:
        """Return True when the file has column `key`."""
        return key in self.positions

    def header_of(self, key: str) -> str:
        """Return the file's own spelling of column `key`."""
        return self.headers[self.positions[key]]


def match_columns(headers: list[str], specs: tuple[ColumnSpec, ...]) -> ColumnMap:
    """Find each spec's column in `headers`; unknown columns are ignored."""
    by_name = {normalise(name): spec for spec in specs for name in spec.names}
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, header in enumerate(headers):
        spec, label = _spec_for(normalise(header), by_name)
        if spec is None or spec.key in positions:
            continue
        positions[spec.key] = index
        original = _BRACKET.match(header.strip())
        if spec.money and label is not None and original is not None:
            labels[spec.key] = original["label"].strip()
    return ColumnMap(positions=positions, headers=headers, currency_labels=labels)


def missing_required(columns: ColumnMap, specs: tuple[ColumnSpec, ...]) -> list[str]:
    """Return the first name of each required column the file lacks."""
    return [
        spec.names[0] for spec in specs if spec.required and not columns.has(spec.key)
    ]


def _spec_for(
    name: str, by_name: dict[str, ColumnSpec]
) -> tuple[ColumnSpec | None, str | None]:
    if name in by_name:
        return by_name[name], None
    bracket = _BRACKET.match(name)
    if bracket is not None:
        spec = by_name.get(bracket["base"].strip())
        if spec is not None and spec.money:
            return spec, bracket["label"]
    return None, None
