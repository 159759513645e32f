// Placeholder: the resident pages are built in their own change.
import { Layout } from '../../app/Layout.js';

export function MyAppealPage() {
  return <Layout><h1>MyAppealPage</h1></Layout>;
}
