package demo

import "github.com/attain-crm/attain"

// The vocabulary the generator draws from. Names are common given names and
// surnames from the regions the demo teams cover; companies are made of two
// invented parts, so no real company appears.

var firstNames = []string{
	"Ana", "Ben", "Chloé", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
	"Kavya", "Liam", "Maria", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Samuel", "Tamar",
	"Umar", "Valentina", "Wei", "Ximena", "Yusuf", "Zoe", "Andrei", "Beatriz", "Carlos", "Dana",
	"Emeka", "Fatima", "Giulia", "Henrik", "Ioana", "Jamal", "Keiko", "Lucas", "Mei", "Noah",
	"Olga", "Pedro", "Rahul", "Sofia", "Tomás", "Uma", "Viktor", "Wanjiru", "Yara", "Zeynep",
}

var lastNames = []string{
	"Silva", "Müller", "Rossi", "Popescu", "Nakamura", "Okafor", "Johnson", "García", "Kowalski", "Dubois",
	"Chen", "Haddad", "Andersen", "Patel", "Ivanova", "Moreau", "Novak", "Costa", "Schmidt", "Kim",
	"Ferrari", "Nielsen", "Singh", "Lopez", "Yilmaz", "Brown", "Tanaka", "Mensah", "Larsen", "Romano",
	"Fischer", "Petrov", "Martin", "Alves", "Watanabe", "Eriksson", "Nowak", "Cohen", "Reyes", "Murphy",
}

var companyFirst = []string{
	"Blue", "North", "Bright", "Silver", "Red", "Green", "Iron", "Summit", "Harbor", "Cedar",
	"Atlas", "Nova", "Vertex", "Pioneer", "Orbit", "Maple", "Granite", "Lumen", "Crescent", "Falcon",
	"Zenith", "Coral", "Aurora", "Delta", "Evergreen", "Polar", "Quartz", "Sierra", "Terra", "Willow",
}

var companySecond = map[string][]string{
	"software":              {"Labs", "Systems", "Software", "Cloud", "Data"},
	"financial_services":    {"Capital", "Bank", "Finance", "Insurance", "Partners"},
	"healthcare":            {"Health", "Clinics", "Medical", "Care", "Pharma"},
	"manufacturing":         {"Industries", "Manufacturing", "Works", "Components", "Machines"},
	"retail":                {"Stores", "Retail", "Market", "Outfitters", "Goods"},
	"education":             {"Academy", "Learning", "University", "Schools", "Institute"},
	"government":            {"Agency", "Authority", "Council", "Services", "Office"},
	"media":                 {"Media", "Studios", "Publishing", "Broadcast", "Press"},
	"professional_services": {"Consulting", "Advisors", "Group", "Associates", "Legal"},
	"energy":                {"Energy", "Power", "Solar", "Utilities", "Renewables"},
	"logistics":             {"Logistics", "Freight", "Shipping", "Transport", "Supply"},
}

// industries are picked with these weights (values of the industry picklist).
var industries = []weighted{
	{"software", 20}, {"financial_services", 14}, {"healthcare", 11}, {"manufacturing", 12},
	{"retail", 9}, {"education", 6}, {"government", 4}, {"media", 5},
	{"professional_services", 9}, {"energy", 4}, {"logistics", 6},
}

var sizes = []weighted{
	{"11-50", 22}, {"51-200", 30}, {"201-1000", 25}, {"1001-5000", 15}, {"5000+", 8},
}

// sizeScale is how much more a company of each size buys.
var sizeScale = map[string]float64{"11-50": 0.35, "51-200": 0.7, "201-1000": 1.2, "1001-5000": 2.2, "5000+": 3.5}

// region is one sales region: its team and the places its accounts are in.
type region struct {
	Team   string
	Region string
	Places []place
}

type place struct{ Country, City string }

var regions = []region{
	{"EMEA", "EMEA", []place{{"GB", "London"}, {"DE", "Berlin"}, {"FR", "Paris"}, {"IT", "Milan"}, {"RO", "Bucharest"},
		{"NL", "Amsterdam"}, {"ES", "Madrid"}, {"SE", "Stockholm"}, {"CH", "Zürich"}, {"PL", "Warsaw"}, {"ZA", "Cape Town"}, {"AE", "Dubai"}}},
	{"North America", "NA", []place{{"US", "New York"}, {"US", "San Francisco"}, {"US", "Chicago"}, {"US", "Austin"},
		{"US", "Boston"}, {"US", "Seattle"}, {"CA", "Toronto"}, {"CA", "Montréal"}, {"MX", "Mexico City"}}},
	{"APAC", "APAC", []place{{"JP", "Tokyo"}, {"SG", "Singapore"}, {"AU", "Sydney"}, {"IN", "Bengaluru"},
		{"KR", "Seoul"}, {"NZ", "Auckland"}, {"AU", "Melbourne"}, {"HK", "Hong Kong"}}},
}

var titles = []string{
	"Chief Executive Officer", "Chief Financial Officer", "VP of Operations", "Head of IT", "Sales Director",
	"Procurement Manager", "Operations Manager", "IT Manager", "Product Manager", "Finance Manager",
	"Team Lead", "Business Analyst", "Office Manager", "Head of Customer Success",
}

// accountRoles are the buying roles of an account's contacts, in order: the
// first contact is the decision maker, and so on.
var accountRoles = []string{"decision_maker", "champion", "influencer", "user", "economic_buyer", "blocker", "user", "influencer"}

