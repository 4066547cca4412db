"""The run-events page: the WebSocket channel of asyncapi.yaml, what the client sends and receives."""

from __future__ import annotations

from typing import Any

from generator.load.yamlfile import YamlDoc
from generator.snippets import to_json
from generator.views.apiref.asyncapi import resolver
from generator.views.apiref.fields import flatten
from generator.views.apiref.markdown import md, md_cell, meta_lead
from generator.views.apiref.schema_text import Resolve, ref_name
from generator.views.apiref.views import ChannelMessage, RunEventsPage


def run_events_page(doc: YamlDoc) -> RunEventsPage:
    """The run-events page from the checked AsyncAPI document."""
    data = doc.data
    resolve = resolver(data)
    server = next(iter(data["servers"].values()))
    channel, item = next(iter(data["channels"].items()))
    send = tuple(channel_messages(resolve, item["publish"]["message"])) if "publish" in item else ()
    receive = tuple(channel_messages(resolve, item["subscribe"]["message"])) if "subscribe" in item else ()
    host = server["url"].rstrip("/")
    info = data["info"]
    return RunEventsPage(
        title="Run events (WebSocket)",
        description=md(info.get("description", "")),
        lead=meta_lead(item.get("description") or info.get("description", "")),
        server=host,
        protocol=server.get("protocol", ""),
        channel=channel,
        url=host + channel,
        channel_description=md(item.get("description", "")),
        send=send,
        receive=receive,
    )


def channel_messages(resolve: Resolve, raw: Any) -> list[ChannelMessage]:
    message = resolve(raw)
    out = []
    for m in [resolve(x) for x in message["oneOf"]] if "oneOf" in message else [message]:
        payload_raw = m["payload"]
        examples = tuple(to_json(e["payload"]) for e in m.get("examples", []) if "payload" in e)
        out.append(
            ChannelMessage(
                m.get("name", ""),
                m.get("title") or m.get("name", ""),
                md_cell(m.get("summary") or m.get("description", "")),
                ref_name(payload_raw),
                flatten(resolve, payload_raw),
                examples,
            )
        )
    return out
