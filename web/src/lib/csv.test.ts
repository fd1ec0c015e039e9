import { describe, expect, it } from 'vitest'
import { csvField, csvFileName, minorToDecimal, ratioCell, toCSV } from './csv'

describe('csvField', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-3.5, '-3.5'],
    [Number.NaN, ''],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1 555', "'+1 555"],
    ['@sum', "'@sum"],
    ['-12.50', '-12.50'],
    [true, 'true'],
  ])('%j → %s', (v, want) => {
    expect(csvField(v)).toBe(want)
  })
})

describe('toCSV', () => {
  it('writes a header and CRLF lines', () => {
    const rows = [
      { name: 'Ana, Lee', won: 1234505 },
      { name: 'Ben', won: 0 },
    ]
    const text = toCSV(
      [
        { header: 'Rep', value: (r) => r.name },
        { header: 'Won (USD)', value: (r) => minorToDecimal(r.won, 'USD') },
      ],
      rows,
    )
    expect(text).toBe('Rep,Won (USD)\r\n"Ana, Lee",12345.05\r\nBen,0.00\r\n')
  })
  it('writes only the header for no rows', () => {
    expect(toCSV([{ header: 'A', value: () => 1 }], [])).toBe('A\r\n')
  })
})

describe('minorToDecimal', () => {
  it.each([
    [1234505, 'USD', '12345.05'],
    [5, 'USD', '0.05'],
    [-250, 'EUR', '-2.50'],
    [700, 'JPY', '700'],
    [1234, 'BHD', '1.234'],
    [null, 'USD', ''],
    [9007199254740991, 'USD', '90071992547409.91'],
  ])('%s %s → %s', (minor, cur, want) => {
    expect(minorToDecimal(minor, cur)).toBe(want)
  })
})

describe('ratioCell and csvFileName', () => {
  it('rounds ratios to four places', () => {
    expect(ratioCell(0.410303413)).toBe('0.4103')
    expect(ratioCell(null)).toBe('')
  })
  it('makes a safe file name', () => {
    expect(csvFileName('Team', 'EMEA', '2026-Q4')).toBe('team-emea-2026-q4.csv')
    expect(csvFileName('***')).toBe('export.csv')
  })
})
