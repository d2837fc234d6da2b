#!/usr/bin/env python3
"""Reads a workbook written by gti with openpyxl, an independent xlsx reader, and prints
what it holds as JSON, for tests/xlsx.rs to compare with gti's CSV tables.

Usage: xlsx_read.py WORKBOOK.xlsx > sheets.json

For every sheet, in workbook order: its name, frozen cell (freeze_panes), autofilter range
and, for a sheet with an autofilter, the table under it (header row, then rows); for a sheet
without one (the Read me), every non-empty row. Cells are written as JSON as follows:

- a number: {"n": "<repr>"}, Python's shortest round-trip text of the double openpyxl read
  from the cell's stored value (the test parses it back with Rust's correctly rounded parser,
  so no JSON float parsing stands between the workbook and the comparison);
- a text cell: the string; an empty cell: null; anything else: {"other": "<type>"}.

Filled cells are listed as [row, column, "RRGGBB"] (0-based within the table, header = row
0), so that the test can check band colours. Shares no code with gti.
"""

import json
import sys

import openpyxl
from openpyxl.utils.cell import range_boundaries


def cell_value(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return {"other": "bool"}
    if isinstance(v, (int, float)):
        return {"n": repr(float(v)) if isinstance(v, float) else str(v)}
    if isinstance(v, str):
        return v
    return {"other": type(v).__name__}


def fill_of(cell):
    f = cell.fill
    if f is None or f.fill_type != "solid":
        return None
    rgb = f.fgColor.rgb if f.fgColor is not None else None
    if not isinstance(rgb, str):
        return None
    return rgb[-6:].upper()


def sheet(ws):
    out = {"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref}
    if ws.auto_filter.ref:
        min_col, min_row, max_col, max_row = range_boundaries(ws.auto_filter.ref)
    else:
        min_col, min_row, max_col, max_row = 1, 1, ws.max_column, ws.max_row
    rows, fills = [], []
    for i, row in enumerate(
        ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
    ):
        values = [cell_value(c.value) for c in row]
        for j, c in enumerate(row):
            rgb = fill_of(c)
            if rgb is not None:
                fills.append([i, j, rgb])
        if ws.auto_filter.ref or any(v is not None for v in values):
            rows.append(values)
    out["rows"] = rows
    out["fills"] = fills
    # The cells above the table (the fictional-data notice).
    above = ws.iter_rows(min_row=1, max_row=min_row - 1) if ws.auto_filter.ref and min_row > 1 else []
    out["above"] = [cell_value(c.value) for r in above for c in r if c.value is not None]
    return out


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    props = wb.properties
    doc = {
        "openpyxl": openpyxl.__version__,
        "title": props.title,
        "created": props.created.isoformat() if props.created else None,
        "sheets": [sheet(ws) for ws in wb.worksheets],
    }
    json.dump(doc, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
