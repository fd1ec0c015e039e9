package api

import (
	"net/http"

	"github.com/attain-crm/attain"
)

// route is one API endpoint. The same table registers the handlers, builds
// the OpenAPI document and drives the tests that walk every route, so the
// three cannot drift apart.
type route struct {
	Method  string
	Path    string
	Handle  handlerFunc
	Summary string
	Tag     string
	// Public routes need no credentials; every other route does.
	Public bool
	// Idempotent creates honour the Idempotency-Key header.
	Idempotent bool
	// Request and Response are zero values of the body types, for the docs.
	Request  any
	Response any
	// Status is the success status (200 when zero).
	Status int
	// Query lists the query parameters the route reads.
	Query []string
	// Versioned routes return an ETag (reads) or honour If-Match (writes).
	Versioned bool
	// RateLimited routes may answer 429 (sign-in throttling), for the docs.
	RateLimited bool
	// OperationID overrides the OpenAPI operationId derived from the method
	// and path (GET /users/{id} → getUser), e.g. moveDeal for an action.
	OperationID string
}

// routeTable is the whole API on one screen.
func (s *Server) routeTable() []route {
	return []route{
		{Method: "GET", Path: "/healthz", Handle: s.handleHealthz, Public: true, Tag: "operations", Summary: "Liveness: the process answers", Response: health{}},
		{Method: "GET", Path: "/readyz", Handle: s.handleReadyz, Public: true, Tag: "operations", Summary: "Readiness: the database answers and its schema is current", Response: health{}},
		{Method: "GET", Path: "/api/v1/openapi.json", Handle: s.handleOpenAPI, Public: true, Tag: "operations", Summary: "This API's OpenAPI 3.1 document", Response: map[string]any{}},

		{Method: "POST", Path: "/api/v1/session", Handle: s.handleLogin, Public: true, RateLimited: true, Tag: "auth", Summary: "Sign in and receive a session cookie", Request: loginRequest{}, Response: sessionInfo{}},
		{Method: "DELETE", Path: "/api/v1/session", Handle: s.handleLogout, Public: true, Tag: "auth", Summary: "Sign out", Status: http.StatusNoContent},
		{Method: "GET", Path: "/api/v1/session", Handle: s.handleSession, Tag: "auth", Summary: "The signed-in user, their role and workspace", Response: sessionInfo{}},

		{Method: "GET", Path: "/api/v1/tokens", Handle: s.handleListTokens, Tag: "auth", Summary: "List my API tokens, newest first", Response: List[attain.APIToken]{}, Query: []string{"name", "revoked_at", "expires_at", "sort"}},
		// Not Idempotent: a replay would need the secret stored in clear.
		{Method: "POST", Path: "/api/v1/tokens", Handle: s.handleCreateToken, Tag: "auth", Summary: "Create an API token; its secret is shown only in this response", Request: attain.NewToken{}, Response: attain.APIToken{}, Status: http.StatusCreated},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Handle: s.handleRevokeToken, Tag: "auth", Summary: "Revoke one of my API tokens", Status: http.StatusNoContent},

		{Method: "GET", Path: "/api/v1/users", Handle: s.handleListUsers, Tag: "people", Summary: "List the workspace's members, by name", Response: List[attain.User]{}, Query: []string{"name", "email", "role", "sort"}},
		{Method: "POST", Path: "/api/v1/users", Handle: s.handleCreateUser, Idempotent: true, Tag: "people", Summary: "Add a member (admins)", Request: attain.NewUser{}, Response: attain.User{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/users/{id}", Handle: s.handleGetUser, Tag: "people", Summary: "Get a member", Response: attain.User{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Handle: s.handleUpdateUser, Tag: "people", Summary: "Rename a member or change their role", Request: attain.UserUpdate{}, Response: attain.User{}, Versioned: true},
		{Method: "PUT", Path: "/api/v1/users/{id}/password", Handle: s.handleSetPassword, Tag: "people", Summary: "Set a member's password (own, or any for admins)", Request: passwordRequest{}, Status: http.StatusNoContent},

		{Method: "GET", Path: "/api/v1/teams", Handle: s.handleListTeams, Tag: "people", Summary: "List teams, by name", Response: List[attain.Team]{}, Query: []string{"name", "manager_id", "parent_id", "sort"}},
		{Method: "POST", Path: "/api/v1/teams", Handle: s.handleCreateTeam, Idempotent: true, Tag: "people", Summary: "Create a team (admins)", Request: attain.TeamInput{}, Response: attain.Team{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/teams/{id}", Handle: s.handleGetTeam, Tag: "people", Summary: "Get a team", Response: attain.Team{}, Versioned: true},
		{Method: "PUT", Path: "/api/v1/teams/{id}", Handle: s.handleUpdateTeam, Tag: "people", Summary: "Replace a team (admins)", Request: attain.TeamInput{}, Response: attain.Team{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/teams/{id}", Handle: s.handleDeleteTeam, Tag: "people", Summary: "Delete a team without sub-teams (admins)", Status: http.StatusNoContent, Versioned: true},

		{Method: "GET", Path: "/api/v1/audit", Handle: s.handleListAudit, Tag: "audit", Summary: "Read the audit log, newest first (admins)", Response: List[attain.AuditEntry]{}, Query: []string{"entity_type", "entity_id", "actor_id", "limit", "cursor"}},

		// The sales process: picklists and pipelines (admins write, everyone reads).
		{Method: "GET", Path: "/api/v1/picklists", Handle: s.handleListPicklists, Tag: "sales-process", Summary: "List picklists and their values, retired ones included", Response: List[attain.Picklist]{}, Query: []string{"list"}},
		{Method: "POST", Path: "/api/v1/picklists/{list}/values", Handle: s.handleAddPicklistValue, Tag: "sales-process", Summary: "Add a value to a picklist (admins)", Request: attain.NewPicklistValue{}, Response: attain.PicklistValue{}, Status: http.StatusCreated},
		{Method: "PATCH", Path: "/api/v1/picklists/{list}/values/{value}", Handle: s.handleUpdatePicklistValue, Tag: "sales-process", Summary: "Relabel, reorder, retire or restore a picklist value (admins)", Request: attain.PicklistValueUpdate{}, Response: attain.PicklistValue{}},
		{Method: "GET", Path: "/api/v1/pipelines", Handle: s.handleListPipelines, Tag: "sales-process", Summary: "List pipelines with their stages, the default first", Response: List[attain.Pipeline]{}},
		{Method: "POST", Path: "/api/v1/pipelines", Handle: s.handleCreatePipeline, Idempotent: true, Tag: "sales-process", Summary: "Create a pipeline with its stages (admins)", Request: attain.PipelineInput{}, Response: attain.Pipeline{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/pipelines/{id}", Handle: s.handleGetPipeline, Tag: "sales-process", Summary: "Get a pipeline with its stages", Response: attain.Pipeline{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/pipelines/{id}", Handle: s.handleUpdatePipeline, Tag: "sales-process", Summary: "Rename, make default, allow overrides, archive or restore a pipeline (admins)", Request: attain.PipelineUpdate{}, Response: attain.Pipeline{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/pipelines/{id}", Handle: s.handleArchivePipeline, Tag: "sales-process", Summary: "Archive a pipeline that is not the default (admins); its deals keep their history", Status: http.StatusNoContent, Versioned: true},
		{Method: "PUT", Path: "/api/v1/pipelines/{id}/stages", Handle: s.handleReplaceStages, Tag: "sales-process", Summary: "Replace a pipeline's ordered stages as a new version (admins); stages left out are archived", Request: attain.StagesInput{}, Response: attain.Pipeline{}, Versioned: true},
		{Method: "GET", Path: "/api/v1/pipelines/{id}/versions", Handle: s.handleListPipelineVersions, Tag: "sales-process", Summary: "List every version of a pipeline's stages, newest first", Response: List[attain.PipelineVersion]{}},

		// Products and deals.
		{Method: "GET", Path: "/api/v1/products", Handle: recordList(s.svc.FindProducts), Tag: "products", Summary: "List products", Response: List[attain.Product]{}, Query: []string{"name", "sku", "active", "currency", "sort"}},
		{Method: "POST", Path: "/api/v1/products", Handle: recordCreate(s.svc.CreateProduct, productVersion), Idempotent: true, Tag: "products", Summary: "Add a product (admins)", Request: attain.ProductInput{}, Response: attain.Product{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/products/{id}", Handle: recordGet(s.svc.FindProduct, productVersion), Tag: "products", Summary: "Get a product", Response: attain.Product{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/products/{id}", Handle: recordUpdate(s.svc.UpdateProduct, productVersion), Tag: "products", Summary: "Change or deactivate a product (admins)", Request: attain.ProductUpdate{}, Response: attain.Product{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/products/{id}", Handle: recordDelete(s.svc.DeleteProduct), Tag: "products", Summary: "Delete a product no deal uses (admins)", Status: http.StatusNoContent, Versioned: true},
		{Method: "GET", Path: "/api/v1/deals", Handle: recordList(s.svc.FindDeals), Tag: "deals", Summary: "List the deals you can see", Response: List[attain.Deal]{},
			Query: []string{"owner_id", "team_id", "pipeline_id", "stage_id", "status", "account_id", "close_date", "amount", "forecast_category", "updated_at", "name", "deleted_at", "sort"}},
		{Method: "GET", Path: "/api/v1/deals/totals", Handle: s.handleDealTotals, Tag: "deals", Summary: "Count and total amount of the deals you can see, by stage and currency, with the deal list's filters (for a pipeline board)", Response: dealTotals{},
			Query: []string{"owner_id", "team_id", "pipeline_id", "stage_id", "status", "account_id", "close_date", "amount", "forecast_category", "updated_at", "name", "deleted_at"}, OperationID: "dealTotals"},
		{Method: "POST", Path: "/api/v1/deals", Handle: recordCreate(s.svc.CreateDeal, dealVersion), Idempotent: true, Tag: "deals", Summary: "Create a deal; only the name is required", Request: attain.DealInput{}, Response: attain.Deal{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/deals/{id}", Handle: recordGet(s.svc.FindDeal, dealVersion), Tag: "deals", Summary: "Get a deal with its line items", Response: attain.Deal{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/deals/{id}", Handle: recordUpdate(s.svc.UpdateDeal, dealVersion), Tag: "deals", Summary: "Change some of a deal's fields (the stage changes by moving)", Request: attain.DealUpdate{}, Response: attain.Deal{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/deals/{id}", Handle: recordDelete(s.svc.DeleteDeal), Tag: "deals", Summary: "Delete a deal (restorable)", Status: http.StatusNoContent, Versioned: true},
		{Method: "POST", Path: "/api/v1/deals/{id}/restore", Handle: recordGet(s.svc.RestoreDeal, dealVersion), Tag: "deals", Summary: "Restore a deleted deal", Response: attain.Deal{}},
		{Method: "POST", Path: "/api/v1/deals/{id}/move", Handle: recordUpdate(s.svc.MoveDeal, dealVersion), Tag: "deals", Summary: "Move a deal to another stage, or with pipeline_id to another pipeline (its first stage unless stage_id says); moving forward needs the exit criteria met (422 names what is missing)", Request: attain.MoveInput{}, Response: attain.Deal{}, Versioned: true},
		{Method: "PUT", Path: "/api/v1/deals/{id}/lines", Handle: recordUpdate(s.svc.ReplaceDealLines, dealVersion), Tag: "deals", Summary: "Replace a deal's line items; amount and margin are computed from them", Request: attain.DealLinesInput{}, Response: attain.Deal{}, Versioned: true},
		{Method: "GET", Path: "/api/v1/deals/{id}/history", Handle: s.handleDealHistory, Tag: "deals", Summary: "A deal's field changes and stage history", Response: attain.DealHistory{}},

		// Accounts, contacts and their buying roles (the account map), leads and their conversion.
		{Method: "GET", Path: "/api/v1/accounts", Handle: recordList(s.svc.FindAccounts), Tag: "accounts", Summary: "List the accounts you can see", Response: List[attain.Account]{}, Query: accountQuery},
		{Method: "POST", Path: "/api/v1/accounts", Handle: recordCreate(s.svc.CreateAccount, accountVersion), Idempotent: true, Tag: "accounts", Summary: "Create an account; the domain defaults to the website's", Request: attain.AccountInput{}, Response: attain.Account{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/accounts/{id}", Handle: recordGet(s.svc.FindAccount, accountVersion), Tag: "accounts", Summary: "Get an account (deleted ones too, with deleted_at)", Response: attain.Account{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/accounts/{id}", Handle: recordUpdate(s.svc.UpdateAccount, accountVersion), Tag: "accounts", Summary: "Change some of an account's fields; null clears parent_id, team_id, external_id", Request: attain.AccountUpdate{}, Response: attain.Account{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/accounts/{id}", Handle: recordDelete(s.svc.DeleteAccount), Tag: "accounts", Summary: "Delete an account without live child accounts (restorable)", Status: http.StatusNoContent, Versioned: true},
		{Method: "POST", Path: "/api/v1/accounts/{id}/restore", Handle: recordGet(s.svc.RestoreAccount, accountVersion), Tag: "accounts", Summary: "Restore a deleted account (its parent must be live)", Response: attain.Account{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}/children", Handle: s.handleAccountChildren, Tag: "accounts", Summary: "List the accounts directly under an account", Response: List[attain.Account]{}, Query: accountQuery},
		{Method: "GET", Path: "/api/v1/accounts/{id}/history", Handle: recordHistory(s.svc.FindAccountHistory), Tag: "accounts", Summary: "An account's field changes, oldest first", Response: List[attain.FieldChange]{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}/map", Handle: s.handleAccountMap, Tag: "accounts", Summary: "The account map: people by buying role, and open deals flagged when no decision maker is known", Response: attain.AccountMap{}},
		{Method: "GET", Path: "/api/v1/contacts", Handle: recordList(s.svc.FindContacts), Tag: "contacts", Summary: "List the contacts you can see", Response: List[attain.Contact]{}, Query: contactQuery},
		{Method: "POST", Path: "/api/v1/contacts", Handle: recordCreate(s.svc.CreateContact, contactVersion), Idempotent: true, Tag: "contacts", Summary: "Create a contact; a first or last name is required", Request: attain.ContactInput{}, Response: attain.Contact{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/contacts/{id}", Handle: recordGet(s.svc.FindContact, contactVersion), Tag: "contacts", Summary: "Get a contact (deleted ones too, with deleted_at)", Response: attain.Contact{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/contacts/{id}", Handle: recordUpdate(s.svc.UpdateContact, contactVersion), Tag: "contacts", Summary: "Change some of a contact's fields; null clears account_id, team_id, external_id", Request: attain.ContactUpdate{}, Response: attain.Contact{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/contacts/{id}", Handle: recordDelete(s.svc.DeleteContact), Tag: "contacts", Summary: "Delete a contact (restorable)", Status: http.StatusNoContent, Versioned: true},
		{Method: "POST", Path: "/api/v1/contacts/{id}/restore", Handle: recordGet(s.svc.RestoreContact, contactVersion), Tag: "contacts", Summary: "Restore a deleted contact", Response: attain.Contact{}},
		{Method: "GET", Path: "/api/v1/contacts/{id}/history", Handle: recordHistory(s.svc.FindContactHistory), Tag: "contacts", Summary: "A contact's field changes (buying roles included), oldest first", Response: List[attain.FieldChange]{}},
		{Method: "GET", Path: "/api/v1/contacts/{id}/roles", Handle: s.handleListContactRoles, Tag: "contacts", Summary: "A contact's buying roles on accounts and deals", Response: List[attain.ContactRole]{}},
		{Method: "POST", Path: "/api/v1/contacts/{id}/roles", Handle: s.handleAddContactRole, Tag: "contacts", Summary: "Give a contact a buying role on an account or a deal", Request: attain.ContactRoleInput{}, Response: attain.ContactRole{}, Status: http.StatusCreated},
		{Method: "DELETE", Path: "/api/v1/contacts/{id}/roles/{role_id}", Handle: s.handleRemoveContactRole, Tag: "contacts", Summary: "Take a buying role away from a contact", Status: http.StatusNoContent},
		{Method: "GET", Path: "/api/v1/deals/{id}/contacts", Handle: s.handleDealContacts, Tag: "contacts", Summary: "The people with a buying role on a deal", Response: List[attain.ContactRole]{}},
		{Method: "GET", Path: "/api/v1/leads", Handle: recordList(s.svc.FindLeads), Tag: "leads", Summary: "List the leads you can see, newest first", Response: List[attain.Lead]{}, Query: leadQuery},
		{Method: "POST", Path: "/api/v1/leads", Handle: recordCreate(s.svc.CreateLead, leadVersion), Idempotent: true, Tag: "leads", Summary: "Create a lead; a name, company or email is required", Request: attain.LeadInput{}, Response: attain.Lead{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/leads/{id}", Handle: recordGet(s.svc.FindLead, leadVersion), Tag: "leads", Summary: "Get a lead (deleted ones too, with deleted_at)", Response: attain.Lead{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/leads/{id}", Handle: recordUpdate(s.svc.UpdateLead, leadVersion), Tag: "leads", Summary: "Change some of a lead's fields (not once converted)", Request: attain.LeadUpdate{}, Response: attain.Lead{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/leads/{id}", Handle: recordDelete(s.svc.DeleteLead), Tag: "leads", Summary: "Delete a lead (restorable)", Status: http.StatusNoContent, Versioned: true},
		{Method: "POST", Path: "/api/v1/leads/{id}/restore", Handle: recordGet(s.svc.RestoreLead, leadVersion), Tag: "leads", Summary: "Restore a deleted lead", Response: attain.Lead{}},
		{Method: "GET", Path: "/api/v1/leads/{id}/history", Handle: recordHistory(s.svc.FindLeadHistory), Tag: "leads", Summary: "A lead's field changes, oldest first", Response: List[attain.FieldChange]{}},
		{Method: "POST", Path: "/api/v1/leads/{id}/convert", Handle: s.handleConvertLead, Tag: "leads", Summary: "Convert a lead into a matched or new account and contact, and optionally a deal, in one transaction", Request: attain.LeadConversion{}, Response: attain.LeadConversionResult{}},

		// Getting data in and out: CSV import (upload, review the mapping, dry run, run) and export.
		{Method: "POST", Path: "/api/v1/imports", Handle: s.handleCreateImport, Tag: "import-export", Summary: "Upload a CSV file (raw text/csv body) to import; answers the guessed mapping, the fields and the first rows", Response: attain.ImportPreview{}, Status: http.StatusCreated, Query: importQuery},
		{Method: "GET", Path: "/api/v1/imports", Handle: s.handleListImports, Tag: "import-export", Summary: "List my imports (every import, for admins), newest first", Response: List[attain.Import]{}, Query: []string{"limit", "cursor"}},
		{Method: "GET", Path: "/api/v1/imports/{id}", Handle: s.handleGetImport, Tag: "import-export", Summary: "Get an import with its progress and counts", Response: attain.Import{}},
		{Method: "PATCH", Path: "/api/v1/imports/{id}", Handle: s.handleUpdateImport, Tag: "import-export", Summary: "Replace an import's options: the column mapping, formats, mode, match_by", Request: attain.ImportOptions{}, Response: attain.ImportPreview{}},
		{Method: "DELETE", Path: "/api/v1/imports/{id}", Handle: s.handleDeleteImport, Tag: "import-export", Summary: "Delete an import's file and report (the records it made stay)", Status: http.StatusNoContent},
		{Method: "GET", Path: "/api/v1/imports/{id}/preview", Handle: s.handleImportPreview, Tag: "import-export", Summary: "The mapping in force, the fields, the first rows and the formats guessed", Response: attain.ImportPreview{}},
		{Method: "POST", Path: "/api/v1/imports/{id}/dry-run", Handle: s.handleRunImport(true), Tag: "import-export", Summary: "Check every row and report what the import would do, writing nothing (202 when queued as a job)", Response: attain.Import{}, OperationID: "dryRunImport"},
		{Method: "POST", Path: "/api/v1/imports/{id}/run", Handle: s.handleRunImport(false), Tag: "import-export", Summary: "Run the import (202 when queued as a job; poll the import)", Response: attain.Import{}, OperationID: "runImport"},
		{Method: "GET", Path: "/api/v1/imports/{id}/rejections", Handle: s.handleImportRejections, Tag: "import-export", Summary: "The rows the last run refused: line, column, value, reason", Response: List[attain.ImportRejection]{}, Query: []string{"limit", "cursor"}},
		{Method: "GET", Path: "/api/v1/export/{kind}", Handle: s.handleExport, Tag: "import-export", Summary: "Export a list (accounts, contacts, leads, deals, products, activities) as CSV or JSON, with the list's filters and sort", Query: []string{"format", "sort"}, OperationID: "exportList"},

		// Finding things: search across accounts, contacts, leads and deals.
		{Method: "GET", Path: "/api/v1/search", Handle: s.handleSearch, Tag: "search", Summary: "Search the accounts, contacts, leads and deals you can see by name, email or domain (prefix of the last word); exact email or domain matches first", Response: searchResults{}, Query: []string{"q", "types", "limit"}, OperationID: "search"},

		// Key activities and tasks, notes and timelines of records, custom fields.
		{Method: "GET", Path: "/api/v1/activity-types", Handle: s.handleListActivityTypes, Tag: "sales-process", Summary: "List the key activity types, retired ones included", Response: List[attain.ActivityType]{}},
		{Method: "POST", Path: "/api/v1/activity-types", Handle: s.handleCreateActivityType, Tag: "sales-process", Summary: "Add a key activity type (admins)", Request: attain.NewActivityType{}, Response: attain.ActivityType{}, Status: http.StatusCreated},
		{Method: "PATCH", Path: "/api/v1/activity-types/{id}", Handle: s.handleUpdateActivityType, Tag: "sales-process", Summary: "Rename, reorder, retire or reinstate an activity type (admins); its key never changes", Request: attain.ActivityTypeUpdate{}, Response: attain.ActivityType{}},
		{Method: "GET", Path: "/api/v1/activities", Handle: s.handleListActivities, Tag: "activities", Summary: "List the activities and tasks you can see; done_at[null]=true lists open tasks", Response: List[attain.Activity]{}, Query: activityQuery},
		{Method: "POST", Path: "/api/v1/activities", Handle: s.handleCreateActivity, Idempotent: true, Tag: "activities", Summary: "Log an activity, or plan a task with due_at; only the type and one record are required", Request: attain.NewActivity{}, Response: attain.Activity{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/activities/{id}", Handle: s.handleGetActivity, Tag: "activities", Summary: "Get an activity (deleted ones too, with deleted_at)", Response: attain.Activity{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/activities/{id}", Handle: s.handleUpdateActivity, Tag: "activities", Summary: "Change some of an activity's fields; 0 clears a record link or the team", Request: attain.ActivityUpdate{}, Response: attain.Activity{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/activities/{id}", Handle: s.handleDeleteActivity, Tag: "activities", Summary: "Delete an activity (restorable)", Status: http.StatusNoContent, Versioned: true},
		{Method: "POST", Path: "/api/v1/activities/{id}/restore", Handle: s.handleRestoreActivity, Tag: "activities", Summary: "Restore a deleted activity", Response: attain.Activity{}, OperationID: "restoreActivity"},
		{Method: "POST", Path: "/api/v1/activities/{id}/complete", Handle: s.handleCompleteActivity, Tag: "activities", Summary: "Complete a task: done now, occurred at now unless given; the body is optional", Request: attain.ActivityCompletion{}, Response: attain.Activity{}, Versioned: true, OperationID: "completeActivity"},
		{Method: "GET", Path: "/api/v1/activities/{id}/history", Handle: s.handleActivityHistory, Tag: "activities", Summary: "An activity's field changes, oldest first", Response: List[attain.FieldChange]{}},
		{Method: "GET", Path: "/api/v1/notes/{id}", Handle: s.handleGetNote, Tag: "activities", Summary: "Get a note on a record you can see", Response: attain.Note{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/notes/{id}", Handle: s.handleUpdateNote, Tag: "activities", Summary: "Rewrite a note (its author or an admin)", Request: attain.NoteUpdate{}, Response: attain.Note{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/notes/{id}", Handle: s.handleDeleteNote, Tag: "activities", Summary: "Delete a note (its author or an admin)", Status: http.StatusNoContent, Versioned: true},
		{Method: "GET", Path: "/api/v1/deals/{id}/notes", Handle: s.handleListNotes("deal"), Tag: "activities", Summary: "List a deal's notes, newest first", Response: List[attain.Note]{}, Query: []string{"sort"}},
		{Method: "POST", Path: "/api/v1/deals/{id}/notes", Handle: s.handleCreateNote("deal"), Tag: "activities", Summary: "Write a note on a deal", Request: noteBody{}, Response: attain.Note{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/accounts/{id}/notes", Handle: s.handleListNotes("account"), Tag: "activities", Summary: "List an account's own notes, newest first", Response: List[attain.Note]{}, Query: []string{"sort"}},
		{Method: "POST", Path: "/api/v1/accounts/{id}/notes", Handle: s.handleCreateNote("account"), Tag: "activities", Summary: "Write a note on an account", Request: noteBody{}, Response: attain.Note{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/contacts/{id}/notes", Handle: s.handleListNotes("contact"), Tag: "activities", Summary: "List a contact's notes, newest first", Response: List[attain.Note]{}, Query: []string{"sort"}},
		{Method: "POST", Path: "/api/v1/contacts/{id}/notes", Handle: s.handleCreateNote("contact"), Tag: "activities", Summary: "Write a note on a contact", Request: noteBody{}, Response: attain.Note{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/leads/{id}/notes", Handle: s.handleListNotes("lead"), Tag: "activities", Summary: "List a lead's notes, newest first", Response: List[attain.Note]{}, Query: []string{"sort"}},
		{Method: "POST", Path: "/api/v1/leads/{id}/notes", Handle: s.handleCreateNote("lead"), Tag: "activities", Summary: "Write a note on a lead", Request: noteBody{}, Response: attain.Note{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/deals/{id}/timeline", Handle: s.handleTimeline("deal"), Tag: "activities", Summary: "A deal's timeline, newest first: activities, tasks, notes, field changes and stage changes", Response: List[attain.TimelineItem]{}},
		{Method: "GET", Path: "/api/v1/accounts/{id}/timeline", Handle: s.handleTimeline("account"), Tag: "activities", Summary: "An account's timeline, newest first, with the activities and notes of its contacts and deals", Response: List[attain.TimelineItem]{}},
		{Method: "GET", Path: "/api/v1/contacts/{id}/timeline", Handle: s.handleTimeline("contact"), Tag: "activities", Summary: "A contact's timeline, newest first: activities, tasks, notes and field changes", Response: List[attain.TimelineItem]{}},
		{Method: "GET", Path: "/api/v1/leads/{id}/timeline", Handle: s.handleTimeline("lead"), Tag: "activities", Summary: "A lead's timeline, newest first: activities, tasks, notes and field changes", Response: List[attain.TimelineItem]{}},
		{Method: "GET", Path: "/api/v1/custom-fields", Handle: s.handleListCustomFields, Tag: "custom-fields", Summary: "List custom fields with their purpose and picklist options", Response: List[attain.CustomField]{}, Query: []string{"entity_type"}},
		{Method: "POST", Path: "/api/v1/custom-fields", Handle: s.handleCreateCustomField, Idempotent: true, Tag: "custom-fields", Summary: "Define a custom field; its purpose is required (admins)", Request: attain.NewCustomField{}, Response: attain.CustomField{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/custom-fields/usage", Handle: s.handleCustomFieldUsage, Tag: "custom-fields", Summary: "How many live records fill each custom field (of one kind, or all), to find fields nobody uses (managers)", Response: List[attain.CustomFieldUsage]{}, Query: []string{"entity_type"}, OperationID: "listCustomFieldUsage"},
		{Method: "GET", Path: "/api/v1/custom-fields/{id}", Handle: s.handleGetCustomField, Tag: "custom-fields", Summary: "Get a custom field", Response: attain.CustomField{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/custom-fields/{id}", Handle: s.handleUpdateCustomField, Tag: "custom-fields", Summary: "Relabel, re-purpose, reorder, require or retire a custom field (admins); key and type never change", Request: attain.CustomFieldUpdate{}, Response: attain.CustomField{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/custom-fields/{id}", Handle: s.handleDeleteCustomField, Tag: "custom-fields", Summary: "Delete a custom field no record fills (admins); retire it otherwise", Status: http.StatusNoContent, Versioned: true},

		// Planning: the fiscal calendar, targets (top-down, bottom-up, ramped), forecast submissions, roll-ups and accuracy.
		{Method: "GET", Path: "/api/v1/planning", Handle: s.handleGetPlanning, Tag: "planning", Summary: "The workspace's fiscal year start month and planning currency, with the current and nearby periods' keys and dates", Response: attain.PlanningView{}},
		{Method: "PUT", Path: "/api/v1/planning", Handle: s.handleSetPlanning, Tag: "planning", Summary: "Set the fiscal year start month and planning currency (admins)", Request: attain.PlanningSettings{}, Response: attain.PlanningSettings{}},
		{Method: "GET", Path: "/api/v1/periods/{period}", Handle: s.handleGetPeriod, Tag: "planning", Summary: "Resolve a period key (2026-11, 2026-Q3, FY2026) to its dates in the fiscal calendar", Response: attain.Period{}},
		{Method: "GET", Path: "/api/v1/targets", Handle: s.handleListTargets, Tag: "planning", Summary: "List the targets I may see (reps their own, managers their teams' and people's, admins all)", Response: List[attain.Target]{}, Query: []string{"period", "kind", "scope", "team_id", "user_id", "status"}},
		{Method: "PUT", Path: "/api/v1/targets", Handle: s.handleSetTarget, Tag: "planning", Summary: "Set one company, team or rep target top-down (managers, admins); a rep's ramp applies", Request: attain.TargetInput{}, Response: attain.Target{}, OperationID: "setTarget"},
		{Method: "POST", Path: "/api/v1/targets/split", Handle: s.handleSplitTarget, Tag: "planning", Summary: "Set a company or team target and split it evenly or by weight among teams or reps", Request: attain.TargetSplitInput{}, Response: List[attain.Target]{}, OperationID: "splitTarget"},
		{Method: "POST", Path: "/api/v1/targets/proposals", Handle: s.handleProposeTarget, Tag: "planning", Summary: "Propose my own target bottom-up, for my manager to approve", Request: attain.TargetProposal{}, Response: attain.Target{}, OperationID: "proposeTarget"},
		{Method: "GET", Path: "/api/v1/targets/rollup", Handle: s.handleTargetRollup, Tag: "planning", Summary: "The company's explicit target beside the sum of every rep's (admins); period defaults to this quarter", Response: attain.TargetRollup{}, Query: []string{"period", "kind", "activity_type"}, OperationID: "getCompanyTargetRollup"},
		{Method: "GET", Path: "/api/v1/teams/{id}/targets/rollup", Handle: s.handleTargetRollup, Tag: "planning", Summary: "A team's explicit target beside the sum of its members' (managers of it, admins)", Response: attain.TargetRollup{}, Query: []string{"period", "kind", "activity_type"}, OperationID: "getTeamTargetRollup"},
		{Method: "GET", Path: "/api/v1/targets/{id}", Handle: s.handleGetTarget, Tag: "planning", Summary: "Get a target", Response: attain.Target{}, Versioned: true},
		{Method: "POST", Path: "/api/v1/targets/{id}/approve", Handle: s.handleApproveTarget, Tag: "planning", Summary: "Approve a rep's proposed target as proposed, or adjusted with a reason (their manager, admins)", Request: attain.TargetApproval{}, Response: attain.Target{}, Versioned: true, OperationID: "approveTarget"},
		{Method: "GET", Path: "/api/v1/targets/{id}/history", Handle: s.handleTargetHistory, Tag: "planning", Summary: "Every change of a target: who, when, old and new values", Response: List[attain.FieldChange]{}},
		{Method: "GET", Path: "/api/v1/users/{id}/ramp", Handle: s.handleGetRamp, Tag: "planning", Summary: "A new rep's ramp: monthly percentages of the full target", Response: attain.Ramp{}},
		{Method: "PUT", Path: "/api/v1/users/{id}/ramp", Handle: s.handleSetRamp, Tag: "planning", Summary: "Set a new rep's ramp (their manager, admins); applies to targets set from then on", Request: attain.RampInput{}, Response: attain.Ramp{}},
		{Method: "GET", Path: "/api/v1/forecasts", Handle: s.handleListForecasts, Tag: "planning", Summary: "List forecast submissions I may see, oldest first; every submission is kept", Response: List[attain.ForecastSubmission]{}, Query: []string{"period", "scope", "user_id", "team_id"}},
		{Method: "POST", Path: "/api/v1/forecasts", Handle: s.handleSubmitForecast, Tag: "planning", Summary: "Submit my forecast (commit, best case; pre-filled from my deals), or a manager's team call or admin's company call with a reason", Request: attain.ForecastInput{}, Response: attain.ForecastSubmission{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/forecasts/prefill", Handle: s.handleForecastPrefill, Tag: "planning", Summary: "What my deals say for a period: won, commit, best case and the deals behind them", Response: attain.ForecastPrefill{}, Query: []string{"period"}, OperationID: "getMyForecastPrefill"},
		{Method: "GET", Path: "/api/v1/users/{id}/forecast-prefill", Handle: s.handleForecastPrefill, Tag: "planning", Summary: "What a rep's deals say for a period (the rep, their managers, admins)", Response: attain.ForecastPrefill{}, Query: []string{"period"}, OperationID: "getForecastPrefill"},
		{Method: "GET", Path: "/api/v1/forecasts/rollup", Handle: s.handleForecastRollup, Tag: "planning", Summary: "The company's forecast roll-up: each top-level team's and unteamed rep's latest, the sum and the admin's call", Response: attain.ForecastRollup{}, Query: []string{"period"}, OperationID: "getCompanyForecastRollup"},
		{Method: "GET", Path: "/api/v1/teams/{id}/forecast", Handle: s.handleForecastRollup, Tag: "planning", Summary: "A team's forecast roll-up: each rep's and sub-team's latest, the sum and the manager's call", Response: attain.ForecastRollup{}, Query: []string{"period"}, OperationID: "getTeamForecastRollup"},
		{Method: "GET", Path: "/api/v1/forecasts/accuracy", Handle: s.handleForecastAccuracy, Tag: "planning", Summary: "Forecast accuracy by week of quarter: each weekly snapshot against the amount won", Response: attain.ForecastAccuracy{}, Query: []string{"period", "quarters", "user_id", "team_id"}, OperationID: "getForecastAccuracy"},
		{Method: "GET", Path: "/api/v1/forecasts/pipeline-snapshots", Handle: s.handlePipelineSnapshot, Tag: "planning", Summary: "The open pipeline by owner, stage and forecast category as a week's snapshot found it", Response: List[attain.PipelineSnapshotRow]{}, Query: []string{"week"}, OperationID: "listPipelineSnapshots"},
		{Method: "POST", Path: "/api/v1/forecasts/snapshots", Handle: s.handleTakeSnapshot, Tag: "planning", Summary: "Take this week's forecast and pipeline snapshot now (admins); once per week", Response: attain.SnapshotResult{}, OperationID: "takeForecastSnapshot"},

		// Analytics: KPIs, the system forecast, the funnel planner and dashboards (in-memory model, see docs/KPIS.md).
		{Method: "GET", Path: "/api/v1/kpis", Handle: s.handleKPIs, Tag: "analytics", Summary: "Every KPI for a rep (user_id), a team (team_id) or the company, for a period (default this quarter), optionally one pipeline or product", Response: attain.KPIReport{}, Query: []string{"period", "user_id", "team_id", "pipeline_id", "product_id", "currency"}, OperationID: "getKPIs"},
		{Method: "GET", Path: "/api/v1/kpi-definitions", Handle: s.handleKPIDefinitions, Tag: "analytics", Summary: "Every KPI: its unit, whether lower is better, and where its target comes from (takes_goal: a goal may be set in the KPI settings)", Response: List[attain.KPIDefinition]{}, OperationID: "listKPIDefinitions"},
		{Method: "GET", Path: "/api/v1/kpi-settings", Handle: s.handleGetKPISettings, Tag: "analytics", Summary: "The KPI settings: coverage threshold, stalled days per stage, leaderboard names, goals", Response: attain.KPISettings{}, Versioned: true, OperationID: "getKPISettings"},
		{Method: "PUT", Path: "/api/v1/kpi-settings", Handle: s.handleSetKPISettings, Tag: "analytics", Summary: "Replace the KPI settings (admins)", Request: attain.KPISettings{}, Response: attain.KPISettings{}, Versioned: true, OperationID: "setKPISettings"},
		{Method: "GET", Path: "/api/v1/forecasts/system", Handle: s.handleSystemForecast, Tag: "analytics", Summary: "The system forecast: stage-weighted, and P10/P50/P90 from a simulation calibrated on this workspace's history", Response: attain.SystemForecast{}, Query: []string{"period", "user_id", "team_id", "pipeline_id", "product_id", "currency"}, OperationID: "getSystemForecast"},
		{Method: "GET", Path: "/api/v1/forecasts/system/accuracy", Handle: s.handleSystemAccuracy, Tag: "analytics", Summary: "The system forecast's accuracy: each weekly snapshot against the amount won, by week of quarter, as for people's forecasts", Response: attain.SystemAccuracy{}, Query: []string{"period"}, OperationID: "getSystemForecastAccuracy"},
		{Method: "GET", Path: "/api/v1/funnel-plan", Handle: s.handleFunnelPlan, Tag: "analytics", Summary: "How many leads and deals at each stage a rep needs, and by when, to reach a target (default their revenue target)", Response: attain.FunnelPlan{}, Query: []string{"period", "user_id", "target"}, OperationID: "getFunnelPlan"},
		{Method: "GET", Path: "/api/v1/teams/{id}/funnel-plan", Handle: s.handleTeamFunnelPlan, Tag: "analytics", Summary: "Every member's funnel plan side by side, each from their own revenue target and history; members without a target for the period get the reason instead (the team's managers, admins)", Response: attain.TeamFunnelPlan{}, Query: []string{"period"}, OperationID: "getTeamFunnelPlan"},
		{Method: "GET", Path: "/api/v1/dashboards/me", Handle: s.handleMyDashboard, Tag: "analytics", Summary: "My home: attainment, forecast, pipeline by stage, coverage, deals needing attention, activities, leaderboard", Response: attain.RepDashboard{}, Query: []string{"period", "currency"}, OperationID: "getMyDashboard"},
		{Method: "GET", Path: "/api/v1/users/{id}/dashboard", Handle: s.handleRepDashboard, Tag: "analytics", Summary: "A rep's home dashboard (the rep, their managers, admins)", Response: attain.RepDashboard{}, Query: []string{"period", "currency"}, OperationID: "getRepDashboard"},
		{Method: "GET", Path: "/api/v1/teams/{id}/dashboard", Handle: s.handleTeamDashboard, Tag: "analytics", Summary: "A team's view: a row per rep (attainment, forecast, coverage, win rate, activity, accuracy) and the total (its managers, admins)", Response: attain.TeamDashboard{}, Query: []string{"period", "currency"}, OperationID: "getTeamDashboard"},
		{Method: "GET", Path: "/api/v1/dashboards/company", Handle: s.handleCompanyDashboard, Tag: "analytics", Summary: "The company view: attainment, forecast vs target by team, funnel, quarterly trends, win rates by product and team (admins)", Response: attain.CompanyDashboard{}, Query: []string{"period", "currency"}, OperationID: "getCompanyDashboard"},

		// Working with lists: saved views and bulk edits.
		{Method: "GET", Path: "/api/v1/saved-views", Handle: s.handleListSavedViews, Tag: "lists", Summary: "List my saved list views and the shared ones, by name", Response: List[attain.SavedView]{}, Query: []string{"entity"}},
		{Method: "POST", Path: "/api/v1/saved-views", Handle: s.handleCreateSavedView, Idempotent: true, Tag: "lists", Summary: "Save a list view: its query (filters and sort in the list syntax) and columns; shared views are offered to everyone", Request: attain.SavedViewInput{}, Response: attain.SavedView{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/saved-views/{id}", Handle: s.handleGetSavedView, Tag: "lists", Summary: "Get a saved view of mine or a shared one", Response: attain.SavedView{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/saved-views/{id}", Handle: s.handleUpdateSavedView, Tag: "lists", Summary: "Rename, change, share or unshare a saved view (its owner or an admin)", Request: attain.SavedViewUpdate{}, Response: attain.SavedView{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/saved-views/{id}", Handle: s.handleDeleteSavedView, Tag: "lists", Summary: "Delete a saved view (its owner or an admin)", Status: http.StatusNoContent, Versioned: true},
		{Method: "POST", Path: "/api/v1/deals/bulk-update", Handle: s.handleBulkUpdateDeals, Tag: "lists", Summary: "Change the owner and/or move many deals, each as a single edit would (exit criteria, history); reports each deal's outcome", Request: attain.BulkUpdate{}, Response: attain.BulkResult{}, OperationID: "bulkUpdateDeals"},
		{Method: "POST", Path: "/api/v1/accounts/bulk-update", Handle: s.handleBulkUpdateOwners("account"), Tag: "lists", Summary: "Give many accounts a new owner, each as a single edit would; reports each account's outcome", Request: attain.BulkUpdate{}, Response: attain.BulkResult{}, OperationID: "bulkUpdateAccounts"},
		{Method: "POST", Path: "/api/v1/contacts/bulk-update", Handle: s.handleBulkUpdateOwners("contact"), Tag: "lists", Summary: "Give many contacts a new owner, each as a single edit would; reports each contact's outcome", Request: attain.BulkUpdate{}, Response: attain.BulkResult{}, OperationID: "bulkUpdateContacts"},
		{Method: "POST", Path: "/api/v1/leads/bulk-update", Handle: s.handleBulkUpdateOwners("lead"), Tag: "lists", Summary: "Give many leads a new owner, each as a single edit would; reports each lead's outcome", Request: attain.BulkUpdate{}, Response: attain.BulkResult{}, OperationID: "bulkUpdateLeads"},
	}
}
