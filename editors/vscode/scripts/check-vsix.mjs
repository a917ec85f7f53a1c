// Checks that a packaged .vsix holds what VS Code needs to run the extension: the manifest with the
// `wit` language and an activation on `.wit` files, the grammar, the language configuration and
// the bundled client. Usage: node scripts/check-vsix.mjs <file.vsix>. Exits non-zero on a problem.

import process from "node:process";
import yauzl from "yauzl";

const vsixPath = process.argv[2];
if (!vsixPath) {
  console.error("usage: node scripts/check-vsix.mjs <file.vsix>");
  process.exit(2);
}

/** Reads every entry of the zip at `file` into a Map from entry name to its bytes. */
function readZip(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) {
        reject(openError);
        return;
      }
      const entries = new Map();
      zip.on("error", reject);
      zip.on("end", () => resolve(entries));
      zip.on("entry", (entry) => {
        if (entry.fileName.endsWith("/")) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) {
            reject(streamError);
            return;
          }
          const chunks = [];
          stream.on("data", (chunk) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const problems = [];
function expect(condition, message) {
  if (!condition) {
    problems.push(message);
  }
}

function parseJson(entries, name) {
  const bytes = entries.get(name);
  expect(bytes !== undefined, `missing ${name}`);
  if (bytes === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    problems.push(`${name} is not valid JSON: ${error.message}`);
    return undefined;
  }
}

let entries;
try {
  entries = await readZip(vsixPath);
} catch (error) {
  console.error(`check-vsix: cannot read ${vsixPath}: ${error.message}`);
  process.exit(1);
}

for (const [name, bytes] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${String(bytes.length).padStart(9)}  ${name}`);
}

const manifest = parseJson(entries, "extension/package.json");
if (manifest !== undefined) {
  const contributes = manifest.contributes ?? {};
  const wit = (contributes.languages ?? []).find((language) => language.id === "wit");
  expect(wit !== undefined, "package.json contributes no `wit` language");
  expect(wit?.extensions?.includes(".wit"), "the `wit` language does not claim the `.wit` extension");
  const activatesOnWit = (manifest.activationEvents ?? []).includes("onLanguage:wit") || wit !== undefined;
  expect(activatesOnWit, "the extension does not activate on `wit` files");

  const grammar = (contributes.grammars ?? []).find((entry) => entry.language === "wit");
  expect(grammar !== undefined, "package.json contributes no grammar for `wit`");
  if (grammar !== undefined) {
    const grammarFile = `extension/${grammar.path.replace(/^\.\//, "")}`;
    const grammarJson = parseJson(entries, grammarFile);
    expect(grammarJson?.scopeName === grammar.scopeName, `${grammarFile} does not declare scope ${grammar.scopeName}`);
  }

  if (wit?.configuration !== undefined) {
    const configFile = `extension/${wit.configuration.replace(/^\.\//, "")}`;
    const config = parseJson(entries, configFile);
    expect(config?.comments?.lineComment === "//", `${configFile} does not declare \`//\` line comments`);
  } else {
    problems.push("the `wit` language has no language configuration");
  }

  const main = `extension/${String(manifest.main ?? "").replace(/^\.\//, "")}`;
  expect(main === "extension/dist/extension.js", `package.json main is ${manifest.main}, expected ./dist/extension.js`);
  const client = entries.get(main);
  expect(client !== undefined && client.length > 0, `missing bundled client ${main}`);
  expect(client?.toString("utf8").includes("canopy.restartServer"), `${main} does not register canopy.restartServer`);
}

if (problems.length > 0) {
  console.error(`\ncheck-vsix: ${vsixPath} has ${problems.length} problem(s):`);
  for (const problem of problems) {
    console.error(`  - ${problem}`);
  }
  process.exit(1);
}
console.log(`\ncheck-vsix: ${vsixPath} is complete (${entries.size} files).`);
