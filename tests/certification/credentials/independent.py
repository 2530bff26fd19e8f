"""Runs Digital Bazaar's verifier (node, `node/verify.mjs`) on what the platform serves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from certification.credentials.jsonld import CONTEXTS_DIR

NODE_DIR = Path(__file__).parent / "node"


def available() -> bool:
    return (
        bool(shutil.which("node"))
        and (NODE_DIR / "node_modules" / "@digitalbazaar" / "vc").is_dir()
    )


def require() -> None:
    """Skip (with the way to install it) where the verifier is missing; in CI, fail instead."""
    if available():
        return
    message = (
        "the independent verifier is not installed: run `make node-verifier` (needs node and npm)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run(*, documents: dict, credentials: dict | None = None, expand: dict | None = None) -> dict:
    job = {
        "now": timezone.now().isoformat(),
        "contextsDir": str(CONTEXTS_DIR),
        "documents": documents,
        "credentials": credentials or {},
        "expand": expand or {},
    }
    result = subprocess.run(
        ["node", "verify.mjs"],
        cwd=NODE_DIR,
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
