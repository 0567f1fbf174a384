"""CarbonPeak (碳峰): a county carbon-peaking platform.

Layers (imports point down only, enforced by import-linter in the test suite)::

    cli                      thin front end
    services                 use cases, one transaction each
    store | refdata          persistence | versioned reference tables
    domain                   pure calculation (numpy / pandas / pint)
"""

__version__ = "0.1.0"
