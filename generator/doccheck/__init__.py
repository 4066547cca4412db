"""Every example and every number in the docs, checked against the data they describe.

Code blocks of the rendered pages are parsed the way their reader's tools would parse them: cURL
commands as bash does (quoting, line continuations, variable expansion), Python by the compiler,
JavaScript by Node. The requests they make are checked against openapi.yaml and the catalog by
`examples.request_findings`. Numbers typed in prose are compared with the data that knows them.
Findings in guides point at the Jinja template line that holds the text.

One module per job, in the order a block flows through them: `blocks` (the code blocks of a page),
`shell` and `curl` (shell examples), `python`, `javascript`, `request` (a request against the spec and
the catalog), `sdk` (the installed SDKs' signatures), `prose` (typed numbers), `locate` (template
lines), `verdicts` (what was found clean before), and `check` (the whole run).
"""

from generator.doccheck.blocks import Block, Finding, code_blocks
from generator.doccheck.check import DocChecker, check_docs
from generator.doccheck.sdk import SDKS
from generator.doccheck.shell import join_continuations, unquote

__all__ = ["SDKS", "Block", "DocChecker", "Finding", "check_docs", "code_blocks", "join_continuations", "unquote"]
