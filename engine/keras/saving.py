"""Model persistence: one zip file per model, written atomically.

A model file (``model.save(path)``) is a zip archive holding
``tensorbridge.json`` (format marker), ``config.json`` (the architecture, as
``to_json``), ``weights.npz``, and when compiled ``compile.json`` plus
``optimizer.npz`` / ``optimizer.json`` (optimizer slots, step count and which
weight each slot belongs to), so training resumes exactly where it stopped.
A weights file (``save_weights``) holds the marker and ``weights.npz``.

Writes go through ``engine._files.atomic_write``: a temporary file in the
target's directory (created exclusively, never through a symbolic link, with
the umask's permissions), fsynced and renamed over the target, so a crash
mid-save leaves the old file intact; temp files left by killed savers are
removed by the next save to that directory.

Loading never inflates more than the archive declares, and checks what it
declares first: metadata members against ``JSON_LIMIT`` (and, before parsing,
against ``MAX_JSON_VALUES``; once parsed, against ``MAX_JSON_DEPTH`` and
``MAX_LAYERS``), ``weights.npz`` and ``optimizer.npz`` against the shapes of the
model that ``config.json`` builds (each array's .npy header must give the
model's shape and a numeric dtype, and its size must be exactly header plus
data).  While ``config.json`` builds the model, its weights may take no more
values than ``weights.npz`` can hold -- its declared size, capped by what its
stored bytes can expand to -- so a small file declaring huge layers is refused
before their weights are allocated.  A file that is not such an archive
(truncated, foreign, or declaring more than the model needs) raises
``ValueError("… is not a tensorbridge model file (…)")``; a config that does not
describe a model raises ``ValueError("…: its config.json does not describe a
model …")``.  Loading runs no code from the file: classes are looked up by name
in the engine's registries (and in ``custom_objects``, which only the caller
gives).
"""

import collections
import io
import json
import math
import os
import zipfile

import numpy as np

from .._files import atomic_write, read_npy_header
from . import layers as _layers
from . import losses as _losses
from . import metrics as _metrics
from . import optimizers as _optimizers
from .layers.base import InputLayer, WeightBudget, flatten

MODEL_FORMAT = "tensorbridge-keras-model"
WEIGHTS_FORMAT = "tensorbridge-keras-weights"
FORMAT_VERSION = 1


# -- architecture ------------------------------------------------------------------------------
def _node_keys(model):
    """id(node) -> its index among the model's nodes of the same layer."""
    keys = {}
    mine = {id(n) for n in model._nodes}
    mine.update(id(t._keras_history[0]._inbound_nodes[0]) for t in model.inputs)
    for layer in model.layers:
        k = 0
        for n in layer._inbound_nodes:
            if id(n) in mine:
                keys[id(n)] = k
                k += 1
    return keys


def functional_config(model):
    keys = _node_keys(model)
    layer_cfgs = []
    for layer in model.layers:
        inbound = []
        if not isinstance(layer, InputLayer):
            for n in layer._inbound_nodes:
                if id(n) not in keys:
                    continue
                args = [[pl.name, keys[id(pl._inbound_nodes[ni])], ti] for pl, ni, ti in
                        n.parents]
                kwargs = {k: v for k, v in n.kwargs.items() if _jsonable(v)}
                inbound.append({"args": args,
                                "as_list": isinstance(n.inputs, (list, tuple)),
                                "kwargs": kwargs})
        layer_cfgs.append({**_layers.serialize(layer), "name": layer.name,
                           "inbound_nodes": inbound})

    def ref(t):
        layer, ni, ti = t._keras_history
        return [layer.name, keys[id(layer._inbound_nodes[ni])], ti]

    return {"name": model.name, "layers": layer_cfgs,
            "input_layers": [ref(t) for t in model.inputs],
            "output_layers": [ref(t) for t in model.outputs],
            "outputs_as_list": isinstance(model._output_struct, (list, tuple)),
            "inputs_as_list": isinstance(model._input_struct, (list, tuple))}


def _jsonable(v):
    try:
        json.dumps(v)
        return True
    except TypeError:
        return False


