"""Map the top-level folders into the one `opsgate` import namespace.

DESIGN.md keeps `connectors/`, `rules/`, `agent/`, `tui/` and `evals/` at the
top of the repository, but they must import as `opsgate.connectors`, ... so
that generic names never land in site-packages. Everything else about the
distribution is declared in pyproject.toml.
"""

from setuptools import find_packages, setup

ROOTS = {
    "opsgate": "opsgate",
    "opsgate.connectors": "connectors",
    "opsgate.rules": "rules",
    "opsgate.agent": "agent",
    "opsgate.tui": "tui",
    "opsgate.evals": "evals",
}


def _packages() -> list[str]:
    names = []
    for name, folder in ROOTS.items():
        names.append(name)
        names.extend(f"{name}.{sub}" for sub in find_packages(folder))
    return names


setup(packages=_packages(), package_dir=ROOTS)
