"""Load and check the YAML rules catalog; a bad file names its file, line and key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import structlog
import yaml
from pydantic import ValidationError

from opsgate.rules.canonical import CANONICAL_TYPES
from opsgate.rules.catalog.errors import CatalogError
from opsgate.rules.catalog.model import Catalog, SourceEntry

log = structlog.get_logger(__name__)

Location = tuple[str | int, ...]


def shipped_catalog_dir() -> Path:
    """Return the folder of the catalog shipped with Opsgate."""
    return Path(str(resources.files("opsgate.rules.catalog")))


def load_catalog(paths: Iterable[Path], *, include_shipped: bool = True) -> Catalog:
    """Load every `*.yaml` file of the shipped catalog and of `paths`, in that order."""
    folders = [shipped_catalog_dir()] if include_shipped else []
    sources: dict[str, SourceEntry] = {}
    for file in _yaml_files([*folders, *paths]):
        entry = load_source_file(file)
        if entry.source in sources:
            raise CatalogError(
                f"source {entry.source!r} is already defined in {sources[entry.source].file}",
                file=str(file),
                line=1,
                key="source",
            )
        sources[entry.source] = entry
    log.info("catalog.loaded", sources=sorted(sources), files=len(sources))
    return Catalog(sources=sources)


def _yaml_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.yaml"))
        elif path.is_file():
            yield path
        else:
            raise CatalogError(
                "no such file or folder", file=str(path), line=None, key="$"
            )


def load_source_file(file: Path) -> SourceEntry:
    """Parse and check one catalog file."""
    text = file.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CatalogError(
            f"not valid YAML ({exc})", file=str(file), line=line, key="$"
        ) from None
    if node is None:
        raise CatalogError("the file is empty", file=str(file), line=1, key="$")
    marks: dict[Location, int] = {}
    _collect_marks(node, (), marks, str(file))
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CatalogError(
            "expected a mapping at the top", file=str(file), line=1, key="$"
        )
    try:
        entry = SourceEntry.model_validate({**data, "file": str(file)})
    except ValidationError as exc:
        raise _located(exc, file, marks) from None
    _check_canonical(entry, file, marks)
    return entry


def _collect_marks(
    node: yaml.Node, location: Location, marks: dict[Location, int], file: str
) -> None:
    marks[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise CatalogError(
                    "key appears twice",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    key=_dotted((*location, key)),
                )
            seen.add(key)
            _collect_marks(value_node, (*location, key), marks, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(item, (*location, index), marks, file)


def _located(
    exc: ValidationError, file: Path, marks: dict[Location, int]
) -> CatalogError:
    first = exc.errors()[0]
    location = tuple(step for step in first["loc"] if not _is_union_tag(step))
    return CatalogError(
        _plain(first),
        file=str(file),
        line=_nearest_line(location, marks),
        key=_dotted(location),
    )


def _is_union_tag(step: Any) -> bool:
    return isinstance(step, str) and ("[" in step or step.startswith("function-"))


def _plain(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"unknown key (value {error['input']!r})"
    if error["type"] == "missing":
        return "required key is missing"
    return (
        f"{message} (got {error['input']!r})"
        if not isinstance(error["input"], dict)
        else message
    )


def _nearest_line(location: Location, marks: dict[Location, int]) -> int | None:
    for end in range(len(location), -1, -1):
        if location[:end] in marks:
            return marks[location[:end]]
    return None


def _dotted(location: Location) -> str:
    text = ""
    for step in location:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text or "$"


def _check_canonical(
    entry: SourceEntry, file: Path, marks: dict[Location, int]
) -> None:
    names = {m.name for m in entry.mappings}
    for index, mapping in enumerate(entry.mappings):
        where: Location = ("mappings", index)
        model = CANONICAL_TYPES.get(mapping.canonical)
        if model is None:
            known = ", ".join(sorted(CANONICAL_TYPES))
            raise CatalogError(
                f"unknown canonical kind {mapping.canonical!r}; known: {known}",
                file=str(file),
                line=_nearest_line((*where, "canonical"), marks),
                key=_dotted((*where, "canonical")),
            )
        for field in mapping.fields:
            if field not in model.model_fields:
                raise CatalogError(
                    f"{mapping.canonical!r} has no field {field!r}",
                    file=str(file),
                    line=_nearest_line((*where, "fields", field), marks),
                    key=_dotted((*where, "fields", field)),
                )
        if len(names) != len(entry.mappings):
            raise CatalogError(
                "mapping names must be unique within a source",
                file=str(file),
                line=_nearest_line((*where, "name"), marks),
                key=_dotted((*where, "name")),
            )
