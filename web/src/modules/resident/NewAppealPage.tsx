// Placeholder: the resident pages are built in their own change.
import { Layout } from '../../app/Layout.js';

export function NewAppealPage() {
  return <Layout><h1>NewAppealPage</h1></Layout>;
}
