"""studio: turns a scene and its parameters into files a blog can use.

`presets` and `formats` are the tables of sizes and output formats; `request` turns the
command line into jobs; `pipeline` runs them: plan → check → render → publish. `job`
validates a job into a plan (the one solve), renders it in-process (`frames`: every frame
streams to ffmpeg as a lossless FFV1 intermediate) into a `Rendered` record that every output
of `outputs/` (one module per format) encodes from, and writes the `manifest` and `embed`
snippets atomically; `publish` joins the explainer and pages every manifest in a folder
(`gallery`); `sources` finds the files the cache key hashes. render.py is the command line.
"""
