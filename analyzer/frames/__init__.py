"""Store -> tidy, typed pandas frames; bot classification; identity merge."""

from analyzer.frames.load import build_frames, load_frames
from analyzer.frames.model import SCHEMAS, Frames

__all__ = ["SCHEMAS", "Frames", "build_frames", "load_frames"]
