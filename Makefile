# conflictmap: `make run` starts the app with its worker; `make test` runs the whole suite.
.PHONY: run test setup setup-test lint format gazetteer bench clean

run: setup
	bin/run

test: setup-test
	.venv/bin/pytest

setup:
	bin/setup

setup-test:
	bin/setup test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Rebuild the committed gazetteer artefact from the shared sources (not needed to run).
gazetteer: setup
	.venv/bin/python manage.py build_gazetteer --src ../shared/gazetteer-src

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
