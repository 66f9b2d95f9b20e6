"""Fused time loops of SimpleRNN, LSTM and GRU (keras' reset_after=True), each one
autograd Function with a hand-written backward-through-time.

The input projection ``x @ W + b`` for all steps is one ``DenseAct`` matmul done by the
layer; these ops take its result ``xw`` (batch, steps, gates * units) and run the
recurrence: per step one ``h @ U`` matmul and the gate math on preallocated buffers.
Backward computes what does not depend on the carried gradient (activation
derivatives) for all steps at once, then loops back over the steps with one matmul
each; the recurrent-kernel gradient is one matmul over all steps at the end, and the
gradient w.r.t. ``xw`` is returned as a whole for ``DenseAct`` to turn into dx, dW, db.

Masks (batch, steps) make a masked step carry the previous state: h_t = h_{t-1}
(and c_t = c_{t-1}); its output is the carried h, or zeros with
``zero_output_for_mask``.  ``rmask`` (batch, units) is the recurrent-dropout mask
applied to h_{t-1} where keras 3 applies it.

Each op returns one array (batch, steps + k, units): the output sequence, then the
final h (and c for LSTM); the layer slices what it returns.
"""

from ...autograd import Function
from .._kernels import activate_

# activations with an in-place forward and a derivative computable from the output
FUSED = ("tanh", "sigmoid", "relu", "linear", "hard_sigmoid")


def _pack_outputs(xp, seq, *finals):
    """The op's one output (batch, steps + len(finals), units): the output
    sequence ``seq`` (steps, batch, units), then the final states."""
    t_len, n, units = seq.shape
    out = xp.empty((n, t_len + len(finals), units), dtype=seq.dtype)
    out[:, :t_len] = seq.transpose(1, 0, 2)
    for k, state in enumerate(finals):
        out[:, t_len + k] = state
    return out


def _masked_step_grad(dh, gy_t, mt, zero_out):
    """One step of backpropagation through time at the output of a masked
    recurrence: ``(dh, grad into the step, grad kept for the carried state)``.

    Masked steps (``mt`` = 0) pass the state through unchanged, so their gradient
    flows to the previous state (``keep``); with ``zero_out`` a masked step's
    output is zero and its output gradient is dropped."""
    if mt is None:
        dh += gy_t
        return dh, dh, None
    if zero_out:
        dnew = (dh + gy_t) * mt
    else:
        dh += gy_t
        dnew = dh * mt
    return dh, dnew, dh * (1 - mt)


def dact(xp, name, y):
    """d act / d pre-activation, from the output ``y`` (a new array)."""
    if name == "tanh":
        return 1 - y * y
    if name == "sigmoid":
        return y * (1 - y)
    if name == "relu":
        return (y > 0).astype(y.dtype)
    if name == "hard_sigmoid":
        return ((y > 0) & (y < 1)).astype(y.dtype) * (1.0 / 6.0)
    return xp.ones_like(y)


def _mask_tm(xp, mask, dtype):
    """(N, T) bool mask -> (T, N, 1) float, or None."""
    if mask is None:
        return None
    return xp.ascontiguousarray(mask.T[:, :, None].astype(dtype))


def _carry(h_new, h_prev, m):
    """where(m, h_new, h_prev) for a float 0/1 mask column m (N, 1); in place in h_new."""
    h_new -= h_prev
    h_new *= m
    h_new += h_prev
    return h_new


class SimpleRNNOp(Function):
    name = "simple_rnn"

    @staticmethod
    def forward(ctx, xw, u, h0, act, mask, rmask, zero_out):
        xp = ctx.xp
        n, t_len, units = xw.shape
        m = _mask_tm(xp, mask, xw.dtype)
        hs = xp.empty((t_len + 1, n, units), dtype=xw.dtype)  # carried states
        ys = xp.empty((t_len, n, units), dtype=xw.dtype)  # new (unmasked) states
        hs[0] = h0
        for t in range(t_len):
            hp = hs[t]
            z = ys[t]
            xp.matmul(hp if rmask is None else hp * rmask, u, out=z)
            z += xw[:, t]
            activate_(xp, z, act)
            if m is None:
                hs[t + 1] = z
            else:
                hs[t + 1] = _carry(z.copy(), hp, m[t])
        out = _pack_outputs(xp, hs[1:] if m is None or not zero_out else ys * m, hs[t_len])
        ctx.save = (u, hs, ys, m, rmask, act, zero_out)
        return out

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        u, hs, ys, m, rmask, act, zero_out = ctx.save
        t_len = ys.shape[0]
        d = dact(xp, act, ys)  # (T, N, U)
        gy = g[:, :t_len].transpose(1, 0, 2)
        dz = xp.empty_like(ys)
        dh = g[:, t_len].copy()
        ut = u.T
        for t in range(t_len - 1, -1, -1):
            dh, dnew, keep = _masked_step_grad(dh, gy[t], None if m is None else m[t], zero_out)
            xp.multiply(dnew, d[t], out=dz[t])
            dh = dz[t] @ ut
            if rmask is not None:
                dh *= rmask
            if keep is not None:
                dh += keep
        return _finish(xp, dz, hs, rmask, ctx.needs, dh)


