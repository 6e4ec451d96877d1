"""Demos that run a learner's whole chapter (their engine, their model) and return plain data
for a figure. They run in the runner's sandbox (`utils.runner.run_demo`) on the learner's code,
or in the server on the reference solutions: a demo takes the namespace to use as an argument.
"""
