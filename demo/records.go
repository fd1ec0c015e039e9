package demo

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// account is what the generator knows of an account, derived from its index
// alone, so deals and leads can name it without the generator keeping it.
type account struct {
	Name, Domain, Industry, Size string
	Country, City, Region        string
	Contacts                     int
	Scale                        float64
	Created                      time.Time
}

// accountAt derives account j of rep owner. Everything but the id and the
// owner comes from j, through a stream of its own.
func (g *gen) accountAt(j int, owner *rep) account {
	r := mrand.New(mrand.NewPCG(g.opts.Seed^0xACC0, uint64(j)))
	industry := pick(r, industries)
	size := pick(r, sizes)
	word := companyWord(j)
	second := oneOf(r, companySecond[industry])
	reg := regions[owner.team%len(regions)]
	pl := oneOf(r, reg.Places)
	contacts := 2 + r.IntN(3)
	if size == "1001-5000" || size == "5000+" {
		contacts += 1 + r.IntN(3)
	}
	return account{
		Name: word + " " + second, Domain: strings.ToLower(word) + ".example", Industry: industry, Size: size,
		Country: pl.Country, City: pl.City, Region: reg.Region, Contacts: contacts, Scale: sizeScale[size],
		Created: g.from.Add(-time.Duration(r.IntN(400*24)) * time.Hour),
	}
}

var syllables = []string{"ka", "lo", "ra", "ven", "mi", "tor", "sa", "bel", "no", "vi", "den", "ar", "zu", "lin", "qua", "fe", "ro", "ta", "mo", "nex"}

// companyWord is an invented company name, a different one for every j.
func companyWord(j int) string {
	n := j + len(syllables)*len(syllables) // at least three syllables
	var parts []string
	for n > 0 {
		parts = append(parts, syllables[n%len(syllables)])
		n /= len(syllables)
	}
	w := strings.Join(parts, "")
	return strings.ToUpper(w[:1]) + w[1:]
}

// contactAt derives contact k of account a (index j).
func (g *gen) contactAt(j, k int, a account) (first, last, email, title, phone string) {
	h := uint64(j)*2654435761 + uint64(k)*40503 + g.opts.Seed*977
	first = firstNames[h%uint64(len(firstNames))]
	last = lastNames[(h/64)%uint64(len(lastNames))]
	email = ascii(first) + "." + ascii(last) + "@" + a.Domain
	title = titles[(h/4096)%uint64(len(titles))]
	if k == 0 {
		title = titles[(h/4096)%3] // the decision maker is an executive
	}
	phone = fmt.Sprintf("+1 555 01%02d %04d", h%100, (h/100)%10000)
	return first, last, email, title, phone
}

// accounts makes the accounts, each owned by a rep in the region of its
// team, their contacts, and each contact's buying role on the account.
// About one account per four deals, a few of them subsidiaries of another.
func (g *gen) accounts(ctx context.Context) error {
	n := max(60, 2*len(g.reps), g.opts.Deals/4)
	r := g.rng(4)
	g.accountIDs = make([]int64, 0, n)
	g.contactIDs = make([]int64, 0, n*4)
	started := time.Now()
	for i, b := range batches(n, g.txSize(accountsPerT)) {
		lo, hi := b[0], b[1]
		err := g.load(ctx, func(tx *store.Tx) error {
			l := tx.NewLoader()
			l.StopOnError() // an error rolls the batch back
			defer l.Close()
			accounts := l.Table("accounts", "workspace_id", "id", "name", "name_key", "domain", "website", "industry", "size",
				"country", "region", "city", "parent_id", "owner_id", "created_at", "updated_at")
			contacts := l.Table("contacts", "workspace_id", "id", "account_id", "first_name", "last_name", "email",
				"phone", "title", "owner_id", "created_at", "updated_at")
			roles := l.Table("contact_roles", "workspace_id", "contact_id", "account_id", "role", "influence", "attitude", "created_at")
			accIDs, conIDs := tx.NewIDs("accounts"), tx.NewIDs("contacts")
			for j := lo; j < hi; j++ {
				owner := g.reps[j%len(g.reps)]
				a := g.accountAt(j, owner)
				id, err := accIDs.Next(ctx)
				if err != nil {
					return err
				}
				var parent *int64
				if j > 20 && r.IntN(100) < 4 {
					p := g.accountIDs[j-1-r.IntN(min(j, 200))]
					parent = &p
				}
				err = accounts.Add(ctx, g.ws.ID, id, a.Name, attain.NameKey(a.Name), a.Domain, "https://www."+a.Domain,
					a.Industry, a.Size, a.Country, a.Region, a.City, parent, owner.ID, a.Created, a.Created)
				if err != nil {
					return err
				}
				g.accountIDs = append(g.accountIDs, id)
				g.contactStart = append(g.contactStart, int32(len(g.contactIDs)))
				owner.accounts = append(owner.accounts, int32(j))
				for k := range a.Contacts {
					cid, err := conIDs.Next(ctx)
					if err != nil {
						return err
					}
					first, last, email, title, phone := g.contactAt(j, k, a)
					created := a.Created.Add(time.Duration(k) * 36 * time.Hour)
					if err := contacts.Add(ctx, g.ws.ID, cid, id, first, last, email, phone, title, owner.ID, created, created); err != nil {
						return err
					}
					g.contactIDs = append(g.contactIDs, cid)
					role := accountRoles[k%len(accountRoles)]
					influence := "medium"
					switch {
					case attain.IsDecider(role):
						influence = "high"
					case role == "user":
						influence = "low"
					}
					attitude := oneOf(r, attain.Attitudes[:3])
					if role == "champion" {
						attitude = "supporter"
					} else if role == "blocker" {
						attitude = "opponent"
					}
					if err := roles.Add(ctx, g.ws.ID, cid, id, role, influence, attitude, created); err != nil {
						return err
					}
				}
			}
			if err := l.Flush(ctx); err != nil {
				return err
			}
			g.count(accounts, contacts, roles)
			return nil
		})
		if err != nil {
			return err
		}
		g.progress("accounts", hi, n, started)
		if i == 0 {
			if err := g.db.Analyze(ctx, "accounts", "contacts", "contact_roles"); err != nil {
				return err
			}
		}
	}
	return nil
}

