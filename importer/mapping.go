package importer

import (
	"strings"
	"unicode"

	"github.com/attain-crm/attain"
)

// f is shorthand for a field definition with the header names that usually
// carry it in exports (Salesforce, HubSpot, Pipedrive, Zoho, Excel lists).
type field struct {
	attain.ImportField
	aliases []string
}

func fd(name, label, typ string, required bool, aliases ...string) field {
	return field{attain.ImportField{Name: name, Label: label, Type: typ, Required: required}, aliases}
}

// Field types beyond plain text.
const (
	TypeText     = "text"
	TypeEmail    = "email"
	TypeDate     = "date"
	TypeDateTime = "datetime"
	TypeMoney    = "money"
	TypeInteger  = "integer"
	TypeBoolean  = "boolean"
	TypeList     = "list"
	TypePicklist = "picklist"
	TypeAccount  = "account"
	TypeContact  = "contact"
	TypeDeal     = "deal"
	TypeUser     = "user"
	TypeTeam     = "team"
	TypePipeline = "pipeline"
	TypeStage    = "stage"
	TypeActType  = "activity_type"
	TypeCurrency = "currency"
	TypeName     = "full_name"
)

var ownerAliases = []string{"owner", "owner email", "owner name", "record owner", "account owner", "contact owner", "lead owner",
	"deal owner", "opportunity owner", "assigned to", "user", "sales rep", "salesperson", "rep", "responsible", "owner id"}

var common = []field{
	fd("owner", "Owner", TypeUser, false, ownerAliases...),
	fd("team", "Team", TypeTeam, false, "team", "team name", "sales team"),
	fd("external_id", "External id", TypeText, false, "external id", "id", "record id", "account id", "contact id", "lead id",
		"deal id", "opportunity id", "product id", "activity id", "hubspot id", "salesforce id", "zoho id", "crm id"),
}

