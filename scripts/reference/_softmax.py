"""Shared NumPy helpers of the references whose agents sample actions (consolidation_sweep.py,
learned_gating.py): a softmax policy and one categorical draw per row, as CreditCore's softmax
and SeededGenerator.categorical compute them."""
import numpy as np


def softmax(z, beta=1.0):
    """softmax(β z) along the last axis (the maximum subtracted first)."""
    e = np.exp(beta * (z - z.max(axis=-1, keepdims=True)))
    return e / e.sum(axis=-1, keepdims=True)


def sample(p, u):
    """One index per row of the probabilities p, drawn with the uniforms u (one per row): the
    first i whose cumulative probability exceeds u · Σp."""
    c = np.cumsum(p, axis=-1)
    return np.minimum((c <= u[..., None] * c[..., -1:]).sum(axis=-1), p.shape[-1] - 1)
