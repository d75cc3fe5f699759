"""Passes over the IR, each `Function -> Function` (or an analysis of one), in pipeline order:
normalize (desugar + ANF), shapes (static shape inference), activity, and optimize."""
