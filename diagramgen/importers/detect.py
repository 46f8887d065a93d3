"""Read a source, tell by its content what it is, and hand it to the matching importer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from diagramgen.importers.model import Imported, SourceError, make_id

# A state of a few thousand resources is a few MB; far beyond this is not one system.
MAX_BYTES = 200 * 1024 * 1024
_YAML_SUFFIXES = (".yaml", ".yml")
_GENERIC_STEMS = {"plan", "state", "tfplan", "main", "manifests", "kubernetes-manifests",
                  "k8s", "deployment", "all", "compose", "docker-compose", "terraform"}  # fmt: skip
_COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(
                f"{path}: {size // (1024 * 1024)} MB is more than the "
                f"{MAX_BYTES // (1024 * 1024)} MB an import reads"
            )
        return path.read_text("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: not a text file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _yaml_docs(path: Path, text: str) -> list[Any]:
    if "{{" in text and ("{{ ." in text or "{{." in text or "{{-" in text):
        raise SourceError(
            f"{path}: a template (`{{{{ ... }}}}`): render it first, e.g. `helm template`"
        )
    try:
        return [d for d in YAML(typ="rt").load_all(text) if d is not None]
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"{where}: {problem}") from None


def _k8s_objects(path: Path, label: str, docs: list[Any]) -> list[tuple[str, int | None, Any]]:
    out = []
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        items = doc.get("items") if doc.get("kind") == "List" else [doc]
        for obj in items or []:
            if isinstance(obj, dict) and obj.get("apiVersion") and obj.get("kind"):
                line = getattr(getattr(obj, "lc", None), "line", None)
                out.append((label, None if line is None else line + 1, obj))
    return out


def _is_compose(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("services"), dict) and "kind" not in doc


def import_source(source: str | Path) -> Imported:
    """Import a Compose file, Kubernetes manifests (file or folder), a Terraform plan or
    state JSON, or a folder of `.tf` files; which one is told by content, not by name."""
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    # `plan.json` or `kubernetes-manifests.yaml` say less than the folder they live in.
    stem = path.stem if path.is_file() else path.resolve().name
    if path.is_file() and stem.lower() in _GENERIC_STEMS:
        stem = path.resolve().parent.name or stem
    name = make_id(stem.lower(), set())
    if path.is_dir():
        return _import_folder(path, name)
    text = _read(path)
    if path.suffix == ".tf":
        from diagramgen.importers.terraform import import_hcl

        return import_hcl([path], path.name, name)
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        return _import_json(path, data, name)
    docs = _yaml_docs(path, text)
    if len(docs) == 1 and _is_compose(docs[0]):
        from diagramgen.importers.compose import import_compose

        return import_compose(docs[0], path, path.name)
    objects = _k8s_objects(path, path.name, docs)
    if objects:
        from diagramgen.importers.kubernetes import import_kubernetes

        return import_kubernetes(objects, path.resolve().name, name)
    raise SourceError(
        f"{path}: not a Compose file (no `services:`), Kubernetes manifest (no `apiVersion`/"
        "`kind`) or Terraform plan/state JSON"
    )


def _import_json(path: Path, data: Any, name: str) -> Imported:
    if (
        isinstance(data, dict)
        and "format_version" in data
        and ("planned_values" in data or "values" in data or "resource_changes" in data)
    ):
        from diagramgen.importers.terraform import import_terraform_json

        return import_terraform_json(data, path.name, name)
    if isinstance(data, dict) and data.get("apiVersion") and data.get("kind"):
        from diagramgen.importers.kubernetes import import_kubernetes

        return import_kubernetes(_k8s_objects(path, path.name, [data]), path.name, name)
    if (
        isinstance(data, dict)
        and "version" in data
        and "resources" in data
        and "terraform_version" in data
    ):
        raise SourceError(
            f"{path}: a raw Terraform state file: import `terraform show -json` instead"
        )
    raise SourceError(
        f"{path}: JSON, but not a Terraform plan or state (`terraform show -json`) "
        "nor a Kubernetes object"
    )


def _import_folder(path: Path, name: str) -> Imported:
    tf = sorted(path.glob("*.tf"))
    if tf:
        from diagramgen.importers.terraform import import_hcl

        return import_hcl(tf, path.resolve().name, name)
    for compose in _COMPOSE_NAMES:
        if (path / compose).is_file():
            return import_source(path / compose)
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and p.suffix in (*_YAML_SUFFIXES, ".json")
    )
    objects = []
    for f in files:
        text = _read(f)
        label = f.relative_to(path).as_posix()
        if f.suffix == ".json":
            try:
                docs = [json.loads(text)]
            except json.JSONDecodeError:
                continue
        else:
            docs = _yaml_docs(f, text)
        objects += _k8s_objects(f, label, docs)
    if not objects:
        raise SourceError(
            f"{path}: no `.tf` files, Compose file or Kubernetes manifests in this folder"
        )
    from diagramgen.importers.kubernetes import import_kubernetes

    return import_kubernetes(objects, path.resolve().name, name)
