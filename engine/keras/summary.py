"""keras' ``model.summary()`` table."""


def _fmt_shape(shape):
    if isinstance(shape, list):
        return ", ".join(_fmt_shape(s) for s in shape) if len(shape) > 1 else _fmt_shape(shape[0])
    if isinstance(shape, dict):
        return ", ".join(_fmt_shape(v) for v in shape.values())
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner}{',' if len(shape) == 1 else ''})"


def _row(fields, positions):
    line = ""
    for i, f in enumerate(fields):
        if i > 0:
            line = line[:-1] + " "
        line += str(f)
        line = line[:positions[i]]
        line += " " * (positions[i] - len(line))
    return line


def _count(weights):
    import numpy as np

    seen, total = set(), 0
    for v in weights:
        if id(v) not in seen:
            seen.add(id(v))
            total += int(np.prod(v.shape))
    return total


def summary_lines(model, line_length=None, positions=None):
    from .sequential import Sequential

    sequential = isinstance(model, Sequential) or not model._is_graph
    line_length = line_length or (65 if sequential else 98)
    positions = positions or ([0.45, 0.85, 1.0] if sequential else [0.33, 0.55, 0.67, 1.0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    header = ["Layer (type)", "Output Shape", "Param #"]
    if not sequential:
        header.append("Connected to")
    lines = [f'Model: "{model.name}"', "_" * line_length, _row(header, positions),
             "=" * line_length]
    layers = model.layers
    rows = []
    for i, layer in enumerate(layers):
        if isinstance(model, Sequential):
            shape = _fmt_shape(model._shapes[i]) if i < len(model._shapes) else "(unbuilt)"
        else:
            nodes = [n for n in layer._inbound_nodes if n in getattr(model, "_nodes", [])
                     or type(layer).__name__ == "InputLayer"]
            if len(nodes) > 1:
                shape = "multiple"
            elif nodes:
                outs = nodes[0].flat_outputs
                shape = _fmt_shape([o.shape for o in outs]) if len(outs) > 1 else \
                    _fmt_shape(outs[0].shape)
            else:
                shape = "?"
        params = _count(layer.weights) if layer.built else 0
        fields = [f"{layer.name} ({type(layer).__name__})", shape, f"{params}"]
        if not sequential:
            conn = []
            for n in layer._inbound_nodes:
                if n in model._nodes:
                    for layer_, ni, ti in n.parents:
                        conn.append(f"{layer_.name}[{ni}][{ti}]")
            fields.append(conn[0] if conn else "[]")
            rows.append(_row(fields, positions))
            for c in conn[1:]:
                rows.append(_row(["", "", "", c], positions))
        else:
            rows.append(_row(fields, positions))
        rows.append(" " * line_length if i < len(layers) - 1 else None)
    lines += [r for r in rows if r is not None]
    lines.append("=" * line_length)
    total = _count(model.weights)
    trainable = _count(model.trainable_weights)
    lines += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", "_" * line_length]
    return lines
