/**
 * The import graph of a source tree: every relative `import`, `import type`, `export … from`, side-effect and
 * literal dynamic import of every `.ts` file, resolved to a repository-relative path. Parsed with the
 * TypeScript pre-processor, so imports inside comments and strings are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import statement: who imports what, and where. */
export interface ImportEdge {
  /** Importing file, relative to the repository root, `/`-separated. */
  from: string;
  /** Imported file, resolved the same way. */
  to: string;
  /** The specifier as written. */
  specifier: string;
  /** 1-based line of the specifier. */
  line: number;
}

/** Relative imports of one file's `source`, resolved against its repository-relative path `file`. */
export function importsOf(file: string, source: string): ImportEdge[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .filter((f) => f.fileName.startsWith('.'))
    .map((f) => ({
      from: file,
      to: posix.normalize(posix.join(posix.dirname(file), f.fileName)),
      specifier: f.fileName,
      line: source.slice(0, f.pos).split('\n').length,
    }));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The import graph of every `.ts` file under `root/dir`, paths relative to `root`. */
export function importGraph(root: string, dir: string): ImportEdge[] {
  return tsFiles(join(root, dir)).flatMap((path) => {
    const file = relative(root, path).split(sep).join('/');
    return importsOf(file, readFileSync(path, 'utf8'));
  });
}

/** Repository root, from this file's location. */
export const REPO_ROOT = dirname(dirname(dirname(new URL(import.meta.url).pathname)));
