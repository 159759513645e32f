// Placeholder: the resident pages are built in their own change.
import { Layout } from '../../app/Layout.js';

export function MyAppealsPage() {
  return <Layout><h1>MyAppealsPage</h1></Layout>;
}
