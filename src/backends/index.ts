import type { BackendModule } from '../core/backend';
import { firestoreBackend } from './firestore';
import { httpBackend } from './http';
import { mongodbBackend } from './mongodb';
import { mysqlBackend } from './mysql';
import { postgresBackend } from './postgres';
import { supabaseBackend } from './supabase';

/**
 * Every backend Plugboard ships, in the order the Add Connection picker offers them. Adding a backend is one
 * folder (`src/backends/<kind>/`), its templates, and one line here — see docs/adding-a-backend.md.
 */
export const BACKENDS: readonly BackendModule<object>[] = [
  postgresBackend,
  mysqlBackend,
  supabaseBackend,
  mongodbBackend,
  firestoreBackend,
  httpBackend,
];
