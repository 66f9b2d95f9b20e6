/* Reaching a Python interpreter that already runs in this process.
 *
 * When Python hosts R (rpy2 embedded it), libpython's symbols are already in
 * the process; R needs a way to run one line of Python to attach the bridge.
 * The symbols are looked up at run time, so the package does not link to
 * Python and loads fine where there is none. */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
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
static SEXP tb_make_callable = NULL;  /* R: function(handle) -> function(...) */

SEXP tb_c_set_dispatch(SEXP dispatch_address, SEXP release_address, SEXP make_callable) {
  if (!isReal(dispatch_address) || LENGTH(dispatch_address) != 1 ||
      !isReal(release_address) || LENGTH(release_address) != 1)
    error("addresses must be numbers");
  if (!isFunction(make_callable)) error("make_callable must be a function");
  tb_dispatch = (tb_dispatch_fn) (uintptr_t) REAL(dispatch_address)[0];
  tb_release = (tb_release_fn) (uintptr_t) REAL(release_address)[0];
  if (tb_make_callable != NULL) R_ReleaseObject(tb_make_callable);
  R_PreserveObject(make_callable);
  tb_make_callable = make_callable;
  return R_NilValue;
}

/* Python calls R functions back (R callbacks, console writes) through here.
 * cffi releases Python's GIL around every C call it makes, so R code that
 * runs inside one runs without it, and an R garbage collection there may run
 * the finalizer of an object of another package (reticulate's Python
 * objects) that calls Python's C API and crashes without the GIL. The GIL is
 * taken back for as long as R evaluates. R_tryEval() catches every jump
 * (errors, interrupts, restarts), so the GIL is always given back. */
static py_gil_ensure_fn tb_gil_ensure = NULL;
static py_gil_release_fn tb_gil_release = NULL;

SEXP tb_c_eval(SEXP call, SEXP env, int *failed) {
  int state = 0;
  if (tb_gil_ensure == NULL || tb_gil_release == NULL) {  /* Python runs by now */
    tb_gil_ensure = (py_gil_ensure_fn) tb_symbol("PyGILState_Ensure");
    tb_gil_release = (py_gil_release_fn) tb_symbol("PyGILState_Release");
  }
  int gil = tb_gil_ensure != NULL && tb_gil_release != NULL;
  if (gil) state = tb_gil_ensure();
  SEXP out = R_tryEval(call, env, failed);
  if (gil) tb_gil_release(state);
  return out;
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

/* A callable Python object (a layer, a model) becomes an R function that
 * calls it (see make_callable in R/bridge.R). NULL if that failed. */
SEXP tb_c_make_handle(double key, SEXP classes, int callable) {
  SEXP handle = PROTECT(R_MakeExternalPtr(NULL, R_NilValue, R_NilValue));
  SEXP rkey = PROTECT(ScalarReal(key));
  setAttrib(handle, tb_key_symbol(), rkey);
  MARK_NOT_MUTABLE(classes);  /* one class vector is shared by many handles */
  setAttrib(handle, R_ClassSymbol, classes);
  R_RegisterCFinalizerEx(handle, tb_finalize_handle, FALSE);
  if (callable && tb_make_callable != NULL) {
    SEXP call = PROTECT(lang2(tb_make_callable, handle));
    int failed = 0;
    SEXP fn = tb_c_eval(call, R_BaseEnv, &failed);
    UNPROTECT(3);
    return failed ? NULL : fn;
  }
  UNPROTECT(2);
  return handle;
}

/* What the Python side needs to know about an argument before it makes a
 * numpy view of it, found in one call instead of a dozen: info[0] the R
 * type, info[1] 0 without attributes, 1 with attributes but no class, 2
 * with a class, info[2] the length, info[3] the 1-based position of the
 * first integer/logical NA (0: none), info[4] the number of dims (-1: no dim
 * attribute, -2: more than fit in info), info[5...] the dims. Returns where
 * the data of a numeric, logical or raw vector lies (NULL otherwise). */
void *tb_c_inspect(SEXP x, int64_t *info, int capacity) {
  int type = TYPEOF(x);
  info[0] = type;
  info[1] = ATTRIB(x) == R_NilValue ? 0 : (getAttrib(x, R_ClassSymbol) == R_NilValue ? 1 : 2);
  info[2] = (int64_t) xlength(x);
  info[3] = 0;
  info[4] = -1;
  if (type != REALSXP && type != INTSXP && type != LGLSXP && type != RAWSXP) return NULL;
  if (info[1] != 0) {
    SEXP dim = getAttrib(x, R_DimSymbol);
    if (dim != R_NilValue) {
      int ndim = LENGTH(dim);
      if (ndim > capacity - 5) {
        info[4] = -2;
      } else {
        info[4] = ndim;
        for (int i = 0; i < ndim; i++) info[5 + i] = INTEGER(dim)[i];
      }
    }
  }
  if (type == INTSXP || type == LGLSXP) {
    const int *values = type == INTSXP ? INTEGER(x) : LOGICAL(x);
    R_xlen_t n = XLENGTH(x);
    for (R_xlen_t i = 0; i < n; i++) {
      if (values[i] == NA_INTEGER) {
        info[3] = (int64_t) i + 1;
        break;
      }
    }
    return (void *) values;
  }
  return type == REALSXP ? (void *) REAL(x) : (void *) RAW(x);
}

/* A new R vector of the given type and length with a dim attribute when
 * ndim > 1, filled from src when src is not NULL (the caller fills it
 * otherwise). Not protected: the caller hands it to R (or protects it)
 * before anything else allocates in R. */
SEXP tb_c_new_array(int type, const void *src, double length, int ndim, const int *dims) {
  R_xlen_t n = (R_xlen_t) length;
  SEXP out = PROTECT(allocVector(type, n));
  if (src != NULL && n > 0) {
    size_t size = type == REALSXP ? sizeof(double) : (type == RAWSXP ? 1 : sizeof(int));
    memcpy(DATAPTR(out), src, (size_t) n * size);
  }
  if (ndim > 1) {
    SEXP dim = PROTECT(allocVector(INTSXP, ndim));
    memcpy(INTEGER(dim), dims, (size_t) ndim * sizeof(int));
    setAttrib(out, R_DimSymbol, dim);
    UNPROTECT(1);
  }
  UNPROTECT(1);
  return out;
}

/* Addresses of the C functions the Python side calls directly. */
SEXP tb_c_native_addresses(void) {
  SEXP out = PROTECT(allocVector(REALSXP, 4));
  REAL(out)[0] = (double) (uintptr_t) &tb_c_make_handle;
  REAL(out)[1] = (double) (uintptr_t) &tb_c_inspect;
  REAL(out)[2] = (double) (uintptr_t) &tb_c_new_array;
  REAL(out)[3] = (double) (uintptr_t) &tb_c_eval;
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
  {"tb_c_set_dispatch", (DL_FUNC) &tb_c_set_dispatch, 3},
  {"tb_c_native_addresses", (DL_FUNC) &tb_c_native_addresses, 0},
  {NULL, NULL, 0}
};

void R_init_tensorbridge(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, external_methods);
  R_useDynamicSymbols(dll, FALSE);
}
