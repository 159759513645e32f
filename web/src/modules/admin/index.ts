// Placeholder: the admin pages are built in their own change.
export const AdminPage = () => null;
