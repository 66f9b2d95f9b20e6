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

/* The bridge's single entry point. The Python side hands R the address of a
 * C-callable function (a cffi callback) that takes the .External argument
 * list; every R -> Python call goes through it. A second callback releases
 * the Python object behind a handle when R garbage-collects the handle. */
typedef SEXP (*tb_dispatch_fn)(SEXP);
typedef void (*tb_release_fn)(double);
static tb_dispatch_fn tb_dispatch = NULL;
static tb_release_fn tb_release = NULL;

SEXP tb_c_set_dispatch(SEXP dispatch_address, SEXP release_address) {
  if (!isReal(dispatch_address) || LENGTH(dispatch_address) != 1 ||
      !isReal(release_address) || LENGTH(release_address) != 1)
    error("addresses must be numbers");
  tb_dispatch = (tb_dispatch_fn) (uintptr_t) REAL(dispatch_address)[0];
  tb_release = (tb_release_fn) (uintptr_t) REAL(release_address)[0];
  return R_NilValue;
}

SEXP tb_c_dispatch(SEXP args) {
  if (tb_dispatch == NULL) error("the Python bridge is not attached");
  return tb_dispatch(args);
}

/* Handles: an external pointer with attributes tb_key (the Python object's
 * key in the bridge's table) and class. Made here, called from Python
 * directly (its address is in tb_c_native_addresses()), so that returning
 * an object to R evaluates no R code. */
static SEXP tb_key_symbol(void) {
  static SEXP symbol = NULL;
  if (symbol == NULL) symbol = install("tb_key");
  return symbol;
}

static void tb_finalize_handle(SEXP handle) {
  SEXP key = getAttrib(handle, tb_key_symbol());
  if (tb_release != NULL && isReal(key) && LENGTH(key) == 1) tb_release(REAL(key)[0]);
}

SEXP tb_c_make_handle(double key, SEXP classes) {
  SEXP handle = PROTECT(R_MakeExternalPtr(NULL, R_NilValue, R_NilValue));
  SEXP rkey = PROTECT(ScalarReal(key));
  setAttrib(handle, tb_key_symbol(), rkey);
  setAttrib(handle, R_ClassSymbol, classes);
  R_RegisterCFinalizerEx(handle, tb_finalize_handle, FALSE);
  UNPROTECT(2);
  return handle;
}

SEXP tb_c_native_addresses(void) {
  SEXP out = PROTECT(allocVector(REALSXP, 1));
  REAL(out)[0] = (double) (uintptr_t) &tb_c_make_handle;
  UNPROTECT(1);
  return out;
}

static const R_ExternalMethodDef external_methods[] = {
  {"tb_c_dispatch", (DL_FUNC) &tb_c_dispatch, -1},
  {NULL, NULL, 0}
};

static const R_CallMethodDef call_methods[] = {
  {"tb_c_python_in_process", (DL_FUNC) &tb_c_python_in_process, 0},
  {"tb_c_python_run", (DL_FUNC) &tb_c_python_run, 1},
  {"tb_c_data_address", (DL_FUNC) &tb_c_data_address, 1},
  {"tb_c_set_dispatch", (DL_FUNC) &tb_c_set_dispatch, 2},
  {"tb_c_native_addresses", (DL_FUNC) &tb_c_native_addresses, 0},
  {NULL, NULL, 0}
};

void R_init_tensorbridge(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, external_methods);
  R_useDynamicSymbols(dll, FALSE);
}
