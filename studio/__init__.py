"""studio: turns a scene and its parameters into files a blog can use.

Scenes render in-process; their frames stream to ffmpeg as a lossless FFV1 intermediate,
from which every output format is encoded (see `encode`). `job.render_scene` wraps one
render with the cache, the manifest and atomic writes; render.py is the command line.
"""
