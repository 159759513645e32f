// Placeholder: the staff pages are built in their own change.
import type { ReactNode } from 'react';
export const StaffSignInPage = () => null;
export const StaffLayout = ({ children }: { children: ReactNode }) => children;
export const InboxPage = () => null;
export const StaffAppealPage = () => null;
export const ReceptionPage = () => null;
