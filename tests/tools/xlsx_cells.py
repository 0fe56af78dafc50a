#!/usr/bin/python3
"""Prints every non-empty cell of an XLSX workbook, read by openpyxl (an independent reader):
one line per cell, "SHEET!A1<TAB>n|s<TAB>value" (n: a number, s: text), then one line per merged
range, "SHEET!merged<TAB>B6:B15". Used by the tests to check Pantau's workbooks cell by cell."""
import sys

import openpyxl


def main(path):
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                kind = "n" if isinstance(cell.value, (int, float)) else "s"
                value = cell.value
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                print(f"{sheet.title}!{cell.coordinate}\t{kind}\t{value}")
        for merged in sorted(str(r) for r in sheet.merged_cells.ranges):
            print(f"{sheet.title}!merged\t{merged}")


if __name__ == "__main__":
    main(sys.argv[1])
