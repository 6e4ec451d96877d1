"""Spare a freshly started server's first page Streamlit's check for a Python prompt.

The first element a process draws makes Streamlit ask whether it runs at an interactive prompt
(to warn that an app is run with `streamlit run`): it takes the whole call stack with its source
lines (inspect.stack, which maps every loaded module's file), 50 ms beside a browser here, in the
run of the page a learner waking the app waits for. This site is only ever run by `streamlit run`
or by its tests, so the warning has nothing to say: marked as given, it is never looked for.
tests/test_first_run_costs.py fails if Streamlit stops keeping the mark where this sets it.
"""

from streamlit import delta_generator

# Streamlit's once-per-process flag (streamlit/delta_generator.py, _maybe_print_use_warning).
FLAG = "_use_warning_has_been_displayed"


def skip_repl_check() -> None:
    if hasattr(delta_generator, FLAG):
        setattr(delta_generator, FLAG, True)
