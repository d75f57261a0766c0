"""The project ledger in Excel: columns, import and export."""