var kindFields = map[string][]field{
	attain.KindAccounts: {
		fd("name", "Name", TypeText, true, "name", "account name", "company", "company name", "organization", "organisation",
			"organization name", "organisation name", "account", "business name", "customer", "customer name", "client"),
		fd("domain", "Domain", TypeText, false, "domain", "company domain name", "company domain", "email domain", "domain name"),
		fd("website", "Website", TypeText, false, "website", "web site", "website url", "url", "web", "homepage", "site"),
		fd("industry", "Industry", TypePicklist, false, "industry", "sector", "vertical", "industry type"),
		fd("size", "Company size", TypePicklist, false, "size", "company size", "employees", "number of employees", "employee count", "headcount", "employee range"),
		fd("country", "Country (ISO code)", TypeText, false, "country", "country code", "billing country", "country region", "country/region", "shipping country"),
		fd("region", "Region", TypeText, false, "region", "state", "state region", "state/region", "billing state", "billing state province", "province", "county"),
		fd("city", "City", TypeText, false, "city", "billing city", "town", "shipping city"),
		fd("parent", "Parent account", TypeAccount, false, "parent", "parent account", "parent company", "parent account name", "parent organization"),
		fd("tags", "Tags", TypeList, false, "tags", "tag", "labels", "label", "keywords"),
	},
	attain.KindContacts: {
		fd("first_name", "First name", TypeText, false, "first name", "firstname", "given name", "forename", "prenom", "prénom"),
		fd("last_name", "Last name", TypeText, false, "last name", "lastname", "surname", "family name", "nom"),
		fd("name", "Full name", TypeName, false, "name", "full name", "contact name", "person name", "contact"),
		fd("email", "Email", TypeEmail, false, "email", "e mail", "email address", "e mail address", "primary email", "work email", "mail", "email 1", "email work"),
		fd("emails", "Other emails", TypeList, false, "other emails", "additional emails", "secondary email", "email 2", "email other"),
		fd("phone", "Phone", TypeText, false, "phone", "phone number", "telephone", "work phone", "business phone", "mobile", "mobile phone", "mobile phone number", "phone 1", "phone work"),
		fd("phones", "Other phones", TypeList, false, "other phones", "additional phones", "phone 2", "home phone", "other phone"),
		fd("title", "Job title", TypeText, false, "title", "job title", "position", "role", "job", "designation"),
		fd("account", "Account", TypeAccount, false, "account", "account name", "company", "company name", "organization", "organisation",
			"organization name", "associated company", "employer", "customer"),
	},
	attain.KindLeads: {
		fd("first_name", "First name", TypeText, false, "first name", "firstname", "given name", "forename"),
		fd("last_name", "Last name", TypeText, false, "last name", "lastname", "surname", "family name"),
		fd("name", "Full name", TypeName, false, "name", "full name", "lead name", "contact name", "person name"),
		fd("email", "Email", TypeEmail, false, "email", "e mail", "email address", "e mail address", "primary email", "work email"),
		fd("phone", "Phone", TypeText, false, "phone", "phone number", "telephone", "mobile", "mobile phone", "work phone"),
		fd("title", "Job title", TypeText, false, "title", "job title", "position", "designation"),
		fd("company", "Company", TypeText, false, "company", "company name", "organization", "organisation", "organization name", "account name", "business"),
		fd("website", "Website", TypeText, false, "website", "web site", "url", "company website", "website url"),
		fd("industry", "Industry", TypePicklist, false, "industry", "sector"),
		fd("country", "Country (ISO code)", TypeText, false, "country", "country code", "country/region", "country region"),
		fd("source", "Source", TypePicklist, false, "source", "lead source", "original source", "channel", "origin"),
		fd("status", "Status", TypeText, false, "status", "lead status", "stage", "lifecycle stage"),
	},
	attain.KindDeals: {
		fd("name", "Name", TypeText, true, "name", "deal name", "opportunity name", "opportunity", "deal", "deal title", "title", "potential name", "subject"),
		fd("account", "Account", TypeAccount, false, "account", "account name", "company", "company name", "organization", "organisation",
			"organization name", "associated company", "customer", "client"),
		fd("contact", "Primary contact (email)", TypeContact, false, "contact", "primary contact", "contact email", "contact person", "person", "associated contact", "contact name"),
		fd("pipeline", "Pipeline", TypePipeline, false, "pipeline", "deal pipeline", "sales pipeline", "process"),
		fd("stage", "Stage", TypeStage, false, "stage", "deal stage", "opportunity stage", "sales stage", "status", "stage name"),
		fd("amount", "Amount", TypeMoney, false, "amount", "deal amount", "value", "deal value", "opportunity amount", "total", "price", "revenue", "expected revenue", "deal size"),
		fd("currency", "Currency", TypeCurrency, false, "currency", "currency code", "deal currency", "opportunity currency", "amount currency", "currency iso code"),
		fd("margin", "Margin", TypeMoney, false, "margin", "gross margin", "profit"),
		fd("close_date", "Close date", TypeDate, false, "close date", "closing date", "expected close date", "close", "closed date", "expected close", "won time", "close time"),
		fd("next_step", "Next step", TypeText, false, "next step", "next steps", "next action", "next activity"),
		fd("reason", "Won/lost reason", TypePicklist, false, "reason", "lost reason", "won reason", "closed lost reason", "closed won reason", "loss reason", "win loss reason"),
		fd("reason_note", "Reason note", TypeText, false, "reason note", "lost reason note", "loss details", "reason details"),
	},
	attain.KindProducts: {
		fd("name", "Name", TypeText, true, "name", "product name", "product", "item", "item name", "title"),
		fd("sku", "SKU", TypeText, false, "sku", "product code", "code", "item code", "part number", "article number"),
		fd("currency", "Currency", TypeCurrency, false, "currency", "currency code", "currency iso code"),
		fd("list_price", "List price", TypeMoney, true, "list price", "price", "unit price", "sales price", "standard price", "rate"),
		fd("unit_cost", "Unit cost", TypeMoney, false, "unit cost", "cost", "cost price", "purchase price"),
		fd("active", "Active", TypeBoolean, false, "active", "is active", "enabled", "available"),
	},
	attain.KindActivities: {
		fd("type", "Type", TypeActType, true, "type", "activity type", "task type", "event type", "kind", "category"),
		fd("subject", "Subject", TypeText, false, "subject", "title", "activity subject", "name"),
		fd("note", "Note", TypeText, false, "note", "notes", "description", "body", "comments", "details"),
		fd("deal", "Deal", TypeDeal, false, "deal", "deal name", "opportunity", "opportunity name", "related deal"),
		fd("contact", "Contact (email)", TypeContact, false, "contact", "contact email", "person", "email", "related contact", "attendee", "who"),
		fd("account", "Account", TypeAccount, false, "account", "account name", "company", "organization", "related account"),
		fd("occurred_at", "Occurred at", TypeDateTime, false, "occurred at", "date", "activity date", "done date", "completed date", "start", "start date", "start time", "date time"),
		fd("due_at", "Due at", TypeDateTime, false, "due at", "due date", "due", "deadline"),
		fd("duration_minutes", "Duration (minutes)", TypeInteger, false, "duration", "duration minutes", "duration (minutes)", "minutes", "length"),
		fd("outcome", "Outcome", TypeText, false, "outcome", "result", "call outcome", "disposition"),
		fd("sentiment", "Sentiment", TypeText, false, "sentiment", "buyer sentiment", "mood"),
	},
}

