"""``citizen/selection`` is a library: no Flask, SQLAlchemy, Babel or the rest of citizen."""

from __future__ import annotations

import ast
from pathlib import Path

SELECTION = Path(__file__).resolve().parent.parent / "citizen" / "selection"
FORBIDDEN_ROOTS = {"flask", "flask_babel", "flask_wtf", "flask_login", "sqlalchemy", "alembic",
                   "babel", "wtforms", "werkzeug", "jinja2"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: must stay inside the selection package
                depth = len(path.relative_to(SELECTION).parts) - 1
                if node.level > depth + 1:
                    names.append("citizen." + (node.module or ""))
            elif node.module:
                names.append(node.module)
    return names


def test_selection_imports_nothing_from_the_web_stack() -> None:
    files = sorted(SELECTION.rglob("*.py"))
    assert files, "citizen/selection has Python files"
    bad = []
    for path in files:
        for name in _imports(path):
            root = name.split(".")[0]
            inside_citizen = name.startswith("citizen.") and not name.startswith("citizen.selection")
            if root in FORBIDDEN_ROOTS or inside_citizen or name == "citizen":
                bad.append(f"{path.relative_to(SELECTION.parent.parent)}: {name}")
    assert bad == []


def test_the_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    # The rule itself is tested, so the test above cannot pass by accident.
    sample = tmp_path / "probe.py"
    sample.write_text("import flask\nfrom citizen.db import Base\n", encoding="utf-8")
    assert _imports(sample) == ["flask", "citizen.db"]


def _in_a_fresh_app_process(checks: str) -> None:
    """Run ``checks`` (Python) in a new interpreter right after the app is created."""
    import subprocess
    import sys

    code = "import sys\nfrom citizen.app import create_app\ncreate_app({'TESTING': True})\n" + checks
    subprocess.run([sys.executable, "-c", code], check=True, cwd=SELECTION.parent.parent,
                   capture_output=True)


def test_the_web_app_loads_the_solver_only_when_a_draw_needs_it() -> None:
    _in_a_fresh_app_process(
        "assert 'highspy' not in sys.modules, 'solver loaded at start-up'\n"
        "from citizen import selection\n"
        "assert callable(selection.select) and 'highspy' in sys.modules\n"
    )


def test_the_web_app_loads_the_pdf_library_only_when_letters_are_printed() -> None:
    """fpdf2 brings fontTools, Pillow and NumPy: about 50 MB in every worker if loaded at
    start-up, for a page a few organisers use."""
    _in_a_fresh_app_process(
        "heavy = {'fpdf', 'fontTools', 'PIL', 'numpy'} & {m.split('.')[0] for m in sys.modules}\n"
        "assert not heavy, heavy\n"
        "from citizen.assembly import letters\n"
        "assert 'fpdf' in sys.modules\n"
    )
