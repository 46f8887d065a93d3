// Compile D2 files with D2 itself (the @terrastruct/d2 WebAssembly build) and report
// each file's errors as one JSON line: {"file": ..., "ok": bool, "errors": [...], "shapes": n}.
// Usage: node d2_compile.mjs NODE_MODULES_DIR FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modulesDir, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modulesDir), "noop.js"));
const entry = require.resolve("@terrastruct/d2").replace("node-cjs", "node-esm");
const { D2 } = await import(pathToFileURL(entry).href);
const d2 = new D2();
let failed = 0;
for (const file of files) {
  const source = readFileSync(file, "utf8");
  try {
    const result = await d2.compile(source, { layout: "dagre" });
    const shapes = result.diagram.shapes.map((s) => ({ id: s.id, label: s.label, type: s.type }));
    const connections = result.diagram.connections.map((c) => ({
      src: c.src, dst: c.dst, label: c.label, dash: c.strokeDash,
    }));
    console.log(JSON.stringify({ file, ok: true, shapes, connections }));
  } catch (error) {
    failed += 1;
    let errors = [String(error?.message ?? error)];
    try {
      errors = JSON.parse(errors[0]).map((e) => e.errmsg ?? JSON.stringify(e));
    } catch {
      // not D2's list of located errors: keep the message as it is
    }
    console.log(JSON.stringify({ file, ok: false, errors }));
  }
}
process.exit(failed ? 1 : 0);
