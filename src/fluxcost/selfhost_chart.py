"""The break-even chart of ``fluxcost selfhost``: cost per month against images per month, for
the API and for self-hosting, with the crossing marked.

Two drawings of one ``Chart``: Unicode text for a terminal (braille dots, styled by role; the
caller colours them) and a standalone SVG (or an HTML page holding it) for ``--chart FILE``.
Pure: text in, text out. Geometry uses floats; every figure printed comes from the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING

from fluxcost.errors import FluxcostError
from fluxcost.money import grouped, plain, usd_shown
from fluxcost.selfhost import magnitude

if TYPE_CHECKING:
    from fluxcost.selfhost_report import SelfhostReport

# Round numbers for an axis end, and for the step between ticks.
_ENDS = (1, Fraction(3, 2), 2, Fraction(5, 2), 3, 4, 5, 6, 8, 10)
_STEPS = (1, 2, Fraction(5, 2), 5, 10)
DEFAULT_RANGE = 100_000  # images a month, when neither a crossing nor a volume sets one


@dataclass(frozen=True)
class Line:
    label: str  # at the line's right end
    legend: str
    fixed: Fraction  # USD a month at 0 images
    per_image: Fraction
    at_volume: str = ""  # the total at the user's volume, as the report shows it

    def at(self, images: Fraction) -> Fraction:
        return self.fixed + self.per_image * images


@dataclass(frozen=True)
class Chart:
    title: str
    subtitle: str
    period: str
    x_max: Fraction  # images a month at the right edge
    y_max: Fraction  # USD a month at the top: the last of y_ticks
    y_ticks: tuple[Fraction, ...]
    api: Line
    selfhost: Line
    crossing: Fraction | None  # images a month where the lines meet
    crossing_label: str
    volume: int | None  # the user's images a month
    volume_label: str


def _nice(value: Fraction, choices: tuple[Fraction | int, ...]) -> Fraction:
    """The smallest ``choice x 10^k`` at least ``value``."""
    if value <= 0:
        return Fraction(1)
    power = Fraction(10) ** magnitude(value)
    return next(c * power for c in choices if c * power >= value)


def ticks(end: Fraction, most: int, whole: bool = False) -> list[Fraction]:
    """0, step, 2 x step, ... up to ``end`` (or just past it): about ``most`` round steps."""
    step = _nice(end / max(1, most), _STEPS)
    if whole:
        step = max(Fraction(1), Fraction(round(step)))
    count = math.ceil(end / step)
    return [step * i for i in range(count + 1)]


def x_ticks(chart: Chart, most: int) -> list[Fraction]:
    """Whole numbers of images, none past the right edge."""
    return [t for t in ticks(chart.x_max, most, whole=True) if t <= chart.x_max]


def chart_of(r: SelfhostReport) -> Chart:
    """The chart of a report: its lines, ranges and labels."""
    api = Line(
        "API",
        f"API, {r.api_model}: {r.api_per_image.dollars} per image",
        Fraction(0),
        r.api_per_image.exact,
        f"API {r.api_total.dollars}" if r.api_total else "",
    )
    selfhost = Line(
        "self-hosted",
        f"self-hosted, {r.model}: {r.licence_per_period.dollars} a {r.period}"
        f" + {r.gpu_per_image.dollars} per image",
        r.licence_per_period.exact,
        r.gpu_per_image.exact,
        f"self-hosted {r.selfhost_total.dollars}" if r.selfhost_total else "",
    )
    crossing = None
    if r.break_even == "images":
        crossing = selfhost.fixed / (api.per_image - selfhost.per_image)
    wanted = [Fraction(2) * crossing] if crossing is not None else []
    if r.images:
        wanted.append(Fraction(r.images) * Fraction(6, 5))
    x_max = max(Fraction(10), _nice(max(wanted, default=Fraction(DEFAULT_RANGE)), _ENDS))
    y_ticks = tuple(ticks(_nice(max(api.at(x_max), selfhost.at(x_max)), _ENDS), 6))
    g = r.gpu
    return Chart(
        title=f"Self-hosting {r.model_name} or the API? {r.size}, per {r.period}",
        subtitle=(
            f"GPU ${usd_shown(g.usd_per_hour)}/hour, {plain(g.seconds_per_image)} s per image,"
            f" {plain(g.utilization_percent)}% utilization; licence"
            f" {r.licence_per_period.dollars}/{r.period}"
        ),
        period=r.period,
        x_max=x_max,
        y_max=y_ticks[-1],
        y_ticks=y_ticks,
        api=api,
        selfhost=selfhost,
        crossing=crossing,
        crossing_label=_verdict(r),
        volume=r.images,
        volume_label=f"your volume: {r.images:,} images a {r.period}" if r.images else "",
    )


def _verdict(r: SelfhostReport) -> str:
    if r.break_even_images is not None:
        return f"break-even: {r.break_even_images:,} images a {r.period}"
    if r.break_even == "always":
        return "no break-even: self-hosting costs less from the first image"
    return "no break-even: self-hosting never costs less"


def _number(value: Fraction) -> str:
    """An axis label: ``150,000``, ``2.5``."""
    return grouped(plain(Decimal(value.numerator) / value.denominator))


# -- terminal -----------------------------------------------------------------------------
# A braille cell holds 2 x 4 dots; these are the bits of (column, row from the top).
_DOT = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (0, 3): 0x40,
        (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (1, 3): 0x80}  # fmt: skip
CROSS = "\u00d7"  # where the lines cross
Segment = tuple[str, str]  # (text, role): role is "", "axis", "api", "self", "both", "mark"


def terminal(chart: Chart, width: int, height: int = 12) -> list[list[Segment]]:
    """The chart in ``width`` columns: each line a list of (text, role) segments."""
    intervals = len(chart.y_ticks) - 1
    per = max(1, height // intervals)  # rows between two y ticks, so that ticks sit on rows
    left = max(len("$" + _number(t)) for t in chart.y_ticks) + 1
    right = len(chart.selfhost.label) + 1
    cols = width - left - 1 - right
    if cols < 10:  # no room to draw: say where the chart is instead of breaking the layout
        return [[("(no room for the chart here; --chart FILE draws it)", "axis")]]
    grid = _Dots(cols, intervals * per + 1, Fraction(4 * per * intervals) / chart.y_max, chart)
    for role, line in (("api", chart.api), ("self", chart.selfhost)):
        grid.plot(role, line)
    marks: dict[tuple[int, int], str] = {}
    if chart.volume:
        column = grid.column(Fraction(chart.volume))
        marks.update({(row, column): "┊" for row in range(grid.rows) if not grid.used(row, column)})
    if chart.crossing is not None:
        marks[(grid.row(chart.api.at(chart.crossing)), grid.column(chart.crossing))] = CROSS
    labels = _end_labels(grid, chart)
    y_at = {grid.row(t): "$" + _number(t) for t in chart.y_ticks}
    out: list[list[Segment]] = [[(f"USD per {chart.period}", "axis")]]
    for row in range(grid.rows):
        text: list[Segment] = [(y_at.get(row, "").rjust(left - 1) + " ", "axis")]
        text.append(("┤" if row in y_at else "│", "axis"))
        text += [(marks[(row, c)], "mark") if (row, c) in marks else grid.cell(row, c)
                 for c in range(cols)]  # fmt: skip
        label = labels.get(row)
        text.append((" " + label[0], label[1]) if label else ("", ""))
        out.append(text)
    out += _x_axis(chart, left, cols)
    out += [[(glyph + " ", role), (text, "")] for glyph, role, text in _legend(chart)]
    return out


class _Dots:
    """Braille dots of two lines on a grid of ``cols`` x ``rows`` cells, 2 x 4 dots each."""

    def __init__(self, cols: int, rows: int, dots_per_usd: Fraction, chart: Chart) -> None:
        self.cols, self.rows, self.scale, self.chart = cols, rows, dots_per_usd, chart
        self.top = 4 * rows - 1  # the highest dot
        self.bits: dict[str, dict[tuple[int, int], int]] = {"api": {}, "self": {}}

    def column(self, images: Fraction) -> int:
        return min(self.cols - 1, round(images / self.chart.x_max * (self.cols - 1)))

    def dot(self, usd: Fraction) -> int:
        return min(self.top, round(usd * self.scale))

    def row(self, usd: Fraction) -> int:
        """The cell row (0 at the top) that ``usd`` falls in."""
        return (self.top - self.dot(usd)) // 4

    def plot(self, role: str, line: Line) -> None:
        last = None
        for dot_x in range(2 * self.cols):
            dot_y = self.dot(line.at(self.chart.x_max * dot_x / (2 * self.cols - 1)))
            low, high = (dot_y, dot_y) if last is None else sorted((last, dot_y))
            for y in range(low, high + 1):  # joined up, however steep
                cell = ((self.top - y) // 4, dot_x // 2)
                layer = self.bits[role]
                layer[cell] = layer.get(cell, 0) | _DOT[(dot_x % 2, (self.top - y) % 4)]
            last = dot_y

    def used(self, row: int, col: int) -> bool:
        return any((row, col) in layer for layer in self.bits.values())

    def cell(self, row: int, col: int) -> Segment:
        api, own = self.bits["api"].get((row, col), 0), self.bits["self"].get((row, col), 0)
        if not api | own:
            return (" ", "")
        return (chr(0x2800 | api | own), "both" if api and own else "api" if api else "self")


def _end_labels(grid: _Dots, chart: Chart) -> dict[int, Segment]:
    """Each line's name on the row where it leaves the right edge, one row apart if need be."""
    api_row = grid.row(chart.api.at(chart.x_max))
    own_row = grid.row(chart.selfhost.at(chart.x_max))
    if own_row == api_row:  # the higher line's label goes one row up (or down at the top)
        higher_is_api = chart.api.at(chart.x_max) >= chart.selfhost.at(chart.x_max)
        moved = api_row - 1 if api_row > 0 else api_row + 1
        api_row, own_row = (moved, own_row) if higher_is_api else (api_row, moved)
    return {api_row: (chart.api.label, "api"), own_row: (chart.selfhost.label, "self")}


