"""What the Android shell's Kotlin uses of the core, checked against the generated bindings.

No Kotlin compiler runs here for the Android sources (they need the Android SDK), so a
renamed method, field, enum case or argument of the core would first show on the hosted
runner. This reads the sources as text and follows the types it can see:

- every import from the bindings' package names something the bindings export;
- every `Enum.CASE` and `Sealed.Variant` of a core type exists;
- every call of a core function and every constructor of a core record, object or variant
  passes only parameter names it has, no more positional arguments than it takes, and every
  parameter that has no default;
- every method called and every field read on a value whose core type the source shows
  (declared, returned by a core call, a field of one, a lambda parameter over one, a
  smart-cast `is` branch) exists, with its named arguments;
- every class that implements a core callback interface overrides exactly its methods.

What it cannot type it leaves alone, so it never fails correct code for want of a type; the
counts it returns show how much it saw, and the self-tests show it catches each kind of
mistake.
"""

from __future__ import annotations

import copy
import re
from collections import Counter

from kotlin_api import PACKAGE, Fn, KotlinApi, simple_type
from source_text import Brackets, blank_code, line_of, split_args

TYPE = r"[A-Za-z_][\w.]*(?:<(?:[^<>]|<(?:[^<>]|<[^<>]*>)*>)*>)?\??"
KEYWORDS = {"if", "else", "when", "while", "for", "do", "return", "throw", "try", "catch", "finally",
            "fun", "val", "var", "class", "object", "interface", "is", "in", "as", "this", "super",
            "null", "true", "false", "package", "import", "typealias", "break", "continue", "by",
            "get", "set", "init", "constructor", "where", "companion", "data", "sealed", "enum",
            "private", "public", "internal", "protected", "override", "open", "abstract", "suspend",
            "inline", "lateinit", "const", "operator", "infix", "vararg", "crossinline", "noinline",
            "reified", "annotation", "out", "external", "tailrec", "it"}
# Members every Kotlin value has, and the scope functions of the standard library.
ANY_MEMBERS = {"toString", "hashCode", "equals", "javaClass", "let", "also", "apply", "run", "takeIf",
               "takeUnless", "to"}
OBJECT_MEMBERS = {"close", "destroy", "use", "uniffiIsDestroyed"}
RECORD_MEMBERS = {"copy"} | {f"component{i}" for i in range(1, 23)}
ENUM_MEMBERS = {"name", "ordinal", "compareTo"}
ENUM_STATICS = {"entries", "values", "valueOf", "Companion"}
THROWABLE_MEMBERS = {"message", "cause", "localizedMessage", "stackTrace", "printStackTrace",
                     "addSuppressed", "suppressed", "suppressedExceptions", "stackTraceToString", "initCause",
                     "fillInStackTrace"}
STATE_TYPES = {"StateFlow", "MutableStateFlow", "State", "MutableState", "Lazy", "SharedFlow",
               "MutableSharedFlow", "Flow", "LiveData", "MutableLiveData"}
COLLECTIONS = {"List", "MutableList", "Set", "MutableSet", "Collection", "Iterable", "Array", "Sequence",
               "SnapshotStateList", "ArrayList"}
ELEMENT_OF = {"first", "last", "firstOrNull", "lastOrNull", "single", "singleOrNull", "random", "get",
              "getOrNull", "elementAt", "find", "findLast", "minBy", "maxBy", "minByOrNull", "maxByOrNull",
              "getOrElse", "elementAtOrNull"}
LAMBDA_OVER_ELEMENTS = {"forEach", "onEach", "filter", "filterNot", "map", "mapNotNull", "any", "all", "none",
                        "count", "sortedBy", "sortedByDescending", "groupBy", "associateBy", "associate",
                        "partition", "sumOf", "joinToString", "flatMap", "first", "firstOrNull", "last",
                        "lastOrNull", "find", "single", "takeWhile", "dropWhile", "minBy", "maxBy",
                        "minByOrNull", "maxByOrNull", "distinctBy", "indexOfFirst", "indexOfLast"}
SAME_LIST = {"filter", "filterNot", "sortedBy", "sortedByDescending", "take", "drop", "reversed", "distinct",
             "toList", "onEach", "takeWhile", "dropWhile", "distinctBy", "toMutableList", "sorted",
             "filterNotNull", "shuffled", "asReversed", "plus", "minus"}
BLOCK_FUNCTIONS = {"run", "remember", "withContext", "coroutineScope", "supervisorScope", "synchronized",
                   "rememberSaveable", "with", "withTimeout", "runBlocking", "key", "retainedRemember"}


def match_at(pattern: str, text: str, pos: int) -> re.Match | None:
    """`pattern` matched at `pos` of `text`, without copying the rest of the text."""
    return re.compile(pattern).match(text, pos)


def generic(t: str) -> tuple[str, list[str]]:
    """`Head<A, B>?` as (`Head`, [`A`, `B`])."""
    t = t.strip().rstrip("?").strip()
    m = re.match(r"([\w.]+)\s*<(.*)>$", t, re.S)
    if not m:
        return t, []
    return m.group(1), _split_generics(m.group(2))


