"""Docker Compose -> `Imported`: services, networks as groups, depends_on, links, env refs.

Follows the Compose Specification (compose-spec.io): `services.<name>` with `image`,
`build`, `depends_on` (list or mapping), `links` (`service` or `service:alias`),
`networks` (list or mapping), `deploy.replicas` (and the legacy `scale`), `profiles`,
`environment` (list of `KEY=VALUE` or a mapping). `${VAR}` interpolation is applied as
Compose does: from the environment and a `.env` file beside the Compose file, with the
`:-`, `-`, `:?`, `?`, `:+`, `+` forms; an unset variable becomes an empty string and a
warning, never an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from diagramgen.importers.model import Imported, component_from_image, env_references, make_id

_VAR = re.compile(r"\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_OPS = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?$", re.S)


def read_env_file(path: Path) -> dict[str, str]:
    """`KEY=VALUE` lines of a `.env` file (comments and blank lines skipped)."""
    out: dict[str, str] = {}
    try:
        text = path.read_text("utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        out[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return out


def interpolate(text: str, env: Mapping[str, str], unset: set[str]) -> str:
    """Compose's `${VAR}` substitution; names of unset variables without a default go to `unset`."""

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        expr = m.group(1) if m.group(1) is not None else m.group(2)
        op = _OPS.match(expr)
        if op is None:
            unset.add(expr)
            return ""
        name, kind, arg = op.group(1), op.group(2), op.group(3) or ""
        value = env.get(name)
        empty = value is None or (kind is not None and kind.startswith(":") and value == "")
        if kind in ("-", ":-"):
            return arg if empty else value or ""
        if kind in ("+", ":+"):
            return "" if empty else arg
        if value is None:
            unset.add(name)
            return ""
        return value

    return _VAR.sub(sub, text)


def _interpolate_tree(node: Any, env: Mapping[str, str], unset: set[str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env, unset)
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _interpolate_tree(node[key], env, unset)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            node[i] = _interpolate_tree(item, env, unset)
    return node


def _names(value: Any) -> list[str]:
    """Service names of a `depends_on` / `networks` value: a list or a mapping."""
    if isinstance(value, Mapping):
        return [str(k) for k in value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def _environment(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        return [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [(str(v).partition("=")[0], str(v).partition("=")[2]) for v in value]
    return []


def _line(mapping: Any, key: str) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def import_compose(doc: Any, path: Path, label: str) -> Imported:
    """The design a Compose file describes (`doc` is its ruamel round-trip mapping)."""
    services = doc.get("services")
    name = doc.get("name") or path.parent.resolve().name or "compose"
    result = Imported(source=label, format="compose", name=make_id(str(name).lower(), set()))
    if not isinstance(services, Mapping) or not services:
        result.warnings.append(f"{label}: no services")
        return result
    env = {**read_env_file(path.parent / ".env"), **os.environ}
    unset: set[str] = set()
    _interpolate_tree(services, env, unset)
    for var in sorted(unset):
        result.warnings.append(
            f"{label}: variable {var} is not set; it was read as an empty string"
        )
    for key in ("include", "extends"):
        if key in doc:
            result.warnings.append(f"{label}: `{key}` is not followed; import those files too")

    taken: set[str] = set()
    ids = {str(s): make_id(str(s), taken) for s in services}
    networks: dict[str, str] = {}
    for svc_name, svc in services.items():
        svc = svc if isinstance(svc, Mapping) else {}
        svc_name = str(svc_name)
        line = _line(services, svc_name)
        where = f"{path.name}:{line}" if line else path.name
        image = svc.get("image") if isinstance(svc.get("image"), str) else None
        comp = component_from_image(ids[svc_name], image, svc_name, f"{where} service/{svc_name}")
        if comp["id"] != svc_name:
            comp["label"] = svc_name
        build = svc.get("build")
        if image is None and build is not None:
            context = build.get("context") if isinstance(build, Mapping) else build
            comp["description"] = f"Built from {context}."
        deploy = svc.get("deploy") if isinstance(svc.get("deploy"), Mapping) else {}
        replicas = deploy.get("replicas", svc.get("scale"))
        if isinstance(replicas, int) and replicas >= 1:
            comp["replicas"] = replicas
        elif replicas == 0:
            comp["note"] = "scaled to 0 replicas"
        profiles = _names(svc.get("profiles"))
        if profiles:
            comp["note"] = "profile " + ", ".join(profiles) + " only"
        nets = _names(svc.get("networks"))
        if nets:
            net = nets[0]
            if net not in networks:
                networks[net] = make_id(net if net not in ids else f"net-{net}", taken)
                result.groups.append({"id": networks[net], "label": f"network {net}"})
            comp["group"] = networks[net]
        result.components.append(comp)

    hosts = dict(ids)
    for svc_name, svc in services.items():
        svc = svc if isinstance(svc, Mapping) else {}
        src = ids[str(svc_name)]
        for dep in _names(svc.get("depends_on")):
            if dep in ids:
                result.connect(src, ids[dep])
            else:
                result.warnings.append(f"{label}: {svc_name} depends on unknown service {dep}")
        for link in svc.get("links") or []:
            target = str(link).partition(":")[0]
            if target in ids:
                result.connect(src, ids[target])
        for key, value in _environment(svc.get("environment")):
            for target in env_references(key, value, hosts):
                result.connect(src, target, label=key)
    return result
