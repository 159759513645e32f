/** Plot statuses and their map colours (the colour is never alone: the legend and every list say the status in words). */
export const PLOT_STATUSES = ['available', 'proposed_for_lease', 'under_discussion', 'decided', 'leased_temporarily', 'reserved_public'] as const;
export const USE_KINDS = ['playground', 'recreation', 'sidewalk', 'sports_ground', 'green_area', 'parking', 'other'] as const;
export const PROPOSAL_STATUSES = ['open', 'on_agenda', 'decided', 'withdrawn'] as const;

export const STATUS_COLOURS: Record<string, string> = {
  available: '#2e7d32',
  proposed_for_lease: '#f9a825',
  under_discussion: '#ef6c00',
  decided: '#5e35b1',
  leased_temporarily: '#1565c0',
  reserved_public: '#00838f',
};
