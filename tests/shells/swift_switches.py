"""Every `switch` of the Swift sources over a core enum or error names all its cases, or has a
`default`.

Swift refuses a switch that misses a case, but no Swift compiler runs here: a case added to the
core (a new error kind) would first break the build on the hosted macOS runner. This finds
each switch whose case patterns name cases of one core enum (`case .network`,
`case let .Storage(reason)`, `case LofavorError.Internal:`) and reports the cases it misses.
"""

from __future__ import annotations

import re

from swift_api import without_comments


def _block_end(text: str, brace: int) -> int:
    """The index of the brace closing the one at `brace`."""
    depth = 0
    for i in range(brace, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _own_cases(body: str) -> tuple[list[str], bool]:
    """The case patterns of a switch's body (not of switches nested in it), and whether it
    has a `default`."""
    patterns, has_default, depth, i = [], False, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            m = re.match(r"\b(case|default)\b", body[i:])
            if m and (i == 0 or not (body[i - 1].isalnum() or body[i - 1] in "_.")):
                if m.group(1) == "default":
                    has_default = True
                else:
                    # the pattern runs to the `:` that ends it (outside parentheses)
                    j, par = i + m.end(), 0
                    while j < len(body) and not (body[j] == ":" and par == 0):
                        par += {"(": 1, ")": -1}.get(body[j], 0)
                        j += 1
                    patterns.append(body[i + m.end():j])
                    i = j
                    continue
        i += 1
    return patterns, has_default


def _alternatives(pattern: str) -> list[str]:
    """The comma-separated alternatives of a case pattern (commas inside payloads kept), each
    without a `where` clause."""
    out, depth, cur = [], 0, ""
    for ch in pattern.split(" where ")[0]:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur]


def incomplete_switches(enums: dict[str, set[str]], files: dict[str, str]) -> tuple[list[str], int]:
    """Switches over a core enum (`enums`: name to cases) that miss cases without a `default`,
    as messages, and how many switches over a core enum were checked."""
    problems, checked = [], 0
    for where, source in sorted(files.items()):
        text = without_comments(source)
        for m in re.finditer(r"\bswitch\b[^{]*\{", text):
            brace = m.end() - 1
            patterns, has_default = _own_cases(text[brace + 1:_block_end(text, brace)])
            named = [n for p in patterns for alt in _alternatives(p)
                     for n in re.findall(r"^\s*(?:let\s+|var\s+)?(?:\b(\w+))?\.([A-Za-z]\w*)\b", alt)]
            if not named:
                continue
            # the core enum whose cases the patterns name most, if any is named by type or
            # covers every name used
            best, best_hits = None, 0
            for enum, cases in enums.items():
                hits = sum(1 for owner, case in named if case in cases and owner in ("", enum))
                if hits > best_hits and all(owner in ("", enum) for owner, case in named if case in cases):
                    best, best_hits = enum, hits
            if best is None or best_hits < len(named) or best_hits < 2:
                continue  # not (only) a core enum: a shell type, a tuple, a string
            checked += 1
            if has_default:
                continue
            missing = sorted(enums[best] - {case for _, case in named})
            if missing:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{where}:{line}: a switch over {best} misses {', '.join(missing)}")
    return problems, checked
