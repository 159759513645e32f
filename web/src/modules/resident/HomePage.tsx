// Placeholder: the resident pages are built in their own change.
import { Layout } from '../../app/Layout.js';

export function HomePage() {
  return <Layout><h1>HomePage</h1></Layout>;
}
