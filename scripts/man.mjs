// Man pages (man/man1/<tool>.1) from the manuals in docs/, which are written as man pages: one source for
// both. The roff comes from marked-man (marked's renderer for ronn-style markdown); this script only adapts
// our first line to ronn's `name(1) -- description` and fixes two entities marked-man leaves escaped.
// Every command in package.json's `bin` with a docs/<name>.md gets a page.
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

let Marked, markedMan;
try {
  ({ Marked } = await import('marked'));
  markedMan = (await import('marked-man')).default;
} catch {
  console.warn('man: marked-man is not installed; no man pages built');
  process.exit(0);
}

/** The roff of one manual. */
export function manPage(markdown) {
  // `# inotifywait(1) — wait for …`: ronn's header wants `--` (marked-man reads name, section and summary
  // from it, and writes NAME from them, so a NAME section of our own would come twice).
  let source = markdown
    .replace(/^(# [\w.-]+\(\d\w*\)) +— +/, '$1 -- ')
    .replace(/^## NAME\n[^]*?(?=^## )/m, '')
    // Section headings in capitals, as man pages have them.
    .replace(/^## (.*)$/gm, (_, title) => `## ${title.toUpperCase()}`);
  // What some manuals show before their first section (a few example command lines) gets a heading:
  // under the H1 it would land in NAME.
  source = source.replace(/^(# .*\n)(?!\s*## )(\s*[^]*?)(?=^## )/m, '$1\n## AT A GLANCE\n$2');
  const marked = new Marked();
  // No `breaks`: our paragraphs are wrapped text, not lines to keep.
  marked.use({ ...markedMan, breaks: false, manVersion: pkg.version, manual: 'inotifykit' });
  return marked
    .parse(source)
    // marked escapes ' and " in code spans as HTML entities; marked-man decodes only &lt; &gt; &amp;.
    .replace(/&#39;/g, '\\(aq')
    .replace(/&quot;/g, '\\(dq');
}

const out = `${root}man/man1`;
rmSync(`${root}man`, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const tool of Object.keys(pkg.bin ?? {})) {
  const doc = `${root}docs/${tool}.md`;
  if (!existsSync(doc)) {
    console.warn(`man: no docs/${tool}.md; ${tool} has no man page`);
    continue;
  }
  writeFileSync(`${out}/${tool}.1`, manPage(readFileSync(doc, 'utf8')));
}
