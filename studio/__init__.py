"""studio: turns a scene and its parameters into files a blog can use.

`presets` and `formats` are the tables of sizes and output formats; `job` validates a request
into a plan (the one solve), renders it in-process (`frames`: every frame streams to ffmpeg as
a lossless FFV1 intermediate), encodes each format from that (`encode`), and writes the
`manifest` and `embed` snippets atomically; `gallery` pages every manifest in a folder;
`sources` finds the files the cache key hashes. render.py is the command line.
"""