// leads makes the leads that did not become deals (those that did are made
// with their deal): new ones from the last weeks, others being worked,
// qualified or disqualified, from several sources, a few with a call or an
// email logged on them.
func (g *gen) leads(ctx context.Context) error {
	n := max(40, g.opts.Deals/2)
	r := g.rng(6)
	started := time.Now()
	span := g.now.Sub(g.from)
	for i, b := range batches(n, g.txSize(dealsPerTx*2)) {
		lo, hi := b[0], b[1]
		err := g.load(ctx, func(tx *store.Tx) error {
			l := tx.NewLoader()
			l.StopOnError() // an error rolls the batch back
			defer l.Close()
			leads := l.Table("leads", "workspace_id", "id", "first_name", "last_name", "email", "phone", "title", "company",
				"website", "industry", "country", "source", "status", "owner_id", "created_at", "updated_at")
			acts := l.Table("activities", activityCols...)
			ids := tx.NewIDs("leads")
			for i := lo; i < hi; i++ {
				created := g.from.Add(time.Duration(float64(span) * (float64(i) + r.Float64()) / float64(n)))
				owner := g.repAt(r, created)
				a := g.accountAt(len(g.accountIDs)+i, owner) // a company we do not have yet
				first, last, email, title, phone := g.contactAt(len(g.accountIDs)+i, 0, a)
				age := g.now.Sub(created)
				status := attain.LeadNew
				switch x := r.IntN(100); {
				case age < 21*24*time.Hour && x < 70:
				case x < 35:
					status = attain.LeadDisqualified
				case x < 60:
					status = attain.LeadWorking
				case x < 75:
					status = attain.LeadQualified
				default:
					status = attain.LeadDisqualified
				}
				id, err := ids.Next(ctx)
				if err != nil {
					return err
				}
				updated := created
				if status != attain.LeadNew {
					updated = minTime(g.now, created.Add(time.Duration(1+r.IntN(14*24))*time.Hour))
				}
				err = leads.Add(ctx, g.ws.ID, id, first, last, email, phone, title, a.Name, "https://www."+a.Domain,
					a.Industry, a.Country, pick(r, leadSources), string(status), owner.ID, created, updated)
				if err != nil {
					return err
				}
				if status == attain.LeadNew {
					continue
				}
				for k := range 1 + r.IntN(3) {
					at := minTime(g.now, created.Add(time.Duration(2+k*48+r.IntN(48))*time.Hour))
					typ := "call"
					if r.IntN(2) == 0 {
						typ = "email"
					}
					o := oneOf(r, outcomes[typ])
					err := acts.Add(ctx, g.ws.ID, g.types[typ], oneOf(r, subjects[typ]), "", nil, nil, nil, id, owner.ID, nil,
						at, nil, at, durationOf(r, typ), o.Text, o.Sentiment, at, at)
					if err != nil {
						return err
					}
				}
			}
			if err := l.Flush(ctx); err != nil {
				return err
			}
			g.count(leads, acts)
			return nil
		})
		if err != nil {
			return err
		}
		g.progress("leads", hi, n, started)
		if i == 0 {
			if err := g.db.Analyze(ctx, "leads", "activities"); err != nil {
				return err
			}
		}
	}
	return nil
}

// repAt picks the owner of a record made at t: a rep hired by then, busier
// reps more often.
func (g *gen) repAt(r *mrand.Rand, t time.Time) *rep {
	for {
		rp := g.reps[r.IntN(len(g.reps))]
		if rp.hired.After(t) {
			continue
		}
		if r.Float64()*1.6 < rp.activity {
			return rp
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func durationOf(r *mrand.Rand, typ string) int {
	switch typ {
	case "call":
		return 5 + r.IntN(40)
	case "meeting", "demo":
		return 30 + 15*r.IntN(5)
	}
	return 0
}
