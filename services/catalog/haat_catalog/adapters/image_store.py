"""Where product photos live: a local directory by default (a mounted volume or an object store later).

Paths are made only of the image's own id, never of anything a user typed.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path


class LocalImageStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, image_id: str, variant: str) -> Path:
        uuid.UUID(image_id)  # refuses anything that is not an id we made
        return self.root / image_id[:2] / f"{image_id}.{variant}"

    def put(self, image_id: str, variant: str, content: bytes) -> None:
        target = self.path(image_id, variant)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, target)

    def get(self, image_id: str, variant: str) -> bytes | None:
        try:
            return self.path(image_id, variant).read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def delete(self, image_id: str, variants: tuple[str, ...]) -> None:
        for variant in variants:
            self.path(image_id, variant).unlink(missing_ok=True)
