"""``python -m wordmine`` runs the command line."""

from wordmine.cli import main

main()