def _finish(xp, dz, hs, rmask, needs, dh0, extra=None):
    """(dxw, du, dh0[, extra...]) from the per-step pre-activation gradients dz (T, N, G)."""
    t_len, n, gsize = dz.shape
    units = hs.shape[2]
    dxw = dz.transpose(1, 0, 2) if needs[0] else None
    du = None
    if needs[1]:
        hp = hs[:-1] if rmask is None else hs[:-1] * rmask
        du = hp.reshape(t_len * n, units).T @ dz.reshape(t_len * n, gsize)
    out = [dxw, du, dh0 if needs[2] else None]
    if extra is not None:
        out += extra
    return tuple(out)


class LSTMOp(Function):
    """xw (N, T, 4U) in keras' gate order i, f, c, o; u (U, 4U); h0, c0 (N, U)."""

    name = "lstm"

    @staticmethod
    def forward(ctx, xw, u, h0, c0, act, ract, mask, rmask, zero_out):
        xp = ctx.xp
        n, t_len, g4 = xw.shape
        units = g4 // 4
        s2, s3 = slice(2 * units, 3 * units), slice(3 * units, g4)
        m = _mask_tm(xp, mask, xw.dtype)
        hs = xp.empty((t_len + 1, n, units), dtype=xw.dtype)
        cs = xp.empty((t_len + 1, n, units), dtype=xw.dtype)
        gates = xp.empty((t_len, n, g4), dtype=xw.dtype)
        tcs = xp.empty((t_len, n, units), dtype=xw.dtype)  # act(c_new)
        hn = xp.empty((t_len, n, units), dtype=xw.dtype) if m is not None else None
        hs[0], cs[0] = h0, c0
        tmp = xp.empty((n, units), dtype=xw.dtype)
        for t in range(t_len):
            hp, cp = hs[t], cs[t]
            gt = gates[t]
            xp.matmul(hp if rmask is None else hp * rmask, u, out=gt)
            gt += xw[:, t]
            if ract == act:
                activate_(xp, gt, ract)
            else:
                cpre = gt[:, s2].copy()
                activate_(xp, gt, ract)
                gt[:, s2] = activate_(xp, cpre, act)
            c = cs[t + 1]
            xp.multiply(gt[:, units:2 * units], cp, out=c)
            xp.multiply(gt[:, :units], gt[:, s2], out=tmp)
            c += tmp
            tc = tcs[t]
            tc[...] = c
            activate_(xp, tc, act)
            h = hs[t + 1] if m is None else hn[t]
            xp.multiply(gt[:, s3], tc, out=h)
            if m is not None:
                mt = m[t]
                hs[t + 1] = _carry(h.copy(), hp, mt)
                _carry(c, cp, mt)
        out = _pack_outputs(xp, hs[1:] if m is None or not zero_out else hn * m, hs[t_len],
                            cs[t_len])
        ctx.save = (u, hs, cs, gates, tcs, m, rmask, act, ract, zero_out)
        return out

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        u, hs, cs, gates, tcs, m, rmask, act, ract, zero_out = ctx.save
        t_len, n, g4 = gates.shape
        units = g4 // 4
        s0, s1 = slice(0, units), slice(units, 2 * units)
        s2, s3 = slice(2 * units, 3 * units), slice(3 * units, g4)
        # derivatives that do not depend on the carried gradient, for all steps at once
        dg = dact(xp, ract, gates)
        if act != ract:
            dg[:, :, s2] = dact(xp, act, gates[:, :, s2])
        dtc = gates[:, :, s3] * dact(xp, act, tcs)  # d h / d c_new through act(c)
        gy = g[:, :t_len].transpose(1, 0, 2)
        dz = xp.empty_like(gates)
        dh = g[:, t_len].copy()
        dc = g[:, t_len + 1].copy()
        ut = u.T
        dcn = xp.empty((n, units), dtype=gates.dtype)
        for t in range(t_len - 1, -1, -1):
            gt, dzt = gates[t], dz[t]
            if m is None:
                dh += gy[t]
                dhn, keep_h = dh, None
                xp.multiply(dh, dtc[t], out=dcn)
                dcn += dc
                keep_c = None
            else:
                mt = m[t]
                if zero_out:
                    dhn = (dh + gy[t]) * mt
                else:
                    dh += gy[t]
                    dhn = dh * mt
                keep_h = dh * (1 - mt)
                keep_c = dc * (1 - mt)
                xp.multiply(dhn, dtc[t], out=dcn)
                dcn += dc * mt
            xp.multiply(dcn, gt[:, s2], out=dzt[:, s0])
            xp.multiply(dcn, cs[t], out=dzt[:, s1])
            xp.multiply(dcn, gt[:, s0], out=dzt[:, s2])
            xp.multiply(dhn, tcs[t], out=dzt[:, s3])
            dzt *= dg[t]
            dh = dzt @ ut
            if rmask is not None:
                dh *= rmask
            dc = dcn * gt[:, s1]
            if keep_h is not None:
                dh += keep_h
                dc += keep_c
        return _finish(xp, dz, hs, rmask, ctx.needs, dh, extra=[dc if ctx.needs[3] else None])


