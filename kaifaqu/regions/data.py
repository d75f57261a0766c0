"""The shipped list of regions (data file ``data/regions.csv``)."""

import csv
from collections.abc import Iterator
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"


def region_rows() -> Iterator[dict[str, str]]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)


def load_regions(region_model) -> int:
    """Insert every shipped region; parents come before children in the file."""
    rows = list(region_rows())
    region_model.objects.bulk_create(
        [
            region_model(code=row["code"], name=row["name"], level=row["level"], parent_id=row["parent"] or None)
            for row in rows
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return len(rows)
