/**
 * The draft's photos, kept in IndexedDB so they survive a closed tab like the rest of the draft. Where IndexedDB
 * is missing or refused (some private modes), every call answers "not available" and photos stay in memory only.
 */
const DB_NAME = 'shaar-drafts';
const STORE = 'photos';

export interface StoredPhoto { blob: Blob; name: string }

let opening: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') { resolve(null); return; }
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => { req.result.createObjectStore(STORE); };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  return open().then((db) => new Promise<T | undefined>((resolve, reject) => {
    if (!db) { reject(new Error('no indexeddb')); return; }
    const tx = db.transaction(STORE, mode);
    const req = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req ? req.result : undefined);
    tx.onerror = () => reject(tx.error ?? new Error('indexeddb'));
    tx.onabort = () => reject(tx.error ?? new Error('indexeddb'));
  }));
}

export async function photoStoreAvailable(): Promise<boolean> {
  return (await open()) !== null;
}

export async function putPhoto(id: string, photo: StoredPhoto): Promise<boolean> {
  try { await run('readwrite', (s) => s.put(photo, id)); return true; } catch { return false; }
}

export async function getPhoto(id: string): Promise<StoredPhoto | null> {
  try {
    const v = await run<StoredPhoto>('readonly', (s) => s.get(id) as IDBRequest<StoredPhoto>);
    return v && v.blob instanceof Blob ? v : null;
  } catch { return null; }
}

export async function deletePhotos(ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  try { await run('readwrite', (s) => { for (const id of ids) s.delete(id); }); } catch { /* nothing stored */ }
}
