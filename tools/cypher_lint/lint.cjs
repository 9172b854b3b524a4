// Reads {"schema": DbSchema, "statements": [{"name","text","params"}]} on stdin;
// prints one JSON line per statement with its diagnostics (severity 1 = error, 2 = warning).
const ls = require('@neo4j-cypher/language-support');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { schema, statements } = JSON.parse(input);
  for (const st of statements) {
    const params = {};
    for (const p of st.params || []) params[p] = null;
    const result = ls.lintCypherQuery(st.text, { ...schema, parameters: params });
    const diags = (result.diagnostics || result || []).map((d) => ({ severity: d.severity, message: d.message }));
    process.stdout.write(JSON.stringify({ name: st.name, diagnostics: diags }) + '\n');
  }
});
