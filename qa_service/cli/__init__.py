"""The ``qa-service`` command line. Each module registers its own commands on the app."""
