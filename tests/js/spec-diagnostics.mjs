// The AsyncAPI parser's diagnostics on one document, as JSON lines: {severity, code, message, path, line}.
// tests/test_spec_lint.py runs it on asyncapi.yaml; severities are the parser's (0 error ... 3 hint).
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const file = process.argv[2];
const { diagnostics } = await new Parser().parse(await readFile(file, "utf8"), { source: file });
for (const d of diagnostics) {
  const line = d.range ? d.range.start.line + 1 : 0;
  console.log(JSON.stringify({ severity: d.severity, code: String(d.code), message: d.message, path: d.path.join("."), line }));
}
