"""Whether a measure of success is on track, with the rule's text beside its predicate
(the measures pages and the board pack print it)."""

HIGHER = "higher"  # Better.HIGHER

RULE = (
    "On track when the actual meets or beats the target in force for its period (the "
    "latest target on or before it); no verdict without both numbers."
)


def is_on_track(actual, target, better):
    """True or False; None when either number is missing."""
    if actual is None or target is None:
        return None
    return actual >= target if better == HIGHER else actual <= target
