/**
 * DocumentMask for ListDocuments: Firestore returns only the fields a mask names, nested paths (`a.b`) keep
 * just that part of a map, and an empty mask (what firebase-admin's listDocuments() sends) returns no fields
 * at all. Field paths use Firestore's grammar: dot-separated segments, backquoted when not a plain identifier.
 */
import type { Value } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { invalidArgument } from './grpc';

type ValueObject = ReturnType<Value['toObject']>;
type Fields = Record<string, ValueObject>;

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z_0-9]*$/;

/** Splits one field path into its segments, undoing backquotes and their escapes. */
export function parseFieldPath(path: string): string[] {
  const segments: string[] = [];
  let i = 0;
  while (i <= path.length) {
    let segment = '';
    if (path[i] === '`') {
      i++;
      while (i < path.length && path[i] !== '`') {
        if (path[i] === '\\') i++;
        if (i >= path.length) break;
        segment += path[i];
        i++;
      }
      if (path[i] !== '`' || segment === '') throw invalidArgument(`invalid field path ${JSON.stringify(path)}`);
      i++;
    } else {
      const dot = path.indexOf('.', i);
      const end = dot < 0 ? path.length : dot;
      segment = path.slice(i, end);
      if (!PLAIN_SEGMENT.test(segment)) throw invalidArgument(`invalid field path ${JSON.stringify(path)}: quote segment ${JSON.stringify(segment)} with backquotes`);
      i = end;
    }
    segments.push(segment);
    if (i === path.length) return segments;
    if (path[i] !== '.') throw invalidArgument(`invalid field path ${JSON.stringify(path)}`);
    i++;
  }
  throw invalidArgument(`invalid field path ${JSON.stringify(path)}`);
}

/** A tree of the masked paths; `true` marks a whole field (a shorter path wins over a longer one under it). */
type MaskTree = Map<string, MaskTree | true>;

function buildTree(paths: string[][]): MaskTree {
  const root: MaskTree = new Map();
  for (const segments of paths) {
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      const key = segments[i]!;
      const existing = node.get(key);
      if (existing === true) break;
      if (i === segments.length - 1) {
        node.set(key, true);
        break;
      }
      const child: MaskTree = existing ?? new Map();
      node.set(key, child);
      node = child;
    }
  }
  return root;
}

function project(fields: Fields, tree: MaskTree): Fields {
  const kept: Fields = {};
  for (const [key, sub] of tree) {
    const value = fields[key];
    if (value === undefined) continue;
    if (sub === true) {
      kept[key] = value;
      continue;
    }
    const nested = value.map_value?.fields;
    if (!nested) continue;
    const inner = project(nested, sub);
    if (Object.keys(inner).length > 0) kept[key] = { map_value: { fields: inner } };
  }
  return kept;
}

/** The fields a mask of `fieldPaths` lets through. */
export function applyMask(fields: Fields, fieldPaths: string[]): Fields {
  return project(fields, buildTree(fieldPaths.map(parseFieldPath)));
}
