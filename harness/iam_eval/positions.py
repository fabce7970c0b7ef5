"""Where each statement of a policy document sits in its text (for MatchedStatements).

AWS reports StartPosition/EndPosition as 1-based line and column. Observed responses put
the start on the statement's opening ``{`` and the end one column past its closing ``}``
(e.g. a one-line policy ``{"Version": "2012-10-17", "Statement": [{...}]}`` gives a
statement start at Column 41); we follow that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class Span:
    start: Position
    end: Position


_DECODER = json.JSONDecoder()
_WS = " \t\r\n"


def _skip(text: str, index: int, extra: str = "") -> int:
    while index < len(text) and text[index] in _WS + extra:
        index += 1
    return index


def _position(text: str, offset: int) -> Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(line=text.count("\n", 0, offset) + 1, column=offset - line_start + 1)


def statement_spans(text: str) -> list[Span]:
    """Spans of the top-level ``Statement`` entries, in order; [] if the text is not a
    policy object (callers then omit positions rather than guess)."""
    try:
        index = _skip(text, 0)
        if text[index] != "{":
            return []
        index += 1
        while True:
            index = _skip(text, index, ",")
            if text[index] == "}":
                return []
            key, index = _DECODER.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] != ":":
                return []
            value_start = _skip(text, index + 1)
            _, index = _DECODER.raw_decode(text, value_start)
            if key != "Statement":
                continue
            if text[value_start] == "{":
                return [Span(_position(text, value_start), _position(text, index))]
            spans: list[Span] = []
            cursor = value_start + 1
            while True:
                cursor = _skip(text, cursor, ",")
                if text[cursor] == "]":
                    return spans
                _, end = _DECODER.raw_decode(text, cursor)
                spans.append(Span(_position(text, cursor), _position(text, end)))
                cursor = end
    except (IndexError, ValueError):
        return []