def functional_from_config(config, custom_objects=None):
    from .model import Model

    made = {}
    produced = {}  # (layer name, node key) -> flat outputs
    pending = {}  # layer name -> its calls not yet replayed, in order
    for lc in config["layers"]:
        if lc["class_name"] == "InputLayer":
            cfg = dict(lc["config"])
            layer = InputLayer(batch_input_shape=tuple(cfg.pop("batch_input_shape")), **cfg)
            produced[(layer.name, 0)] = layer._inbound_nodes[0].flat_outputs
        else:
            layer = _layers.deserialize(lc, custom_objects)
            pending[layer.name] = list(lc.get("inbound_nodes", []))
        made[lc["name"]] = layer
    # replay each layer's calls in order once their inputs exist: a layer waiting for an
    # output is woken when that output is produced (linear in the number of calls, whatever
    # the order of the layers in the config)
    done = {name: 0 for name in pending}
    waiting = {}  # (layer name, node key) -> layers whose next call needs it
    ready = collections.deque(pending)
    while ready:
        name = ready.popleft()
        entries = pending[name]
        while done[name] < len(entries):
            entry = entries[done[name]]
            missing = next(((src, k) for src, k, _ in entry["args"]
                            if (src, k) not in produced), None)
            if missing is not None:
                waiting.setdefault(missing, []).append(name)
                break
            args = [produced[(src, k)][ti] for src, k, ti in entry["args"]]
            inp = args if entry.get("as_list") else args[0]
            # (an empty dict may arrive as an empty list: a config that went through R)
            kwargs = entry.get("kwargs") or {}
            if not isinstance(kwargs, dict):
                raise TypeError(f"the call arguments of layer {name!r} are not a mapping")
            out = made[name](inp, **kwargs)
            produced[(name, done[name])] = flatten(out)
            ready.extend(waiting.pop((name, done[name]), ()))
            done[name] += 1
    if any(done[name] < len(entries) for name, entries in pending.items()):
        raise ValueError("model config: could not rebuild the layer graph (a layer's inputs "
                         "never became available); the config is inconsistent")
    inputs = [produced[(n, k)][t] for n, k, t in config["input_layers"]]
    outputs = [produced[(n, k)][t] for n, k, t in config["output_layers"]]
    if not config.get("inputs_as_list", len(inputs) > 1) and len(inputs) == 1:
        inputs = inputs[0]
    if not config.get("outputs_as_list", len(outputs) > 1) and len(outputs) == 1:
        outputs = outputs[0]
    return Model(inputs, outputs, name=config.get("name"))


def model_to_dict(model):
    from .sequential import Sequential

    if isinstance(model, Sequential):
        cls = "Sequential"
    elif model._is_graph:
        cls = "Functional"
    else:
        cls = type(model).__name__
    out = {"class_name": cls, "config": model.get_config(), "backend": "tensorbridge",
           "format_version": FORMAT_VERSION}
    shape = getattr(model, "_build_input_shape", None)
    if cls not in ("Sequential", "Functional") and shape is not None:
        # a subclassed model makes its weights when first called: on load it is
        # called on an input of this shape before the weights are assigned
        out["build_input_shape"] = _shape_json(shape)
    return out


def _shape_json(shape):
    if isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, int) for d in shape):
        return [None if d is None else int(d) for d in shape]
    if isinstance(shape, dict):
        return {k: _shape_json(v) for k, v in shape.items()}
    return [_shape_json(s) for s in shape]


