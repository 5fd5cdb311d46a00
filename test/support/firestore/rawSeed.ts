/**
 * Writes a document straight into the emulator's state with exact Firestore value types, for data that
 * firebase-admin cannot produce but other SDKs do (an integral double such as 2.0: JavaScript numbers that
 * are safe integers always go out as integers).
 */
import type { FirestoreState } from '@firestore-emulator/server';
import type { Value } from '@firestore-emulator/proto/dist/google/firestore/v1/document';
import { Write } from '@firestore-emulator/proto/dist/google/firestore/v1/write';

export function writeRawDocument(state: FirestoreState, projectId: string, documentPath: string, fields: Record<string, ReturnType<Value['toObject']>>): void {
  const name = `projects/${projectId}/databases/(default)/documents/${documentPath}`;
  state.writeV1Document(new Date(), Write.fromObject({ update: { name, fields } }));
}
