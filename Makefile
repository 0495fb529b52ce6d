# The two commands of the README:
#   make demo   set everything up, then run the main job on the embedded default (SQLite, local
#               worker, the bundled sample calls) and write var/report.html
#   make test   set everything up, then run ruff, mypy and the whole test suite
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint services
setup:
	./scripts/setup.sh

demo: setup
	$(BIN)/qa-service demo

services:
	./scripts/services.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup services lint
	$(BIN)/pytest
