"""The import stage: running infrastructure (Compose, Kubernetes, Terraform) -> a spec."""

from __future__ import annotations

from diagramgen.importers.detect import import_source
from diagramgen.importers.model import Imported, SourceError
from diagramgen.importers.write import merge, to_yaml

__all__ = ["Imported", "SourceError", "import_source", "merge", "to_yaml"]
