// Placeholder: the resident pages are built in their own change.
import { Layout } from '../../app/Layout.js';

export function SignInPage() {
  return <Layout><h1>SignInPage</h1></Layout>;
}
