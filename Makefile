# tensorbridge: `make demo` runs the main job, `make test` runs every check.
# Both first run `make setup`, which installs only what is missing:
# R and the R packages from Debian, a virtualenv in .venv, and the R package
# into the project-local library rlib/. A second run spends seconds on setup.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
RLIB    := rlib
STAMPS  := .stamps
BUILD   := build
export R_LIBS := $(CURDIR)/$(RLIB)
export TENSORBRIDGE_PYTHON := $(CURDIR)/$(PY)
export _R_CHECK_SYSTEM_CLOCK_ := 0

# Debian packages: R, the R packages the R package and its checks use,
# Python's venv and shared libpython (reticulate needs it), pandoc for the
# vignettes, and the offline Fashion-MNIST files.
APT_PACKAGES := r-base-core r-base-dev r-cran-reticulate r-cran-testthat \
  r-cran-knitr r-cran-rmarkdown r-cran-magrittr r-cran-zeallot r-cran-ggplot2 \
  r-cran-roxygen2 r-cran-r6 r-cran-pkgbuild python3-venv libpython3-dev pandoc \
  qpdf dataset-fashion-mnist

PY_SOURCES := pyproject.toml $(shell find engine bridge estimators -name '*.py' 2>/dev/null)
R_SOURCES  := $(shell find rpkg -path rpkg/inst/python -prune -o -type f \
                -not -name '*.o' -not -name '*.so' -print 2>/dev/null)

.PHONY: help setup demo demo-bridge test test-full lint pytest rtest rcheck vignettes bench-bridge bench-fit clean

help:
	@echo "make demo   - set up what is missing, then train the demo model from R"
	@echo "make test   - set up what is missing, then run every check"
	@echo "make test-full - the same with the slow sizes (loops of 20 gctorture runs, full leak counts, long fuzz)"
	@echo "make setup  - only the set-up part"

setup: $(STAMPS)/apt $(STAMPS)/venv $(STAMPS)/rlib

$(STAMPS)/apt: Makefile
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "==> installing Debian packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

# The virtualenv: a Python with a shared libpython (reticulate loads it), the
# package in editable mode, test tools, and the rpy2 that fits the installed R.
$(STAMPS)/venv: $(STAMPS)/apt pyproject.toml rpkg/R/install.R
	@mkdir -p $(STAMPS)
	@if [ ! -x $(PY) ]; then \
	  base=$$(Rscript -e 'source("rpkg/R/install.R"); cat(tb_find_base_python())'); \
	  echo "==> creating $(VENV) with $$base"; \
	  "$$base" -m venv $(VENV); \
	fi
	@rpy2=$$(Rscript -e 'source("rpkg/R/install.R"); cat(tb_rpy2_requirement())'); \
	echo "==> installing the Python package (editable), test tools and $$rpy2"; \
	$(PY) -m pip install --disable-pip-version-check -e '.[test]' "$$rpy2" threadpoolctl \
	  > $(STAMPS)/pip.log 2>&1 || { cat $(STAMPS)/pip.log; exit 1; }
	@touch $@

# The R package, with its Python half carried in inst/python, installed into
# the project-local library so tests use exactly the checked-out code.
$(STAMPS)/rlib: $(STAMPS)/apt $(R_SOURCES) $(PY_SOURCES)
	@mkdir -p $(STAMPS) $(RLIB)
	@tools/sync-python-half
	@echo "==> installing the R package into $(RLIB)/"
	@R CMD INSTALL --no-multiarch --preclean -l $(RLIB) rpkg > $(STAMPS)/rlib.log 2>&1 \
	  || { cat $(STAMPS)/rlib.log; exit 1; }
	@rm -f rpkg/src/*.o rpkg/src/*.so
	@touch $@

demo: setup
	Rscript demo/mnist_mlp.R

demo-bridge: setup
	Rscript demo/bridge.R

test: setup lint pytest rtest rcheck vignettes
	@echo "==> all checks passed"

# The same checks at their large sizes: tests read TENSORBRIDGE_TEST_FULL=1
# (20 gctorture runs instead of one, the full leak counts, a longer fuzz).
# Not run by CI.
test-full:
	TENSORBRIDGE_TEST_FULL=1 $(MAKE) test

lint: setup
	@echo "==> ruff"
	$(VENV)/bin/ruff check .
	@echo "==> R sources parse"
	Rscript -e 'for (f in c(list.files("rpkg/R", full.names = TRUE), list.files("rpkg/tests", "[.]R$$", recursive = TRUE, full.names = TRUE), list.files("demo", full.names = TRUE))) invisible(parse(f))'

pytest: setup
	@echo "==> pytest"
	$(VENV)/bin/pytest -q

rtest: setup
	@echo "==> testthat (R hosts Python)"
	Rscript tools/rtest.R

rcheck: setup
	@echo "==> R CMD build + R CMD check --no-manual"
	@rm -rf $(BUILD)/rcheck && mkdir -p $(BUILD)/rcheck
	tools/sync-python-half
	cd $(BUILD)/rcheck && R CMD build --no-build-vignettes $(CURDIR)/rpkg
	cd $(BUILD)/rcheck && R CMD check --no-manual tensorbridge_*.tar.gz | tee check.log
	@grep -q '^Status: OK' $(BUILD)/rcheck/check.log || \
	  { echo "R CMD check did not end with Status: OK (see README, Development)"; exit 1; }

vignettes: setup
	@echo "==> rendering vignettes"
	@mkdir -p $(BUILD)/vignettes
	for f in vignettes/*.Rmd; do \
	  Rscript -e "rmarkdown::render('$$f', output_dir = '$(BUILD)/vignettes', quiet = TRUE)"; \
	done

bench-bridge: setup
	Rscript bench/bridge_roundtrip.R

bench-fit: setup
	Rscript bench/keras_fit_r.R

clean:
	rm -rf $(BUILD) $(STAMPS) $(RLIB) rpkg/inst/python
