package attain

import (
	"math/big"
	"regexp"
)

// Money is always an int64 count of the currency's minor units (cents for
// USD, yen for JPY) beside an ISO 4217 currency code; never a float.

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// ValidCurrency reports whether c looks like an ISO 4217 code ("EUR").
func ValidCurrency(c string) bool { return currencyRE.MatchString(c) }

// BasisPoints in one whole: a discount of 1250 basis points is 12.5%.
const BasisPoints = 10000

// MaxAmount bounds every amount, price and line total, in minor units: 10^15
// (ten trillion dollars in cents) is ample for any deal, and far enough below
// the int64 limit that the sum of MaxDealLines lines cannot overflow.
const MaxAmount int64 = 1_000_000_000_000_000

// MaxDealLines bounds the line items of one deal.
const MaxDealLines = 1000

// LineAmount returns what a line of quantity × unitPrice, less a discount in
// basis points, comes to, in minor units. The product is computed exactly
// and rounded once to the nearest minor unit, halves away from zero, so
// 3 × 3.33 at 10% off is 8.99 (8.991). ok is false when the result is
// outside ±MaxAmount.
func LineAmount(quantity, unitPrice, discountBP int64) (amount int64, ok bool) {
	x := new(big.Int).Mul(big.NewInt(quantity), big.NewInt(unitPrice))
	x.Mul(x, big.NewInt(BasisPoints-discountBP))
	return divRound(x, BasisPoints)
}

// LineCost returns quantity × unitCost; ok is false outside ±MaxAmount.
func LineCost(quantity, unitCost int64) (cost int64, ok bool) {
	x := new(big.Int).Mul(big.NewInt(quantity), big.NewInt(unitCost))
	return fits(x)
}

// divRound divides x by d (positive), rounding halves away from zero.
func divRound(x *big.Int, d int64) (int64, bool) {
	bd := big.NewInt(d)
	q, r := new(big.Int).QuoRem(x, bd, new(big.Int))
	r.Abs(r).Mul(r, big.NewInt(2))
	if r.Cmp(bd) >= 0 {
		if x.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return fits(q)
}

func fits(x *big.Int) (int64, bool) {
	if !x.IsInt64() {
		return 0, false
	}
	v := x.Int64()
	if v > MaxAmount || v < -MaxAmount {
		return 0, false
	}
	return v, true
}
