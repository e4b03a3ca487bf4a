"""The rules catalog: YAML files (shipped here as package data) and their loader.

See `README.md` in this folder for the format.
"""
