"""The consent screen's "accept all" and "refuse all" carry equal weight in both shells.

The core hands both labels over (`FirstLayer.acceptAllLabel`, `refuseAllLabel`); refusing
must be as easy as accepting, so a shell draws the two with the same component, the same
arguments (apart from the label and what the tap does) and the same modifiers after the call.
A prominent accept beside a plain refuse, or a refuse tucked away in another view, is reported.

Read from the sources as text, like the other shell checks: a call whose first argument is
one of the labels is a button drawing it.
"""

from __future__ import annotations

import re

LABELS = ("acceptAllLabel", "refuseAllLabel")
# `Name(text = first.acceptAllLabel, …)` in Kotlin, `Name(title: first.acceptAllLabel, …)` in Swift
CALL = re.compile(r"(?<![\w.])([A-Z]\w*)\(\s*(?:\w+\s*[=:]\s*)?(?:[\w?]+\.)*(acceptAllLabel|refuseAllLabel)\b")


def _call_end(text: str, open_paren: int) -> int:
    """The index just after the parenthesis that closes the one at `open_paren`."""
    depth = 0
    for i in range(open_paren, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _modifiers(text: str, end: int) -> list[str]:
    """The chained modifiers on the lines after a call (`.disabled(x)`, `.buttonStyle(...)`),
    skipping a trailing closure, in order."""
    rest = text[end:]
    closure = re.match(r"\s*\{", rest)
    if closure:  # a trailing closure: what the tap does, not how the button looks
        depth, i = 0, closure.end() - 1
        while i < len(rest):
            depth += {"{": 1, "}": -1}.get(rest[i], 0)
            i += 1
            if depth == 0:
                break
        rest = rest[i:]
    modifiers = []
    for line in rest.split("\n")[1:]:  # the rest of the call's own line is not a modifier
        if not line.strip().startswith("."):
            break
        modifiers.append(line.strip())
    return modifiers


def _shape(call: str, label: str) -> str:
    """A call with its label made neutral and its tap handler (`onClick = …`, `action: …`)
    left out: what remains decides how the button looks."""
    call = call.replace(label, "LABEL")
    call = re.sub(r",?\s*(?:onClick\s*=|action:)\s*[^,)]*", "", call)
    return re.sub(r"\s+", " ", call)


def check_equal_choices(files: dict[str, str]) -> tuple[list[str], int]:
    """Problems with "accept all" and "refuse all" in `files` (path to source), and how many
    files drew both. Each shell (android/, ios/) must draw both somewhere."""
    problems: list[str] = []
    seen = 0
    for shell in ("android", "ios"):
        drawn = 0
        for where, text in sorted(files.items()):
            if not where.startswith(shell + "/"):
                continue
            calls: dict[str, list[tuple[str, str, list[str]]]] = {label: [] for label in LABELS}
            for m in CALL.finditer(text):
                end = _call_end(text, m.end(1))
                calls[m.group(2)].append((m.group(1), _shape(text[m.start():end], m.group(2)), _modifiers(text, end)))
            if not calls["acceptAllLabel"] and not calls["refuseAllLabel"]:
                continue
            drawn += 1
            if len(calls["acceptAllLabel"]) != len(calls["refuseAllLabel"]):
                problems.append(f"{where}: 'accept all' drawn {len(calls['acceptAllLabel'])} time(s), "
                                f"'refuse all' {len(calls['refuseAllLabel'])}")
                continue
            for accept, refuse in zip(calls["acceptAllLabel"], calls["refuseAllLabel"]):
                if accept[0] != refuse[0]:
                    problems.append(f"{where}: 'accept all' is a {accept[0]}, 'refuse all' a {refuse[0]}")
                elif accept[1] != refuse[1]:
                    problems.append(f"{where}: 'accept all' and 'refuse all' differ in their arguments: "
                                    f"{accept[1]} / {refuse[1]}")
                elif accept[2] != refuse[2]:
                    problems.append(f"{where}: 'accept all' and 'refuse all' differ in their modifiers: "
                                    f"{accept[2]} / {refuse[2]}")
        if drawn == 0:
            problems.append(f"{shell}: no file draws the consent screen's 'accept all' and 'refuse all'")
        seen += drawn
    return problems, seen
