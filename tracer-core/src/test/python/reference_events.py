"""Records astream_events v2 from the real langchain-core for Tracewire's reference scenarios.

Prints one JSON object: {"langchain_core": version, "scenarios": {name: {"events": [...], "raises": ...}}},
with run ids made symbolic (r0, r1, ... in first-appearance order, run_id then parent_ids) and values
encoded as in shared/conformance (typed messages, documents, prompt values, errors).
"""

import asyncio
import json
import sys
from itertools import cycle

import langchain_core
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompt_values import ChatPromptValue
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableGenerator, RunnableLambda, RunnableParallel, RunnablePassthrough
from langchain_core.tools import tool

SKIP_FIELDS = ("lc_versions", "ls_integration")


def encode(v):
    if isinstance(v, BaseMessage):
        out = {"type": type(v).__name__, "content": encode(v.content)}
        if v.id is not None:
            out["id"] = v.id
        if getattr(v, "name", None):
            out["name"] = v.name
        for f in ("additional_kwargs", "response_metadata", "tool_calls", "usage_metadata"):
            val = getattr(v, f, None)
            if val:
                out[f] = encode(val)
        if getattr(v, "chunk_position", None):
            out["chunk_position"] = v.chunk_position
        if getattr(v, "tool_call_id", None):
            out["tool_call_id"] = v.tool_call_id
        return out
    if isinstance(v, Document):
        out = {"type": "Document", "page_content": v.page_content, "metadata": encode(v.metadata)}
        return out
    if isinstance(v, ChatPromptValue):
        return {"type": "ChatPromptValue", "messages": encode(v.messages)}
    if isinstance(v, BaseException):
        return {"type": type(v).__name__, "message": str(v)}
    if isinstance(v, dict):
        return {str(k): encode(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    return v


def symbolize(events):
    sym = {}

    def s(i):
        if i not in sym:
            sym[i] = "r%d" % len(sym)
        return sym[i]

    for e in events:
        s(str(e["run_id"]))
        for p in e["parent_ids"]:
            s(str(p))
    text = json.dumps(events)
    for uuid, name in sym.items():
        text = text.replace("lc_run--" + uuid, "lc_run--{" + name + "}")
    out = json.loads(text)
    for e in out:
        e["run_id"] = sym[str(e["run_id"])]
        e["parent_ids"] = [sym[str(p)] for p in e["parent_ids"]]
    return out


async def record(runnable, value, config=None):
    events, raises = [], None
    try:
        async for e in runnable.astream_events(value, config=config, version="v2"):
            md = {k: v for k, v in e.get("metadata", {}).items() if k not in SKIP_FIELDS}
            events.append({"event": e["event"], "name": e["name"], "run_id": str(e["run_id"]),
                           "parent_ids": [str(p) for p in e.get("parent_ids", [])], "tags": sorted(e.get("tags", [])),
                           "metadata": encode(md), "data": encode(e["data"])})
    except Exception as ex:  # noqa: BLE001 - the failure is part of the record
        raises = {"type": type(ex).__name__, "message": str(ex)}
    return {"events": symbolize(events), "raises": raises}


def scenarios():
    out = {}
    model = GenericFakeChatModel(messages=cycle([AIMessage(content="hello there world")]))
    prompt = ChatPromptTemplate.from_messages([("system", "You are terse"), ("human", "{q}")])
    out["R01-prompt-model-parser"] = (prompt | model | StrOutputParser(), {"q": "hi"},
                                      {"tags": ["t1"], "metadata": {"user": "u1"}})

    def up(s):
        return s.upper()

    def rev(s):
        return s[::-1]

    out["R02-parallel"] = (RunnableParallel(a=RunnableLambda(up), b=RunnableLambda(rev)), "abc", None)

    def length(d):
        return len(d["q"])

    out["R03-assign"] = (RunnablePassthrough.assign(n=RunnableLambda(length)), {"q": "abcd"}, None)

    def ident(x):
        return x

    def fail(x):
        raise ValueError("primary failed")

    def ok(x):
        return x + "!"

    out["R04-fallbacks"] = (RunnableLambda(ident) | RunnableLambda(fail).with_fallbacks([RunnableLambda(ok)]), "go", None)

    calls = {"n": 0}

    def flaky(x):
        calls["n"] += 1
        if calls["n"] % 2 == 1:
            raise ValueError("flaky")
        return x

    flaky_retry = RunnableLambda(flaky).with_retry(stop_after_attempt=2, wait_exponential_jitter=False)

    def call_retry(x):
        return flaky_retry.invoke(x)

    out["R05-retry-invoke"] = (RunnableLambda(call_retry), "r", None)

    def upper_gen(chunks):
        for c in chunks:
            yield c.upper()

    async def aupper_gen(chunks):
        async for c in chunks:
            yield c.upper()

    model2 = GenericFakeChatModel(messages=cycle([AIMessage(content="ab cd")]))
    out["R06-generator-after-parser"] = (model2 | StrOutputParser() | RunnableGenerator(upper_gen, aupper_gen), "x", None)

    out["R07-fake-list-chat-model"] = (FakeListChatModel(responses=["hey"]) | StrOutputParser(), "x", None)

    model3 = GenericFakeChatModel(messages=cycle([AIMessage(content="hi you", additional_kwargs={"foo": "bar"})]))
    out["R08-synthetic-last-chunk"] = (model3, "x", None)

    inner = RunnableLambda(ident).with_config(run_name="inner") | RunnableLambda(up)

    def outer(x):
        return inner.invoke(x)

    out["R09-nested-implicit-config"] = (RunnableLambda(outer).with_config(tags=["outer"], metadata={"k": "v"}), "q", None)

    @tool
    def add(a: int, b: int) -> int:
        """Adds two numbers."""
        return a + b

    out["R10-tool-call-root"] = (add, {"name": "add", "args": {"a": 1, "b": 2}, "id": "call_1", "type": "tool_call"}, None)
    return out


async def main():
    results = {}
    for name, (runnable, value, config) in scenarios().items():
        results[name] = await record(runnable, value, config)
    json.dump({"langchain_core": langchain_core.__version__, "python": sys.version.split()[0], "scenarios": results},
              sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
