"""A shared corpus of hostile texts, and the checks that parse what each channel gives back.

Every payload is something a person could type into a comment, a minute or a meeting's
title. The checks parse the output the way its reader does (html5lib as a browser does,
an XML parser for Atom, icalendar, csv) and look for anything that could run, restyle,
navigate or mislead; they never grep the raw bytes.
"""

import re

import html5lib

PAYLOADS = [
    # Tags.
    "<script>alert(1)</script>",
    "hola <img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>enviar</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://malo.example/x.css">',
    "<marquee onstart=alert(1)>x</marquee>",
    "<textarea></textarea><img src=x onerror=alert(1)>",
    "<title><img src=x onerror=alert(1)></title>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    # Mutation XSS: markup that changes meaning when parsed again.
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<a><table><a></table><style><img src=x onerror=alert(1)></style>",
    # Attributes.
    '<a href="#" onclick="alert(1)">clic</a>',
    '<p onmouseover="alert(1)">pasa</p>',
    "<a href=x onfocus=alert(1) autofocus tabindex=1>x</a>",
    '<img src="x" onerror="&#97;lert(1)">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    # URL schemes, plain, mixed case, entity-encoded, with whitespace, in Markdown.
    "[clic](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '<https://example.org/"onmouseover="alert(1)>',
    "[a](javascript&#58;alert(1))",
    # Right-to-left override and other invisible direction marks.
    "factura\u202egpj.exe",
    "&#8238;txt.exe",
    "\u2066oculto\u2069 y \u200fmarca",
    # CSS.
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width:expression(alert(1))">x</div>',
    # Spreadsheet formulas (CSV/XLSX) and terminal control sequences.
    '=HYPERLINK("http://malo.example","clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "campana\x07 y escape\x1b[31m rojo",
]

# What may never reach a reader, whatever the channel.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "svg", "math", "img", "video", "audio", "source", "marquee", "noscript", "template",
    "textarea", "title", "body", "details", "input", "button",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:")
C0_AND_SPACE = "".join(map(chr, range(0x21)))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def _local_name(tag):
    return tag.rsplit("}", 1)[-1].lower()


def _url_problem(value):
    # As the WHATWG URL parser does: trim C0 controls and spaces, drop tabs and newlines.
    squeezed = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE)).lower()
    if SCHEME.match(squeezed) and not squeezed.startswith(SAFE_SCHEMES):
        return f"unsafe URL {value!r}"
    return None


def _element_problems(root, *, page_template_allows=()):
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        name = _local_name(element.tag)
        if name in FORBIDDEN_ELEMENTS and name not in page_template_allows:
            problems.append(f"<{name}>")
        if name == "meta" and "http-equiv" in element.attrib:
            problems.append("<meta http-equiv>")
        href = element.get("href", "")
        if name == "link" and not (href.startswith("/") and not href.startswith("//")):
            problems.append(f"<link href={element.get('href')!r}>")
        for attribute, value in element.attrib.items():
            attribute = _local_name(attribute)
            if attribute.startswith("on"):
                problems.append(f"event handler {attribute}")
            if attribute == "style":
                problems.append("style attribute")
            if attribute in URL_ATTRIBUTES and (problem := _url_problem(value)):
                problems.append(problem)
        for text in (element.text, element.tail, *element.attrib.values()):
            if text and UNSAFE_CHARACTERS.search(text):
                problems.append(f"unsafe character in {text!r}")
    return problems


def html_problems(markup, *, document=False):
    """What could run, restyle or mislead in HTML, parsed as a browser parses it."""
    if document:
        root = html5lib.parse(markup, namespaceHTMLElements=False)
        # The page's own title, body and buttons (language, follow) are the template's; an
        # event handler or script URL on them would still be caught.
        allowed = {"title", "body", "button", "input"}
    else:
        root = html5lib.parseFragment(markup, namespaceHTMLElements=False)
        allowed = ()
    return _element_problems(root, page_template_allows=allowed)


def text_problems(text):
    """Plain text: nothing an HTML-reading client would take for markup, no unsafe characters."""
    problems = []
    root = html5lib.parseFragment(text, namespaceHTMLElements=False)
    for element in root:
        problems.append(f"markup <{_local_name(element.tag)}> in plain text")
    if UNSAFE_CHARACTERS.search(text):
        problems.append(f"unsafe character in {text!r}")
    return problems


def csv_cell_problems(cell):
    problems = []
    if cell.startswith(FORMULA_START):
        problems.append(f"formula {cell!r}")
    if UNSAFE_CHARACTERS.search(cell.replace("\n", "").replace("\r", "")):
        problems.append(f"unsafe character in {cell!r}")
    return problems
