"""Just enough of the GGUF header to tell a model's architecture and attention kind."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
HYBRID_OR_RECURRENT = (
    "mamba",
    "mamba2",
    "rwkv6",
    "rwkv6qwen2",
    "rwkv7",
    "arwkv7",
    "jamba",
    "granitehybrid",
    "lfm2",
    "nemotron_h",
    "plamo2",
    "falcon-h1",
    "qwen3next",
)


class NotGGUF(ValueError):
    pass


@dataclass(frozen=True)
class Header:
    architecture: str
    sliding_window: int | None
    context_length: int | None

    @property
    def attention(self) -> str:
        """full | sliding | hybrid"""
        if any(self.architecture.startswith(a) for a in HYBRID_OR_RECURRENT):
            return "hybrid"
        return "sliding" if self.sliding_window else "full"


def _read(fh: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = fh.read(size)
    if len(data) != size:
        raise NotGGUF("truncated header")
    return struct.unpack(fmt, data)[0]


def _string(fh: BinaryIO) -> str:
    n = _read(fh, "<Q")
    if n > 1 << 24:
        raise NotGGUF("implausible string length")
    return fh.read(n).decode(errors="replace")


def _value(fh: BinaryIO, vtype: int) -> Any:
    if vtype in _SCALARS:
        return _read(fh, _SCALARS[vtype])
    if vtype == 8:
        return _string(fh)
    if vtype == 9:
        itype, count = _read(fh, "<I"), _read(fh, "<Q")
        if itype in _SCALARS:
            fh.seek(struct.calcsize(_SCALARS[itype]) * count, 1)
        else:
            for _ in range(count):
                _value(fh, itype)
        return None
    raise NotGGUF(f"unknown value type {vtype}")


def read_header(path: Path) -> Header:
    with open(path, "rb") as fh:
        if fh.read(4) != b"GGUF":
            raise NotGGUF(f"{path.name} is not a GGUF file")
        _read(fh, "<I")
        _read(fh, "<Q")
        kv_count = _read(fh, "<Q")
        meta: dict[str, Any] = {}
        for _ in range(min(kv_count, 10_000)):
            key = _string(fh)
            if key.startswith("tokenizer."):
                break  # architecture keys come first; skip the large vocabulary arrays
            meta[key] = _value(fh, _read(fh, "<I"))
    arch = str(meta.get("general.architecture", "unknown"))
    return Header(
        arch, meta.get(f"{arch}.attention.sliding_window"), meta.get(f"{arch}.context_length")
    )
