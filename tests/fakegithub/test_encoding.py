"""The fake server's JSON encoding: shortcuts must give exactly the bytes of a plain encoding."""

from __future__ import annotations

import json

from analyzer.fakegithub.server import _encode


def test_runs_pages_encode_shared_repositories_once_with_the_same_bytes() -> None:
    repo = {"id": 7, "full_name": "acme/api", "description": 'quotes " and \\u0000 and </script>'}
    other = {"id": 8, "full_name": "acme/web"}
    runs = [
        {"id": i, "repository": repo if i % 3 else other, "head_repository": repo, "name": f"CI {i}"}
        for i in range(10)
    ]
    body = {"total_count": 10, "workflow_runs": runs}
    assert _encode(body) == json.dumps(body, separators=(",", ":")).encode()
