"""The design rules, one module per code (`dg101.py` defines `DG101`); found by the registry."""
