package attain

import "context"

// DealTotal is the number of deals in one stage and currency, and the sum of
// their amounts in minor units of that currency. A pipeline board heads each
// column with them; totals are per currency because amounts in different
// currencies do not add up.
type DealTotal struct {
	StageID  int64  `json:"stage_id"`
	Currency string `json:"currency"`
	Count    int64  `json:"count"`
	Amount   int64  `json:"amount"`
}

// BoardService sums the deals an actor can see for a pipeline board.
type BoardService interface {
	// FindDealTotals counts and sums the visible, live deals that match
	// filters (the deal list's filter fields), by stage and currency.
	FindDealTotals(ctx context.Context, a *Actor, filters []Filter) ([]*DealTotal, error)
}