var leadSources = []weighted{
	{"website", 30}, {"referral", 15}, {"event", 14}, {"outbound", 22}, {"partner", 10}, {"advertising", 9},
}

// product is one line of the catalogue: prices and costs in cents.
type product struct {
	Name, SKU    string
	Price, Cost  int64
	PerSeat      bool
	Tier         string
	Attach       float64 // how often a deal adds it
	MaxQuantity  int64
	SizeAffected bool
}

var catalogue = []product{
	{Name: "Attain Starter (per seat, annual)", SKU: "AT-STR", Price: 36000, Cost: 6000, PerSeat: true, Tier: "Starter"},
	{Name: "Attain Professional (per seat, annual)", SKU: "AT-PRO", Price: 72000, Cost: 9000, PerSeat: true, Tier: "Professional"},
	{Name: "Attain Enterprise (per seat, annual)", SKU: "AT-ENT", Price: 132000, Cost: 14000, PerSeat: true, Tier: "Enterprise"},
	{Name: "Onboarding package", SKU: "SV-ONB", Price: 450000, Cost: 280000, Attach: 0.45, MaxQuantity: 1},
	{Name: "Data migration", SKU: "SV-MIG", Price: 300000, Cost: 180000, Attach: 0.25, MaxQuantity: 1},
	{Name: "Training day", SKU: "SV-TRN", Price: 160000, Cost: 70000, Attach: 0.3, MaxQuantity: 4},
	{Name: "Premium support (annual)", SKU: "SP-PRM", Price: 900000, Cost: 300000, Attach: 0.2, MaxQuantity: 1},
	{Name: "API and integrations add-on (annual)", SKU: "AD-API", Price: 480000, Cost: 60000, Attach: 0.15, MaxQuantity: 1},
}

var nextSteps = []string{
	"Book the demo with the operations team", "Agree the trial success criteria", "Send the security questionnaire",
	"Meet the CFO on budget", "Confirm the rollout timeline", "Review the proposal with procurement",
	"Introduce our implementation lead", "Get the legal redlines back", "Schedule the executive sponsor call",
}

// Outcomes by activity type, with the buyer sentiment each usually goes with.
type outcome struct {
	Text      string
	Sentiment string
}

var outcomes = map[string][]outcome{
	"call": {
		{"Connected: agreed next steps", attain.SentimentPositive},
		{"Connected: needs internal discussion", attain.SentimentNeutral},
		{"Left a voicemail", ""},
		{"No answer", ""},
		{"Connected: raised pricing concerns", attain.SentimentNegative},
		{"Connected: keen to move fast", attain.SentimentPositive},
	},
	"email": {
		{"Replied with questions", attain.SentimentNeutral},
		{"Replied: interested", attain.SentimentPositive},
		{"No reply yet", ""},
		{"Replied: not a priority this quarter", attain.SentimentNegative},
	},
	"meeting": {
		{"Good meeting: stakeholders aligned", attain.SentimentPositive},
		{"Held: more people to involve", attain.SentimentNeutral},
		{"Held: competitor mentioned", attain.SentimentNegative},
	},
	"demo": {
		{"Demo went well: strong interest", attain.SentimentPositive},
		{"Demo done: some gaps to address", attain.SentimentNeutral},
		{"Demo done: lukewarm reception", attain.SentimentNegative},
	},
	"proposal": {
		{"Proposal sent and walked through", attain.SentimentPositive},
		{"Proposal sent: pushback on price", attain.SentimentNegative},
		{"Proposal sent: reviewing internally", attain.SentimentNeutral},
	},
}

var subjects = map[string][]string{
	"call":     {"Discovery call", "Follow-up call", "Check-in call", "Pricing call", "Call about the rollout"},
	"email":    {"Sent case study", "Follow-up email", "Shared pricing", "Sent meeting recap", "Answered security questions"},
	"meeting":  {"Kickoff meeting", "Stakeholder meeting", "Trial review meeting", "Executive meeting", "On-site visit"},
	"demo":     {"Product demo", "Tailored demo", "Technical deep-dive demo"},
	"proposal": {"Proposal sent", "Revised proposal sent"},
}

var noteBodies = []string{
	"Budget is approved for this fiscal year; the CFO wants a phased rollout.",
	"They are also evaluating a competitor; our integrations are the differentiator.",
	"Champion is moving teams next quarter; build a second relationship.",
	"Procurement needs three weeks for vendor onboarding.",
	"Security review passed; legal is reviewing the DPA.",
	"Trial usage is high in the sales team, low in finance.",
	"Decision maker prefers monthly updates by email.",
}

var lostNotes = map[string][]string{
	"price":       {"Our quote was 30% above the alternative.", "Could not get to their budget number."},
	"competitor":  {"Went with the incumbent's new module.", "Chose a competitor with a local partner."},
	"no_decision": {"Project shelved after a reorganisation.", "Went quiet after the trial."},
	"no_budget":   {"Budget frozen until next year."},
	"timing":      {"Revisit next fiscal year."},
	"product_gap": {"Needed offline mode.", "Needed a native ERP connector."},
	"other":       {"Company was acquired."},
}

var wonReasons = []weighted{{"product_fit", 40}, {"relationship", 20}, {"time_to_value", 15}, {"price", 10}, {"support", 15}}
var lostReasons = []weighted{{"price", 22}, {"competitor", 26}, {"no_decision", 24}, {"no_budget", 10}, {"timing", 9}, {"product_gap", 7}, {"other", 2}}
