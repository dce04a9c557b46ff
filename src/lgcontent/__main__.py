"""``python -m lgcontent`` runs the command line."""

from .cli import main

main()
