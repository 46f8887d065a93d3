"""The spec validator restored from the per-user cache validates exactly like a built one.

In-process tests compare a validator round-tripped through pickle (what the cache stores)
with the one pydantic built, on every spec we ship and on random specs. Subprocess tests
check the cache's life cycle from a fresh interpreter: built and stored, then restored;
rebuilt on another key or a damaged file; never read from, nor written over, a file or
folder that is not ours alone.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError
from pydantic_core import SchemaValidator

from diagramgen.errors import SpecError
from diagramgen.spec import prebuilt
from diagramgen.spec.loader import parse
from diagramgen.spec.models import Design
from tests.spec.test_fast_loader import specs
from tests.spec.test_loader_errors import CASES

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    path
    for folder in ("specs", "tests/examples", "tests/reference")
    for path in ROOT.glob(f"{folder}/*.yaml")
)
CONTEXT = {"skip_references": True, "base_dir": None}


@pytest.fixture(scope="module")
def validators() -> tuple[SchemaValidator, SchemaValidator]:
    """pydantic's own validator for `Design`, and the same after a pickle round trip."""
    Design.model_rebuild()
    built = Design.__pydantic_validator__
    assert type(built) is SchemaValidator
    return built, pickle.loads(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))


def _outcome(validator: SchemaValidator, data: Any, base_dir: Path | None = None) -> Any:
    """The validated model, or the errors as pydantic reports them (as JSON: an exception
    in an error's context compares by identity)."""
    try:
        return validator.validate_python(data, context={**CONTEXT, "base_dir": base_dir})
    except ValidationError as exc:
        return json.loads(exc.json(include_url=False))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_restored_validator_validates_shipped_specs_alike(validators, path: Path) -> None:
    built, restored = validators
    data, _ = parse(path.read_bytes(), str(path))
    data.setdefault("name", path.stem)
    design = _outcome(built, data, path.parent)
    assert isinstance(design, Design), design
    assert _outcome(restored, data, path.parent) == design


def _parsed(name: str) -> Any:
    try:
        return parse(CASES[name], f"{name}.yaml")[0]
    except SpecError:
        return None  # a YAML error: never reaches the validator


PARSED = {name: data for name in sorted(CASES) if (data := _parsed(name)) is not None}


@pytest.mark.parametrize("name", PARSED)
def test_restored_validator_reports_the_same_errors(validators, name: str) -> None:
    built, restored = validators
    data = PARSED[name]
    # Most are schema errors; the rest (references, duplicates) pass the validator alike.
    assert _outcome(restored, data) == _outcome(built, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=specs())
def test_restored_validator_matches_on_random_specs(validators, data: dict[str, Any]) -> None:
    built, restored = validators
    assert _outcome(restored, data) == _outcome(built, data)


def test_models_import_nothing_outside_the_spec_package() -> None:
    # The cache key hashes `diagramgen/spec/*.py` only: a model type from elsewhere would
    # change the schema without changing the key.
    code = (
        "import sys, diagramgen.spec.models\n"
        "print(sorted(m for m in sys.modules if m.startswith('diagramgen')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.replace("'", '"'))
    outside = [m for m in loaded if m != "diagramgen" and not m.startswith("diagramgen.spec")]
    assert loaded and not outside


# ------------------------------------------------------------ the cache's life cycle

_ENSURE = (
    "from diagramgen.spec.models import Design\n"
    "from diagramgen.spec.prebuilt import ensure_validator\n"
    "from diagramgen.spec.loader import loads\n"
    "print(ensure_validator(Design))\n"
    "print(loads('components: [{id: api, kind: service}]').components[0].id)\n"
    "try:\n"
    "    loads('components: [{id: api, kind: servce}]', path='bad.yaml')\n"
    "except Exception as exc:\n"
    "    print(str(exc).splitlines()[0])\n"
)


def _ensure(cache: Path) -> list[str]:
    env = {**os.environ, "DIAGRAMGEN_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", _ENSURE], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1] == "api"
    assert lines[2].startswith("bad.yaml:1:") and "servce" in lines[2], lines
    return lines


def test_first_start_builds_and_stores_next_start_restores(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _ensure(cache)[0] == "built"
    stored = (cache / prebuilt.FILE_NAME).read_bytes()
    assert stored.startswith(prebuilt.FORMAT + prebuilt.schema_key(Design) + b"\n")
    assert _ensure(cache)[0] == "restored"
    assert (cache / prebuilt.FILE_NAME).read_bytes() == stored  # read, not rewritten


def test_another_key_or_a_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _ensure(cache)
    path = cache / prebuilt.FILE_NAME
    good = path.read_bytes()
    key = prebuilt.schema_key(Design)

    header = prebuilt.FORMAT + key + b"\n"

    path.write_bytes(good.replace(key, b"0" * len(key), 1))  # another pydantic, older models
    assert _ensure(cache)[0] == "built"
    assert path.read_bytes().startswith(header)  # written anew under today's key

    path.write_bytes(good[:-100] + bytes(100))  # altered after its checksum was taken
    assert _ensure(cache)[0] == "built"
    assert path.read_bytes().startswith(header)

    path.write_bytes(good[: len(good) // 2])
    assert _ensure(cache)[0] == "built"
    assert _ensure(cache)[0] == "restored"


def test_a_file_that_is_not_ours_is_neither_read_nor_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    path = cache / prebuilt.FILE_NAME
    path.write_bytes(b"my own notes, not a diagramgen cache\n")
    assert _ensure(cache)[0] == "built"
    assert path.read_bytes() == b"my own notes, not a diagramgen cache\n"


def test_a_folder_others_can_write_is_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _ensure(cache)
    cache.chmod(0o777)  # anyone could have planted the file: not unpickled
    try:
        assert _ensure(cache)[0] == "built"
        (cache / prebuilt.FILE_NAME).chmod(0o666)
        cache.chmod(0o700)
        assert _ensure(cache)[0] == "built"  # nor a file others can write
    finally:
        cache.chmod(0o700)


def test_an_unusable_cache_folder_only_costs_the_build(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    assert _ensure(blocker / "cache")[0] == "built"
    assert _ensure(blocker / "cache")[0] == "built"
