"""A section of the report: what the template draws, built from data (internal)."""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

__all__ = ["Section", "collect_notes", "slug"]


@dataclass
class Section:
    """One heading of the page and its content.

    ``kind`` names the template macro that draws ``context``; ``children``
    are the sub-sections (one heading level down). A section that cannot be
    shown has ``unavailable`` set to the reason, which the page prints in
    place of the content.
    """

    key: str
    title: str
    how_to_read: str
    kind: str = "none"
    context: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    unavailable: str | None = None

    def walk(self) -> Iterator["Section"]:
        """This section and every sub-section, in page order."""
        yield self
        for child in self.children:
            yield from child.walk()


def slug(text: str) -> str:
    """An id for an anchor: letters, digits and hyphens."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


@contextmanager
def collect_notes(section: Section) -> Iterator[None]:
    """User warnings raised inside become notes of ``section`` (each message once), shown on the page.

    Other warnings (a RuntimeWarning of numpy, say) are passed on unchanged.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield
    for w in caught:
        if issubclass(w.category, UserWarning):
            if str(w.message) not in section.notes:
                section.notes.append(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
