"""Trims UNDP's "Composite indices complete time series" CSV to what tests/hdi.rs reads.

Keeps the five unit columns (iso3, country, hdicode, region, hdi_rank_<year>) and the
hdi/le/eys/mys/gnipc series (`<name>_<4-digit year>`); drops every other column. Cells are
copied as they are, in the file's own encoding, with CRLF line ends and minimal quoting as
UNDP writes them. With --all it keeps every column: the output is then byte-identical to the
original, which shows that reading and writing change no cell. Python 3 standard library only.

    python3 tests/data/undp-hdr/trim.py ORIGINAL.csv OUT.csv ENCODING [--all]
"""
import csv
import re
import sys

SERIES = re.compile(r"(hdi|le|eys|mys|gnipc)_\d{4}")


def main(src, dst, encoding, keep_all=False):
    with open(src, newline="", encoding=encoding) as f:
        rows = list(csv.reader(f))
    cols = [i for i, h in enumerate(rows[0]) if keep_all or i < 5 or SERIES.fullmatch(h)]
    with open(dst, "w", newline="", encoding=encoding) as f:
        csv.writer(f, lineterminator="\r\n").writerows([r[i] for i in cols] for r in rows)


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5) or sys.argv[4:] not in ([], ["--all"]):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:] == ["--all"])
