"""Run a generated notebook's code cells in order, as "Run all" in a local Jupyter would, without
Jupyter: one namespace, working directory exercises/, each cell's last expression evaluated (a
Plotly figure there is what Jupyter or Colab would draw).

    python -m tests.run_notebook exercises/part1_ray_tracing_solutions.ipynb

Prints one JSON line: the cells that raised (index, error), and the type of each cell's last
value. The setup cell's local branch puts the repository root on sys.path.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import linecache
import os
import sys
import traceback
from pathlib import Path


def run(path: Path) -> dict:
    notebook = json.loads(path.read_text())
    os.chdir(path.parent)
    namespace: dict = {"__name__": "__main__"}
    errors, values, printed = [], [], io.StringIO()
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        filename = f"<cell {index}>"
        # As IPython does: a function defined in a cell can show its source (inspect.getsource).
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        try:
            with contextlib.redirect_stdout(printed):
                # dont_inherit: not this module's `from __future__ import annotations`, which
                # would leave the cells' annotations as strings (a Jupyter kernel evaluates them).
                exec(compile(tree, filename, "exec", dont_inherit=True), namespace)
                value = eval(compile(ast.Expression(last.value), filename, "eval",
                                     dont_inherit=True), namespace) if last else None
        except BaseException as err:  # noqa: BLE001 - report every failure, including SystemExit
            errors.append({"cell": index, "error": "".join(
                traceback.format_exception_only(type(err), err)).strip(),
                "source": source})
            continue
        values.append({"cell": index, "type": f"{type(value).__module__}.{type(value).__name__}",
                       "source": source})
    return {"errors": errors, "values": values, "stdout": printed.getvalue()}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]).resolve())))
