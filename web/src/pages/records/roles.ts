/** Buying roles as people read them. */
const names: Record<string, string> = {
  decision_maker: 'Decision maker',
  economic_buyer: 'Economic buyer',
  champion: 'Champion',
  influencer: 'Influencer',
  user: 'User',
  blocker: 'Blocker',
  other: 'Other',
}

/** roleLabel names a buying role: decision_maker → "Decision maker". */
export function roleLabel(role: string): string {
  return names[role] ?? role.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())
}
