# The two commands in the README:
#   make run    set everything up and start the feedback page on http://127.0.0.1:8000
#   make test   set everything up (Python packages, Debian's chromium and en-GB dictionary) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install browser dictionary check-sample bench clean

# reinstall when the dependencies or the set of top-level packages change (an editable install
# maps packages at install time)
$(STAMP): pyproject.toml $(wildcard */__init__.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@# the sentence encoder's integer form, derived from the pinned model once (about 3 s)
	$(BIN)/python -c "import sys; from checker.acts.fast_model import main; sys.exit(main())" \
		|| echo "the act stage will run on patterns only until this is fixed"
	touch $(STAMP)

install: $(STAMP) dictionary

# Debian's chromium for the browser tests (Playwright cannot download a browser here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's British English hunspell dictionary for the proofreader's dictionary layer.
dictionary:
	@if [ ! -f /usr/share/hunspell/en_GB.dic ]; then \
		echo "installing Debian's British English dictionary (hunspell-en-gb)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-en-gb >/dev/null; \
	fi

run: $(STAMP) dictionary
	$(BIN)/replycheck serve --host $(HOST) --port $(PORT)

check-sample: $(STAMP)
	$(BIN)/replycheck check corpora/samples/chat_good.txt

test: $(STAMP) dictionary browser
	$(BIN)/python -m pytest -q

bench: $(STAMP) dictionary
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