def _shape_from_json(shape):
    if isinstance(shape, list) and all(d is None or type(d) is int for d in shape):
        if not all(d is None or 0 < d <= 2**31 for d in shape):
            raise ValueError(f"build_input_shape holds a size that is not a positive whole "
                             f"number: {shape}")
        return tuple(shape)
    if isinstance(shape, dict):
        return {k: _shape_from_json(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_shape_from_json(s) for s in shape]
    raise ValueError(f"build_input_shape is not a shape: {shape!r}")


def _build_subclassed(model, shape):
    """Make a subclassed model's weights by calling it on zeros of ``shape``
    (a batch of one where the batch size is free)."""
    from ..autograd import no_grad
    from ..tensor import convert_to_tensor
    from .layers.base import _map_shapes

    def zeros(s):
        return convert_to_tensor(np.zeros(tuple(1 if d is None else d for d in s), np.float32))

    with no_grad():
        model(_map_shapes(zeros, shape), training=False)
    model._build_input_shape = shape


def model_from_dict(d, custom_objects=None):
    from .sequential import Sequential

    cls = d.get("class_name")
    if cls == "Sequential":
        return Sequential.from_config(d["config"], custom_objects)
    if cls in ("Functional", "Model"):
        return functional_from_config(d["config"], custom_objects)
    custom = (custom_objects or {}).get(cls)
    if custom is None:
        raise ValueError(f"unknown model class {cls!r}; pass it in custom_objects="
                         f"{{{cls!r}: TheClass}}")
    model = custom.from_config(d["config"])
    shape = d.get("build_input_shape")
    if shape is not None and not model.built:
        _build_subclassed(model, _shape_from_json(shape))
    return model


def model_from_json(json_string, custom_objects=None, _label="model_from_json"):
    """A new (uncompiled, freshly initialized) model from ``model.to_json()``."""
    try:
        d = _loads(json_string)
    except _BadJSON as exc:
        raise ValueError(f"{_label}: the text {exc}") from None
    missing = _unknown_layer_classes(d, custom_objects)
    if missing:
        raise UnknownClassesError(f"{_label}: the model", missing)
    try:
        return model_from_dict(d, custom_objects)
    except (KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise ValueError(f"{_label}: the text does not describe a model "
                         f"({_config_problem(exc)})") from None


def model_to_yaml(model):
    """The model's configuration (no weights) as YAML: the document of ``to_json()``."""
    import yaml

    return yaml.safe_dump(model_to_dict(model), sort_keys=False)


MAX_YAML_CHARS = 64 * 2**20


def model_from_yaml(yaml_string, custom_objects=None):
    """A new model from ``model_to_yaml()``'s text.  The text is read as plain data
    (YAML's safe subset, no tags that make objects) with no aliases -- an alias can
    make a small text expand to an enormous one -- then checked as ``model_from_json``
    checks its text."""
    import yaml

    if not isinstance(yaml_string, str):
        raise TypeError(f"model_from_yaml: the YAML must be a string, not "
                        f"{type(yaml_string).__name__}")
    if len(yaml_string) > MAX_YAML_CHARS:
        raise ValueError(f"model_from_yaml: the text has {len(yaml_string)} characters; a "
                         f"model's configuration has far fewer (at most {MAX_YAML_CHARS})")

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "holds an alias (*name), which a model's configuration "
                    "never does", event.start_mark)
            return super().compose_node(parent, index)

    try:
        d = yaml.load(yaml_string, Loader=NoAliases)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        raise ValueError(f"model_from_yaml: the text is not a YAML document that tensorbridge "
                         f"reads ({' '.join(str(exc).split())})") from None
    try:
        text = json.dumps(d)
    except (TypeError, ValueError):
        raise ValueError("model_from_yaml: the text holds values (dates, binary data, ...) "
                         "that a model's configuration never does") from None
    return model_from_json(text, custom_objects, _label="model_from_yaml")


# Limits on a configuration read from a file or a text: a genuine one is nested a dozen
# levels deep (a few more per model nested in a model), has at most a few thousand layers and
# about 50 JSON values per layer.  A hostile one could nest deeper than Python's recursion
# limit, or pack millions of values (each a Python object of up to ~64 bytes once parsed) or
# hundreds of thousands of layers into a few kilobytes of compressed JSON.
MAX_JSON_DEPTH = 100
MAX_JSON_VALUES = 2_000_000
MAX_LAYERS = 10_000


class _BadJSON(Exception):
    pass


def _loads(text):
    """``text`` parsed as JSON, or ``_BadJSON`` saying why not (the message starts with a
    verb: "is not valid JSON …")."""
    # values and keys, counted before parsing (parsing is what costs): each but the first
    # follows a comma, a colon or the opening of a non-empty container (in strings, these
    # characters only make the count an overestimate)
    mark = (lambda m: m) if isinstance(text, str) else str.encode
    values = 1 + sum(text.count(mark(m)) for m in (",", ":", "[", "{")) - sum(
        text.count(mark(m)) for m in ("[]", "{}"))
    if values > MAX_JSON_VALUES:
        raise _BadJSON(f"holds about {values} values, more than the {MAX_JSON_VALUES} a model's "
                       "configuration may have (a layer needs about 50)")
    try:
        obj = json.loads(text)
    except RecursionError:
        raise _BadJSON(f"is nested more than {MAX_JSON_DEPTH} levels deep (a model's "
                       "configuration needs a few dozen)") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise _BadJSON(f"is not valid JSON: {exc}") from None
    # depth and layer count, iteratively (no recursion on hostile nesting)
    stack, layers = [(obj, 1)], 0
    while stack:
        o, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _BadJSON(f"is nested more than {MAX_JSON_DEPTH} levels deep (a model's "
                           "configuration needs a few dozen)")
        if isinstance(o, dict):
            if isinstance(o.get("layers"), list):
                layers += len(o["layers"])
            o = o.values()
        elif not isinstance(o, list):
            continue
        stack.extend((v, depth + 1) for v in o if isinstance(v, (dict, list)))
    if layers > MAX_LAYERS:
        raise _BadJSON(f"describes {layers} layers, more than the {MAX_LAYERS} a tensorbridge "
                       "model may have")
    return obj


def _config_problem(exc):
    """What an exception raised while building a model from a config says about the config."""
    if isinstance(exc, KeyError):
        return f"an entry lacks the field {exc.args[0]!r}" if exc.args else "an entry is missing"
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    if isinstance(exc, (TypeError, AttributeError, IndexError)):
        return f"an entry is not what was expected: {exc}"
    return str(exc)


# -- compile config ------------------------------------------------------------------------------
def _ser_nested(spec, fn):
    if spec is None:
        return None
    if isinstance(spec, dict):
        return {k: _ser_nested(v, fn) for k, v in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [_ser_nested(v, fn) for v in spec]
    return fn(spec)


def _ser_loss(v):
    if isinstance(v, str):
        return v
    return _losses.serialize(v)


def _ser_metric(v):
    if isinstance(v, str):
        return v
    if isinstance(v, _metrics.Metric):
        return _metrics.serialize(v)
    return getattr(v, "__name__", str(v))


def _de_nested(spec, fn):
    if spec is None:
        return None
    if isinstance(spec, dict) and "class_name" not in spec:
        return {k: _de_nested(v, fn) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_de_nested(v, fn) for v in spec]
    return fn(spec)


def compile_config(model):
    c = model._compiled
    return {"optimizer": _optimizers.serialize(model.optimizer),
            "loss": _ser_nested(c.loss_spec, _ser_loss),
            "metrics": _ser_nested(c.metrics_spec, _ser_metric),
            "weighted_metrics": _ser_nested(c.weighted_metrics_spec, _ser_metric),
            "loss_weights": c.loss_weights_spec}


def _custom_compile_names(cfg, co):
    """Names of the losses and metrics in a compile config that are neither
    built in nor in ``co`` (functions and classes the user defined)."""
    missing = []

    def name_of(v):
        return v.get("class_name") if isinstance(v, dict) else v

    def check(v, get):
        name = name_of(v)
        if not isinstance(name, str) or name in co or name in missing:
            return v
        if name.lower() in ("acc", "accuracy", "crossentropy", "ce"):  # compile's own
            return v
        try:
            get(name if isinstance(v, str) else {"class_name": name, "config": {}})
        except ValueError:
            missing.append(name)
        except Exception:  # noqa: BLE001 - known, but this config is not its own
            pass
        return v

    _de_nested(cfg.get("loss"), lambda v: check(v, _losses.get))
    for key in ("metrics", "weighted_metrics"):
        _de_nested(cfg.get(key), lambda v: check(v, _metrics.get))
    return missing


def compile_from_config(model, cfg, custom_objects=None):
    co = custom_objects or {}
    missing = _custom_compile_names(cfg, co) if isinstance(cfg, dict) else []
    if missing:
        raise UnknownClassesError(None, missing, "loss or metric")
    loss = _de_nested(cfg.get("loss"), lambda v: _losses.get(v, co))
    metrics = _de_nested(cfg.get("metrics"), lambda v: v if isinstance(v, str) and v not in co
                         else _metrics.get(v, co))
    wm = _de_nested(cfg.get("weighted_metrics"), lambda v: v if isinstance(v, str) and v not in co
                    else _metrics.get(v, co))
    model.compile(optimizer=_optimizers.deserialize(cfg["optimizer"], co), loss=loss,
                  metrics=metrics, weighted_metrics=wm, loss_weights=cfg.get("loss_weights"),
                  custom_objects=co or None)


# -- archive I/O ---------------------------------------------------------------------------
def _npz_bytes(arrays):
    buf = io.BytesIO()
    np.savez(buf, **{f"a{i:05d}": np.asarray(a) for i, a in enumerate(arrays)})
    return buf.getvalue()


def _write_archive(f, model, include_optimizer=True):
    """Write the model archive to the binary file object ``f``."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as z:
        z.writestr("tensorbridge.json", json.dumps({"format": MODEL_FORMAT,
                                                    "format_version": FORMAT_VERSION}))
        z.writestr("config.json", json.dumps(model_to_dict(model)))
        weights = model.weights
        z.writestr("weights.npz", _npz_bytes([v.numpy() for v in weights]))
        if model.compiled:
            z.writestr("compile.json", json.dumps(compile_config(model)))
            opt = model.optimizer
            if include_optimizer and opt is not None:
                pos = {id(v): i for i, v in enumerate(weights)}
                order = [None] * len(opt._index)
                for vid, slot in opt._index.items():
                    order[slot] = pos.get(vid)
                if all(o is not None for o in order):
                    z.writestr("optimizer.json", json.dumps({"var_order": order}))
                    z.writestr("optimizer.npz", _npz_bytes(opt.get_state()))


def _write_weights_archive(f, model):
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as z:
        z.writestr("tensorbridge.json", json.dumps({"format": WEIGHTS_FORMAT,
                                                    "format_version": FORMAT_VERSION}))
        z.writestr("weights.json", json.dumps(
            {"names": [v._name for v in model.weights],
             "shapes": [list(v.shape) for v in model.weights]}))
        z.writestr("weights.npz", _npz_bytes([v.numpy() for v in model.weights]))


def _check_overwrite(path, overwrite):
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False; choose another path or pass "
                              "overwrite=True")


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    if not model.built:
        raise ValueError("save: the model is not built yet (it has no weights); give it an input "
                         "shape or call it on data first")
    _check_overwrite(filepath, overwrite)
    atomic_write(filepath, lambda f: _write_archive(f, model, include_optimizer))


def save_weights(model, filepath, overwrite=True):
    _check_overwrite(filepath, overwrite)
    atomic_write(filepath, lambda f: _write_weights_archive(f, model))


# Limits on what an archive may declare before anything is inflated (a "zip bomb" declares
# gigabytes in a small file).  JSON members are small; an array member is its .npy header plus
# exactly shape x itemsize bytes, and the shapes come from the model the config builds.
JSON_LIMIT = 16 << 20
_NPY_SLACK = 1 << 16  # an .npy header (numpy caps it at 10 000 bytes) and its zip entry
_MAX_ITEMSIZE = 8  # weights and optimizer slots are float/int of at most 8 bytes
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_DEFLATE_RATIO = 1032  # deflate's largest expansion: 258 bytes from 2 bits


def _expanded(info, room):
    """The most bytes the zip member ``info`` can unpack to, its stored bytes being at most
    ``room``: its declared size, capped by what its compression can produce."""
    ratio = 1 if info.compress_type == zipfile.ZIP_STORED else _DEFLATE_RATIO
    return min(info.file_size, min(info.compress_size, room) * ratio)


def _nbytes(shape):
    return math.prod(shape) * _MAX_ITEMSIZE


class _Archive:
    """A validated tensorbridge zip archive (from a path or bytes).

    Every member is read only after its declared size was checked: JSON members
    against ``JSON_LIMIT``, array members against the shapes the model needs;
    zipfile never inflates more than the declared size.
    """

    def __init__(self, source, label, kinds):
        self.label = label
        try:
            self.zip = zipfile.ZipFile(source if not isinstance(source, (bytes, bytearray))
                                       else io.BytesIO(source))
        except FileNotFoundError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ValueError(f"{label} is not a tensorbridge model file (not a readable zip "
                             f"archive: {exc}; the file may be truncated or of another "
                             "format)") from None
        if isinstance(source, (bytes, bytearray)):
            self.size = len(source)
        else:
            self.size = os.fstat(self.zip.fp.fileno()).st_size
        names = set(self.zip.namelist())
        if "tensorbridge.json" not in names:
            raise ValueError(f"{label} is not a tensorbridge model file (a zip archive without "
                             "the tensorbridge.json marker; it was not written by "
                             "model.save / save_weights)")
        marker = self.json("tensorbridge.json")
        self.format = marker.get("format") if isinstance(marker, dict) else None
        if self.format not in kinds:
            raise ValueError(f"{label} is not a tensorbridge model file (its format is "
                             f"{self.format!r}, expected {' or '.join(kinds)})")
        if int(marker.get("format_version", 0)) > FORMAT_VERSION:
            raise ValueError(f"{label} was written by a newer tensorbridge (format version "
                             f"{marker.get('format_version')}); upgrade tensorbridge to read it")
        self.names = names

    def _refuse(self, why):
        return ValueError(f"{self.label} is not a tensorbridge model file ({why}); the file is "
                          "damaged or was built to exhaust memory, and it was not unpacked")

    def _check_entry(self, info, limit, need):
        if info.compress_type not in _METHODS:
            raise self._refuse(f"{info.filename} uses zip compression method "
                               f"{info.compress_type}; tensorbridge files are stored or deflated")
        if info.file_size > limit:
            raise self._refuse(f"{info.filename} declares {info.file_size} bytes unpacked, more "
                               f"than the {limit} bytes {need}")

    def read(self, name, limit=JSON_LIMIT, need="a tensorbridge metadata member may hold"):
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ValueError(f"{self.label} is not a tensorbridge model file (it lacks "
                             f"{name}; the file is incomplete)") from None
        self._check_entry(info, limit, need)
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ValueError(f"{self.label} is not a tensorbridge model file ({name} is "
                             f"damaged: {exc}; the file may be truncated)") from None

    def json(self, name):
        data = self.read(name)
        try:
            return _loads(data)
        except _BadJSON as exc:
            raise ValueError(f"{self.label} is not a tensorbridge model file ({name} "
                             f"{exc})") from None

    def capacity(self, name):
        """At most how many bytes the .npz member ``name`` holds, judged without inflating
        anything: its declared size, but no more than its stored bytes (at most the
        archive's) can expand to -- deflate expands at most 1032-fold.  When the .npz is
        stored as is (as ``save`` writes it), its own directory is read too and each array
        counted the same way, so arrays compressed inside it count at their full size."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ValueError(f"{self.label} is not a tensorbridge model file (it lacks "
                             f"{name}; the file is incomplete)") from None
        self._check_entry(info, info.file_size, "")
        if info.header_offset + info.compress_size > self.size:
            raise self._refuse(f"{name} declares {info.compress_size} bytes stored, but the "
                               f"archive has only {self.size} bytes")
        total = _expanded(info, self.size)
        if info.compress_type != zipfile.ZIP_STORED:
            return total
        try:
            with self.zip.open(info) as f, zipfile.ZipFile(f) as inner:
                arrays = inner.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return total  # damaged: reading the arrays will say so
        if sum(i.compress_size for i in arrays) > total:
            return total  # a directory that lies: reading the arrays will say so
        return sum(_expanded(i, total) for i in arrays)

    def arrays(self, name, shapes=None, allowed=None, max_count=0, names=None):
        """The arrays of the .npz member ``name``, checked before each is inflated.

        ``shapes``: the exact shapes expected, in order (``names`` name them in
        messages); else every array's shape must be in ``allowed`` and there are
        at most ``max_count`` of them.
        """
        if shapes is not None:
            limit = sum(_nbytes(s) + _NPY_SLACK for s in shapes) + _NPY_SLACK
        else:
            limit = max_count * (max(map(_nbytes, allowed), default=0) + _NPY_SLACK) + _NPY_SLACK
        data = self.read(name, limit, "the model's arrays need")
        try:
            inner = zipfile.ZipFile(io.BytesIO(data))
            members = sorted(inner.infolist(), key=lambda i: i.filename)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise self._refuse(f"{name} is not a readable .npz archive: {exc}") from None
        count = len(shapes) if shapes is not None else max_count
        if shapes is not None and len(members) != count:
            raise ValueError(f"{self.label} holds {len(members)} weight arrays but the model has "
                             f"{count} weights; the file belongs to a different model")
        if shapes is None and len(members) > count:
            raise self._refuse(f"{name} holds {len(members)} arrays, more than the {count} the "
                               "model's optimizer can have")
        out = []
        for k, info in enumerate(members):
            want = None if shapes is None else tuple(shapes[k])
            self._check_entry(info, limit, "the model's arrays need")
            try:
                with inner.open(info) as f:
                    shape, dtype = read_npy_header(f)
                    header = f.tell()
                if dtype.hasobject or dtype.kind not in "biuf" or dtype.itemsize > _MAX_ITEMSIZE:
                    raise ValueError(f"array of dtype {dtype} (expected numbers)")
                if want is not None and tuple(shape) != want:
                    what = names[k] if names else f"#{k + 1}"
                    raise _ShapeMismatch(f"{self.label}: weight {what!r} has shape {want} in the "
                                         f"model but {tuple(shape)} in the file; the file "
                                         "belongs to a different model")
                if want is None and tuple(shape) not in allowed:
                    raise ValueError(f"an array of shape {tuple(shape)}, which no weight of the "
                                     "model has")
                if info.file_size != header + math.prod(shape) * dtype.itemsize:
                    raise ValueError(f"{info.filename} declares {info.file_size} bytes but its "
                                     f"header says {header + math.prod(shape) * dtype.itemsize}")
                with inner.open(info) as f:
                    out.append(np.lib.format.read_array(f, allow_pickle=False))
            except _ShapeMismatch as exc:
                raise ValueError(str(exc)) from None
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise self._refuse(f"{name} is damaged: {exc}") from None
        return out


class _ShapeMismatch(Exception):
    pass


def _weight_shapes(model):
    return [tuple(v.shape) for v in model.weights]


class _WeightsBeyondFile(ValueError):
    pass


def _num(n):
    """A whole number as text, in scientific notation when it has more than 15 digits."""
    return str(n) if abs(n) < 10 ** 15 else f"{n:.3g}"


class UnknownClassesError(ValueError):
    """A model file names layer classes that are neither built in nor among the
    ``custom_objects`` given (classes the user defined, e.g. in R)."""

    def __init__(self, label, class_names, kind="layer class"):
        self.label = label
        self.class_names = class_names
        self.kind = kind
        names = ", ".join(repr(n) for n in class_names)
        plural = "es" if kind.endswith("s") else "s"
        super().__init__(f"{label} uses the custom {kind}({plural}) {names}, which tensorbridge "
                         "does not define; pass them in custom_objects when loading"
                         + (" (or load with compile=False)" if kind != "layer class" else ""))


class UnsafeCodeError(ValueError):
    """A model file holds code (a function stored by a lambda layer) and the caller did
    not say the file is trusted: a model file never runs code on load."""


def _unknown_layer_classes(config, custom_objects):
    """Class names of the layers in a model config (nested models included) that neither
    the engine nor ``custom_objects`` defines, in order of appearance."""
    known = set(_layers._CLASSES) | set(custom_objects or {}) | {"InputLayer", "Sequential",
                                                                  "Functional", "Model"}
    missing, stack = [], [config]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            layers = o.get("layers")
            if isinstance(layers, list):
                for lc in layers:
                    name = lc.get("class_name") if isinstance(lc, dict) else None
                    if isinstance(name, str) and name not in known and name not in missing:
                        missing.append(name)
            stack.extend(v for v in o.values() if isinstance(v, (dict, list)))
        elif isinstance(o, list):
            stack.extend(v for v in o if isinstance(v, (dict, list)))
    return missing


def _build_from_file(arc, custom_objects):
    """The model that the archive's config.json describes, built with fresh weights that may
    take no more values than weights.npz can hold (each value at least one byte): a config
    declaring huge layers in a small file is refused before their weights are allocated."""
    config = arc.json("config.json")
    missing = _unknown_layer_classes(config, custom_objects)
    if missing:
        raise UnknownClassesError(arc.label, missing)
    capacity = arc.capacity("weights.npz")

    def refuse(total, layer, weight, shape):
        return _WeightsBeyondFile(
            f"{arc.label}: the model file declares weights of at least {_num(total)} bytes but "
            f"holds only {capacity} bytes of weights (the first weight past that is "
            f"{layer}/{weight} of shape {' x '.join(map(_num, shape))}); the file is damaged or "
            "not a tensorbridge model, and those weights were not allocated")

    try:
        with WeightBudget(capacity, refuse):
            return model_from_dict(config, custom_objects)
    except _WeightsBeyondFile as exc:
        raise ValueError(str(exc)) from None
    except UnsafeCodeError as exc:
        raise UnsafeCodeError(f"{arc.label}: {exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise ValueError(f"{arc.label}: its config.json does not describe a model that "
                         f"tensorbridge can build ({_config_problem(exc)})") from None


def _load_archive(arc, custom_objects=None, compile=True):
    if arc.format != MODEL_FORMAT:
        raise ValueError(f"{arc.label} is a weights file, not a model file; build the model and "
                         "call model.load_weights() instead")
    model = _build_from_file(arc, custom_objects)
    weights = model.weights
    _assign(model, arc.arrays("weights.npz", _weight_shapes(model),
                              names=[v._name for v in weights]), arc.label)
    if compile and "compile.json" in arc.names:
        config = arc.json("compile.json")
        try:
            compile_from_config(model, config, custom_objects)
        except UnknownClassesError as exc:
            raise UnknownClassesError(arc.label, exc.class_names, exc.kind) from None
        except (ValueError, KeyError, TypeError, AttributeError, IndexError,
                RecursionError) as exc:
            raise ValueError(f"{arc.label}: its compile.json does not describe how the model "
                             f"was compiled ({_config_problem(exc)}); load it with "
                             "compile=False to get the model without its training "
                             "state") from None
        if "optimizer.npz" in arc.names:
            order = arc.json("optimizer.json")
            order = order.get("var_order") if isinstance(order, dict) else None
            if not (isinstance(order, list) and len(set(map(repr, order))) == len(order) and
                    all(type(i) is int and 0 <= i < len(weights) for i in order)):
                raise arc._refuse("optimizer.json does not list distinct weights of the model")
            # each slot has a weight's shape; at most 4 slots per weight, plus step counters
            state = arc.arrays("optimizer.npz", allowed={()} | set(_weight_shapes(model)),
                               max_count=4 * len(weights) + 2)
            model.optimizer.set_state(state, [weights[i] for i in order])
    return model


def load_model(filepath, custom_objects=None, compile=True, **kwargs):
    """The model saved by ``model.save(filepath)``: architecture, weights, compile state and
    optimizer state."""
    arc = _Archive(os.fspath(filepath), os.fspath(filepath), (MODEL_FORMAT, WEIGHTS_FORMAT))
    return _load_archive(arc, custom_objects, compile)


def _assign(model, arrays, label):
    weights = model.weights
    if len(arrays) != len(weights):
        raise ValueError(f"{label} holds {len(arrays)} weight arrays but the model has "
                         f"{len(weights)} weights; the file belongs to a different model")
    for v, a in zip(weights, arrays):
        if tuple(a.shape) != tuple(v.shape):
            raise ValueError(f"{label}: weight {v._name!r} has shape {tuple(v.shape)} in the "
                             f"model but {tuple(a.shape)} in the file; the file belongs to a "
                             "different model")
    for v, a in zip(weights, arrays):
        v.assign(a.astype(v._data.dtype, copy=False))


def load_weights(model, filepath):
    path = os.fspath(filepath)
    arc = _Archive(path, path, (WEIGHTS_FORMAT, MODEL_FORMAT))
    if not model.built:
        raise ValueError("load_weights: the model is not built yet; give it an input shape (or "
                         "call it on data) before loading weights")
    _assign(model, arc.arrays("weights.npz", _weight_shapes(model),
                              names=[v._name for v in model.weights]), path)


def serialize_model(model, include_optimizer=True):
    """The model file's bytes (what ``save`` writes), e.g. to keep a model in memory."""
    buf = io.BytesIO()
    _write_archive(buf, model, include_optimizer)
    return buf.getvalue()


def deserialize_model(data, custom_objects=None, compile=True):
    arc = _Archive(bytes(data), "the given bytes", (MODEL_FORMAT,))
    return _load_archive(arc, custom_objects, compile)
