# desktop-crf — every target first makes sure .venv matches pyproject.toml.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-site

.PHONY: run test test-fast bench lint format translations system-deps test-deps clean dist \
	dist-check

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# the tests also need a headless Chromium (the study report is checked in a real browser)
test-deps:
	@bash scripts/system-deps.sh --browser

translations: $(STAMP)
	@$(BIN)/python -m desktop_crf.i18n --compile

run: $(STAMP) translations
	@bash scripts/system-deps.sh --gui
	$(BIN)/crf demo $(DEMO_DIR) --quiet-if-exists
	$(BIN)/crf demo $(DEMO_DIR)-recurrence --study PEG-HCC-RECUR-3Y --quiet-if-exists
	$(BIN)/desktop-crf $(DEMO_DIR) $(DEMO_DIR)-recurrence

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) test-deps translations
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow and not e2e"

bench: $(STAMP)
	$(BIN)/python -m bench.store
	$(BIN)/python -m bench.sync
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.ui
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.reports

# The self-contained desktop bundle for this platform: dist/desktop-crf/ (docs/install.md).
DIST_STAMP := $(VENV)/.dist-installed
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,dist]'
	@touch $(DIST_STAMP)

dist: $(DIST_STAMP) translations
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/desktop-crf.spec

# Builds the bundle, then starts it offscreen on a new demo site: unlock, list subjects, exit 0.
dist-check: dist system-deps
	bash scripts/dist-smoke.sh dist/desktop-crf

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
