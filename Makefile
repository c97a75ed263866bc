# veille: `make demo` and `make test` work on a machine with only Python 3.11 and make.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test eval bench serve lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: install
	$(BIN)/veille demo --db veille.db

test: install
	$(BIN)/python -m pytest

# Entity quality on the test split, next to the plain spaCy models; writes eval-report.json.
eval: install
	$(BIN)/veille eval --split test --baselines --report eval-report.json --check tests/gold/floors.json

# Throughput on a generated news web of 1,000 articles (BENCH_N=10000 for more), next to news-please
# in its own venv (bench/.newsplease, installed from the package index on first use); not a test.
BENCH_N ?= 1000
bench: install
	test -x bench/.newsplease/bin/python || (python3 -m venv bench/.newsplease && bench/.newsplease/bin/pip install --quiet news-please)
	$(BIN)/python bench/run.py --n $(BENCH_N) --newsplease bench/.newsplease/bin/python $(if $(shell command -v redis-server),--distributed) --report bench-$(BENCH_N).json

serve: install
	$(BIN)/veille serve --db veille.db

# Re-pin every dependency with hashes (needs network access to the package index).
lock:
	python3 -m venv /tmp/veille-lock && /tmp/veille-lock/bin/pip install --quiet uv
	/tmp/veille-lock/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) veille.db veille.db-wal veille.db-shm .pytest_cache
