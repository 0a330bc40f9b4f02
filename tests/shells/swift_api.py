"""What the iOS shell's Swift uses of the core, checked against the generated Swift bindings.

uniffi's Swift: objects are `open class X` with `open func` methods (labels are the Rust
parameter names in lowerCamelCase) and `public convenience init(...)` constructors; callback
interfaces are `public protocol X`; records are `public struct X` with a memberwise
`public init`; enums are `public enum X` with lowerCamelCase cases (`case valid(cover: ...)`),
errors `public enum XError: Swift.Error` with the Rust variant names (`case Network(reason:)`);
top-level functions are `public func name(label: T)`.

Checked, for each source file: every `Enum.case` of a core enum; every `case .x` of a switch
over a value whose core enum type the source shows (`switch self` in an extension of one);
every core function and constructor called with the labels it has; every method called on a
core object (followed through chains: `core.auth().beginLogin()`) with its labels; every field
read of a core record; every callback protocol implemented with all its methods and labels.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

from source_text import blank_code, call_args, split_args


@lru_cache(maxsize=512)
def without_comments(text: str) -> str:
    """Swift source without comments, compiler directives and the literal parts of strings
    (the code of an interpolation stays: it reads the core's fields too)."""
    text = blank_code(text)
    return re.sub(r"^[ \t]*#(?:if|elseif|else|endif)\b[^\n]*", " ", text, flags=re.M)


def labels(args: list[str]) -> list[str]:
    """The argument labels of a call, `_` for an unlabelled argument."""
    return [m.group(1) if (m := re.match(r"(\w+)\s*:(?!:)", a)) else "_" for a in args]


def param_labels(params: str) -> list[str]:
    """The external labels of a declaration's parameters (`_ x: T` has none)."""
    return [p.split(":")[0].split()[0] for p in split_args(params) if ":" in p]


def bare(type_name: str) -> tuple[str, bool]:
    """`[T]?` as (`T`, is_array)."""
    t = type_name.strip().rstrip("?").rstrip("!").strip()
    if t.startswith("[") and t.endswith("]"):
        return t[1:-1].strip().rstrip("?"), True
    return t, False


def block_after(text: str, brace: int) -> str:
    """The text inside the braces that open at `brace`."""
    return call_args(text, brace)


def top_level(body: str) -> str:
    """`body` with what is inside its brackets blanked (positions kept)."""
    depth, top = 0, []
    for ch in body:
        if ch in ")}]":
            depth -= 1
        top.append(ch if depth == 0 or ch == "\n" else " ")
        if ch in "({[":
            depth += 1
    return "".join(top)


class SwiftApi:
    """What the generated bindings export: free functions (labels, return type), records
    (fields with types, initializer labels), objects (methods with labels and return types,
    initializers), callback protocols, enums (cases)."""

    def __init__(self, swift: str):
        text = without_comments(swift)
        self.functions: dict[str, tuple[list[str], str]] = {}
        for m in re.finditer(r"^public func (\w+)\((.*?)\)[^->{]*(?:->\s*([^{]+))?\{", text, re.M | re.S):
            if m.group(1).startswith(("FfiConverter", "uniffi")):
                continue
            self.functions[m.group(1)] = (param_labels(m.group(2)), (m.group(3) or "Void").strip())
        self.records: dict[str, dict[str, str]] = {}
        self.inits: dict[str, list[str]] = {}
        for m in re.finditer(r"^public struct (\w+): Equatable[^{]*\{(.*?)^\}", text, re.M | re.S):
            body = m.group(2)
            self.records[m.group(1)] = dict(re.findall(r"public (?:let|var) (\w+): ([^\n=]+)", body))
            init = re.search(r"public init\((.*?)\)\s*\{", body, re.S)
            self.inits[m.group(1)] = param_labels(init.group(1)) if init else []
        self.objects: dict[str, dict[str, tuple[list[str], str]]] = {}
        self.object_inits: dict[str, list[list[str]]] = {}
        for m in re.finditer(r"^open class (\w+)\s*:[^{]*\{", text, re.M):
            body = block_after(text, m.end() - 1)
            self.objects[m.group(1)] = {
                f.group(1): (param_labels(f.group(2)), (f.group(3) or "Void").strip())
                for f in re.finditer(r"^open func (\w+)\((.*?)\)[^->{]*(?:->\s*([^{]+))?\{", body, re.M | re.S)}
            self.object_inits[m.group(1)] = [
                param_labels(i.group(1)) for i in re.finditer(r"public convenience init\((.*?)\)", body, re.S)]
            for f in re.finditer(r"^public static func (\w+)\((.*?)\)[^->{]*(?:->\s*([^{]+))?\{", body, re.M | re.S):
                self.objects[m.group(1)][f.group(1)] = (param_labels(f.group(2)), (f.group(3) or "Void").strip())
        self.protocols: dict[str, dict[str, list[str]]] = {}
        for m in re.finditer(r"^public protocol (\w+)\s*:[^{]*\{", text, re.M):
            if m.group(1).endswith("Protocol"):
                continue
            body = block_after(text, m.end() - 1)
            self.protocols[m.group(1)] = {f.group(1): param_labels(f.group(2))
                                          for f in re.finditer(r"\bfunc (\w+)\((.*?)\)", body, re.S)}
        self.enums: dict[str, set[str]] = {}
        self.payloads: dict[str, dict[str, list[tuple[str, str]]]] = {}  # enum -> case -> (label, type)
        for m in re.finditer(r"^public\s+enum (\w+)[^{]*\{", text, re.M):
            body = block_after(text, m.end() - 1)
            top = top_level(body)  # only the enum's own cases, not those of a nested type
            self.enums[m.group(1)] = set(re.findall(r"^\s*case\s+`?(\w+)`?", top, re.M))
            self.payloads[m.group(1)] = {
                c.group(1): [(a.split(":")[0].strip(), a.split(":", 1)[1].strip()) if ":" in a else ("_", a.strip())
                             for a in split_args(call_args(body, c.end() - 1))]
                for c in re.finditer(r"^\s*case\s+`?(\w+)`?\s*\(", top, re.M)}
        # every method's return type by name, for `let x = y.method()` whose y is not typed
        self.methods: dict[str, str] = {}
        for methods in self.objects.values():
            for name, (_, ret) in methods.items():
                self.methods.setdefault(name, ret)

    def types(self) -> set[str]:
        """Every type the bindings export by name."""
        return set(self.records) | set(self.objects) | set(self.enums) | set(self.protocols)


def return_type(ret: str) -> str:
    """`async throws -> T` as `T`."""
    return re.sub(r"^.*->\s*", "", ret).strip()


def closure_parameters(texts: dict[str, str]) -> dict[str, list[str]]:
    """For each function the shell declares with a closure parameter (`_ body: (LofavorCore)
    async throws -> T`), the types that closure's parameters have."""
    out: dict[str, list[str]] = {}
    for text in texts.values():
        for m in re.finditer(r"\bfunc\s+(\w+)\s*(?:<[^>]*>)?\s*\(", text):
            params = call_args(text, m.end() - 1)
            for closure in re.finditer(r":\s*(?:@escaping\s+|@Sendable\s+)*\(([^()]*)\)\s*(?:async\s*)?(?:throws\s*)?->", params):
                out[m.group(1)] = [t.strip() for t in closure.group(1).split(",")]
    return out


def core_typed_names(text: str, api: SwiftApi, closures: dict[str, list[str]] | None = None) -> dict[str, set[str]]:
    """The names in one source file whose core type the source shows: annotations, results
    of core functions, constructors and methods, fields of those, ForEach over their arrays,
    payloads of the file's own enum cases, parameters of closures handed to the shell's own
    functions that declare them. Arrays are kept as `[T]`."""
    known: dict[str, set[str]] = {}
    typed = api.types()

    def bind(name: str, type_name: str):
        """Records `name` as having the core type `type_name` (arrays as `[T]`)."""
        t, array = bare(return_type(type_name))
        if t in typed:
            known.setdefault(name, set()).add(f"[{t}]" if array else t)

    for name, type_name in re.findall(r"\b(\w+)\s*:\s*(\[?\w+\]?[?!]?)", text):
        bind(name, type_name)
    for m in re.finditer(r"\b(\w+)\s*(?:\((?:[^()]|\([^()]*\))*\))?\s*\{\s*\(?\s*(\w+(?:\s*,\s*\w+)*)\s*\)?\s+in\b", text):
        for name, type_name in zip(re.findall(r"\w+", m.group(2)), (closures or {}).get(m.group(1), [])):
            bind(name, type_name)
    for name, callee in re.findall(r"\b(?:let|var)\s+(\w+)\s*=\s*(?:try[?!]?\s+)?(?:await\s+)?(\w+)\(", text):
        if callee in api.functions:
            bind(name, api.functions[callee][1])
        elif callee in api.records or callee in api.objects:
            bind(name, callee)
    for _ in range(3):  # results of chains, fields of fields
        for name, start in re.findall(
                r"\b(?:if\s+let|guard\s+let|let|var)\s+(\w+)\s*=\s*(?:try[?!]?\s+)?(?:await\s+)?(\w+(?:\??\.\w+(?:\([^()]*\))?)+)",
                text):
            t = chain_type(start, known, api)
            if t:
                bind(name, t)
        for name, method in re.findall(  # one call on an untyped receiver: by the method's name
                r"\b(?:let|var)\s+(\w+)\s*=\s*(?:try[?!]?\s+)?(?:await\s+)?\w+\.(\w+)\([^()\n]*\)[ \t]*$", text, re.M):
            if method in api.methods and name not in known:
                bind(name, api.methods[method])
        for owner, field, name in re.findall(r"ForEach\((\w+)\.(\w+)\b[^{]*\{\s*(\w+)\s+in", text):
            for t in known.get(owner, ()):
                if t in api.records and field in api.records[t]:
                    element, array = bare(api.records[t][field])
                    if array:
                        bind(name, element)
    # payloads of the file's own enums: `case report(LocationReport)` bound by `.report(let r)`
    payloads: dict[str, list[str]] = {}
    for case, args in re.findall(r"\bcase\s+(\w+)\(([^)]*)\)", text):
        payloads[case] = [a.split(":")[-1].strip() for a in split_args(args)]
    for _before, case, args in re.findall(r"\bcase\s+(let\s+)?\.(\w+)\(([^)]*)\)", text):
        for i, arg in enumerate(split_args(args)):
            name = re.sub(r"^let\s+", "", arg).strip()
            if re.fullmatch(r"\w+", name) and name != "_" and i < len(payloads.get(case, [])):
                bind(name, payloads[case][i])
    # `guard let core` / `if let core` keep the type of the optional they unwrap
    return known


def chain_type(chain: str, known: dict[str, set[str]], api: SwiftApi) -> str | None:
    """The core type of `a.b().c` when `a`'s is known and unique."""
    parts = re.findall(r"(\w+)(\([^()]*\))?", chain)
    if not parts:
        return None
    types = {t for t in known.get(parts[0][0], ()) if not t.startswith("[")}
    if len(types) != 1:
        return None
    cur = next(iter(types))
    for name, _args in parts[1:]:
        if cur in api.objects and name in api.objects[cur]:
            cur = return_type(api.objects[cur][name][1])
        elif cur in api.records and name in api.records[cur]:
            cur = api.records[cur][name]
        else:
            return None
        cur, array = bare(cur)
        if array:
            return f"[{cur}]"
    return cur


# Free functions the app calls that are Swift's own, not the core's.
SWIFT_FREE_FUNCTIONS = {"min", "max", "type", "print", "precondition", "assert", "fatalError", "abs", "zip",
                        "stride", "withAnimation", "withTaskGroup", "withThrowingTaskGroup", "withCheckedContinuation",
                        "withCheckedThrowingContinuation", "repeatElement", "swap", "debugPrint", "dump",
                        "withExtendedLifetime", "withUnsafeBytes", "withUnsafeMutableBytes", "preconditionFailure",
                        "assertionFailure", "isKnownUniquelyReferenced", "sequence", "autoreleasepool"}
SWIFT_KEYWORDS = {"if", "guard", "switch", "while", "for", "return", "case", "catch", "init", "super", "self",
                  "where", "in", "let", "var", "try", "await", "some", "any", "repeat", "private",
                  "fileprivate", "internal", "public", "defer", "throw", "as", "is", "else", "do", "async",
                  "throws", "rethrows", "inout", "consume", "borrowing", "consuming", "each"}
ENUM_STATICS = {"allCases", "self", "init"}


@lru_cache(maxsize=4)  # the same shell is read again for each rename of the self-tests
def shell_declarations(files: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], set[str], set[str],
                                                                   dict[str, list[str]]]:
    """The shell's sources without comments, the functions (and closures kept in properties)
    it declares, the types it declares, and the parameters of the closures its functions take."""
    texts = {where: without_comments(text) for where, text in files}
    declared = {n for t in texts.values() for n in re.findall(r"\bfunc\s+(\w+)", t)}
    # closures kept in a property (`let deliver: (SessionEvent) -> Void`) are called too
    declared |= {n for t in texts.values() for n in re.findall(r"\b(?:let|var)\s+(\w+)\s*:\s*(?:@\w+\s*)*\(", t)}
    # closures a function takes as a parameter (`_ work: @escaping (ConsentHandle) async throws -> Void`)
    declared |= {n for t in texts.values()
                 for n in re.findall(r"[(,]\s*(?:_\s+)?(\w+)\s*:\s*(?:@\w+\s*)*\([^()]*\)\s*(?:async\s*)?(?:throws\s*)?->", t)}
    # actions read from the environment are called like functions (`@Environment(\.dismiss) var dismiss`)
    declared |= {n for t in texts.values()
                 for n in re.findall(r"@Environment\(\\\.\w+\)\s*(?:private\s+|fileprivate\s+)?var\s+(\w+)", t)}
    # a type the shell declares itself hides the core's of the same name
    own_types = {n for t in texts.values() for n in re.findall(r"\b(?:enum|struct|class|actor|protocol)\s+(\w+)", t)}
    return texts, declared, own_types, closure_parameters(texts)


