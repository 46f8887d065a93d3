"""`python -m diagramgen.analysis --readme README.md`: regenerate the README's rule table."""

import sys

from diagramgen.analysis.registry import main

sys.exit(main())
