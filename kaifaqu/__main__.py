"""The ``kaifaqu`` console script: Django's management commands plus our own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    from django.core.management import execute_from_command_line

    from kaifaqu.audit.context import set_default_source

    # Writes made by a command (add_zone, load_demo, an import) are recorded as such;
    # requests served by ``kaifaqu runserver`` set their own source per request.
    set_default_source("command")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
