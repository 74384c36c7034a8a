"""``python -m casebook``: the same as the ``casebook`` command (Windows
editors can run ``.venv\\Scripts\\python -m casebook`` without activating)."""

import sys

from casebook.commands.cli import main

sys.exit(main())
