"""Schemathesis hooks of `npm run test:fuzz`: every case asks the oracle (served by the Node
runner) for fresh credentials before it is sent and hands it the response afterwards; the
oracle snapshots the database around refused requests and judges each response."""

import json
import os
import urllib.request

import graphql
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

ORACLE = os.environ["COMPASS_FUZZ_ORACLE"]
TARGET = os.environ["COMPASS_FUZZ_TARGET"]
_FOUND = {}


def _field(name, value):
    return graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)


def _object(values):
    """An object literal whose values come from `values`."""
    return st.dictionaries(_NAMES, values, max_size=4).map(
        lambda d: nodes.Object([_field(k, v) for k, v in d.items()])
    )


_NAMES = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,10}\Z")


_STRINGS = st.text(max_size=40).map(nodes.String)
_JSON = st.recursive(
    st.one_of(
        _STRINGS,
        st.integers(min_value=-(2**31), max_value=2**31 - 1).map(nodes.Int),
        st.booleans().map(nodes.Boolean),
        st.just(graphql.NullValueNode()),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4).map(nodes.List), _object(inner)),
    max_leaves=8,
)
_STRING_LISTS = st.lists(_STRINGS, max_size=3).map(nodes.List)

# Compass's scalars: maps of string lists (headers, query parameters, labels), free JSON, and strings
# (cursors, timestamps, large text, serialized maps), each also given values of other shapes.
for name in ("HttpHeaders", "QueryParams", "Labels"):
    schemathesis.graphql.scalar(name, st.one_of(_object(st.one_of(_STRING_LISTS, _STRINGS)), _JSON))
for name in ("JSON", "Any"):
    schemathesis.graphql.scalar(name, _JSON)
for name in ("PageCursor", "Timestamp", "CLOB", "JSONSchema", "HttpHeadersSerialized", "QueryParamsSerialized"):
    schemathesis.graphql.scalar(name, st.one_of(_STRINGS, _STRINGS, _JSON))


def _post(path, payload):
    request = urllib.request.Request(
        ORACLE + path,
        data=json.dumps(payload).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=300) as answer:
        return json.loads(answer.read())


@schemathesis.hook
def before_call(context, case, kwargs):
    extra = _post("/before", {"target": TARGET, "operation": case.operation.label})["headers"]
    if extra:
        case.headers = {**(case.headers or {}), **extra}


@schemathesis.hook
def after_call(context, case, response):
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - a non-JSON answer is judged by its status alone
        body = response.text[:500]
    query = case.body.get("query") if isinstance(case.body, dict) else None
    found = _post(
        "/after",
        {
            "target": TARGET,
            "operation": case.operation.label,
            "status": response.status_code,
            "body": body,
            "query": query,
        },
    )["violations"]
    # Remembered for the check below, so that the case fails in Schemathesis's report too.
    _FOUND[id(response)] = found


@schemathesis.check
def compass_oracle(ctx, response, case):
    """No 5xx, no InternalError, and a refused request leaves the database unchanged."""
    found = _FOUND.pop(id(response), [])
    if found:
        raise AssertionError("; ".join(f"{v['rule']}: {v['detail']}" for v in found))
