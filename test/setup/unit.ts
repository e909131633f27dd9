// Dexie captures `indexedDB` when it is first imported, so the in-memory IndexedDB must be
// installed before any test module imports the data layer.
import 'fake-indexeddb/auto';
