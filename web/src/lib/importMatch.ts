/**
 * The keys an import may match existing records by, per kind
 * (attain.ImportMatchKeys), with the words the wizard shows for each.
 */
export const importMatchKeys: Record<string, { value: string; label: string }[]> = {
  accounts: [
    { value: 'domain', label: 'website domain' },
    { value: 'name', label: 'name' },
    { value: 'external_id', label: 'external id' },
  ],
  contacts: [
    { value: 'email', label: 'email' },
    { value: 'external_id', label: 'external id' },
  ],
  leads: [
    { value: 'email', label: 'email' },
    { value: 'external_id', label: 'external id' },
  ],
  deals: [{ value: 'external_id', label: 'external id' }],
  products: [
    { value: 'sku', label: 'SKU' },
    { value: 'name', label: 'name' },
    { value: 'external_id', label: 'external id' },
  ],
  activities: [{ value: 'external_id', label: 'external id' }],
}

/** What updating records of a kind by a key does beyond copying the columns, if anything. */
export function importMatchHint(kind: string, matchBy: string): string | undefined {
  if (!matchBy) {
    return undefined
  }
  if (kind === 'deals') {
    return 'A different stage moves the deal: the exit criteria of the stages it leaves apply, won and lost need a reason, and the move is kept in its stage history.'
  }
  return 'Only the columns in the file change; every change is kept in the record’s history.'
}
