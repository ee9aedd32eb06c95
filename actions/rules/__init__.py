"""The board's rules, one module each: periods, what the board is shown, the flags and
warning signs, and whether a measure is on track. Pages, exports, the board pack,
calibration and the public page call these; no template, view or filter restates them."""
