"""What the generated Kotlin bindings export, read from the file uniffi-bindgen writes.

uniffi's Kotlin: objects are `open class X` with their methods in `XInterface` (camelCase),
constructors as `constructor(...)` and named ones in the companion object; callback
interfaces are `interface X`; records are `data class X(val field: T, ...)`; plain enums are
`enum class X { UPPER_SNAKE, ... }`; enums with data are `sealed class X` with nested
`object`/`data class` variants; errors are `sealed class XException: kotlin.Exception()` with
nested `class` variants; top-level functions are `fun name(...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from source_text import Brackets, blank_code, split_args

PACKAGE = "no.lofavor.core"


@dataclass
class Fn:
    """A function, method or constructor: its parameter names in order, the ones that have
    a default, and what it returns (as the generated source spells it, simplified)."""

    params: list[str]
    optional: set[str] = field(default_factory=set)
    returns: str = "Unit"


def simple_type(t: str) -> str:
    """A type as the checks compare it: no package, no `kotlin.` prefix, no spaces."""
    t = re.sub(r"\s+", "", t)
    t = t.replace(PACKAGE + ".", "").replace("kotlin.collections.", "").replace("java.time.", "")
    return re.sub(r"\bkotlin\.", "", t)


def parse_params(params: str) -> Fn:
    """A parameter list (`a: T, b: U = x`) as a Fn: the names, and which have a default."""
    names, optional = [], set()
    for p in split_args(params):
        m = re.match(r"(?:val\s+|var\s+)?`?(\w+)`?\s*:\s*(.*)", p.strip(), re.S)
        if not m:
            continue
        names.append(m.group(1))
        if re.search(r"=", m.group(2)):
            optional.add(m.group(1))
    return Fn(names, optional)


def param_types(params: str) -> dict[str, str]:
    """A parameter list as name to simplified type."""
    out = {}
    for p in split_args(params):
        m = re.match(r"(?:val\s+|var\s+)?`?(\w+)`?\s*:\s*([^=]+)", p.strip(), re.S)
        if m:
            out[m.group(1)] = simple_type(m.group(2))
    return out


class KotlinApi:
    """The exported surface of the generated Kotlin."""

    def __init__(self, generated: str):
        text = blank_code(generated, keep_templates=False).replace("`", " ")
        brackets = Brackets(text)
        self.functions: dict[str, Fn] = {}
        self.objects: dict[str, dict[str, Fn]] = {}  # objects and callback interfaces: methods
        self.callbacks: set[str] = set()
        self.constructors: dict[str, list[Fn]] = {}  # records and objects
        self.statics: dict[str, dict[str, Fn]] = {}  # named constructors of objects
        self.records: dict[str, dict[str, str]] = {}
        self.enums: dict[str, list[str]] = {}
        self.sealed: dict[str, dict[str, dict[str, str]]] = {}  # sealed -> variant -> fields
        self.errors: set[str] = set()

        def body(open_brace: int) -> str:
            """The text inside the braces that open at `open_brace`."""
            return text[open_brace + 1:brackets.close.get(open_brace, len(text))]

        # top-level functions: `fun name(...)` at brace depth 0
        for m in re.finditer(r"(?<![\w.])fun\s+(\w+)\s*\(", text):
            if brackets.innermost(m.start(), "{")[0] != -1 or m.group(1).startswith(("uniffi", "Uniffi")):
                continue
            if re.search(r"\b(?:private|internal)\s+$", text[max(0, m.start() - 20):m.start()]):
                continue
            paren = m.end() - 1
            close = brackets.close[paren]
            fn = parse_params(text[paren + 1:close])
            ret = re.match(r"\s*:\s*([^{=]+)", text[close + 1:])
            fn.returns = simple_type(ret.group(1)) if ret else "Unit"
            self.functions[m.group(1)] = fn

        def methods_of(block: str) -> dict[str, Fn]:
            """The `fun` declarations in a block, by name."""
            out = {}
            for m in re.finditer(r"\bfun\s+(\w+)\s*\((.*?)\)\s*(?::\s*([^\n{=]+))?", block, re.S):
                fn = parse_params(m.group(2))
                fn.returns = simple_type(m.group(3) or "Unit")
                out[m.group(1)] = fn
            return out

        for m in re.finditer(r"^public interface (\w+)\s*\{", text, re.M):
            name = m.group(1)
            methods = methods_of(body(m.end() - 1))
            if name.endswith("Interface"):
                self.objects[name.removesuffix("Interface")] = methods
            else:
                self.objects[name] = methods
                self.callbacks.add(name)
        for m in re.finditer(r"^open class (\w+)\s*:[^{]*\{", text, re.M):
            name = m.group(1)
            if name not in self.objects:
                continue
            block = body(m.end() - 1)
            inits = []
            for c in re.finditer(r"\bconstructor\s*\(", block):
                paren = m.end() + c.end() - 1
                fn = parse_params(text[paren + 1:brackets.close[paren]])
                if fn.params and fn.params[0] in ("withHandle", "noHandle"):
                    continue
                fn.returns = name
                inits.append(fn)
            self.constructors[name] = inits
            companion = re.search(r"\bcompanion object\s*\{", block)
            if companion:
                brace = m.end() + companion.end() - 1
                self.statics[name] = methods_of(body(brace))

        for m in re.finditer(r"^data class (\w+)\s*\(", text, re.M):
            paren = m.end() - 1
            params = text[paren + 1:brackets.close[paren]]
            self.records[m.group(1)] = param_types(params)
            fn = parse_params(params)
            fn.returns = m.group(1)
            self.constructors[m.group(1)] = [fn]

        for m in re.finditer(r"^enum class (\w+)\s*\{", text, re.M):
            cases = body(m.end() - 1).split(";")[0]
            self.enums[m.group(1)] = re.findall(r"\b([A-Z][A-Z0-9_]*)\b", cases)

        for m in re.finditer(r"^sealed class (\w+)\s*(:\s*[\w.]*Exception\(\))?\s*\{", text, re.M):
            name = m.group(1)
            if m.group(2):
                self.errors.add(name)
            variants: dict[str, dict[str, str]] = {}
            brace = m.end() - 1
            for v in re.finditer(r"(?:^|\n)\s*(?:data\s+)?(object|class)\s+(\w+)\s*(\(|:)", body(brace)):
                start = brace + 1 + v.end() - 1
                if brackets.innermost(start, "{")[0] != brace:
                    continue  # a class nested deeper (a companion's), not a variant
                fields = {}
                if v.group(3) == "(":
                    fields = param_types(text[start + 1:brackets.close[start]])
                variants[v.group(2)] = fields
            self.sealed[name] = variants

    def type_names(self) -> set[str]:
        """Every type the bindings export by name."""
        return (set(self.objects) | set(self.records) | set(self.enums) | set(self.sealed)
                | {"InternalException"})

    def names(self) -> set[str]:
        """Every name a shell may import from the bindings' package."""
        return self.type_names() | set(self.functions) | {
            f"{o}Interface" for o in self.objects if o not in self.callbacks} | {
            f"{c}Impl" for c in self.callbacks}

    def constructor_of(self, name: str) -> list[Fn]:
        """The constructors of a record, an object, or a sealed variant (`Verification.Valid`)."""
        if name in self.constructors:
            return self.constructors[name]
        if "." in name:
            base, variant = name.split(".", 1)
            fields = self.sealed.get(base, {}).get(variant)
            if fields is not None:
                return [Fn(list(fields), set(), name)]
        return []
