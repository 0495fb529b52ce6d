"""(Commands added by their issue; this module registers nothing yet.)"""

import typer


def register(app: typer.Typer) -> None:
    return None