def check_swift(api: SwiftApi, files: dict[str, str], context: dict[str, str] | None = None,
                uses: dict[tuple[str, str, str], str] | None = None) -> tuple[list[str], dict[str, int]]:
    """The problems in the given Swift sources (display path to text) and how many uses of
    each kind were checked. Paths under `ios/App/` are the app, which imports no other
    library with free functions. `context` is every source of the shell, whose declarations
    the checked ones may use (default: the checked ones). `uses`, if given, receives each core
    name seen (kind, owner, name) with a file that uses it."""
    problems: list[str] = []
    checked = {"functions": 0, "initializers": 0, "fields": 0, "methods": 0, "enum cases": 0,
               "callback implementations": 0}
    texts, declared, own_types, closures = shell_declarations(tuple(sorted((context or files).items())))
    core_enums = {e: cases for e, cases in api.enums.items() if e not in own_types}

    for where in files:
        text = texts.get(where) or without_comments(files[where])
        app = "ios/App/" in where

        def seen(kind: str, owner: str, name: str):
            if uses is not None:
                uses.setdefault((kind, owner, name), where)

        def report(pos: int, message: str):
            problems.append(f"{where}:{text.count(chr(10), 0, pos) + 1}: {message}")

        # free functions, with their labels
        for m in re.finditer(r"(?<![.\w#@])([a-z]\w*)\s*\(", text):
            name = m.group(1)
            if re.search(r"\b(?:case|func)\s+$", text[max(0, m.start() - 12):m.start()]):
                continue  # an enum case or a function being declared, not a call
            if name in api.functions:
                got = labels(split_args(call_args(text, m.end() - 1)))
                if got != api.functions[name][0]:
                    report(m.start(), f"calls {name}({':'.join(got)}:); bindings have {name}({':'.join(api.functions[name][0])}:)")
                checked["functions"] += 1
                seen("function", "", name)
                for label in got:
                    if label != "_":
                        seen("param", name, label)
            elif app and name not in declared | SWIFT_FREE_FUNCTIONS | SWIFT_KEYWORDS:
                report(m.start(), f"calls {name}(), which neither the bindings nor the app define")

        # constructors of records and objects, with their labels
        for m in re.finditer(r"(?<![.\w])([A-Z]\w*)\s*\(", text):
            record = m.group(1)
            if record in own_types or (record not in api.records and record not in api.objects):
                continue
            if re.search(r"\b(?:class|struct|enum|extension|protocol)\s+$", text[max(0, m.start() - 12):m.start()]):
                continue
            args = split_args(call_args(text, m.end() - 1))
            got = labels(args)
            if record in api.objects:
                inits = api.object_inits.get(record, [])
                if got not in inits:
                    report(m.start(), f"builds {record}({':'.join(got)}:); bindings have "
                           f"{' or '.join(f'{record}(' + ':'.join(i) + ':)' for i in inits) or 'no initializer'}")
                checked["initializers"] += 1
                for label in got:
                    seen("init", record, label)
                continue
            want = api.inits[record]
            if got != want:
                report(m.start(), f"builds {record}({':'.join(got)}:); bindings have {record}({':'.join(want)}:)")
            checked["initializers"] += 1
            for label in got:
                seen("init", record, label)
            for label, arg in zip(got, args):
                value = arg.split(":", 1)[1].strip() if label != "_" else arg
                field_type, _ = bare(api.records[record].get(label, ""))
                if field_type in core_enums and (case := re.fullmatch(r"\.(\w+)", value)):
                    if case.group(1) not in core_enums[field_type]:
                        report(m.start(), f"{record}.{label} = .{case.group(1)}; {field_type} has {sorted(core_enums[field_type])}")

        # Enum.case of every core enum
        for m in re.finditer(r"(?<![.\w])([A-Z]\w*)\.(\w+)", text):
            enum, case = m.groups()
            if enum not in core_enums:
                continue
            checked["enum cases"] += 1
            if case not in ENUM_STATICS:
                seen("case", enum, case)
            if case not in core_enums[enum] and case not in ENUM_STATICS:
                report(m.start(), f"names {enum}.{case}; bindings have {sorted(core_enums[enum])}")

        known = core_typed_names(text, api, closures)

        # `switch x` over a core enum (or `switch self` in an extension of one): its cases
        extensions = [(m.start(), m.group(1)) for m in re.finditer(r"\bextension\s+(\w+)", text)]
        for m in re.finditer(r"\bswitch\s+(\w+)\s*\{", text):
            subject = m.group(1)
            if subject == "self":
                owners = [name for pos, name in extensions if pos < m.start()]
                types = {owners[-1]} if owners else set()
            else:
                types = {t for t in known.get(subject, ()) if not t.startswith("[")}
            enums = [t for t in types if t in core_enums]
            if len(enums) != 1:
                continue
            enum = enums[0]
            body = call_args(text, m.end() - 1)
            top = top_level(body)
            for case_line in re.finditer(r"^\s*case\s+([^:\n]*):", top, re.M):
                for c in re.finditer(r"(?:^|,)\s*(?:let\s+)?\.(\w+)(\s*\()?", case_line.group(1)):
                    case = c.group(1)
                    checked["enum cases"] += 1
                    seen("case", enum, case)
                    if case not in core_enums[enum]:
                        report(m.start(), f"switches on {enum} with case .{case}; bindings have {sorted(core_enums[enum])}")
                        continue
                    if not c.group(2):
                        continue
                    # the payload's pattern: as many parts as the case has, labels as it has them
                    paren = case_line.start(1) + c.end() - 1
                    parts = split_args(call_args(body, paren))
                    payload = api.payloads.get(enum, {}).get(case, [])
                    if len(parts) != len(payload):
                        report(m.start(), f"matches .{case}({', '.join(parts)}) of {enum}; bindings have "
                               f".{case}({', '.join(f'{l}: {t}' for l, t in payload)})")
                        continue
                    for part, (label, type_name) in zip(parts, payload):
                        given = re.match(r"(\w+)\s*:(?!:)\s*(.*)", part)
                        if given and given.group(1) != label:
                            report(m.start(), f"matches .{case}({given.group(1)}:) of {enum}; bindings have .{case}({label}:)")
                        name = re.sub(r"^(?:let|var)\s+", "", given.group(2) if given else part).strip()
                        if re.fullmatch(r"\w+", name) and name != "_":
                            t, array = bare(type_name)
                            if t in api.types():
                                known.setdefault(name, set()).add(f"[{t}]" if array else t)
        for m in re.finditer(r"\b(?:if|guard)\s+case\s+(?:let\s+)?\.(\w+)[^=\n]*=\s*(\w+)\b", text):
            types = {t for t in known.get(m.group(2), ()) if t in core_enums}
            if len(types) == 1:
                enum = types.pop()
                checked["enum cases"] += 1
                if m.group(1) not in core_enums[enum]:
                    report(m.start(), f"matches {enum} against .{m.group(1)}; bindings have {sorted(core_enums[enum])}")

        # methods and fields along chains from a name of known core type
        for m in re.finditer(r"(?<![.\w])(\w+)((?:\??\.\w+(?:\s*\((?:[^()]|\([^()]*\))*\))?)+)", text):
            name = m.group(1)
            types = {t for t in known.get(name, ()) if not t.startswith("[")}
            if len(types) != 1:
                if types and all(t in api.records for t in types):  # a name used for several records
                    fields = set().union(*(api.records[t] for t in types)) | {"hashValue"}
                    first = re.match(r"\??\.(\w+)", m.group(2)).group(1)
                    if first not in fields:
                        report(m.start(), f"reads {name}.{first}; {'/'.join(sorted(types))} has {sorted(fields)}")
                    checked["fields"] += 1
                continue
            cur = types.pop()
            pos = m.start(2)
            for seg in re.finditer(r"\??\.(\w+)(\s*\(((?:[^()]|\([^()]*\))*)\))?", m.group(2)):
                member, call, args = seg.group(1), seg.group(2), seg.group(3)
                at = pos + seg.start()
                if cur in api.objects:
                    methods = api.objects[cur]
                    if member not in methods:
                        report(at, f"calls {cur}.{member}(); bindings' {cur} has {sorted(methods)}")
                        break
                    checked["methods"] += 1
                    seen("method", cur, member)
                    want, ret = methods[member]
                    if call is not None:
                        got = labels(split_args(args or ""))
                        for label in got:
                            if label != "_":
                                seen("param", f"{cur}.{member}", label)
                        if got != want:
                            report(at, f"calls {cur}.{member}({':'.join(got)}:); bindings have {member}({':'.join(want)}:)")
                    cur, array = bare(return_type(ret))
                elif cur in api.records:
                    fields = api.records[cur]
                    if member not in fields and member != "hashValue":
                        report(at, f"reads {name}.{member}; {cur} has {sorted(fields)}")
                        break
                    checked["fields"] += 1
                    if member != "hashValue":
                        seen("field", cur, member)
                    cur, array = bare(fields.get(member, ""))
                else:
                    break
                if array:
                    break

        # callback protocols: every method, with its labels
        for m in re.finditer(r"\b(?:class|struct|actor)\s+(\w+)\s*:\s*([^{]*)\{", text):
            supers = {s.strip().split()[-1] for s in m.group(2).split(",") if s.strip()}
            body = call_args(text, m.end() - 1)
            for proto in supers & set(api.protocols):
                checked["callback implementations"] += 1
                implemented = {f.group(1): param_labels(f.group(2))
                               for f in re.finditer(r"\bfunc\s+(\w+)\s*\((.*?)\)", body, re.S)}
                for method, want in api.protocols[proto].items():
                    seen("callback", proto, method)
                    if method not in implemented:
                        report(m.start(), f"{m.group(1)} implements {proto} without {method}({':'.join(want)}:)")
                    elif implemented[method] != want:
                        report(m.start(), f"{m.group(1)} implements {proto}.{method}({':'.join(implemented[method])}:); "
                               f"bindings have {method}({':'.join(want)}:)")
    return problems, checked


