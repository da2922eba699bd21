"""Evaluation suites: a dataset, a solver that produces predictions, and scorers."""
