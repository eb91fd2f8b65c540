"""OpenAPI 3.0 schema objects as JSON Schema, to check the simulators' answers against their vendored
OpenAPI (API Particulier's and the DGFiP's): jsonschema reads JSON Schema, not OpenAPI's dialect."""

from __future__ import annotations


def to_json_schema(node, root: dict, ignored: frozenset[str], close_objects: bool = False):
    """`node` with every $ref inlined from `root`, its `ignored` keys dropped (OpenAPI-only, or not to be
    checked) and `nullable: true` turned into a null type (and a None in its enum). `close_objects`: an
    object with properties gets additionalProperties false, so that a misspelt field fails (for an OpenAPI
    that lists every field it has)."""
    if isinstance(node, list):
        return [to_json_schema(item, root, ignored, close_objects) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return to_json_schema(target, root, ignored, close_objects)
    schema = {key: to_json_schema(value, root, ignored, close_objects) for key, value in node.items()
              if key not in ignored}
    if node.get("nullable"):
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if close_objects and schema.get("type") == "object" and "properties" in schema:
        schema.setdefault("additionalProperties", False)
    return schema
