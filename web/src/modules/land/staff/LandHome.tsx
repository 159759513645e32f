/** /staff/:city/land — goes to the first land page this staff member's roles reach. */
import { Navigate } from 'react-router-dom';
import { can, NotAllowed, useCity, useRoles } from './shared.js';

export function LandHome() {
  const city = useCity();
  const roles = useRoles();
  if (can(roles, 'plots')) return <Navigate to={`/staff/${city}/land/plots`} replace />;
  if (can(roles, 'moderation')) return <Navigate to={`/staff/${city}/land/moderation`} replace />;
  return <NotAllowed />;
}
