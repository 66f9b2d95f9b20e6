"""Python hosts: R is embedded in this process by rpy2.

The R package must be installed in a library on R_LIBS (``make setup``
installs it into ``rlib/`` and exports R_LIBS); otherwise these tests skip.
"""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def r_library() -> str:
    return os.environ.get("R_LIBS") or str(ROOT / "rlib")


@pytest.fixture(scope="session")
def r_lib() -> str:
    """The R library that holds the checked-out R package."""
    return r_library()


@pytest.fixture(scope="session")
def r():
    """An embedded R with ``library(tensorbridge)`` attached; returns an
    evaluator of R code."""
    ri = pytest.importorskip("rpy2.rinterface")
    if not (pathlib.Path(r_library()) / "tensorbridge").exists():
        pytest.skip("the R package is not installed in R_LIBS (run `make setup`)")
    os.environ["R_LIBS"] = r_library()
    ri.initr()
    ri.evalr(f'.libPaths(c("{r_library()}", .libPaths()))')
    ri.evalr("suppressPackageStartupMessages(library(tensorbridge))")
    return ri.evalr
