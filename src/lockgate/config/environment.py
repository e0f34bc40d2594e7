"""Every environment variable lockgate reads, in one place.

Precedence everywhere: an explicit command-line argument, then these variables, then
the settings file, then the default.
"""

from __future__ import annotations

CONFIG = "LOCKGATE_CONFIG"  # path of the settings file when -c is not given
PORT = "LOCKGATE_PORT"  # listen port, overriding server.port
LOG_LEVEL = "LOCKGATE_LOG_LEVEL"  # DEBUG, INFO, WARNING (default) or ERROR
SHARED = "LOCKGATE_SHARED"  # tests only: the folder of shared known-answer cases
