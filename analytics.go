package attain

import "time"

// DealFact is what analytics keeps of a deal: the fields KPIs and forecasts
// read, the stages it went through, the products on its lines, and the
// changes of its close date and owner (for slipped deals and for crediting a
// win to whoever owned the deal when it was won). Times are UTC; zero times
// mean "not set".
type DealFact struct {
	ID                 int64
	OwnerID            int64
	TeamID             int64 // 0 when not shared with a team
	PipelineID         int64
	StageID            int64
	Status             string
	Amount             int64
	Currency           string
	Margin             int64
	HasMargin          bool
	CloseDate          Date
	CloseDateEstimated bool
	ForecastOverride   string
	Reason             string
	CreatedAt          time.Time
	ClosedAt           time.Time
	StageEnteredAt     time.Time
	LastActivityAt     time.Time
	HasAccount         bool
	HasContact         bool
	HasNextStep        bool
}

// StageStay is one stay of a deal in a stage; Exited is zero while it is
// still there.
type StageStay struct {
	DealID  int64
	StageID int64
	Entered time.Time
	Exited  time.Time
}

// DealFieldChange is one recorded change of a deal's close date (Old and New
// are dates "YYYY-MM-DD") or owner (user ids as decimal text).
type DealFieldChange struct {
	DealID int64
	Field  string
	Old    string
	New    string
	At     time.Time
}

// ActivityCount is how many activities of one type an owner did on one day
// (UTC).
type ActivityCount struct {
	OwnerID int64
	TypeID  int64
	Day     Date
	Count   int
}

// ActivityBucket names one owner's day of activities, to be counted again.
type ActivityBucket struct {
	OwnerID int64
	Day     Date
}

// DealFactSink receives a workspace's deal facts as the store streams them:
// every deal first, then the stays, line products and field changes of
// those deals, each in deal order.
type DealFactSink struct {
	Deal    func(*DealFact)
	Stay    func(StageStay)
	Product func(dealID, productID int64)
	Change  func(DealFieldChange)
}
