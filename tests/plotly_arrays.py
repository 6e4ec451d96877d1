"""A Plotly trace's array as NumPy, whichever form the figure holds it in."""

import base64

import numpy as np


def values(array) -> np.ndarray:
    """`array` (a trace's x, y, z...) as a NumPy array. A figure from utils.caching's cache_data
    holds its arrays base64-encoded, as Plotly writes them ({"dtype", "bdata", "shape"}): that is
    what a pickled figure gives back, on the site's every cache hit and, so that a chart keeps its
    id, on the miss too."""
    if isinstance(array, dict):
        data = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        shape = array.get("shape")
        return data.reshape([int(n) for n in shape.split(",")]) if shape else data
    return np.asarray(array)