class GRUOp(Function):
    """keras' GRU with reset_after=True: xw (N, T, 3U) = x @ W + input bias (gates z, r, h);
    u (U, 3U); brec (3U,) the recurrent bias; h0 (N, U)."""

    name = "gru"

    @staticmethod
    def forward(ctx, xw, u, brec, h0, act, ract, mask, rmask, zero_out):
        xp = ctx.xp
        n, t_len, g3 = xw.shape
        units = g3 // 3
        s01, s2 = slice(0, 2 * units), slice(2 * units, g3)
        m = _mask_tm(xp, mask, xw.dtype)
        hs = xp.empty((t_len + 1, n, units), dtype=xw.dtype)
        zr = xp.empty((t_len, n, 2 * units), dtype=xw.dtype)
        hh = xp.empty((t_len, n, units), dtype=xw.dtype)  # (h U_h + b_h), before r *
        cand = xp.empty((t_len, n, units), dtype=xw.dtype)  # the candidate state
        hn = xp.empty((t_len, n, units), dtype=xw.dtype) if m is not None else None
        hs[0] = h0
        hu = xp.empty((n, g3), dtype=xw.dtype)
        for t in range(t_len):
            hp = hs[t] if rmask is None else hs[t] * rmask
            xp.matmul(hp, u, out=hu)
            hu += brec
            zrt = zr[t]
            xp.add(xw[:, t, s01], hu[:, s01], out=zrt)
            activate_(xp, zrt, ract)
            hh[t] = hu[:, s2]
            c = cand[t]
            xp.multiply(zrt[:, units:], hu[:, s2], out=c)
            c += xw[:, t, s2]
            activate_(xp, c, act)
            h = hs[t + 1] if m is None else hn[t]
            xp.subtract(hp, c, out=h)  # h = c + z * (h_prev - c)
            h *= zrt[:, :units]
            h += c
            if m is not None:
                hs[t + 1] = _carry(h.copy(), hs[t], m[t])
        out = _pack_outputs(xp, hs[1:] if m is None or not zero_out else hn * m, hs[t_len])
        ctx.save = (u, hs, zr, hh, cand, m, rmask, act, ract, zero_out)
        return out

    @staticmethod
    def backward(ctx, g):
        xp = ctx.xp
        u, hs, zr, hh, cand, m, rmask, act, ract, zero_out = ctx.save
        t_len, n, units = cand.shape
        g3 = 3 * units
        s0, s1, s2 = slice(0, units), slice(units, 2 * units), slice(2 * units, g3)
        hprev = hs[:-1] if rmask is None else hs[:-1] * rmask
        z = zr[:, :, s0]
        dzr = dact(xp, ract, zr)
        a_z = (hprev - cand) * dzr[:, :, s0]  # d h_new / d z-pre, per unit of dh
        a_n = (1 - z) * dact(xp, act, cand)  # d h_new / d cand-pre
        a_r = hh * dzr[:, :, s1]  # d cand-pre / d r-pre
        r = zr[:, :, s1]
        gy = g[:, :t_len].transpose(1, 0, 2)
        dx = xp.empty((t_len, n, g3), dtype=cand.dtype)
        dhu = xp.empty((t_len, n, g3), dtype=cand.dtype)
        dh = g[:, t_len].copy()
        ut = u.T
        for t in range(t_len - 1, -1, -1):
            dh, dhn, keep = _masked_step_grad(dh, gy[t], None if m is None else m[t], zero_out)
            dxt, dhut = dx[t], dhu[t]
            xp.multiply(dhn, a_z[t], out=dxt[:, s0])
            xp.multiply(dhn, a_n[t], out=dxt[:, s2])
            xp.multiply(dxt[:, s2], a_r[t], out=dxt[:, s1])
            dhut[:, :2 * units] = dxt[:, :2 * units]
            xp.multiply(dxt[:, s2], r[t], out=dhut[:, s2])
            dh = dhut @ ut
            dh += dhn * z[t]
            if rmask is not None:
                dh *= rmask
            if keep is not None:
                dh += keep
        needs = ctx.needs
        dxw = dx.transpose(1, 0, 2) if needs[0] else None
        du = None
        if needs[1]:
            du = hprev.reshape(t_len * n, units).T @ dhu.reshape(t_len * n, g3)
        db = dhu.sum(axis=(0, 1)) if needs[2] else None
        return dxw, du, db, (dh if needs[3] else None)
