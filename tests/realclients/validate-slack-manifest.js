// Offline Slack app manifest validation against Slack's own JSON schema (slackapi/manifest-schema, draft-07) with ajv.
// Usage: node validate-slack-manifest.js <schema.json> <manifest.json>   Prints OK or FAIL (n) and the errors; exit 1 on any.
const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const [schemaFile, manifestFile] = process.argv.slice(2);
const read = f => JSON.parse(fs.readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
// strict: false because Slack's schema carries a non-standard "regex" keyword (on background_color) that ajv would refuse;
// it is ignored, exactly as every draft-07 validator ignores it.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(read(schemaFile));
if (validate(read(manifestFile))) { console.log(`OK: ${manifestFile}`); }
else {
  console.log(`FAIL (${validate.errors.length})`);
  validate.errors.forEach(e => console.log(`  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`));
  process.exitCode = 1;
}