// Fields returns the standard fields a column of kind can fill, in the
// order a form shows them.
func Fields(kind string) []attain.ImportField {
	var out []attain.ImportField
	for _, f := range append(append([]field{}, kindFields[kind]...), common...) {
		if kind == attain.KindProducts && (f.Name == "owner" || f.Name == "team") {
			continue // products belong to the workspace
		}
		out = append(out, f.ImportField)
	}
	return out
}

// NormalizeHeader is the form in which headers are compared: lowercase,
// accents and punctuation dropped, words single-spaced ("E-mail Address"
// becomes "e mail address").
func NormalizeHeader(h string) string {
	h = accents.Replace(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))))
	var b strings.Builder
	space := false
	for _, r := range h {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// accents folds the accented letters of Western European headers.
var accents = strings.NewReplacer("à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "ç", "c", "è", "e", "é", "e",
	"ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n", "ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ß", "ss", "ă", "a", "ș", "s", "ş", "s", "ț", "t", "ţ", "t")

// Guess maps each header to the field it most likely fills: a header equal
// to a field's name or label, one of the usual export names, or a custom
// field's key or label. Each field takes the first column that names it;
// other columns map to "".
func Guess(kind string, header []string, custom []attain.CustomField) map[string]string {
	byName := map[string]string{}
	add := func(alias, name string) {
		if _, ok := byName[alias]; !ok {
			byName[alias] = name
		}
	}
	all := append(append([]field{}, kindFields[kind]...), common...)
	for _, f := range all {
		if kind == attain.KindProducts && (f.Name == "owner" || f.Name == "team") {
			continue
		}
		add(NormalizeHeader(f.Name), f.Name)
		add(NormalizeHeader(f.Label), f.Name)
	}
	for _, f := range all {
		for _, a := range f.aliases {
			add(NormalizeHeader(a), f.Name)
		}
	}
	for _, c := range custom {
		if c.RetiredAt != nil {
			continue
		}
		add(NormalizeHeader(c.Key), "custom."+c.Key)
		add(NormalizeHeader(c.Label), "custom."+c.Key)
		add(NormalizeHeader("custom "+c.Key), "custom."+c.Key)
	}
	out := make(map[string]string, len(header))
	taken := map[string]bool{}
	for _, h := range header {
		name := byName[NormalizeHeader(h)]
		if name == "" || taken[name] {
			out[h] = ""
			continue
		}
		taken[name] = true
		out[h] = name
	}
	return out
}
