"""Timesheet CSV exports (Harvest, Toggl Track, Clockify), read as the tools write them.

reader.py    stream a CSV file: BOM, delimiter, raw text and line of each row
columns.py   match header names (aliases, localised, `Amount (EUR)` labels)
values.py    parse cells: decimals, booleans, times, durations, currencies
dates.py     sniff a file's date order (ISO, dd/mm/yyyy, mm/dd/yyyy) or take it
problems.py  what was wrong with a row, and where
entry_key.py the stable per-row dedupe key
importer.py  one file in, `SourceRecord`s and `RowProblem`s out
"""
