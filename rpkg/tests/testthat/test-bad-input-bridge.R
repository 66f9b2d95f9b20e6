# Bad input to the bridge (conversions, handles, tensors), one case per row:
# the expression and the exact message the user must see (or, with
# `fixed = TRUE`, a part of it). Each must be an R error of class
# tensorbridge_error; none may show Python's spellings (SXP, np., Traceback).

choices <- paste0('"', c("float16", "float32", "float64", "int8", "int16", "int32", "int64",
                         "uint8", "bool"), '"', collapse = ", ")
not_numeric <- function(what) {
  paste0("as_tensor() needs a numeric, integer or logical vector or array, not ", what,
         "; convert it first, e.g. with as.numeric() or data.matrix()")
}
bad_dtype <- function(given) {
  paste0("as_tensor(): `dtype` must be NULL or one of ", choices, ", not ", given)
}
no_python <- function(what) {
  paste0("ConversionError: ", what, " cannot be passed to Python: give numbers, logicals, ",
         "strings, factors, data frames, lists, functions or tensorbridge objects")
}
stale <- paste0("ValueError: this object no longer exists (it was created in another R ",
                "process or freed); create it again in this R session")
id <- function(x) tb_call("bridge.diagnostics.identity", x)

cases <- list(
  # as_tensor(): what x is
  bad(as_tensor("a"), not_numeric("a character vector")),
  bad(as_tensor(list(1, 2)), not_numeric("a list")),
  bad(as_tensor(factor("a")), not_numeric("an object of class factor")),
  bad(as_tensor(data.frame(a = 1)), not_numeric("an object of class data.frame")),
  bad(as_tensor(NULL), not_numeric("NULL")),
  bad(as_tensor(1 + 2i), not_numeric("a complex vector")),
  bad(as_tensor(as.raw(1)), not_numeric("a raw vector")),
  bad(as_tensor(new.env()), not_numeric("an environment")),
  bad(as_tensor(sum), not_numeric("a function")),
  bad(as_tensor(Sys.Date()), not_numeric("an object of class Date")),
  bad(as_tensor(c(1L, NA)), paste0(
    "ConversionError: integer NA at position 2: Python has no integer NA; use a double ",
    "vector (NA becomes NaN) or remove the NA")),
  bad(as_tensor(c(TRUE, NA)), paste0(
    "ConversionError: logical NA at position 2: Python has no logical NA; remove the NA ",
    "or convert to double first")),
  bad(as_tensor(array(0, rep(1, 40))),
       "ConversionError: R arrays with more than 32 dimensions are not supported"),
  # as_tensor(): dtype
  bad(as_tensor(1, dtype = "floot32"), bad_dtype('"floot32"')),
  bad(as_tensor(1, dtype = c("float32", "int32")),
       bad_dtype("a character vector of length 2")),
  bad(as_tensor(1, dtype = 32), bad_dtype("a double vector of length 1")),
  bad(as_tensor(1, dtype = NA_character_), bad_dtype("NA")),
  bad(as_tensor(as_tensor(1), dtype = "complex64"), bad_dtype('"complex64"')),
  # as_tensor(): casts that would change a value
  bad(as_tensor(3e9, dtype = "int32"), paste0(
    "as_tensor(): `x` has the value 3e+09 at position 1, which int32 cannot hold ",
    "(its range is -2147483648 to 2147483647)")),
  bad(as_tensor(2.5, dtype = "int32"), paste0(
    "as_tensor(): `x` has the fraction 2.5 at position 1, which int32 cannot hold; ",
    "round first, e.g. with round(x)")),
  bad(as_tensor(c(1.5, 2, 7.25), dtype = "int16"), paste0(
    "as_tensor(): `x` has the fraction 1.5 at position 1 (and 1 more), which int16 ",
    "cannot hold; round first, e.g. with round(x)")),
  bad(as_tensor(c(1, NA), dtype = "int32"), paste0(
    "as_tensor(): `x` has NA at position 2, which int32 cannot hold; use a float dtype ",
    "or remove it")),
  bad(as_tensor(c(0, Inf), dtype = "int64"), paste0(
    "as_tensor(): `x` has Inf at position 2, which int64 cannot hold; use a float dtype ",
    "or remove it")),
  bad(as_tensor(-1, dtype = "uint8"), paste0(
    "as_tensor(): `x` has the value -1 at position 1, which uint8 cannot hold ",
    "(its range is 0 to 255)")),
  bad(as_tensor(c(1L, 300L), dtype = "uint8"), paste0(
    "as_tensor(): `x` has the value 300 at position 2, which uint8 cannot hold ",
    "(its range is 0 to 255)")),
  bad(as_tensor(200L, dtype = "int8"), paste0(
    "as_tensor(): `x` has the value 200 at position 1, which int8 cannot hold ",
    "(its range is -128 to 127)")),
  bad(as_tensor(c(0, 1, 2), dtype = "bool"), paste0(
    "as_tensor(): `x` has the value 2 at position 3, which bool cannot hold ",
    "(only 0 and 1 become FALSE and TRUE)")),
  bad(as_tensor(1e6, dtype = "float16"), paste0(
    "as_tensor(): `x` has the value 1e+06 at position 1, which float16 cannot hold ",
    "(its largest value is 65504)")),
  bad(as_tensor(-1e300, dtype = "float32"), paste0(
    "as_tensor(): `x` has the value -1e+300 at position 1, which float32 cannot hold ",
    "(its largest value is 3.40282346638529e+38)")),
  # R values that have no Python counterpart
  bad(id(new.env()), no_python("an environment")),
  bad(id(1i), no_python("a complex vector")),
  bad(id(quote(x)), no_python("a symbol (a name)")),
  bad(id(quote(f(x))), no_python("a call (an unevaluated expression)")),
  bad(id(new("externalptr")), no_python("an external pointer")),
  bad(id(y ~ x), no_python('a call (an unevaluated expression) of class "formula"')),
  bad(id(expression(1)), no_python("an expression vector")),
  bad(id(list(a = 1, b = new.env())), no_python("an environment")),
  # calls that name nothing
  bad(tb_call("bridge.no_such_function"),
       "AttributeError: tensorbridge has no function 'bridge.no_such_function'"),
  bad(tb_call(42), paste0(
    "TypeError: the function to call must be one string naming it below the Python ",
    "package, such as \"engine.constant\"")),
  bad(tb_method(as_tensor(1), "no_such_method"),
       "AttributeError: a Tensor has no method 'no_such_method'"),
  bad(as_tensor(1)$no_such, paste0(
    "AttributeError: a Tensor has no attribute 'no_such' (check the spelling: ",
    "completion after `x$` lists its attributes)")),
  # foreign errors in R's words
  bad(tb_call("bridge.api.as_tensor", c("1", "a"), dtype = "float32"), paste0(
    "ValueError: the character value \"a\" is not a number; give numbers ",
    "(as.numeric() converts text that holds numbers)")),
  bad(tb_call("bridge.api.element", c(1, 2), 5L), paste0(
    "internal error of tensorbridge in bridge.api.element (IndexError: index 5 is out of ",
    "bounds for axis 0 with size 2); tb_last_error() shows the Python traceback")),
  # `$<-` on handles
  bad({
    t <- as_tensor(c(1, 2))
    t$ndim <- 3L
  }, "AttributeError: the attribute 'ndim' of a Tensor cannot be set (it is read-only)"),
  bad({
    layer <- layer_dense(units = 2)
    layer$trainabel <- FALSE
  }, "a Dense has no attribute 'trainabel' to set", fixed = TRUE),
  # handles without an object behind them
  bad({
    t <- as_tensor(c(1, 2))
    attr(t, "tb_key") <- 1
    as.array(t)
  }, stale),
  bad(as.array(structure(1, class = c("tensorbridge.engine.tensor.Tensor",
                                                 "tensorbridge_object"))), stale),
  bad(print(structure(list(), class = "tensorbridge_object")), stale),
  bad(tb_call("bridge.diagnostics.same", structure(2, class = "tensorbridge_object"),
                     as_tensor(1)), stale),
  # tensor arithmetic with values that do not fit
  bad(as_tensor(c(1, 2)) + "a",
       "TypeError: a tensor cannot be combined with a character value; give numbers (or logicals)"),
  bad(as_tensor(c(1L, 2L)) * c(0.5, 2.5), paste0(
    "TypeError: an int32 tensor cannot take the non-integer value(s) 0.5, 2.5; cast the ",
    "tensor first, e.g. tf$cast(x, \"float32\")")),
  bad(cumsum(as_tensor(matrix(1, 2, 2))), paste0(
    "ValueError: cumsum() of a tensor of shape (2, 2): R's cumsum() runs over a vector; ",
    "use tf$math$cumsum(x, axis = ...) for an axis"))
)

test_that("bad input to the bridge gives the R error the table names", {
  skip_if_no_python()
  expect_gte(length(cases), 40L)
  expect_bad_inputs(cases, new.env(parent = environment()))
})
