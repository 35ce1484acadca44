"""The GGUF header reader on small synthetic files written here (the layout of the GGUF spec:
magic, version, tensor count, key/value count, then typed key/value pairs)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from intent.llamacpp.gguf import NotGGUF, read_header

U32, STRING, ARRAY = 4, 8, 9


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def _kv(key: str, vtype: int, payload: bytes) -> bytes:
    return _string(key) + struct.pack("<I", vtype) + payload


def _gguf(path: Path, pairs: list[bytes]) -> Path:
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, len(pairs)) + b"".join(pairs))
    return path


def _arch(name: str) -> bytes:
    return _kv("general.architecture", STRING, _string(name))


def test_reads_architecture_window_and_context(tmp_path: Path) -> None:
    path = _gguf(
        tmp_path / "m.gguf",
        [
            _arch("gemma3"),
            # an array the reader must skip over to reach the next key
            _kv(
                "gemma3.rope.list", ARRAY, struct.pack("<IQ", U32, 3) + struct.pack("<3I", 1, 2, 3)
            ),
            _kv("gemma3.context_length", U32, struct.pack("<I", 32768)),
            _kv("gemma3.attention.sliding_window", U32, struct.pack("<I", 512)),
            _kv("tokenizer.ggml.model", STRING, _string("llama")),
        ],
    )
    header = read_header(path)
    assert (header.architecture, header.context_length, header.sliding_window) == (
        "gemma3",
        32768,
        512,
    )
    assert header.attention == "sliding"


def test_attention_kinds(tmp_path: Path) -> None:
    assert read_header(_gguf(tmp_path / "a.gguf", [_arch("qwen2")])).attention == "full"
    assert read_header(_gguf(tmp_path / "b.gguf", [_arch("mamba2")])).attention == "hybrid"
    assert read_header(_gguf(tmp_path / "c.gguf", [])).architecture == "unknown"


def test_the_tokenizer_section_ends_the_read(tmp_path: Path) -> None:
    # keys after the vocabulary are never reached, so a huge vocabulary is never read
    path = _gguf(
        tmp_path / "m.gguf",
        [_kv("tokenizer.ggml.model", STRING, _string("x")), _arch("llama")],
    )
    assert read_header(path).architecture == "unknown"


def test_bad_files_raise_not_gguf(tmp_path: Path) -> None:
    (tmp_path / "text.gguf").write_text("hello, not a model")
    with pytest.raises(NotGGUF, match="not a GGUF file"):
        read_header(tmp_path / "text.gguf")
    whole = _gguf(tmp_path / "whole.gguf", [_arch("llama")]).read_bytes()
    (tmp_path / "cut.gguf").write_bytes(whole[:30])
    with pytest.raises(NotGGUF, match="truncated"):
        read_header(tmp_path / "cut.gguf")
    huge = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1 << 40)
    (tmp_path / "huge.gguf").write_bytes(huge)
    with pytest.raises(NotGGUF, match="implausible"):
        read_header(tmp_path / "huge.gguf")
    bad_type = _gguf(tmp_path / "type.gguf", [_kv("general.x", 99, b"")])
    with pytest.raises(NotGGUF, match="unknown value type 99"):
        read_header(bad_type)
