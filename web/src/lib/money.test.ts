import { describe, expect, it } from 'vitest'
import { currencyDigits, formatMoney, parseMoney } from './money'

describe('money', () => {
  it('knows the minor units of each currency', () => {
    expect(currencyDigits('USD')).toBe(2)
    expect(currencyDigits('JPY')).toBe(0)
  })
  it('formats minor units, cents only when there are some', () => {
    expect(formatMoney(1234500, 'USD')).toMatch(/12,345(?![.,]\d)/)
    expect(formatMoney(1234550, 'USD')).toMatch(/12,345\.50/)
    expect(formatMoney(null, 'USD')).toBe('')
  })
  it('parses typed amounts into minor units without floats', () => {
    expect(parseMoney('12,345.5', 'USD')).toBe(1234550)
    expect(parseMoney('10,000', 'USD')).toBe(1000000)
    expect(parseMoney('0.10', 'USD')).toBe(10)
    expect(parseMoney('500', 'JPY')).toBe(500)
    expect(parseMoney('1.005', 'USD')).toBeNull()
    expect(parseMoney('abc', 'USD')).toBeNull()
    expect(parseMoney('', 'USD')).toBeNull()
  })
})
