// Reading a Dockerfile and a .dockerignore as text, for the tests that check the images without a Docker engine.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// ---------------------------------------------------------------------------------------------------------
// Dockerfile parsing: enough of the grammar for the checks below (continuations, comments, stages).

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    // A trailing backslash continues the instruction; comment lines inside a continuation are dropped.
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = line.slice(0, -1);
      i++;
      const next = lines[i]!.trim();
      if (!next.startsWith('#')) line += ` ${next}`;
    }
    const match = /^(\S+)\s*(.*)$/s.exec(line)!;
    out.push({
      keyword: match[1]!.toUpperCase(),
      args: match[2]!.replace(/\s+/g, ' ').trim(),
      line: start + 1,
    });
  }
  return out;
}

export function stages(instructions: Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(' ').filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      result.push({ image: words[0]!, name: as >= 0 ? words[as + 1] : undefined, instructions: [] });
    } else if (result.length > 0) {
      result.at(-1)!.instructions.push(ins);
    }
  }
  return result;
}

/** The image a stage finally starts from, following `FROM <earlier stage>`. */
export function baseImage(all: Stage[], stage: Stage): string {
  const parent = all.find((s) => s.name !== undefined && s.name === stage.image);
  return parent ? baseImage(all, parent) : stage.image;
}

/** Exec-form arguments (`["a", "b"]`) of an instruction; undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  return JSON.parse(args) as string[];
}

/** The flags (`--from=x`) and the words of a COPY or ADD. */
export function copyParts(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.split(' ');
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [key, value = ''] = words.shift()!.slice(2).split('=');
    flags[key!] = value;
  }
  const dest = words.pop()!;
  return { flags, sources: words, dest };
}

// ---------------------------------------------------------------------------------------------------------
// .dockerignore with Docker's rules (github.com/moby/patternmatcher): patterns are cleaned and relative to
// the context root, `*` and `?` stop at `/`, `**` crosses folders, a pattern matching a parent folder
// matches everything below it, `!` re-includes, and the last matching pattern decides.

export interface IgnorePattern {
  exclusion: boolean;
  text: string;
  regex: RegExp;
}

export function compilePattern(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') i++;
      re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]!}`;
    else re += /[.+()|{}^$[\]]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`${re}$`);
}

export function readDockerignore(text: string): IgnorePattern[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const exclusion = l.startsWith('!');
      const cleaned = (exclusion ? l.slice(1).trim() : l)
        .replace(/\/+/g, '/')
        .replace(/^\/|\/$/g, '')
        .replace(/^\.\//, '');
      return { exclusion, text: cleaned, regex: compilePattern(cleaned) };
    });
}

/** Whether a context-relative file path is left out of the build context. */
export function ignored(patterns: IgnorePattern[], path: string): boolean {
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let result = false;
  for (const p of patterns) {
    if (candidates.some((c) => p.regex.test(c))) result = !p.exclusion;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Calls visit with every file under dir (absolute path); skip(relDir) prunes folders, relDir being relative
 * to base.
 */
export function walk(
  base: string,
  dir: string,
  visit: (path: string) => void,
  skip: (relDir: string) => boolean = () => false,
): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(relative(base, full))) walk(base, full, visit, skip);
    } else if (entry.isFile()) visit(full);
  }
}

/** The files (relative paths) Docker sends as the build context of the folder base. */
export function contextFiles(base: string, patterns: IgnorePattern[]): string[] {
  // Folders left out are not descended into, unless a `!` pattern reopens something below them.
  const reopened = patterns.filter((p) => p.exclusion).map((p) => p.text);
  const sent: string[] = [];
  walk(
    base,
    base,
    (path) => {
      const rel = relative(base, path);
      if (!ignored(patterns, rel)) sent.push(rel);
    },
    (relDir) =>
      ignored(patterns, relDir) && !reopened.some((r) => r === relDir || r.startsWith(`${relDir}/`)),
  );
  return sent.sort();
}
