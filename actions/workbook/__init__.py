"""The plan workbook: an area's plan in and out as one XLSX (layout.py: its shape; export.py:
writing it; read.py: reading an untrusted upload; save.py: writing it through the record
loader's sync engine)."""
