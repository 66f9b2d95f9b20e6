/* Reaching a Python interpreter that already runs in this process.
 *
 * When Python hosts R (rpy2 embedded it), libpython's symbols are already in
 * the process; R needs a way to run one line of Python to attach the bridge.
 * The symbols are looked up at run time, so the package does not link to
 * Python and loads fine where there is none. */
#include <dlfcn.h>
#include <stdint.h>
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>

typedef int (*py_is_initialized_fn)(void);
typedef int (*py_gil_ensure_fn)(void);
typedef void (*py_gil_release_fn)(int);
typedef int (*py_run_string_fn)(const char *);

static void *tb_symbol(const char *name) {
  return dlsym(RTLD_DEFAULT, name);
}

SEXP tb_c_python_in_process(void) {
  py_is_initialized_fn is_init = (py_is_initialized_fn) tb_symbol("Py_IsInitialized");
  return ScalarLogical(is_init != NULL && is_init());
}

SEXP tb_c_python_run(SEXP code) {
  if (!isString(code) || LENGTH(code) != 1) error("code must be one string");
  py_is_initialized_fn is_init = (py_is_initialized_fn) tb_symbol("Py_IsInitialized");
  py_gil_ensure_fn ensure = (py_gil_ensure_fn) tb_symbol("PyGILState_Ensure");
  py_gil_release_fn release = (py_gil_release_fn) tb_symbol("PyGILState_Release");
  py_run_string_fn run = (py_run_string_fn) tb_symbol("PyRun_SimpleString");
  if (!is_init || !ensure || !release || !run || !is_init())
    error("no Python interpreter runs in this process");
  int state = ensure();
  int rc = run(CHAR(STRING_ELT(code, 0)));
  release(state);
  return ScalarInteger(rc);
}

/* The address of a vector's data, as R sees it: tests compare it with what
 * the Python side sees to prove that a conversion did not copy. */
SEXP tb_c_data_address(SEXP x) {
  return ScalarReal((double) (uintptr_t) DATAPTR(x));
}

/* A new, empty external pointer: the R side of a handle to a Python object
 * (the object's key and classes are set as attributes by R). */
SEXP tb_c_new_externalptr(void) {
  return R_MakeExternalPtr(NULL, R_NilValue, R_NilValue);
}

static const R_CallMethodDef call_methods[] = {
  {"tb_c_python_in_process", (DL_FUNC) &tb_c_python_in_process, 0},
  {"tb_c_python_run", (DL_FUNC) &tb_c_python_run, 1},
  {"tb_c_data_address", (DL_FUNC) &tb_c_data_address, 1},
  {"tb_c_new_externalptr", (DL_FUNC) &tb_c_new_externalptr, 0},
  {NULL, NULL, 0}
};

void R_init_tensorbridge(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
}
