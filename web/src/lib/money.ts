// Money arrives from the API as integer minor units plus an ISO currency,
// and goes back the same way; the app never does arithmetic on floats of it.

const digitsCache = new Map<string, number>()

/** How many minor-unit digits a currency has: 2 for USD, 0 for JPY, 3 for BHD. */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency)
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    } catch {
      d = 2
    }
    digitsCache.set(currency, d)
  }
  return d
}

/** An amount in minor units as the viewer reads it: 1234500 USD → "$12,345". Cents show only when present. */
export function formatMoney(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) {
    return ''
  }
  const digits = currencyDigits(currency)
  const major = minor / 10 ** digits
  const whole = minor % 10 ** digits === 0
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: whole ? 0 : digits,
      maximumFractionDigits: digits,
    }).format(major)
  } catch {
    return `${major} ${currency}`
  }
}

/**
 * Parses an amount typed in major units ("12,345.50", "12345") into minor
 * units without floating point; null when it is not a number.
 */
export function parseMoney(text: string, currency: string): number | null {
  const s = text.replace(/[\s,_]/g, '')
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s)
  if (!m) {
    return null
  }
  const digits = currencyDigits(currency)
  const frac = (m[2] ?? '').padEnd(digits, '0')
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) {
    return null
  }
  const n = Number(m[1] + frac.slice(0, digits))
  return Number.isSafeInteger(n) ? n : null
}
