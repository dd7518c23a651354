"""Image sizes and the ``WxH`` text users type for them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fluxcost.errors import FluxcostError

# "x" as people type it; also "X", "*" and the multiplication sign pasted from docs.
_SIZE = re.compile(r"^\s*(-?\d+)\s*[xX*\u00d7]\s*(-?\d+)\s*$")


@dataclass(frozen=True, order=True)
class Size:
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"

    def on_step(self, step: int, up: bool) -> Size:
        """Both sides rounded down (or up) to a multiple of ``step``: the nearest sizes on a
        model's step that keep the aspect ratio as near as the step allows."""
        if up:
            return Size(-(-self.width // step) * step, -(-self.height // step) * step)
        return Size(self.width // step * step, self.height // step * step)

    @classmethod
    def parse(cls, text: str, what: str = "size") -> Size:
        match = _SIZE.match(text)
        if not match:
            raise FluxcostError(f"{what} {text!r} is not WIDTHxHEIGHT in pixels, e.g. 1024x1024")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def coerce(cls, value: object, what: str = "size") -> Size:
        """A Size from ``"WxH"``, a ``(width, height)`` pair, or a Size."""
        if isinstance(value, Size):
            return value
        if isinstance(value, str):
            return cls.parse(value, what)
        if isinstance(value, (tuple, list)) and len(value) == 2:
            width, height = value
            whole = all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            if whole:
                return cls(width, height)
        raise FluxcostError(f"{what} {value!r} is not 'WxH' text or a (width, height) pair")
