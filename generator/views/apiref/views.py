"""What an API reference page shows, as frozen views the templates only lay out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.model.objects import Model
from generator.views.pages import CodeExample

_NAME_BREAKS = re.compile(r"(?<=\.)|(?<=\[\])(?!\.)")


@dataclass(frozen=True)
class FieldRow:
    """One row of a fields table; nested fields are flattened (`messages[].role`)."""

    name: str
    type: Markup
    required: bool
    default: Markup  # `0.7`; empty when there is none
    values: Markup  # the enum/const values: `system`, `user`; empty when free
    range: Markup  # 0 to 2; up to 4 items; pattern `...`; empty when unbounded
    description: Markup
    depth: int

    @property
    def name_breakable(self) -> Markup:
        """The name with a line-break opportunity after each `.` and `[]`, so it never breaks inside a word."""
        return Markup("<wbr>").join(escape(part) for part in _NAME_BREAKS.split(self.name) if part)

    @property
    def text(self) -> Markup:
        """The description cell: the description, then values, range and default as short sentences."""
        parts = [self.description]
        parts += [
            Markup(f"{label}: {value}.")
            for label, value in (("Values", self.values), ("Limits", self.range), ("Default", self.default))
            if value
        ]
        return Markup(" ").join(p for p in parts if p)


@dataclass(frozen=True)
class ParamRow:
    name: str
    location: str
    type: Markup
    required: bool
    description: Markup


@dataclass(frozen=True)
class AuthScheme:
    name: str
    header: str  # the header line, with the key from the environment
    description: Markup


@dataclass(frozen=True)
class SchemaSection:
    """A named schema the page documents in full, with a stable anchor the other tables link to."""

    name: str
    anchor: str
    description: Markup
    fields: tuple[FieldRow, ...]
    event_schema: str = ""  # for a server-sent-event stream: the schema of each event


@dataclass(frozen=True)
class RequestBody:
    content_type: str
    required: bool
    schema: SchemaSection


@dataclass(frozen=True)
class MediaLink:
    content_type: str
    schema: str  # schema name, or "" when the content is described inline
    anchor: str  # anchor of its section on this page, or ""


@dataclass(frozen=True)
class ResponseRow:
    status: str
    description: Markup
    media: tuple[MediaLink, ...]


@dataclass(frozen=True)
class ErrorRow:
    status: str
    description: Markup
    types: tuple[str, ...]
    codes: tuple[str, ...]
    schema: MediaLink | None


@dataclass(frozen=True)
class ErrorShape:
    schema: SchemaSection
    skeleton: str  # {"error": {"message", "type", "code"}}
    style: str  # "OpenAI" or "Anthropic"
    codes_in_message: bool  # Anthropic errors carry the code at the start of `message`
    example: str  # pretty JSON


@dataclass(frozen=True)
class ResponseExample:
    title: str
    status: str
    content_type: str
    language: str
    code: str


@dataclass(frozen=True)
class ServingModels:
    models: tuple[Model, ...]  # empty when there are too many to list
    count: int


@dataclass(frozen=True)
class OperationPage:
    method: str
    path: str
    url: str  # full URL on the API host
    summary: str
    description: Markup
    lead: str  # first sentence, for the page's meta description
    auth: tuple[AuthScheme, ...]
    parameters: tuple[ParamRow, ...]
    body: RequestBody | None
    responses: tuple[ResponseRow, ...]
    schemas: tuple[SchemaSection, ...]  # success response bodies, documented below the responses table
    errors: tuple[ErrorRow, ...]
    error_shape: ErrorShape | None
    requests: tuple[CodeExample, ...]
    examples: tuple[ResponseExample, ...]
    serving: ServingModels
    try_it_json: str = ""  # the Try it console's data (views/tryit.py)


@dataclass(frozen=True)
class ChannelMessage:
    name: str
    title: str
    summary: Markup
    schema: str
    fields: tuple[FieldRow, ...]
    examples: tuple[str, ...]  # pretty JSON payloads


@dataclass(frozen=True)
class RunEventsPage:
    title: str
    description: Markup
    lead: str
    server: str  # wss://realtime.empiriolabs.ai
    protocol: str
    channel: str  # /v1/runs/events
    url: str
    channel_description: Markup
    send: tuple[ChannelMessage, ...]  # what the client sends
    receive: tuple[ChannelMessage, ...]  # what the server sends
