"""`Design`'s validator restored from the per-user cache instead of rebuilt at every start.

pydantic builds a model's validator by generating its core schema in Python: for the spec's
39 models that is 0.08-0.1 s of every command that reads a spec (a fifth of `validate` of a
1,000-component spec), and the same schema every time. pydantic-core pickles a built
`SchemaValidator` as its core schema and config, and unpickling builds the Rust validator
from them directly, in under 0.01 s. The schema's functions and classes are pickled by
reference (module and qualified name), so the file holds names of our code, not code. The
idea and its invalidation key (pydantic's version and the models' source) are the ones of
pydantic's own startup work (pydantic/pydantic#13545, "model build memory & startup
optimizations").

The file is keyed by everything that shapes the schema: the model's name, the source files
of `diagramgen.spec` (the models import no other part of diagramgen: a test checks it) and
the Python, pydantic and pydantic-core versions. A file with another key, one that is not
ours alone (see `cachedir.private`), or one that fails its checksum or does not unpickle is
ignored: the validator is built as pydantic always builds it, and the file written anew.
Only the validator comes from here: the serializer and the JSON Schema are built by pydantic
on first use, and that build replaces the restored validator with an identical one.
pydantic plugins (none is installed with diagramgen) do not see a restored validator.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from pydantic_core import SchemaValidator

from diagramgen.cachedir import cache_base, private

FORMAT = b"diagramgen spec validator 1\n"
FILE_NAME = "spec-validator.pickle"

Outcome = Literal["ready", "restored", "built"]


def ensure_validator(model: type[BaseModel]) -> Outcome:
    """Give `model` its validator: `ready` already, `restored` from the cache, or `built`.

    Never raises for a cache problem: an unreadable or unwritable cache only costs the
    build time.
    """
    if model.__pydantic_complete__ or isinstance(model.__pydantic_validator__, SchemaValidator):
        return "ready"
    key = schema_key(model)
    path = cache_base() / FILE_NAME
    restored = _read(path, key)
    if restored is not None:
        model.__pydantic_validator__ = restored  # type: ignore[assignment]
        return "restored"
    model.model_rebuild()
    validator = model.__pydantic_validator__
    if type(validator) is SchemaValidator:  # a plugin's wrapper is not ours to cache
        _write(path, key, validator)
    return "built"


def warm() -> Outcome:
    """Make sure the cache holds `Design`'s validator (what `make setup` runs)."""
    from diagramgen.spec.models import Design

    return ensure_validator(Design)


def schema_key(model: type[BaseModel]) -> bytes:
    """The hex sha256 of what shapes `model`'s core schema (see the module docstring)."""
    import pydantic
    import pydantic_core

    digest = hashlib.sha256()
    name = f"{model.__module__}.{model.__qualname__}"
    versions = f"{name}\0{sys.version}\0{pydantic.VERSION}\0{pydantic_core.__version__}\0"
    digest.update(versions.encode())
    folder = Path(__file__).parent
    for source in sorted(folder.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest().encode()


def _read(path: Path, key: bytes) -> SchemaValidator | None:
    """The cached validator when the file is ours, has this key and is whole; else None."""
    try:
        if not (private(path.parent) and private(path, folder=False)):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    header, _, rest = data.partition(b"\n\n")
    lines = header.split(b"\n")
    if len(lines) != 3 or lines[0] + b"\n" != FORMAT or lines[1] != key:
        return None
    if hashlib.sha256(rest).hexdigest().encode() != lines[2]:
        return None  # cut short or altered: never unpickle a partial file
    try:
        validator = pickle.loads(rest)
    except Exception:  # any failure means: build it instead
        return None
    return validator if type(validator) is SchemaValidator else None


def _write(path: Path, key: bytes, validator: SchemaValidator) -> None:
    """Store the validator for the next start; silently nothing when it cannot be stored."""
    from diagramgen.atomic import replace_file
    from diagramgen.errors import OutputError

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(path.parent):
            return
        payload = pickle.dumps(validator, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        data = FORMAT + key + b"\n" + checksum + b"\n\n" + payload
        replace_file(path, data, ours=lambda head: head.startswith(FORMAT))
    except (OSError, OutputError):
        return
    except Exception:  # a schema that does not pickle is simply not cached
        return
