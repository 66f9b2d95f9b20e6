"""The newcomer's path: an R user with a fresh HOME installs the package
tarball with install.packages(), runs install_tensorbridge(), and uses
tensorbridge from a new Rscript."""

import os
import pathlib
import shutil
import subprocess
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("R") is None, reason="R is not installed")


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_tarball_install_then_install_tensorbridge_then_use(tmp_path):
    home = tmp_path / "home"
    lib = tmp_path / "lib"
    home.mkdir()
    lib.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("R_LIBS", "TENSORBRIDGE_PYTHON", "VIRTUAL_ENV", "WORKON_HOME")}
    pyenv_root = pathlib.Path(os.environ.get("PYENV_ROOT", pathlib.Path.home() / ".pyenv"))
    if pyenv_root.is_dir():  # pyenv's shims find their Pythons through HOME otherwise
        env["PYENV_ROOT"] = str(pyenv_root)
    env["HOME"] = str(home)
    # the test's own interpreter is a virtualenv's; the user has a plain python3
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not p.startswith(str(ROOT / ".venv")))

    run([str(ROOT / "tools" / "sync-python-half")])
    run(["R", "CMD", "build", "--no-build-vignettes", str(ROOT / "rpkg")], cwd=tmp_path, env=env)
    tarball = next(tmp_path.glob("tensorbridge_*.tar.gz"))

    setup = tmp_path / "setup.R"
    setup.write_text(textwrap.dedent(f"""
        install.packages("{tarball}", repos = NULL, lib = "{lib}")
        library(tensorbridge, lib.loc = "{lib}")
        install_tensorbridge()
        install_tensorbridge()  # a second run is safe
    """))
    out = run(["Rscript", str(setup)], env=env)
    venv_python = home / ".virtualenvs" / "r-tensorbridge" / "bin" / "python"
    assert venv_python.exists(), out

    use = tmp_path / "use.R"
    use.write_text(textwrap.dedent(f"""
        library(tensorbridge, lib.loc = "{lib}")
        cfg <- tb_config()
        x <- matrix(c(2, 4, 6, 8), 2)
        cat("python:", cfg$python, "\\n")
        cat("sum:", sum(as.array(as_tensor(x, dtype = "float32"))), "\\n")
    """))
    out = run(["Rscript", str(use)], env=env)
    assert f"python: {venv_python}" in out
    assert "sum: 20" in out
