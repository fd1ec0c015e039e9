package analytics

import (
	"math/rand/v2"
	"time"

	"github.com/attain-crm/attain"
)

// synth is a synthetic workspace for tests and benchmarks: reps in teams,
// one pipeline of five open stages, products, three years of deals moving
// through the stages, slips and activities, all from a fixed seed.
type synth struct {
	model *Model
	cfg   *Config
	reps  []int64
	teams []*attain.Team
	now   time.Time
}

const (
	synthPipeline = 1
	synthWon      = 106
	synthLost     = 107
)

func newSynth(deals, reps int) *synth {
	s := &synth{model: NewModel(1), now: time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)}
	cal := attain.DefaultCalendar
	s.cfg = &Config{Now: s.now, Calendar: cal, Currency: "USD", Settings: attain.DefaultKPISettings(),
		UserNames: map[int64]string{}, ProductNames: map[int64]string{}}
	probs := []int{10, 20, 40, 60, 80}
	for i, p := range probs {
		cat := attain.ForecastPipeline
		if p >= 40 {
			cat = attain.ForecastBestCase
		}
		if p >= 80 {
			cat = attain.ForecastCommit
		}
		s.cfg.Stages = append(s.cfg.Stages, &attain.Stage{ID: int64(101 + i), PipelineID: synthPipeline, Name: "Stage " + string(rune('A'+i)),
			Position: i, Probability: p, ForecastCategory: cat, Outcome: attain.OutcomeOpen,
			ExitCriteria: attain.ExitCriteria{Fields: []string{"amount", "next_step"}}})
	}
	s.cfg.Stages = append(s.cfg.Stages,
		&attain.Stage{ID: synthWon, PipelineID: synthPipeline, Name: "Won", Position: 5, Probability: 100, ForecastCategory: attain.ForecastClosedWon, Outcome: attain.OutcomeWon},
		&attain.Stage{ID: synthLost, PipelineID: synthPipeline, Name: "Lost", Position: 6, Probability: 0, ForecastCategory: attain.ForecastClosedLost, Outcome: attain.OutcomeLost})
	for i, k := range []string{"call", "email", "meeting", "demo", "proposal"} {
		s.cfg.ActivityTypes = append(s.cfg.ActivityTypes, &attain.ActivityType{ID: int64(201 + i), Key: k, Name: k})
	}
	for i := 0; i < 20; i++ {
		s.cfg.ProductNames[int64(301+i)] = "Product " + string(rune('A'+i))
	}
	q := cal.QuarterOf(attain.DateOf(s.now))
	for i := 0; i < reps; i++ {
		id := int64(1000 + i)
		s.reps = append(s.reps, id)
		s.cfg.UserNames[id] = "Rep"
		s.cfg.Targets = append(s.cfg.Targets, Target{Kind: TargetRevenue, UserID: id, Amount: int64(deals/reps) * 400_00})
	}
	for t := 0; t < max(1, reps/20); t++ {
		team := &attain.Team{ID: int64(2000 + t), Name: "Team"}
		for i := t * 20; i < min(reps, (t+1)*20); i++ {
			team.MemberIDs = append(team.MemberIDs, s.reps[i])
		}
		s.teams = append(s.teams, team)
	}
	s.cfg.Teams = s.teams
	_ = q

	rng := rand.New(rand.NewPCG(42, 42))
	sink := s.model.sink()
	start := s.now.AddDate(-3, 0, 0)
	span := s.now.Sub(start)
	var stays []attain.StageStay
	var changes []attain.DealFieldChange
	var products [][2]int64
	for i := 0; i < deals; i++ {
		id := int64(i + 1)
		owner := s.reps[rng.IntN(len(s.reps))]
		created := start.Add(time.Duration(rng.Int64N(int64(span))))
		f := &attain.DealFact{ID: id, OwnerID: owner, PipelineID: synthPipeline, Currency: "USD", Amount: int64(1000+rng.IntN(99000)) * 100,
			CreatedAt: created, HasAccount: rng.IntN(4) > 0, HasNextStep: rng.IntN(3) > 0}
		f.Margin, f.HasMargin = f.Amount/3, true
		reach := rng.IntN(5) // furthest open stage
		t := created
		for st := 0; st <= reach; st++ {
			next := t.Add(time.Duration(1+rng.IntN(30)) * 24 * time.Hour)
			stays = append(stays, attain.StageStay{DealID: id, StageID: int64(101 + st), Entered: t, Exited: next})
			f.StageID, f.StageEnteredAt = int64(101+st), t
			t = next
		}
		outcome := rng.IntN(10)
		switch {
		case t.After(s.now) || outcome < 3:
			// Still open in its furthest stage.
			f.Status = attain.DealOpen
			stays[len(stays)-1].Exited = time.Time{}
			f.CloseDate = attain.DateOf(s.now.AddDate(0, 0, rng.IntN(200)-20))
			if f.StageEnteredAt.After(s.now) {
				f.StageEnteredAt = s.now.Add(-time.Hour)
				stays[len(stays)-1].Entered = f.StageEnteredAt
			}
		case outcome < 3+reach+1:
			f.Status, f.StageID, f.ClosedAt, f.Reason = attain.DealWon, synthWon, t, "price"
		default:
			f.Status, f.StageID, f.ClosedAt, f.Reason = attain.DealLost, synthLost, t, "competitor"
		}
		if f.Status != attain.DealOpen {
			f.StageEnteredAt, f.CloseDate = t, attain.DateOf(t)
			stays = append(stays, attain.StageStay{DealID: id, StageID: f.StageID, Entered: t})
		}
		f.LastActivityAt = f.StageEnteredAt.Add(time.Duration(rng.IntN(20)) * 24 * time.Hour)
		if f.LastActivityAt.After(s.now) {
			f.LastActivityAt = s.now
		}
		if rng.IntN(10) == 0 {
			old := f.CloseDate.AddDays(-30 - rng.IntN(60))
			changes = append(changes, attain.DealFieldChange{DealID: id, Field: "close_date", Old: old.String(), New: f.CloseDate.String(), At: created.Add(24 * time.Hour)})
		}
		for n := rng.IntN(3); n > 0; n-- {
			products = append(products, [2]int64{id, int64(301 + rng.IntN(20))})
		}
		sink.Deal(f)
	}
	for _, st := range stays {
		sink.Stay(st)
	}
	seen := map[[2]int64]bool{}
	for _, p := range products {
		if !seen[p] {
			seen[p] = true
			sink.Product(p[0], p[1])
		}
	}
	for _, c := range changes {
		sink.Change(c)
	}
	// Ten activities per deal, spread over the reps' days.
	counts := map[[3]int64]int{}
	days := int(span.Hours() / 24)
	for i := 0; i < deals*10; i++ {
		counts[[3]int64{s.reps[rng.IntN(len(s.reps))], int64(201 + rng.IntN(5)), int64(rng.IntN(days))}]++
	}
	for k, n := range counts {
		s.model.loadActivityCount(attain.ActivityCount{OwnerID: k[0], TypeID: k[1], Day: attain.DateOf(start.AddDate(0, 0, int(k[2]))), Count: n})
	}
	s.model.sortActivities()
	s.model.compactHist()
	return s
}

func (s *synth) period() attain.Period { return s.cfg.Calendar.QuarterOf(attain.DateOf(s.now)) }
