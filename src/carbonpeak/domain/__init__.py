"""Pure calculation: no database, no HTTP, no configuration.

Every function takes plain data (numbers, pandas frames, dataclasses) and returns plain data.
Units are given in brackets in docstrings; the clause of the standard is cited where one applies.
"""
