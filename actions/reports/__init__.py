"""The board's reports, read-only: the progress grid and its CSV/XLSX exports, the board
pack, calibration against the inspectors, measures' charts and the ratings' history."""
