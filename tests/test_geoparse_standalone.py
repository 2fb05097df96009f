"""The geoparser is a package of its own: importing it loads neither Django nor Celery."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
import {module}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


@pytest.mark.parametrize(
    "module",
    ["geoparse", "geoparse.pipeline", "geoparse.fake", "geoparse.evaluation", "geoparse.types"],
)
def test_importing_the_geoparser_loads_no_django_and_no_celery(module):
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    loaded = set(json.loads(out.stdout))
    assert module.split(".")[0] in loaded
    assert not loaded & {"django", "celery", "kombu", "conflictmap", "gazetteer"}
