"""The geoparsing pipeline: pure Python, no Django imports.

normalize → extract → candidates → resolve → incidents. Stages pass frozen dataclasses.
"""
