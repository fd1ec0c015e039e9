// CSV export of the tables the app shows, built in the browser from the
// data already on screen (RFC 4180: CRLF line ends, fields quoted when
// they hold a comma, quote or line break).
import { currencyDigits } from './money'

/** A cell value: numbers are written as they are, null as an empty field. */
export type CSVValue = string | number | boolean | null | undefined

/** One column of an export: its header and how to read a row's cell. */
export interface CSVColumn<T> {
  header: string
  value: (row: T) => CSVValue
}

/** The CSV text of rows under columns, with a header line. */
export function toCSV<T>(columns: CSVColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => csvField(c.header))]
  for (const row of rows) {
    lines.push(columns.map((c) => csvField(c.value(row))))
  }
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n'
}

/**
 * csvField quotes one value. Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) gets a leading
 * apostrophe, so a deal named "=HYPERLINK(...)" stays text; numbers never do.
 */
export function csvField(v: CSVValue): string {
  if (v === null || v === undefined) {
    return ''
  }
  if (typeof v === 'number') {
    return Number.isFinite(v) ? String(v) : ''
  }
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) {
    s = "'" + s
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * An amount in minor units as a plain decimal in major units for a
 * spreadsheet, without floating point: 1234505 USD → "12345.05", 700 JPY → "700".
 */
export function minorToDecimal(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) {
    return ''
  }
  const digits = currencyDigits(currency)
  const neg = minor < 0
  const s = String(Math.abs(minor)).padStart(digits + 1, '0')
  const whole = s.slice(0, s.length - digits)
  const frac = s.slice(s.length - digits)
  return (neg ? '-' : '') + whole + (digits > 0 ? '.' + frac : '')
}

/** A ratio as a decimal for a spreadsheet (0.4103), empty when there is none. */
export function ratioCell(r: number | null | undefined): string {
  return r === null || r === undefined ? '' : String(Math.round(r * 10000) / 10000)
}

/** A file name for an export: "Team EMEA 2026-Q4" → "team-emea-2026-q4.csv". */
export function csvFileName(...parts: string[]): string {
  const base = parts
    .join(' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return (base || 'export') + '.csv'
}

/** Has the browser save text as a CSV file. */
export function downloadCSV(fileName: string, text: string) {
  // A byte order mark makes spreadsheet apps read the file as UTF-8.
  const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
