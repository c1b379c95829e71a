"""Which package may import which (docs/architecture.md): the core never reaches into a channel, and
connector never into lightspeed; a channel never into another channel."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "connector": ("channels", "lightspeed"),
    "tenants": ("channels", "lightspeed"),
    "lightspeed": ("channels",),
}


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def violations(package, forbidden):
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden or module in forbidden:
                yield f"{path.relative_to(ROOT)} imports {module}"


@pytest.mark.parametrize("package,forbidden", FORBIDDEN.items())
def test_core_packages_import_no_channel(package, forbidden):
    assert not list(violations(package, forbidden))


def test_a_channel_imports_no_other_channel():
    found = []
    for package in sorted(p for p in (ROOT / "channels").iterdir() if (p / "apps.py").exists()):
        others = tuple(f"channels.{p.name}" for p in (ROOT / "channels").iterdir() if p != package)
        for path in package.rglob("*.py"):
            found += [f"{path.relative_to(ROOT)} imports {m}" for m in imported_modules(path) if m.startswith(others)]
    assert not found


def test_the_walk_sees_imports():
    assert "connector.channels" in set(imported_modules(ROOT / "lightspeed" / "channel.py"))
