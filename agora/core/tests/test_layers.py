"""The import rules between apps (docs/architecture.md, "Layers"), checked on the source: a rule that
only lives in a document is broken by the first hurried change."""

from __future__ import annotations

import ast
from pathlib import Path

AGORA = Path(__file__).resolve().parents[2]
# Lowest first: an app's domain modules import only apps to their left.
MARKET = ["shops", "catalog", "cart", "orders", "payments", "reviews"]
SQUARE = ["social", "feeds"]
# The web/API layer of every app: it may read any app, through that app's access/selectors.
WEB_LAYER = {"views.py", "api.py", "urls.py", "admin.py"}


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, at module level) for every `from agora.x ... import` and `import agora.x`."""
    found = []
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("agora."):
            found.append((node.lineno, node.module, id(node) in top))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name, id(node) in top) for a in node.names if a.name.startswith("agora.")
            ]
    return found


def _domain_modules(app: str) -> list[Path]:
    return [
        p
        for p in sorted((AGORA / app).rglob("*.py"))
        if "tests" not in p.parts and "migrations" not in p.parts and p.name not in WEB_LAYER
    ]


def test_market_apps_import_only_lower_market_apps_and_nothing_of_the_square():
    wrong = []
    for app in MARKET:
        for path in _domain_modules(app):
            for line, module, _ in _imports(path):
                other = module.split(".")[1]
                where = f"{path.relative_to(AGORA.parent)}:{line} imports {module}"
                if other in MARKET and MARKET.index(other) > MARKET.index(app):
                    wrong.append(f"{where} (higher than {app})")
                if other in SQUARE:
                    wrong.append(f"{where} (the market knows nothing of posts)")
    assert wrong == []


def test_market_modules_import_other_apps_at_module_level():
    # A function-level import hides a circle instead of breaking it. apps.py's ready() is where Django
    # wants start-up registrations (models are not loaded when apps.py is imported).
    hidden = [
        f"{path.relative_to(AGORA.parent)}:{line} imports {module} inside a function"
        for app in MARKET
        for path in (AGORA / app).rglob("*.py")
        if "tests" not in path.parts and path.name != "apps.py"
        for line, module, top in _imports(path)
        if not top and module.split(".")[1] != app
    ]
    assert hidden == []


def test_views_and_routers_read_other_apps_through_their_access_and_selectors():
    # Another app's models module in a view or router means a query on its tables that bypasses the
    # owner's permission checks and read shapes. The user model is the one shared type.
    wrong = [
        f"{path.relative_to(AGORA.parent)}:{line} imports {module}"
        for path in sorted(AGORA.glob("*/*.py"))
        if path.name in ("views.py", "api.py")
        for line, module, _ in _imports(path)
        if module.endswith(".models")
        and module.split(".")[1] != path.parent.name
        and module != "agora.accounts.models"
    ]
    assert wrong == []


def test_domain_apps_have_one_shape():
    # Writes in actions.py, permission-checked reads in access.py, other reads in selectors.py.
    apps = ["accounts", "social", "notifications", "media", "platform", *MARKET]
    missing = [
        f"agora/{app}/{module}"
        for app in apps
        for module in ("actions.py", "access.py", "selectors.py")
        if not (AGORA / app / module).exists()
    ]
    assert missing == []
    # and no access_ function outside access.py
    misplaced = [
        f"{path.relative_to(AGORA.parent)}: {node.name}"
        for app in apps
        for path in _domain_modules(app)
        if path.name != "access.py"
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("access_")
    ]
    assert misplaced == []
