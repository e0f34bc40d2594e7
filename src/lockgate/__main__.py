"""``python -m lockgate`` runs the command line."""

from lockgate.cli.main import main

main()
