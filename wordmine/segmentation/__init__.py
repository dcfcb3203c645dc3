"""Segmentation: models learned without labels, the lossless output path, model files, scoring.

May import ``mining``, ``counting``, ``io`` and the shared modules.
"""
