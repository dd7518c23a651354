"""Old name of ``fluxcost.pricing``, kept until every import has moved there."""

from __future__ import annotations

from fluxcost.pricing import (
    LineItem,
    Quote,
    Request,
    build_request,
    cannot_serve,
    check_request,
    quote,
)

__all__ = [
    "LineItem",
    "Quote",
    "Request",
    "build_request",
    "cannot_serve",
    "check_request",
    "quote",
]
