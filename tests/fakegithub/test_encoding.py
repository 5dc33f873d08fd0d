"""The fake server's JSON encoding: compact UTF-8 that decodes to exactly the body it was given."""

from __future__ import annotations

import json

from analyzer.fakegithub.server import _encode


def test_bodies_encode_compactly_as_utf8_and_decode_to_the_same_tree() -> None:
    repo = {"id": 7, "full_name": "acme/api", "description": 'quotes " and \\u0000 and </script> and \u00e9\u2603'}
    runs = [{"id": i, "repository": repo, "head_repository": repo, "name": f"CI {i} \U0001f680"} for i in range(10)]
    body = {"total_count": 10, "workflow_runs": runs, "ratio": 0.1, "big": 2**53 + 1, "none": None}
    encoded = _encode(body)
    assert json.loads(encoded.decode("utf-8")) == body
    # what GitHub sends: no spaces after separators, non-ASCII as UTF-8 bytes rather than \u escapes
    assert encoded == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