def _split_generics(args: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in args:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return [re.sub(r"^(?:out|in)\s+", "", a) for a in out]


class Project:
    """What the shell's own Kotlin declares that the checks follow types through: its
    classes' properties, its functions' return types, its extensions of core types."""

    def __init__(self, api: KotlinApi, texts: dict[str, str]):
        self.app_fields: dict[str, dict[str, str]] = {}
        self.app_classes: set[str] = set()
        self.app_returns: dict[str, str | None] = {}
        self.extensions: dict[str, dict[str, str | None]] = {}
        self.top_names: set[str] = set()  # declared at the top level of some file
        for text in texts.values():
            self._collect(blank_code(text, keep_templates=False))

    def _collect(self, t: str):
        b = Brackets(t)
        self.top_names |= set(re.findall(
            rf"^(?:[@\w]+[ \t]+)*(?:val|var|fun)\s+(?:<[^>]*>\s*)?(?:{TYPE}\.)?(\w+)", t, re.M))
        for m in re.finditer(r"\b(class|object|interface)\s+(\w+)", t):
            if re.search(r"::\s*$", t[max(0, m.start() - 3):m.start()]):
                continue
            name = m.group(2)
            self.app_classes.add(name)
            fields = self.app_fields.setdefault(name, {})
            j = m.end()
            rest = re.match(r"\s*(?:<[^>{]*>)?\s*(?:(?:private|internal|public|protected)?\s*constructor)?\s*\(", t[j:])
            if rest:
                paren = j + rest.end() - 1
                params = t[paren + 1:b.close.get(paren, len(t))]
                for p in re.finditer(rf"\b(?:val|var)\s+(\w+)\s*:\s*({TYPE})", params):
                    fields[p.group(1)] = simple_type(p.group(2))
                j = b.close.get(paren, len(t)) + 1
            brace = re.match(r"[^{}\n]*(?:\n[^{}\n]*)?\{", t[j:])
            if brace and not re.search(r"\b(?:class|object|interface|fun|val|var)\b", brace.group(0)[:-1]):
                o = j + brace.end() - 1
                for p in re.finditer(rf"\b(?:val|var)\s+(\w+)\s*:\s*({TYPE})", t[o:b.close.get(o, len(t))]):
                    if b.innermost(o + p.start(), "{")[0] == o:
                        fields.setdefault(p.group(1), simple_type(p.group(2)))
        for m in re.finditer(rf"\bfun\s+(?:<[^>]*>\s*)?(?:({TYPE})\.)?(\w+)\s*\(", t):
            paren = m.end() - 1
            close = b.close.get(paren, len(t))
            ret = re.match(rf"\s*:\s*({TYPE})", t[close + 1:])
            ret_type = simple_type(ret.group(1)) if ret else None
            if m.group(1):
                self.extensions.setdefault(simple_type(m.group(1)).rstrip("?"), {})[m.group(2)] = ret_type
            elif m.group(2) in self.app_returns and self.app_returns[m.group(2)] != ret_type:
                self.app_returns[m.group(2)] = None  # overloads with different results: unknown
            else:
                self.app_returns[m.group(2)] = ret_type
        for m in re.finditer(rf"\b(?:val|var)\s+(?:<[^>]*>\s*)?({TYPE})\.(\w+)\s*:\s*({TYPE})", t):
            self.extensions.setdefault(simple_type(m.group(1)).rstrip("?"), {})[m.group(2)] = simple_type(m.group(3))


class KotlinFile:
    """One source file, read for what it uses of the core."""

    def __init__(self, api: KotlinApi, project: Project, where: str, text: str):
        self.api, self.project, self.where = api, project, where
        t = blank_code(text)
        self.visible: set[str] = set()
        self.imports: list[tuple[int, str, str | None]] = []
        star = False
        names = api.names()
        for m in re.finditer(r"^[ \t]*(package|import)\b[^\n]*", t, re.M):
            imp = re.match(rf"\s*import\s+{re.escape(PACKAGE)}\.(\w+)(?:\.(\w+|\*))?\s*(?:as\s+\w+)?\s*$", m.group(0))
            if m.group(1) == "package" and re.match(rf"\s*package\s+{re.escape(PACKAGE)}\s*$", m.group(0)):
                star = True  # in the bindings' own package, every name is seen
            if imp and imp.group(1) != "android":
                self.imports.append((m.start(), imp.group(1), imp.group(2)))
                self.visible.add(imp.group(1))
            elif re.match(rf"\s*import\s+{re.escape(PACKAGE)}\.\*", m.group(0)):
                star = True
            t = t[:m.start()] + re.sub(r"[^\n]", " ", m.group(0)) + t[m.end():]
        if star:
            self.visible |= names

        # fully qualified uses see the core without an import: read them as plain names
        def unqualify(m: re.Match) -> str:
            self.visible.add(m.group(1))
            return " " * (len(m.group(0)) - len(m.group(1))) + m.group(1)

        t = re.sub(rf"(?<![\w.]){re.escape(PACKAGE)}\.(?!android\b)([A-Za-z_]\w*)", unqualify, t)
        self.t = t
        self.b = Brackets(t)
        self.receivers: list[tuple[str, int, int]] = []
        for m in re.finditer(rf"\b(fun|val)\s+(?:<[^>]*>\s*)?({TYPE})\.(\w+)\b", t):
            receiver = simple_type(m.group(2)).rstrip("?")
            head = receiver.split(".")[0]
            if head not in api.records and head not in api.sealed and head not in api.enums:
                continue
            j = m.end()
            if m.group(1) == "fun" and t.startswith("(", j + len(re.match(r"\s*", t[j:]).group(0))):
                j = self.b.close.get(t.index("(", j), len(t)) + 1
            body = re.match(r"[^{=]*?(\{|=)", t[j:])
            if not body:
                continue
            start = j + body.end() - 1
            if body.group(1) == "{":
                end = self.b.close.get(start, len(t))
            else:  # an expression body: to the next declaration at the top level
                nxt = re.search(r"\n(?=[^\s}])", t[start:])
                end = start + nxt.start() if nxt else len(t)
            self.receivers.append((receiver, start, end))
        self.bindings: dict[tuple[str, int, int], set[str]] = {}
        self.by_name: dict[str, list[tuple[str, int, int]]] = {}
        # every name declared, typed or not, where it is seen: an unqualified name that none
        # is, inside an extension of a core type, is a member of that type (`holder` in
        # `fun Verification.f()`)
        self.declared: dict[str, list[tuple[int, int]]] = {}
        for m in re.finditer(rf"\b(?:val|var|fun)\s+(?:<[^>]*>\s*)?(?:{TYPE}\.)?(\w+)|"
                             r"[(,]\s*(?:@\w+\s+)*(?:\w+\s+)*?(\w+)\s*:(?!:)|\bfor\s*\(\s*(\w+)\s+in\b", t):
            name = m.group(1) or m.group(2) or m.group(3)
            self.declared.setdefault(name, []).append(self.scope_at(m.start()))
        for m in re.finditer(rf"\{{\s*(\w+(?:\s*:\s*{TYPE})?(?:\s*,\s*\w+(?:\s*:\s*{TYPE})?)*)\s*->", t):
            for name in re.findall(r"(?:^|,)\s*(\w+)", m.group(1)):
                self.declared.setdefault(name, []).append((m.start(), self.b.close.get(m.start(), len(t))))
        self.problems: dict[tuple[int, str], None] = {}
        self.counts: Counter = Counter()
        self.uses: set[tuple[str, str, str]] = set()  # (kind, owner, name) of each core name seen
        self.reporting = False

    # ---- reporting -------------------------------------------------------------------

    def problem(self, pos: int, message: str):
        """Records a problem at `pos` (in the reporting pass only)."""
        if self.reporting:
            self.problems[(line_of(self.t, pos), f"{self.where}:{line_of(self.t, pos)}: {message}")] = None

    def count(self, what: str, use: tuple[str, str, str] | None = None):
        """Counts a checked use of the core, and remembers which name it was (reporting pass only)."""
        if self.reporting:
            self.counts[what] += 1
            if use:
                self.uses.add(use)

    # ---- scopes and bindings ---------------------------------------------------------

    def bind(self, name: str, type_name: str | None, start: int, end: int):
        """Records that `name` has `type_name` from `start` to `end`."""
        if type_name and name != "_":
            key = (name, start, end)
            if key not in self.bindings:
                self.bindings[key] = set()
                self.by_name.setdefault(name, []).append(key)
            self.bindings[key].add(simple_type(type_name))

    def lookup(self, name: str, pos: int) -> str | None:
        """The type of `name` at `pos`: the innermost binding that covers it, if it has one type."""
        best = None
        for binding in self.by_name.get(name, ()):
            _, start, end = binding
            if not start <= pos <= end:
                continue
            key = (end - start, -start)
            if best is None or key < best[0]:
                best = (key, self.bindings[binding])
        if best is None or len(best[1]) != 1:
            return None  # unknown, or several types in one scope: not sure which
        return next(iter(best[1]))

    def scope_at(self, pos: int) -> tuple[int, int]:
        """Where a name declared at `pos` is seen: a block's rest; for a parameter or a
        `val` in parentheses, the body that follows them."""
        o, c, kind = self.b.innermost(pos)
        if kind != "(":
            return pos, c
        after = self.t[c + 1:]
        m = re.match(r"\s*(?::\s*[^{=\n]*)?\s*([{=])", after)
        if m and m.group(1) == "{":
            brace = c + 1 + m.end() - 1
            return pos, self.b.close.get(brace, len(self.t))
        if m:
            block_end = self.b.innermost(o, "{")[1]
            nxt = re.search(r"\n\s*(?:(?:private|public|internal|override|suspend|inline|@\w+)\s+)*"
                            r"(?:fun|val|var|class|object)\b", self.t[c:block_end])
            return pos, c + nxt.start() if nxt else block_end
        return pos, c

    def bind_lambda(self, brace: int, types: list[str | None]):
        """Binds the parameters of the lambda at `brace` (or `it`) to `types`."""
        close = self.b.close.get(brace, len(self.t))
        m = re.match(rf"\{{\s*((?:\w+)(?:\s*:\s*{TYPE})?(?:\s*,\s*\w+(?:\s*:\s*{TYPE})?)*)\s*->", self.t[brace:close])
        if m:
            for i, part in enumerate(split_args(m.group(1))):
                pm = re.match(rf"(\w+)(?:\s*:\s*({TYPE}))?", part)
                declared = pm.group(2)
                self.bind(pm.group(1), declared or (types[i] if i < len(types) else None), brace, close)
        elif types:
            self.bind("it", types[0], brace, close)

    def declarations(self):
        """Binds the names the file declares to the types it shows: annotations, initializers,
        loops, `when` branches."""
        t = self.t
        for receiver, start, end in self.receivers:
            self.bind("this", receiver, start, end)
        # values of function type (`load: () -> Deferred<LofavorCore>`): calling one gives its result
        for m in re.finditer(rf"(?<![\w.?:])(\w+)\s*:\s*(?:suspend\s+)?\((?:[^()]|\([^()]*\))*\)\s*->\s*({TYPE})", t):
            if m.group(1) not in KEYWORDS:
                self.bind(m.group(1), f"Function<{m.group(2)}>", *self.scope_at(m.start()))
        for m in re.finditer(rf"(?<![\w.?:])(\w+)\s*:\s*({TYPE})", t):
            name = m.group(1)
            if name in KEYWORDS or t.startswith("::", m.end(1)):
                continue
            before = t[max(0, m.start() - 60):m.start()]
            if not re.search(r"(?:\b(?:val|var)|[(,{]|->)\s*$", before) \
                    or re.search(r"\b(?:class|object|interface)\s*$", before):
                # `a: T` in parentheses after modifiers (`private val x: T`) or annotations
                if not re.search(r"[(,]\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:private|public|internal|protected|override|"
                                 r"vararg|crossinline|noinline|lateinit)\s+)*(?:val\s+|var\s+)?$", before):
                    continue
            self.bind(name, m.group(2), *self.scope_at(m.start()))
        for m in re.finditer(r"\b(?:val|var)\s+(\w+)\s*(=(?!=)|\bby\b)", t):
            value = self.eval_expr(m.end())
            if m.group(2) == "by":
                value = self.unwrap_state(value)
            self.bind(m.group(1), value, *self.scope_at(m.start()))
        for m in re.finditer(r"\bfor\s*\(\s*(\w+)\s+in\s+", t):
            start, end = self.scope_at(m.start(1))
            paren = m.start() + t[m.start():].index("(")
            close = self.b.close.get(paren, len(t))
            if end <= close:  # a body without braces: the rest of its line
                end = close
                while end < len(t) and t[end] != "\n":
                    end = self.b.close.get(end, len(t)) + 1 if t[end] in "([{" and end > close else end + 1
            self.bind(m.group(1), self.element(self.eval_expr(m.end())), start, end)
        for m in re.finditer(r"\bwhen\s*\(\s*(?:val\s+(\w+)\s*=[^)]*|(\w+)\s*)\)\s*\{", t):
            subject = m.group(1) or m.group(2)
            brace = m.end() - 1
            close = self.b.close.get(brace, len(t))
            for branch in re.finditer(rf"(?<![\w!])is\s+({TYPE})\s*->\s*", t[brace:close]):
                at = brace + branch.start()
                if self.b.innermost(at, "{")[0] != brace:
                    continue
                body = brace + branch.end()
                if t.startswith("{", body):
                    end = self.b.close.get(body, close)
                else:
                    end = body
                    while end < close and t[end] != "\n":
                        if t[end] in "([{":
                            end = self.b.close.get(end, close)
                        end += 1
                self.bind(subject, branch.group(1), body, end)

    # ---- types -----------------------------------------------------------------------

    def unwrap_state(self, t: str | None) -> str | None:
        """`T` of a State, StateFlow, Lazy or the like (what `by` delegates to)."""
        if not t:
            return None
        head, args = generic(t)
        return args[0] if head in STATE_TYPES and args else None

    def element(self, t: str | None) -> str | None:
        """The element type of a collection type."""
        if not t:
            return None
        head, args = generic(t)
        return args[-1] if head in COLLECTIONS and args else None

    def variant(self, head: str) -> tuple[str, str] | None:
        """(base, variant) when `head` is a sealed variant of the core (`Verification.Valid`)."""
        if "." in head:
            base, name = head.rsplit(".", 1)
            if name in self.api.sealed.get(base, {}):
                return base, name
        return None

    def app_class(self, head: str) -> str | None:
        """The shell's own class of that name, when it is one and not a core type."""
        last = head.rsplit(".", 1)[-1]
        return last if last in self.project.app_fields and last not in self.api.type_names() else None

    def last_expr(self, brace: int) -> str | None:
        """The type of a block's (a lambda's) value: its last expression."""
        close = self.b.close.get(brace, len(self.t))
        start = brace + 1
        arrow = re.match(rf"\{{\s*(?:\w+(?:\s*:\s*{TYPE})?(?:\s*,\s*\w+(?:\s*:\s*{TYPE})?)*)\s*->", self.t[brace:close])
        if arrow:
            start = brace + arrow.end()
        last, depth, i = start, 0, start
        while i < close:
            c = self.t[i]
            if c in "([{":
                i = self.b.close.get(i, close) + 1
                continue
            if c in "\n;":
                nxt = re.match(r"[\s;]*", self.t[i:close])
                j = i + nxt.end()
                if j < close and not re.match(r"\?\.|\.|\?:|&&|\|\||[-+*/%=<>!]", self.t[j:j + 2]):
                    last = j
                i = j if j > i else i + 1
                continue
            i += 1
        expr = re.sub(r"^\s*return(?:@\w+)?\s+", "", self.t[last:close])
        return self.eval_expr(last + (len(self.t[last:close]) - len(expr)))

    def eval_expr(self, pos: int) -> str | None:
        """The type of the expression at `pos`, or None when it cannot be told."""
        pos = match_at(r"\s*(?:try\s+)?", self.t, pos).end()
        if match_at(r"(?:if|when|object|fun)\b", self.t, pos):
            return None
        t, end = self.chain(pos)
        cast = match_at(rf"\s*as\??\s+({TYPE})", self.t, end)
        if cast:
            return simple_type(cast.group(1))
        return t

    def trailing_lambdas(self, j: int) -> tuple[list[int], int]:
        """The opening braces of the lambdas that follow a call at `j`, and where they end."""
        lambdas = []
        while True:
            m = match_at(r"[ \t]*(?:\w+@\s*)?\{", self.t, j)
            if not m:
                return lambdas, j
            brace = m.end() - 1
            lambdas.append(brace)
            j = self.b.close.get(brace, len(self.t)) + 1

    def chain(self, pos: int) -> tuple[str | None, int]:
        """The type of the postfix chain at `pos` (`a.b(x)?.c!!.d { }`) and where it ends;
        on the way, each member of a core type is checked."""
        t = self.t
        if t.startswith("(", pos):
            close = self.b.close.get(pos, len(t))
            cur, j = self.eval_expr(pos + 1), close + 1
        else:
            m = match_at(r"[A-Za-z_]\w*", t, pos)
            if not m:
                return None, pos
            name = m.group(0)
            j = m.end()
            gen = match_at(rf"<({TYPE}(?:\s*,\s*{TYPE})*)>(?=\s*\()", t, j)
            if gen:
                j = gen.end()
            if t.startswith("(", j):
                close = self.b.close.get(j, len(t))
                args = t[j + 1:close]
                lambdas, j = self.trailing_lambdas(close + 1)
                cur = self.call_type(name, gen.group(1) if gen else None, args, j - 1, lambdas, pos)
            elif name in BLOCK_FUNCTIONS | {"runCatching", "async", "lazy", "derivedStateOf"} and \
                    match_at(r"[ \t]*\{", t, j):
                lambdas, j = self.trailing_lambdas(j)
                cur = self.call_type(name, None, "", j, lambdas)
            elif name in KEYWORDS - {"it"}:
                return None, j
            else:
                cur = self.lookup(name, pos)
                if cur is None and name in self.visible and name in self.api.type_names():
                    cur = f"static:{name}"
                elif cur is None and self.implicit_member(name, pos, j):
                    cur = self.member(self.lookup("this", pos), name, None, [], pos)
        while True:
            k = match_at(r"\s*", t, j).end()
            if t.startswith("!!", k):
                j = k + 2
                continue
            dot = match_at(r"\??\.(?!\.)\s*([A-Za-z_]\w*)", t, k)
            if dot and (k == j or t[k] in ".?"):
                name = dot.group(1)
                at = dot.start(1)
                j = dot.end()
                args = None
                if t.startswith("(", j):
                    close = self.b.close.get(j, len(t))
                    args = t[j + 1:close]
                    j = close + 1
                lambdas, j = self.trailing_lambdas(j)
                cur = self.member(cur, name, args, lambdas, at)
                continue
            if t.startswith("[", j):
                cur = self.element(cur)
                j = self.b.close.get(j, len(t)) + 1
                continue
            return cur, j

    def implicit_member(self, name: str, pos: int, end: int) -> bool:
        """Whether `name` at `pos`, unqualified, can only be a member of the core type an
        enclosing extension is declared on: it is not declared in this file or at any top
        level, nor a named argument's label, nor a lambda's parameter."""
        if not name[:1].islower() or name in KEYWORDS or name in self.project.top_names:
            return False
        if any(start <= pos <= end for start, end in self.declared.get(name, ())):
            return False
        if match_at(r"\s*(?:=(?!=)|->|\(|:(?!:))", self.t, end):
            return False
        return bool(self.receivers) and self.lookup("this", pos) is not None

    def call_type(self, name: str, gen: str | None, args: str, at: int, lambdas: list[int],
                  pos: int | None = None) -> str | None:
        """The type of a call of `name` (a core function or constructor, a scope function, a state
        holder, a shell function)."""
        api = self.api
        if pos is not None and (fn := self.lookup(name, pos)) and fn.startswith("Function<"):
            return generic(fn)[1][0]
        last = self.last_expr(lambdas[-1]) if lambdas else None
        if name in api.functions and name in self.visible:
            return api.functions[name].returns
        if name in api.constructors and name in self.visible:
            return name
        if name == "runCatching":
            return f"Result<{last}>" if last else None
        if name == "async":
            return f"Deferred<{last}>" if last else None
        if name == "lazy":
            return f"Lazy<{last}>" if last else None
        if name == "derivedStateOf":
            return f"State<{last}>" if last else None
        if name in BLOCK_FUNCTIONS:
            return last
        if name in ("mutableStateOf", "MutableStateFlow", "mutableStateListOf", "MutableLiveData"):
            wrapper = {"mutableStateOf": "MutableState", "mutableStateListOf": "SnapshotStateList"}.get(name, name)
            inner = gen or (self.eval_expr(at - len(args)) if args.strip() else None)
            return f"{wrapper}<{inner}>" if inner else None
        if name in ("items", "itemsIndexed") and lambdas:
            first = split_args(args)[0] if args.strip() else ""
            element = self.element(self.eval_expr(self.t.find(first, at - len(args) - 1))) if first else None
            self.bind_lambda(lambdas[-1], [element] if name == "items" else ["Int", element])
            return None
        if name in self.project.app_returns:
            return self.project.app_returns[name]
        if name in self.project.app_classes:
            return name
        return None

    def member(self, cur: str | None, name: str, args: str | None, lambdas: list[int], at: int) -> str | None:
        """The type of `cur.name` (a call when `args` is not None), checking it when `cur` is
        a core type."""
        if not cur:
            return None
        api = self.api
        if cur.startswith("static:"):
            head = cur[len("static:"):]
            if head in api.enums:
                if name in ("entries", "values"):
                    return f"List<{head}>"
                return head if name == "valueOf" or name in api.enums[head] else None
            if head in api.sealed and name in api.sealed[head]:
                return f"{head}.{name}" if args is not None or api.sealed[head][name] else head
            if head in api.statics and name in api.statics[head]:
                return api.statics[head][name].returns
            return None
        head, gargs = generic(cur)
        call = args is not None
        what = f"{name}()" if call else name

        def scoped(lambda_types: list[str | None]) -> None:
            for brace in lambdas:
                self.bind_lambda(brace, lambda_types)

        # what every value has
        if name in ("let", "run", "use", "also", "apply", "takeIf", "takeUnless"):
            scoped([cur])
            if name in ("let", "run", "use"):
                return self.last_expr(lambdas[-1]) if lambdas else None
            return cur
        if name in ANY_MEMBERS:
            return None
        ext = self.project.extensions.get(head) or self.project.extensions.get(head.split(".")[0])
        if ext and name in ext:
            return ext[name]

        if head in api.objects:
            methods = api.objects[head]
            if name in methods:
                fn = methods[name]
                if call:
                    self.check_args(at, f"{head}.{name}", args, fn)
                else:
                    self.problem(at, f"reads {head}.{name} without calling it; it is a method")
                self.count("methods", ("method", head, name))
                return fn.returns
            if name in OBJECT_MEMBERS:
                return None
            self.problem(at, f"calls {head}.{what}; the bindings' {head} has {sorted(methods)}")
            return None
        fields, kind = None, None
        if head in api.records:
            fields, kind = api.records[head], "record"
        elif (v := self.variant(head)) is not None:
            fields, kind = dict(api.sealed[v[0]][v[1]]), "variant"
            if v[0] in api.errors:
                fields.update({m: None for m in THROWABLE_MEMBERS})
        elif head in api.sealed:
            # not narrowed to a variant here: any variant's field may be read after a smart
            # cast this reading did not follow, so only a name no variant has is wrong
            fields, kind = {}, "sealed"
            for variant_fields in api.sealed[head].values():
                for f, ft in variant_fields.items():
                    fields[f] = ft if fields.get(f, ft) == ft else None
            if head in api.errors:
                fields.update({m: None for m in THROWABLE_MEMBERS})
        elif head in api.enums:
            if name in ENUM_MEMBERS:
                return None
            self.problem(at, f"reads {head}.{what}; a core enum has only {sorted(ENUM_MEMBERS)}")
            return None
        if fields is not None:
            if name in fields:
                if call and fields[name] is not None:
                    self.problem(at, f"calls {head}.{name}(); it is a field, not a method")
                if name not in THROWABLE_MEMBERS:
                    self.count("fields", ("field", head, name))
                return fields[name]
            if name in RECORD_MEMBERS and kind in ("record", "variant"):
                if name == "copy" and call:
                    self.check_args(at, f"{head}.copy", args, Fn(list(fields), set(fields), head))
                return head if name == "copy" else None
            has = sorted(f for f in fields if f not in THROWABLE_MEMBERS)
            self.problem(at, f"reads {head}.{what}; the bindings' {head} has {has}")
            return None

        # the platform's wrappers around core values
        inner = gargs[0] if gargs else None
        if head == "Deferred" and name in ("await", "getCompleted"):
            return inner
        if head == "Result":
            if name in ("getOrNull", "getOrThrow", "getOrElse", "getOrDefault"):
                return inner
            if name == "onSuccess":
                scoped([inner])
                return cur
            if name == "onFailure":
                scoped(["Throwable"])
                return cur
            if name == "map" and lambdas:
                scoped([inner])
                value = self.last_expr(lambdas[-1])
                return f"Result<{value}>" if value else None
            if name == "fold" and call:
                paren = self.t.find("(", at)
                close = self.b.close.get(paren, len(self.t))
                lambdas_in = [(fm.group(1), paren + fm.end() - 1)
                              for fm in re.finditer(r"(?:(onSuccess|onFailure)\s*=\s*)?\{", self.t[paren:close])
                              if self.b.innermost(paren + fm.end() - 1, "([{")[0] == paren]
                for i, (label, brace) in enumerate(lambdas_in):
                    success = label == "onSuccess" or (label is None and i == 0)
                    self.bind_lambda(brace, [inner if success else "Throwable"])
            return None
        if head in STATE_TYPES:
            if name == "value":
                return inner
            if name in ("collectAsState", "collectAsStateWithLifecycle", "observeAsState"):
                return f"State<{inner}>" if inner else None
            if name in ("asStateFlow", "stateIn", "asSharedFlow", "distinctUntilChanged"):
                return cur
            if name in ("collect", "collectLatest", "update", "onEach", "filter", "first", "firstOrNull"):
                scoped([inner])
                return inner if name in ("first", "firstOrNull") else None
            if name == "map" and lambdas:
                scoped([inner])
                value = self.last_expr(lambdas[-1])
                return f"Flow<{value}>" if value else None
            return None
        if head in COLLECTIONS:
            element = gargs[-1] if gargs else None
            if name.endswith("Indexed"):
                scoped(["Int", element])
            elif name in LAMBDA_OVER_ELEMENTS:
                scoped([element])
            if name in ELEMENT_OF:
                return element
            if name in SAME_LIST:
                return cur
            if name in ("map", "mapNotNull") and lambdas:
                value = self.last_expr(lambdas[-1])
                return f"List<{value}>" if value else None
            return None
        if (app := self.app_class(head)) is not None:
            return self.project.app_fields[app].get(name) if not call else None
        return None

    # ---- arguments -------------------------------------------------------------------

    def check_args(self, at: int, what: str, args: str, fn: Fn):
        """Checks a call's named and positional arguments against the parameters of `fn`."""
        named, positional = [], 0
        for a in split_args(args):
            m = re.match(r"`?(\w+)`?\s*=(?!=)", a)
            if m:
                named.append(m.group(1))
            else:
                positional += 1
        for n in named:
            if n in fn.params and self.reporting:
                self.uses.add(("param", what, n))
            if n not in fn.params:
                self.problem(at, f"passes {n} = to {what}; the bindings' parameters are {fn.params}")
        if positional > len(fn.params):
            self.problem(at, f"passes {positional} arguments to {what}, which takes {len(fn.params)}: {fn.params}")
        missing = [p for p in fn.params[positional:] if p not in named and p not in fn.optional]
        if missing:
            self.problem(at, f"calls {what} without {missing}; the bindings' parameters are {fn.params}")

    # ---- the passes ------------------------------------------------------------------

    def chain_starts(self):
        """The positions where a postfix chain starts (not after a dot or `::`)."""
        t = self.t
        for m in re.finditer(r"(?<![\w$@])[A-Za-z_]\w*|\(", t):
            i = m.start() - 1
            while i >= 0 and t[i].isspace():
                i -= 1
            prev = t[i] if i >= 0 else ""
            if prev == "." or (prev == ":" and i > 0 and t[i - 1] == ":"):
                continue
            if m.group(0) == "(" and (prev.isalnum() or prev in "])>?_"):
                continue
            yield m.start()

    def run(self):
        """Reads the file: a few passes to find types, then one that reports."""
        for _ in range(3):  # types found in one pass feed the next (fields of fields, lambdas)
            self.declarations()
            for pos in self.chain_starts():
                self.chain(pos)
        self.reporting = True
        for pos in self.chain_starts():
            self.chain(pos)
        self.names_and_calls()

    def names_and_calls(self):
        """Checks imports, `Enum.CASE` names, calls of core functions and constructors, and
        callback implementations."""
        api, t = self.api, self.t
        names = api.names()
        for pos, name, nested in self.imports:
            if name not in names:
                self.problem(pos, f"imports {PACKAGE}.{name}, which the bindings do not export")
            elif nested and nested != "*" and nested not in api.enums.get(name, []) + list(api.sealed.get(name, {})):
                self.problem(pos, f"imports {PACKAGE}.{name}.{nested}, which the bindings do not export")
        for m in re.finditer(r"(?<![\w.])([A-Z]\w*)\s*\.\s*([A-Za-z_]\w*)", t):
            type_name, member = m.group(1), m.group(2)
            if type_name not in self.visible or \
                    re.search(r"\b(?:fun|val|var)\s+(?:<[^>]*>\s*)?$", t[max(0, m.start() - 30):m.start()]):
                continue  # not a name of the type but an extension declared on it
            if type_name in api.enums:
                self.count("enum cases", ("case", type_name, member) if member not in ENUM_STATICS else None)
                if member not in api.enums[type_name] and member not in ENUM_STATICS:
                    self.problem(m.start(2),
                                 f"names {type_name}.{member}; the bindings' {type_name} has {api.enums[type_name]}")
            elif type_name in api.sealed:
                self.count("enum cases", ("variant", type_name, member) if member != "Companion" else None)
                if member not in api.sealed[type_name] and member != "Companion":
                    self.problem(m.start(2), f"names {type_name}.{member}; "
                                             f"the bindings' {type_name} has {sorted(api.sealed[type_name])}")
        for m in re.finditer(r"(?<![\w.:])([A-Za-z_]\w*)\s*(?:\.\s*([A-Z]\w*)\s*)?\(", t):
            name, variant = m.group(1), m.group(2)
            if name not in self.visible:
                continue
            if re.search(r"\bfun\s+$", t[max(0, m.start() - 10):m.start()]):
                continue
            paren = m.end() - 1
            args = t[paren + 1:self.b.close.get(paren, len(t))]
            if variant:
                if name in api.sealed and variant in api.sealed[name]:
                    self.count("constructors")
                    self.check_args(m.start(2), f"{name}.{variant}", args, api.constructor_of(f"{name}.{variant}")[0])
            elif name in api.functions:
                self.count("functions", ("function", "", name))
                self.check_args(m.start(), name, args, api.functions[name])
            elif name in api.constructors:
                self.count("constructors")
                inits = api.constructors[name]
                if not inits:
                    self.problem(m.start(), f"constructs {name}, which the bindings give no constructor")
                    continue
                saved = dict(self.problems)
                for init in inits:  # any constructor that fits will do
                    self.problems = dict(saved)
                    self.check_args(m.start(), name, args, init)
                    if self.problems == saved:
                        break
        for m in re.finditer(r"\b(?:class|object)\b\s*(?:\w+\s*)?(?:<[^>{]*>\s*)?", t):
            j = m.end()
            ctor = re.match(r"(?:(?:private|internal|public|protected)?\s*constructor\s*)?\(", t[j:])
            if ctor:
                j = self.b.close.get(j + ctor.end() - 1, len(t)) + 1
            head = re.match(r"\s*:\s*([^{};=]*?)\{", t[j:])
            if not head:
                continue
            supers = {s.split("(")[0].split("<")[0].strip() for s in split_args(head.group(1))}
            brace = j + head.end() - 1
            close = self.b.close.get(brace, len(t))
            for callback in supers & api.callbacks & self.visible:
                self.count("callback implementations")
                overridden = set()
                for o in re.finditer(r"\boverride\s+(?:suspend\s+)?fun\s+(\w+)", t[brace:close]):
                    if self.b.innermost(brace + o.start(), "{")[0] != brace:
                        continue
                    overridden.add(o.group(1))
                    if self.reporting:
                        self.uses.add(("callback", callback, o.group(1)))
                    if o.group(1) not in api.objects[callback]:
                        self.problem(brace + o.start(1), f"overrides {callback}.{o.group(1)}, which the bindings' "
                                                         f"{callback} lacks: {sorted(api.objects[callback])}")
                missing = set(api.objects[callback]) - overridden
                if missing:
                    self.problem(m.start(), f"implements {callback} without {sorted(missing)}")


_projects: dict = {}


def check_kotlin(api: KotlinApi, texts: dict[str, str], context: dict[str, str] | None = None,
                 uses: dict[tuple[str, str, str], str] | None = None) -> tuple[list[str], Counter]:
    """The problems found in the given sources (display name to text), and how many uses of
    each kind were checked. `context` is every source of the shell, whose declarations
    (classes, extensions) the checked ones may use (default: the checked ones). `uses`, if
    given, receives each core name seen (kind, owner, name) with a file that uses it."""
    key = tuple(sorted((context or texts).items()))
    if _projects.get("key") != key:  # the same shell read again (renames): its declarations once
        _projects["key"], _projects["project"] = key, Project(api, context or texts)
    project = _projects["project"]
    problems: list[str] = []
    counts: Counter = Counter()
    for where, text in texts.items():
        f = KotlinFile(api, project, where, text)
        f.run()
        problems += [p for _, p in f.problems]
        counts += f.counts
        if uses is not None:
            for use in f.uses:
                uses.setdefault(use, where)
    return problems, counts


def renamed(api: KotlinApi, use: tuple[str, str, str]) -> KotlinApi | None:
    """A copy of `api` in which the core name of `use` (as `check_kotlin` reports uses) is
    renamed, as a change of the core would rename it; None for a name this cannot rename."""
    api = copy.deepcopy(api)
    kind, owner, name = use
    new = name + "Renamed"

    def rename_key(d: dict, key: str) -> bool:
        if key not in d:
            return False
        d[new if key == name else key + "Renamed"] = d.pop(key)
        return True

    def rename_param(fn: Fn):
        fn.params = [new if p == name else p for p in fn.params]
        fn.optional = {new if p == name else p for p in fn.optional}

    if kind in ("method", "callback"):
        return api if rename_key(api.objects.get(owner, {}), name) else None
    if kind == "field":
        if owner in api.records:
            rename_key(api.records[owner], name)
            for fn in api.constructors.get(owner, []):
                rename_param(fn)
            return api
        base, _, variant = owner.partition(".")
        targets = [api.sealed.get(base, {}).get(variant)] if variant else list(api.sealed.get(base, {}).values())
        done = [rename_key(t, name) for t in targets if t is not None and name in t]
        return api if done else None
    if kind == "case":
        cases = api.enums.get(owner, [])
        if name not in cases:
            return None
        cases[cases.index(name)] = new
        return api
    if kind == "variant":
        return api if rename_key(api.sealed.get(owner, {}), name) else None
    if kind == "function":
        return api if rename_key(api.functions, name) else None
    if kind == "param":
        head, _, method = owner.partition(".")
        fns = []
        if method and head in api.objects and method in api.objects[head]:
            fns = [api.objects[head][method]]
        elif method and head in api.sealed and method in api.sealed[head]:
            rename_key(api.sealed[head][method], name)
            return api
        elif head in api.functions and not method:
            fns = [api.functions[head]]
        elif head in api.constructors and not method:
            fns = api.constructors[head]
            rename_key(api.records.get(head, {}), name)
        for fn in fns:
            rename_param(fn)
        return api if fns else None
    return None
