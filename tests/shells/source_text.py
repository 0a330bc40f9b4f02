"""Reading Kotlin and Swift source text without a compiler: comments and string contents
blanked out (positions kept, so scopes and error positions stay true), brackets matched,
call arguments split.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)  # the same sources are read by several checks and self-tests
def blank_code(text: str, keep_templates: bool = True) -> str:
    """The text with comments and the literal parts of strings replaced by spaces (newlines
    kept), so every remaining character sits where it was. With `keep_templates`, the code
    inside string templates (`${expr}` in Kotlin, `\\(expr)` in Swift) is kept: it reads the
    core's fields as any other code does. Character literals ('{') are blanked too."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a: int, b: int):
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    def skip_code(j: int, close: str) -> int:
        """From just inside a template's opening bracket to just after its matching close,
        blanking comments and strings inside it on the way."""
        depth = 1
        while j < n:
            c = text[j]
            if c == '"':
                j = skip_string(j)
                continue
            if c in "({":
                depth += 1
            elif c in ")}":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return n

    def skip_string(j: int) -> int:
        """Blanks the string literal starting at j (keeping template code); returns its end."""
        raw = text.startswith('"""', j)
        quote = '"""' if raw else '"'
        start = j
        j += len(quote)
        segment = j
        while j < n:
            if not raw and text[j] == "\\" and j + 1 < n:
                if text[j + 1] == "(" and keep_templates:  # Swift interpolation
                    blank(segment, j + 2)
                    j = skip_code(j + 2, ")")
                    segment = j - 1
                    continue
                j += 2
                continue
            if text.startswith("${", j) and keep_templates:  # Kotlin template
                blank(segment, j + 2)
                j = skip_code(j + 2, "}")
                segment = j - 1
                continue
            if text.startswith(quote, j):
                blank(segment, j)
                return j + len(quote)
            if not raw and text[j] == "\n":  # an unterminated literal ends at the line
                blank(segment, j)
                return j
            j += 1
        blank(start, n)
        return n

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:  # Kotlin and Swift block comments nest
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c == '"':
            i = skip_string(i)
        elif c == "'" and (m := re.match(r"'(?:\\.|[^'\\\n])*'", text[i:i + 12])):
            blank(i + 1, i + len(m.group(0)) - 1)
            i += len(m.group(0))
        else:
            i += 1
    return "".join(out)


class Brackets:
    """The matched (), [] and {} of a blanked text: for each opening its closing, and the
    innermost group around any position."""

    def __init__(self, text: str):
        self.close: dict[int, int] = {}
        self.groups: list[tuple[int, int, str]] = []
        stack: list[tuple[int, str]] = []
        pairs = {")": "(", "]": "[", "}": "{"}
        for i, c in enumerate(text):
            if c in "([{":
                stack.append((i, c))
            elif c in ")]}":
                # an unbalanced closing (a `>` lookalike, a stray bracket) pops to its match
                while stack and stack[-1][1] != pairs[c]:
                    stack.pop()
                if stack:
                    o, kind = stack.pop()
                    self.close[o] = i
                    self.groups.append((o, i, kind))
        for o, kind in stack:  # unclosed: runs to the end
            self.close[o] = len(text)
            self.groups.append((o, len(text), kind))
        self.groups.sort()
        self.text_len = len(text)

    def innermost(self, pos: int, kinds: str = "([{") -> tuple[int, int, str]:
        """The innermost group of one of `kinds` whose brackets enclose `pos`; the whole text
        as a `{` group if none does."""
        best = (-1, self.text_len, "{")
        for o, c, kind in self.groups:
            if o > pos:
                break
            if o < pos <= c and kind in kinds and o >= best[0]:
                best = (o, c, kind)
        return best


def split_args(args: str) -> list[str]:
    """The top-level arguments of a call (commas inside brackets do not split)."""
    out, depth, current = [], 0, ""
    for ch in args:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current)
    return [a.strip() for a in out]


def call_args(text: str, open_paren: int) -> str:
    """The text between the bracket at `open_paren` and its match."""
    depth = 0
    for i in range(open_paren, len(text)):
        if text[i] in "([{":
            depth += 1
        elif text[i] in ")]}":
            depth -= 1
            if depth == 0:
                return text[open_paren + 1:i]
    return text[open_paren + 1:]


def line_of(text: str, pos: int) -> int:
    """The 1-based line number of a position."""
    return text.count("\n", 0, pos) + 1
