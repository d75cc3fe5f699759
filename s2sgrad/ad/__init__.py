"""The transforms: reverse mode (reverse.py, over the records of records.py) and forward mode
(forward.py), sharing what a rule sees (context.py) and the static analyses (analysis.py)."""
