# Everything runs from a project-local virtualenv that these targets create.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test index lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: install
	HF_HUB_OFFLINE=1 $(BIN)/assistant serve

index: install
	HF_HUB_OFFLINE=1 $(BIN)/assistant index

test: install
	command -v chromium >/dev/null || { SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check assistant index web tests benchmarks
	$(BIN)/ruff format --check assistant index web tests benchmarks

clean:
	rm -rf $(VENV) .index
