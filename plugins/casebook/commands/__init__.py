"""The command line (``casebook ...``): a second thin adapter over the core."""
