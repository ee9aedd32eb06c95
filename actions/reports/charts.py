"""Line charts of a measure's targets against its actual figures, drawn on the server as
SVG so that the same chart appears on the page and in the PDF board pack. Each value is
written beside its point, and the two lines differ in dash and marker shape, not only in
colour; the page puts the same numbers in a table beneath.

Only real points are plotted: a line joins two neighbouring values of a series only when
no period the chart shows between them lacks one and they are at most a year apart
(MAX_JOIN_DAYS: the longest period a measure reports, a school year), so a 2017 baseline
and a 2023 figure stand apart rather than reading as a trend. The text is sized for the
chart drawn 288 px wide (a 320 px phone): no text under 10 px there (MIN_PHONE_PX)."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 480, 340
LEFT, RIGHT, TOP, BOTTOM = 76, 24, 36, 96
TEXT, SMALL = 19, 17  # font sizes in the chart's units
MIN_PHONE_PX, PHONE_WIDTH = 10, 288
MAX_JOIN_DAYS = 366
TARGET, ACTUAL, INK, RULE = "#505a5f", "#1d70b8", "#0b0c0c", "#b1b4b6"


def nice_ceiling(value):
    """A round number at or above `value` for the top of the axis."""
    magnitude = Decimal(10) ** (len(str(int(value))) - 1) if value >= 1 else Decimal(1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def line_chart(measure, points):
    """The SVG markup for `points` (Measure.progress()), or "" when there is nothing."""
    if not points:
        return ""
    values = [v for p in points for v in (p.target, p.actual) if v is not None]
    top = Decimal(100) if measure.unit == "percent" else nice_ceiling(max(values) * Decimal("1.1"))
    first, last = points[0].period_end, points[-1].period_end
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day):
        return round(
            LEFT + (plot_w / 2 if first == last else plot_w * (day - first).days / span), 1
        )

    def y(value):
        return round(TOP + plot_h * (1 - float(value) / float(top)), 1)

    parts = []
    for i in range(5):  # horizontal rules and their values
        tick = top * i / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="19" '
                'fill="{}">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                y(tick),
                y(tick),
                RULE,
                LEFT - 8,
                y(tick),
                INK,
                measure.format(tick.normalize()),
            )
        )
    parts.append(
        format_html(
            '<line x1="{l}" x2="{l}" y1="{t}" y2="{b}" stroke="{c}"/>'
            '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="{c}"/>'
            '<text x="8" y="16" font-size="19" fill="{c}">{unit}</text>'
            '<text x="{mid}" y="{h}" text-anchor="middle" font-size="19" fill="{c}">Period</text>',
            l=LEFT,
            r=WIDTH - RIGHT,
            t=TOP,
            b=HEIGHT - BOTTOM,
            c=INK,
            mid=LEFT + plot_w / 2,
            h=HEIGHT - 6,
            unit="Per cent" if measure.unit == "percent" else measure.get_unit_display(),
        )
    )
    for p in points:  # the period under each point
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="end" font-size="17" fill="{c}" '
                'transform="rotate(-30 {x} {y})">{}</text>',
                f"{p.period_end:%b %Y}",
                x=x(p.period_end),
                y=HEIGHT - BOTTOM + 16,
                c=INK,
            )
        )
    parts.append(series(measure, points, "target", x, y, TARGET, dashed=True))
    parts.append(series(measure, points, "actual", x, y, ACTUAL, dashed=False))
    summary = "; ".join(
        f"{p.label}: target {measure.format(p.target)}, actual {measure.format(p.actual)}"
        for p in points
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'class="app-chart__svg" font-family="Arial, sans-serif" aria-label="{label}">'
        "<title>{label}</title><desc>{desc}</desc>"
        "{body}</svg>",
        w=WIDTH,
        h=HEIGHT,
        label=f"Line chart of {measure.name}: target and actual",
        desc=summary,
        body=mark_safe("".join(parts)),  # noqa: S308 - built with format_html
    )


def label_y(point_y, dashed):
    """Targets' values above their squares; actuals' below their circles, or above them
    when the point sits on the axis."""
    if dashed or point_y + 20 > HEIGHT - BOTTOM - 4:
        return point_y - 10 if dashed else point_y - 12
    return point_y + 20


def series(measure, points, attribute, x, y, colour, dashed):
    shown = [
        p
        for p in points
        if getattr(p, attribute) is not None and (p.declared or attribute == "actual")
    ]
    if not shown:
        return ""
    lines = "".join(
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{}/>',
            " ".join(f"{x(p.period_end)},{y(getattr(p, attribute))}" for p in run),
            colour,
            2 if dashed else 3,
            mark_safe(' stroke-dasharray="6 4"') if dashed else "",
        )
        for run in runs(points, shown)
        if len(run) > 1
    )
    markers = format_html_join(
        "",
        (
            '<rect x="{}" y="{}" width="8" height="8" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="17" fill="{}">{}</text>'
            if dashed
            else '<circle cx="{}" cy="{}" r="5" fill="{}"/>'
            '<text x="{}" y="{}" text-anchor="middle" font-size="19" font-weight="bold" '
            'fill="{}">{}</text>'
        ),
        (
            (
                x(p.period_end) - (4 if dashed else 0),
                y(getattr(p, attribute)) - (4 if dashed else 0),
                colour,
                x(p.period_end),
                y(getattr(p, attribute)) + (-10 if dashed else 20),
                "#383f43" if dashed else "#003078",
                measure.format(getattr(p, attribute)),
            )
            for p in shown
        ),
    )
    return format_html("{}{}", mark_safe(lines), markers)  # noqa: S308 - format_html


def runs(points, shown):
    """The runs of `shown` points a line may join: neighbours among all the chart's
    `points` (no period between them without a value), at most MAX_JOIN_DAYS apart."""
    shown_ids = {id(p) for p in shown}
    result, run, previous = [], [], None
    for p in points:
        if id(p) not in shown_ids:
            if run:
                result.append(run)
            run, previous = [], None
            continue
        if previous is not None and (p.period_end - previous.period_end).days > MAX_JOIN_DAYS:
            result.append(run)
            run = []
        run.append(p)
        previous = p
    if run:
        result.append(run)
    return result


def measures_with_charts(measures, as_at=None):
    """[{measure, points, chart}] for each measure: its progress from the figures known as
    at `as_at` (an AsAt; None: now), and its chart."""
    return [
        {"measure": m, "points": (points := m.progress(as_at)), "chart": line_chart(m, points)}
        for m in measures
    ]
