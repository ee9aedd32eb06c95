"""Reading a yes/no setting from the environment (shared by the settings modules)."""

import os


def env_flag(name, default=False):
    value = os.environ.get(name, "")
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
