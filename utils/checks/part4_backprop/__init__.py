"""Checks for chapter 5.4 (backprop). Use from a local file or notebook:

    from utils.checks import part4_backprop as tests
    tests.test_log_back(log_back)

Every backward function is checked three ways: literal values on hand-worked cases; a central
finite-difference gradient check in float64 on seeded random inputs (utils.gradcheck, which you
can call yourself); and a comparison with torch.autograd on the same inputs, broadcasting shapes
included. Messages say which gradient is wrong, on which input, and by how much.

Checks of the engine (forward functions, backprop, modules) run your object with the rest of
*your* engine when you call them from your own file, and with the reference engine in the page's
editor, so that an exercise there never depends on another one being solved.
"""

from utils.checks.part4_backprop.by_hand import *  # noqa: F401,F403
from utils.checks.part4_backprop.graph import *  # noqa: F401,F403
from utils.checks.part4_backprop.functions import *  # noqa: F401,F403
from utils.checks.part4_backprop.together import *  # noqa: F401,F403
