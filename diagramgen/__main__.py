"""`python -m diagramgen`."""

from diagramgen.cli import main

main()
