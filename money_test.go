package attain_test

import (
	"testing"

	"github.com/attain-crm/attain"
)

func TestLineAmount(t *testing.T) {
	cases := []struct {
		qty, price, bp int64
		want           int64
		ok             bool
	}{
		{1, 1000, 0, 1000, true},
		{3, 333, 1000, 899, true}, // 899.1 rounds down
		{1, 5, 5000, 3, true},     // 2.5 rounds half away from zero
		{1, 15, 5000, 8, true},    // 7.5 → 8
		{7, 1, 3333, 5, true},     // 4.6669 → 5
		{2, 1000, 10000, 0, true}, // free
		{1, attain.MaxAmount, 0, attain.MaxAmount, true},
		{2, attain.MaxAmount, 0, 0, false}, // over the cap
		{1 << 40, 1 << 40, 0, 0, false},    // would overflow int64; computed exactly
		{1_000_000_000, 1_000_000, 1, 999_900_000_000_000, true},
	}
	for _, c := range cases {
		got, ok := attain.LineAmount(c.qty, c.price, c.bp)
		if got != c.want || ok != c.ok {
			t.Errorf("LineAmount(%d, %d, %d) = %d, %v; want %d, %v", c.qty, c.price, c.bp, got, ok, c.want, c.ok)
		}
	}
}

func TestTotals(t *testing.T) {
	lines := []*attain.DealLine{
		{Quantity: 3, UnitPrice: 333, DiscountBP: 1000, UnitCost: 100},
		{Quantity: 2, UnitPrice: 1000},
	}
	amount, margin, err := attain.Totals(lines)
	if err != nil || amount != 2899 || margin != 2599 || lines[0].Amount != 899 || lines[1].Amount != 2000 {
		t.Errorf("Totals = %d, %d, %v; lines %d %d", amount, margin, err, lines[0].Amount, lines[1].Amount)
	}
	// Cost above price gives a negative margin, not an error.
	_, margin, err = attain.Totals([]*attain.DealLine{{Quantity: 1, UnitPrice: 100, UnitCost: 150}})
	if err != nil || margin != -50 {
		t.Errorf("negative margin = %d, %v", margin, err)
	}
	_, _, err = attain.Totals([]*attain.DealLine{{Quantity: 1, UnitPrice: 1}, {Quantity: 2, UnitPrice: attain.MaxAmount}})
	if attain.ErrorCode(err) != attain.EINVALID {
		t.Errorf("overflowing line: %v", err)
	}
}
