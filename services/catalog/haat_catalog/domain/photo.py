"""Product photos: what is accepted, and the clean copies that are kept.

A photo is judged by its bytes (never its file name or declared type), re-encoded without its
metadata (a phone photo's EXIF holds the GPS position of the producer's home) and turned upright,
and a small thumbnail is made for lists on slow connections.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


class RejectedPhoto(ValueError):
    pass


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes  # WebP


def clean(content: bytes, *, max_bytes: int, max_pixels: int, thumbnail_px: int) -> CleanPhoto:
    if len(content) > max_bytes:
        raise RejectedPhoto(f"the photo is larger than {max_bytes // (1024 * 1024)} MB")
    if not content:
        raise RejectedPhoto("the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(content))
            if probe.format not in FORMATS:
                raise RejectedPhoto(f"{probe.format or 'this'} files are not accepted: send a JPEG, PNG or WebP photo")
            if probe.width * probe.height > max_pixels:
                raise RejectedPhoto(f"the photo has more than {max_pixels // 1_000_000} megapixels")
            probe.verify()
            image = Image.open(io.BytesIO(content))
            image.load()
    except RejectedPhoto:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RejectedPhoto(f"the photo has more than {max_pixels // 1_000_000} megapixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise RejectedPhoto("the file is not a readable JPEG, PNG or WebP photo") from None
    content_type, extension = FORMATS[probe.format]
    upright: Image.Image = ImageOps.exif_transpose(image)
    if probe.format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    clean_bytes = io.BytesIO()
    options: dict[str, dict[str, Any]] = {
        "JPEG": {"quality": 88, "optimize": True},
        "PNG": {"optimize": True},
        "WEBP": {"quality": 88},
    }
    upright.save(clean_bytes, format=probe.format, **options[probe.format])  # no exif= : metadata dropped
    thumb = upright.copy()
    thumb.thumbnail((thumbnail_px, thumbnail_px))
    if thumb.mode not in ("RGB", "RGBA"):
        thumb = thumb.convert("RGBA" if "A" in thumb.mode else "RGB")
    thumb_bytes = io.BytesIO()
    thumb.save(thumb_bytes, format="WEBP", quality=80)
    return CleanPhoto(
        clean_bytes.getvalue(), content_type, extension, upright.width, upright.height, thumb_bytes.getvalue()
    )
