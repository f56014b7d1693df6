"""Which of the project's source files a module depends on: its imports, followed with
Python's own rules (absolute, `import a.b`, relative, parent packages) without running them,
kept to the files under the project's folder. The cache key hashes exactly these."""

from __future__ import annotations

import ast
import functools
import importlib.util
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _origin(name: str, root: Path) -> Path | None:
    """The file of module `name` when it is one of the project's (under `root`), else None
    (without importing it: find_spec imports parent packages only, the project's own)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.has_location or spec.origin is None:
        return None
    path = Path(spec.origin).resolve()
    if not path.is_relative_to(root) or path.suffix != ".py":
        return None
    return None if path.relative_to(root).parts[0].startswith(".") else path  # not .venv/


def _is_package(name: str, root: Path) -> bool:
    """Whether `name` is one of the project's packages (checked parent first, so that
    finding it imports only the project's own package __init__ files)."""
    parent = name.rpartition(".")[0]
    if parent and not _is_package(parent, root):
        return False
    path = _origin(name, root)
    return path is not None and path.name == "__init__.py"


def _imported_names(path: Path, module: str) -> frozenset[str]:
    """Every module an import statement in `path` (module `module`) can load, absolute."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports(path.read_bytes(), str(path), package)


@functools.cache
def _imports(source: bytes, filename: str, package: str) -> frozenset[str]:
    """_imported_names of a file's text: parsed once per text (an explainer run hashes each
    clip's sources, the same files over and over)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # may be submodules
    return frozenset(names)


def _with_parents(name: str) -> list[str]:
    """`a.b.c` → ['a', 'a.b', 'a.b.c']: importing a module runs its packages' __init__."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def project_files(modules: Iterable[str], root: Path = ROOT) -> list[Path]:
    """The project's source files (under `root`) that importing `modules` runs, sorted."""
    found: dict[Path, str] = {}
    todo = [parent for name in modules for parent in _with_parents(name)]
    while todo:
        name = todo.pop()
        parent = name.rpartition(".")[0]
        if parent and not _is_package(parent, root):
            continue  # a name inside a module, or another project's: finding it would import
        path = _origin(name, root)
        if path is None or path in found:
            continue
        found[path] = name
        for imported in _imported_names(path, name):
            todo.extend(_with_parents(imported))
    return sorted(found)


def translations(script: Path) -> list[Path]:
    """The translations of the script `script` (narration/<name>.toml) that exist:
    narration/<lang>/<name>.toml for every language but English, in order, so a digest of
    the scripts notices a German-only edit."""
    from narration.script import LANGUAGES

    found = (script.parent / lang / script.name for lang in LANGUAGES if lang != "en")
    return [path for path in found if path.is_file()]