def renamed(api: SwiftApi, use: tuple[str, str, str]) -> SwiftApi | None:
    """A copy of `api` in which the core name of `use` (as `check_swift` reports uses) is
    renamed, as a change of the core would rename it; None for a name this cannot rename."""
    api = copy.deepcopy(api)
    kind, owner, name = use
    new = name + "Renamed"

    def relabel(labels_: list[str]) -> list[str]:
        return [new if label == name else label for label in labels_]

    if kind == "function" and name in api.functions:
        api.functions[new] = api.functions.pop(name)
    elif kind == "method" and name in api.objects.get(owner, {}):
        api.objects[owner][new] = api.objects[owner].pop(name)
    elif kind == "field" and name in api.records.get(owner, {}):
        api.records[owner][new] = api.records[owner].pop(name)
        api.inits[owner] = relabel(api.inits[owner])
    elif kind == "init" and owner in api.records and name in api.inits[owner]:
        api.records[owner][new] = api.records[owner].pop(name)
        api.inits[owner] = relabel(api.inits[owner])
    elif kind == "init" and owner in api.object_inits:
        api.object_inits[owner] = [relabel(i) for i in api.object_inits[owner]]
    elif kind == "case" and name in api.enums.get(owner, set()):
        api.enums[owner] = (api.enums[owner] - {name}) | {new}
    elif kind == "callback" and name in api.protocols.get(owner, {}):
        api.protocols[owner][new] = api.protocols[owner].pop(name)
    elif kind == "param":
        head, _, method = owner.partition(".")
        if method and method in api.objects.get(head, {}):
            want, ret = api.objects[head][method]
            api.objects[head][method] = (relabel(want), ret)
        elif head in api.functions and not method:
            want, ret = api.functions[head]
            api.functions[head] = (relabel(want), ret)
        else:
            return None
    else:
        return None
    return api
