"""The response schema as a compact GBNF grammar for llama.cpp.

llama.cpp's own schema conversion lets the model put whitespace between tokens, and models
take it: `{\\n  "command": ...}` costs about 16 more tokens than `{"command":...}` for a typical
answer, roughly half a second of decoding on a small CPU. This grammar allows no whitespace
outside strings, so every decoded token carries content. It covers the subset of JSON Schema
that `schema.RESPONSE_SCHEMA` uses: `oneOf`, objects with `properties`/`required`, free objects,
strings with `enum`/`minLength`/`maxLength`, and arrays with `items`/`maxItems`.
Replies are still validated against the schema in Python.

Where the schema has a command branch, the grammar also admits the fenced command of
`schema.FENCE` (one line in a ```sh block, nothing after it), the shape the prompt asks for.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from intent.reply.schema import FENCE, FENCED_LINE_EXCLUDES

# any JSON value, compact: for objects the schema leaves open (tool arguments)
_GENERIC = {
    "char": r'[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})',
    "value": 'object | array | string | number | "true" | "false" | "null"',
    "object": '"{" ( string ":" value ( "," string ":" value )* )? "}"',
    "array": '"[" ( value ( "," value )* )? "]"',
    "string": '"\\"" char* "\\""',
    "number": '"-"? [0-9]+ ( "." [0-9]+ )? ( [eE] [-+]? [0-9]+ )?',
}


class Unsupported(ValueError):
    """The schema uses something this converter does not translate."""


def literal(text: str) -> str:
    """A GBNF string literal that matches `text` exactly."""
    return json.dumps(text, ensure_ascii=False)


class _Builder:
    def __init__(self) -> None:
        self.rules: dict[str, str] = {}

    def add(self, name: str, body: str) -> str:
        name = re.sub(r"[^a-zA-Z0-9-]", "-", name)
        if self.rules.get(name, body) != body:
            n = 2
            while f"{name}-{n}" in self.rules and self.rules[f"{name}-{n}"] != body:
                n += 1
            name = f"{name}-{n}"
        self.rules[name] = body
        return name

    def generic(self) -> None:
        for name, body in _GENERIC.items():
            self.rules.setdefault(name, body)

    def value(self, node: dict[str, Any], name: str) -> str:
        if "oneOf" in node:
            alts = [self.value(b, f"{name}-{i}") for i, b in enumerate(node["oneOf"])]
            return self.add(name, " | ".join(alts))
        kind = node.get("type")
        if kind == "string":
            return self.add(name, self._string(node))
        if kind == "object":
            return self.add(name, self._object(node, name))
        if kind == "array":
            return self.add(name, self._array(node, name))
        raise Unsupported(f"{name}: type {kind!r}")

    def _string(self, node: dict[str, Any]) -> str:
        if "enum" in node:
            return " | ".join(literal(json.dumps(v, ensure_ascii=False)) for v in node["enum"])
        self.generic()
        low, high = node.get("minLength", 0), node.get("maxLength")
        count = f"{{{low},{high}}}" if high is not None else f"{{{low},}}"
        return f'"\\"" char{count} "\\""'

    def _object(self, node: dict[str, Any], name: str) -> str:
        props: dict[str, Any] = node.get("properties", {})
        if not props:
            self.generic()
            return "object"
        required = [k for k in props if k in node.get("required", [])]
        optional = [k for k in props if k not in required]
        if not required:
            raise Unsupported(f"{name}: an object needs at least one required property")

        def member(key: str) -> str:
            return f"{literal(json.dumps(key) + ':')} {self.value(props[key], f'{name}-{key}')}"

        parts = [member(k) for k in required]
        body = ' "," '.join(parts)
        body += "".join(f' ( "," {member(k)} )?' for k in optional)
        return f'"{{" {body} "}}"'

    def _array(self, node: dict[str, Any], name: str) -> str:
        item = self.value(node["items"], f"{name}-item")
        high = node.get("maxItems")
        more = f"{{0,{high - 1}}}" if high is not None else "*"
        if high == 0:
            return '"[" "]"'
        return f'"[" ( {item} ( "," {item} ){more} )? "]"'


def from_schema(schema: dict[str, Any]) -> str:
    """GBNF text whose `root` matches exactly the compact JSON texts the schema allows, and
    the fenced command when the schema has a command branch."""
    b = _Builder()
    top = b.value(schema, "reply")
    if any("command" in branch.get("required", ()) for branch in schema.get("oneOf", [schema])):
        top = f"{literal(FENCE[0])} fenced-line {literal(FENCE[1])} | {top}"
        # one line of text: nothing the validator would refuse in it (schema.FENCED_LINE_EXCLUDES),
        # and no JSON object: a `{` starts the line only as the shell's `{ list; }`, so a tool
        # call or a question cannot come fenced past the JSON branch's names and enums
        b.rules["fenced-line"] = (
            f'( [^{FENCED_LINE_EXCLUDES}{{] | "{{" [ \\t] ) [^{FENCED_LINE_EXCLUDES}]*'
        )
    lines = [f"root ::= {top}"] + [f"{n} ::= {body}" for n, body in b.rules.items()]
    return "\n".join(lines) + "\n"


@cache
def _cached(schema_json: str) -> str:
    return from_schema(json.loads(schema_json))


def for_schema(schema: dict[str, Any]) -> str:
    """`from_schema`, built once per schema and process."""
    return _cached(json.dumps(schema))  # key order matters: it is the reply order


def constraint(schema: dict[str, Any]) -> dict[str, Any]:
    """The request fields that hold replies to `schema`: our compact grammar where we can
    translate it, else llama.cpp's own conversion (which lets the model spend tokens on spaces)."""
    try:
        return {"grammar": for_schema(schema)}
    except Unsupported:
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "intent_reply", "schema": schema},
            }
        }
