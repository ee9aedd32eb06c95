"""Reads reviews.yaml: the inspections and reviews, their findings, links and verdicts."""

from reviews.models import Review
from weaknesses.models import Finding, FindingContinuation, Verdict

from .sync import RecordError, read_fields, text


def load(engine, data, area, organisations):
    """The findings by (review slug, code)."""
    reviews = {}
    for record in data["reviews"]:
        with engine.at(f"review {record.get('slug')}"):
            values = read_fields(
                record,
                [
                    "slug",
                    "title",
                    "kind",
                    "bodies",
                    "start_date",
                    "end_date",
                    "outcome",
                    "source_document",
                ],
                ["letter_date", "published_date", "notes"],
            )
            slug = values.pop("slug")
            for key in ("outcome", "source_document", "notes"):
                values[key] = text(values[key])
            values["area"] = area
            reviews[slug] = engine.sync(Review, {"slug": slug}, values)
    findings = {}
    for record in data["findings"]:
        with engine.at(f"finding {record.get('code')}"):
            load_finding(engine, record, reviews, organisations, findings)
    for record in data["verdicts"]:
        with engine.at(f"verdict of {record.get('review')} on {record.get('finding')}"):
            values = read_fields(
                record,
                ["review", "finding", "judgement", "summary", "reasons", "source_lines"],
                ["notes"],
            )
            review = reviews[values["review"]]
            engine.sync(
                Verdict,
                {"review": review, "finding": earlier_finding(findings, values["finding"], review)},
                {
                    "judgement": values["judgement"],
                    "summary": text(values["summary"]),
                    "reasons": text(values["reasons"]),
                    "source": text(values["source_lines"]),
                    "notes": text(values["notes"]),
                },
            )
    return findings


def load_finding(engine, record, reviews, organisations, findings):
    """A finding (numbered within its review in file order) and the earlier ones it continues."""
    values = read_fields(
        record,
        ["code", "review", "kind", "text", "source_lines"],
        ["responsible", "continues", "notes"],
    )
    review = reviews[values["review"]]
    position = sum(1 for f in findings.values() if f.review_id == review.pk) + 1
    responsible = [organisations[name] for name in values["responsible"] or []]
    finding = engine.sync(
        Finding,
        {"review": review, "code": values["code"]},
        {
            "kind": values["kind"],
            "text": text(values["text"]),
            "position": position,
            "source": text(values["source_lines"]),
            "notes": text(values["notes"]),
        },
        many={"responsible_organisations": responsible},
    )
    findings[review.slug, finding.code] = finding
    for link in values["continues"] or []:
        link = read_fields(link, ["finding", "basis"])
        engine.sync(
            FindingContinuation,
            {
                "later_finding": finding,
                "earlier_finding": earlier_finding(findings, link["finding"], review),
            },
            {"basis": text(link["basis"])},
        )


def earlier_finding(findings, code, review):
    """The finding with this code from the latest review before `review` (or itself)."""
    candidates = [
        finding
        for (slug, found_code), finding in findings.items()
        if found_code == code and finding.review.start_date <= review.start_date
    ]
    if not candidates:
        raise RecordError(f"no earlier finding with the code {code!r}")
    return max(candidates, key=lambda finding: finding.review.start_date)
