# The two commands of the README:
#   make demo   set everything up, then run the main job on the embedded default (SQLite, local
#               worker, the bundled sample calls), write var/report.html, and serve the console on
#               the sample calls (it prints the address and the demo sign-ins)
#   make test   set everything up (and Debian's Chromium for the console tests), then run ruff, mypy and
#               the whole test suite
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint services browser
setup:
	./scripts/setup.sh

demo: setup
	$(BIN)/qa-service demo
	$(BIN)/qa-service serve --demo --no-access-log

services:
	./scripts/services.sh

browser:
	./scripts/browser.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup services browser lint
	$(BIN)/pytest
