"""Spreadsheets in and out, below every ledger: reading .xlsx/.xls/.csv (``readers``), finding the
table on a sheet (``layout``), matching the headers offices write (``columns``), reading the
values they type (``values``), the rows a ledger plans (``rows``) and writing xlsx and CSV
(``writer``). Nothing here knows a domain: the ledgers (projects, enterprises, indicators)
build on it, and the import app runs them."""