def _x_axis(chart: Chart, left: int, cols: int) -> list[list[Segment]]:
    room = max(len(_number(chart.x_max)) + 2, 1)
    axis = ["─"] * cols
    labels = [" "] * (cols + room)
    for tick in x_ticks(chart, max(1, cols // room)):
        at = min(cols - 1, round(tick / chart.x_max * (cols - 1)))
        axis[at] = "┬"
        text = _number(tick)
        start = max(0, min(at - len(text) // 2, cols + room - len(text)))
        labels[start : start + len(text)] = text
    caption = f"images per {chart.period}"
    return [
        [(" " * (left - 1) + " └" + "".join(axis), "axis")],
        [(" " * (left + 1) + "".join(labels).rstrip(), "axis")],
        [(" " * (left + 1) + caption.center(cols).rstrip(), "axis")],
    ]


def _legend(chart: Chart) -> list[tuple[str, str, str]]:
    """(glyph, role, text) for each thing drawn."""
    items = [("⣿", "api", chart.api.legend), ("⣿", "self", chart.selfhost.legend)]
    if chart.crossing is not None:
        items.append((CROSS, "mark", chart.crossing_label))
    if chart.volume:
        items.append(("┊", "mark", chart.volume_label))
    return items


# -- SVG ----------------------------------------------------------------------------------
WIDTH, HEIGHT = 900, 530
_PLOT = (100, 90, 700, 400)  # left, top, right, bottom of the plotting area
_COLOURS = {"api": "#1a5fb4", "self": "#c64600", "grid": "#dddddd", "ink": "#222222",
            "muted": "#555555"}  # fmt: skip


@dataclass(frozen=True)
class _Frame:
    """Where images and dollars fall on the SVG canvas."""

    chart: Chart

    def x(self, images: Fraction) -> float:
        left, _, right, _ = _PLOT
        return left + float(images / self.chart.x_max) * (right - left)

    def y(self, usd: Fraction) -> float:
        _, top, _, bottom = _PLOT
        return bottom - float(usd / self.chart.y_max) * (bottom - top)


def svg(chart: Chart) -> str:
    """A standalone SVG drawing of the chart."""
    f = _Frame(chart)
    left = _PLOT[0]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" font-family="system-ui, sans-serif" font-size="13"'
        f' fill="{_COLOURS["ink"]}">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        _text(left, 32, chart.title, size=18, weight="bold"),
        _text(left, 56, chart.subtitle, fill=_COLOURS["muted"]),
        *_axes(f),
        *_volume(f),
        *_lines(f),
        *_crossing(f),
    ]
    for index, (role, line) in enumerate(_roles(chart)):
        ly = _PLOT[3] + 76 + 20 * index
        parts.append(_rule(left, ly - 4, left + 28, ly - 4, _COLOURS[role], 3))
        parts.append(_text(left + 36, ly, line.legend))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _axes(f: _Frame) -> list[str]:
    left, top, right, bottom = _PLOT
    parts = []
    for tick in f.chart.y_ticks:
        parts.append(_rule(left, f.y(tick), right, f.y(tick), _COLOURS["grid"]))
        parts.append(_text(left - 8, f.y(tick) + 4, "$" + _number(tick), anchor="end"))
    for tick in x_ticks(f.chart, 6):
        parts.append(_rule(f.x(tick), top, f.x(tick), bottom, _COLOURS["grid"]))
        parts.append(_text(f.x(tick), bottom + 20, _number(tick), anchor="middle"))
    period = f.chart.period
    parts += [
        _rule(left, bottom, right, bottom, _COLOURS["ink"]),
        _rule(left, top, left, bottom, _COLOURS["ink"]),
        _text((left + right) / 2, bottom + 44, f"images per {period}", anchor="middle"),
        _text(left - 70, (top + bottom) / 2, f"USD per {period}", anchor="middle", rotate=True),
    ]
    return parts


def _lines(f: _Frame) -> list[str]:
    """Both lines, each named at its right end; names kept apart when the ends are close."""
    right = _PLOT[2]
    ends = {role: f.y(line.at(f.chart.x_max)) for role, line in _roles(f.chart)}
    if abs(ends["api"] - ends["self"]) < 16:
        higher = "api" if ends["api"] <= ends["self"] else "self"
        ends = {role: end + (-8 if role == higher else 8) for role, end in ends.items()}
    parts = []
    for role, line in _roles(f.chart):
        end = f.y(line.at(f.chart.x_max))
        parts.append(_rule(f.x(Fraction(0)), f.y(line.fixed), right, end, _COLOURS[role], 3))
        parts.append(_text(right + 8, ends[role] + 4, line.label, fill=_COLOURS[role],
                           weight="bold"))  # fmt: skip
    return parts


def _volume(f: _Frame) -> list[str]:
    """The user's volume: a dashed line, and what each option costs there."""
    chart = f.chart
    if not chart.volume:
        return []
    _, top, right, bottom = _PLOT
    vx = f.x(Fraction(chart.volume))
    late = vx > (_PLOT[0] + right) / 2  # label to the left of the line, not off the plot
    parts = [
        _rule(vx, top, vx, bottom, "#777777", dashed=True),
        _text(vx + (-6 if late else 6), top + 14, chart.volume_label, fill=_COLOURS["muted"],
              anchor="end" if late else "start", halo=True),
    ]  # fmt: skip
    volume = Fraction(chart.volume)
    top_role = "api" if chart.api.at(volume) >= chart.selfhost.at(volume) else "self"
    for role, line in _roles(chart):
        vy = f.y(line.at(volume))
        parts.append(f'<circle cx="{vx:.1f}" cy="{vy:.1f}" r="4" fill="{_COLOURS[role]}"/>')
        # Both lines climb to the right: above left of the higher line's point and below right
        # of the lower one's, each figure stays clear of both lines.
        above = role == top_role
        tx, ty = vx + (-8 if above else 8), vy + (-8 if above else 18)
        parts.append(_text(tx, ty, line.at_volume, fill=_COLOURS[role], halo=True,
                           anchor="end" if above else "start"))  # fmt: skip
    return parts


def _crossing(f: _Frame) -> list[str]:
    chart = f.chart
    if chart.crossing is None:
        return [_text(_PLOT[0] + 10, _PLOT[1] + 36, chart.crossing_label, weight="bold", halo=True)]
    cx, cy = f.x(chart.crossing), f.y(chart.api.at(chart.crossing))
    return [
        _rule(cx, cy, cx, _PLOT[3], _COLOURS["ink"], dashed=True),
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="white" stroke="{_COLOURS["ink"]}"'
        ' stroke-width="2.5"/>',
        _text(cx + 6, _PLOT[3] - 10, chart.crossing_label, weight="bold", halo=True),
    ]


def _roles(chart: Chart) -> tuple[tuple[str, Line], tuple[str, Line]]:
    return (("api", chart.api), ("self", chart.selfhost))


def html(chart: Chart) -> str:
    """A standalone HTML page showing the SVG chart."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(chart.title)}</title>\n</head>\n"
        '<body style="margin: 24px; background: white">\n'
        f"{svg(chart)}</body>\n</html>\n"
    )


def _rule(
    x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1,
    dashed: bool = False,
) -> str:  # fmt: skip
    dash = ' stroke-dasharray="6 5"' if dashed else ""
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"'
        f' stroke-width="{width}"{dash}/>'
    )


def _text(
    x: float, y: float, text: str, *, size: int = 13, weight: str = "normal",
    anchor: str = "start", fill: str = "", rotate: bool = False, halo: bool = False,
) -> str:  # fmt: skip
    extra = f' fill="{fill}"' if fill else ""
    if halo:  # a white outline under the letters: readable over grid and lines
        extra += ' stroke="white" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
    if rotate:
        extra += f' transform="rotate(-90 {x:.1f} {y:.1f})"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}"'
        f' text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def chart_file(report: SelfhostReport, name: str) -> str:
    """The chart as the file ``name`` asks for: HTML for ``.html``/``.htm``, else SVG."""
    suffix = name.lower().rpartition(".")[2] if "." in name else ""
    if suffix in ("html", "htm"):
        return html(chart_of(report))
    if suffix == "svg":
        return svg(chart_of(report))
    raise FluxcostError(f"--chart {name}: fluxcost draws SVG or HTML; name the file .svg or .html")
