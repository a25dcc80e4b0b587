"""Why a product's field is refused, as a stable code with parameters (the pages and the bulk upload's
report say it in Hindi or English through haat.problem_texts) and an English message for API readers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldRefusal:
    code: str
    message: str
    params: dict[str, object] = field(default_factory=dict)
