"""Settings: the model, loading with file:line errors, and the settings table."""

from lockgate.config.loader import load_settings
from lockgate.config.settings import Settings

__all__ = ["Settings", "load_settings"]
