#!/usr/bin/python3
"""Prints every non-empty cell of an XLSX workbook, read by openpyxl (an independent reader):
one line per cell, "SHEET!A1<TAB>n|s|d<TAB>value" (n: a number, s: text, d: a date cell, its value
as YYYY-MM-DD), then one line per merged range, "SHEET!merged<TAB>B6:B15", the frozen panes,
"SHEET!freeze<TAB>A6", and the filtered range, "SHEET!filter<TAB>A5:K7". With --formats, also one
line per number or date cell with a format other than General: "SHEET!format<TAB>D6<TAB>FORMAT".
Used by the tests to check Pantau's workbooks cell by cell."""
import datetime
import sys

import openpyxl


def main(path, formats):
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        number_formats = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                value = cell.value
                if isinstance(value, datetime.datetime):
                    kind, value = "d", value.date().isoformat()
                else:
                    kind = "n" if isinstance(value, (int, float)) else "s"
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                print(f"{sheet.title}!{cell.coordinate}\t{kind}\t{value}")
                if kind != "s" and cell.number_format != "General":
                    number_formats.append((cell.coordinate, cell.number_format))
        for merged in sorted(str(r) for r in sheet.merged_cells.ranges):
            print(f"{sheet.title}!merged\t{merged}")
        if sheet.freeze_panes:
            print(f"{sheet.title}!freeze\t{sheet.freeze_panes}")
        if sheet.auto_filter.ref:
            print(f"{sheet.title}!filter\t{sheet.auto_filter.ref}")
        if formats:
            for coordinate, number_format in number_formats:
                print(f"{sheet.title}!format\t{coordinate}\t{number_format}")


if __name__ == "__main__":
    main(sys.argv[-1], "--formats" in sys.argv[1:-1])
