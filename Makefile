# The casebook's entry points. `make html` and `make test` are the README's two commands;
# each installs what it needs first (scripts/setup.sh: Debian packages and a pinned .venv).
PY := .venv/bin/python
SETUP := .venv/.installed

# Python may cache compiled modules and pytest its rewritten test files (__pycache__, ignored by
# git): a shell that sets PYTHONDONTWRITEBYTECODE makes every test worker compile them again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help setup python html pdf student bundle test unit lab clean lint bench exercises

# BCASE=1 adds the B-case ("After the case") to the student edition (make student) and to the
# student notebooks (make lab), to release it after the decision class.
WITH_BCASE := $(if $(filter 1 yes true,$(BCASE)),--with-bcase)
help:            ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:           ## install Debian packages and the Python environment (idempotent)
	@scripts/setup.sh

python:          ## only the Python environment (.venv): no Debian packages, no TeX, no browser
	@scripts/setup.sh --python-only

html: setup      ## build the HTML book strictly (parallel execution) -> _build/html/index.html
	@$(PY) -m dualwheel.publish html

pdf: setup       ## both PDFs with xelatex: instructor -> _build/latex/, student -> _build/student/_build/latex/
	@$(PY) -m dualwheel.publish pdf

student: setup   ## student edition, no instructor notes, solutions or B-case -> _build/student/_build/html (BCASE=1: with the B-case)
	@$(PY) -m dualwheel.publish student $(WITH_BCASE)

bundle: setup    ## offline course bundles (student, instructor and after-class zips, open index.html) -> _build/bundles
	@$(PY) -m dualwheel.publish bundle

exercises: setup ## student releases, solutions and otter masters of every chapter -> _build/exercises
	@.venv/bin/casebook release --all

# make test builds the editions two at a time (dualwheel/publish/lanes.py), then runs the tests on
# both cores (pytest-xdist; tests that share a class folder, the sandbox or _build/lab stay on one
# worker: tests/conftest.py). tests/build is named because pytest never enters a folder called
# build by itself (its norecursedirs).
test: setup      ## build HTML, PDF, the student and after-class editions and the bundles, then run every test (browser, PDF, grading, unit)
	@$(PY) -m dualwheel.publish all
	@$(PY) -m pytest -q -n 2 --dist loadgroup --durations=12 tests tests/build

# make unit sends a test file to one worker (--dist loadfile), so a module's fixtures (a student's
# copy of data/, the what-ifs' frames, the kits) are built once, not once per worker.
unit: setup      ## only the fast unit tests: no build, no sandbox, no browser (under 30 s)
	@$(PY) -m pytest -q -n 2 --dist loadfile -m "not built and not pdf and not sandbox and not build and not browser"

lint: setup      ## ruff lint
	@.venv/bin/ruff check dualwheel tests benchmarks

# make lab opens the student edition; an instructor asks for theirs with EDITION=instructor.
# Its kernels draw each what-if's chart live (CASEBOOK_LIVE_ONLY): no precomputed frames.
# JupyterLab refuses to start as root unless told: only then is --allow-root passed.
EDITION ?= student
LAB_DIR := _build/lab/$(EDITION)
LAB_ARGS := --ServerApp.root_dir=$(CURDIR)/$(LAB_DIR) --LabApp.app_settings_dir=$(CURDIR)/scripts/lab-settings \
	--LabApp.default_url=/lab/tree/ch03-company-overview.ipynb $(if $(filter 0,$(shell id -u)),--allow-root)
lab: python      ## the chapters as notebooks in JupyterLab, numbers in the prose (EDITION=instructor for the instructor's)
	@$(PY) -m dualwheel.publish lab --edition $(EDITION) $(WITH_BCASE)
	@CASEBOOK_LIVE_ONLY=1 .venv/bin/jupyter lab $(LAB_ARGS)

bench: setup     ## measure build, grading and make unit times (BENCHMARKS.md)
	@$(PY) benchmarks/bench_build.py
	@$(PY) benchmarks/bench_grading.py
	@$(PY) benchmarks/bench_tests.py

clean:           ## remove everything generated (keeps .venv)
	rm -rf _build
