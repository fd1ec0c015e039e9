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

		{Method: "GET", Path: "/api/v1/tokens", Handle: s.handleListTokens, Tag: "auth", Summary: "List my API tokens", Response: List[attain.APIToken]{}},
		// Not Idempotent: a replay would need the secret stored in clear.
		{Method: "POST", Path: "/api/v1/tokens", Handle: s.handleCreateToken, Tag: "auth", Summary: "Create an API token; its secret is shown only in this response", Request: attain.NewToken{}, Response: attain.APIToken{}, Status: http.StatusCreated},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Handle: s.handleRevokeToken, Tag: "auth", Summary: "Revoke one of my API tokens", Status: http.StatusNoContent},

		{Method: "GET", Path: "/api/v1/users", Handle: s.handleListUsers, Tag: "people", Summary: "List the workspace's members", Response: List[attain.User]{}},
		{Method: "POST", Path: "/api/v1/users", Handle: s.handleCreateUser, Idempotent: true, Tag: "people", Summary: "Add a member (admins)", Request: attain.NewUser{}, Response: attain.User{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/users/{id}", Handle: s.handleGetUser, Tag: "people", Summary: "Get a member", Response: attain.User{}, Versioned: true},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Handle: s.handleUpdateUser, Tag: "people", Summary: "Rename a member or change their role", Request: attain.UserUpdate{}, Response: attain.User{}, Versioned: true},
		{Method: "PUT", Path: "/api/v1/users/{id}/password", Handle: s.handleSetPassword, Tag: "people", Summary: "Set a member's password (own, or any for admins)", Request: passwordRequest{}, Status: http.StatusNoContent},

		{Method: "GET", Path: "/api/v1/teams", Handle: s.handleListTeams, Tag: "people", Summary: "List teams", Response: List[attain.Team]{}},
		{Method: "POST", Path: "/api/v1/teams", Handle: s.handleCreateTeam, Idempotent: true, Tag: "people", Summary: "Create a team (admins)", Request: attain.TeamInput{}, Response: attain.Team{}, Status: http.StatusCreated},
		{Method: "GET", Path: "/api/v1/teams/{id}", Handle: s.handleGetTeam, Tag: "people", Summary: "Get a team", Response: attain.Team{}, Versioned: true},
		{Method: "PUT", Path: "/api/v1/teams/{id}", Handle: s.handleUpdateTeam, Tag: "people", Summary: "Replace a team (admins)", Request: attain.TeamInput{}, Response: attain.Team{}, Versioned: true},
		{Method: "DELETE", Path: "/api/v1/teams/{id}", Handle: s.handleDeleteTeam, Tag: "people", Summary: "Delete a team without sub-teams (admins)", Status: http.StatusNoContent, Versioned: true},

		{Method: "GET", Path: "/api/v1/audit", Handle: s.handleListAudit, Tag: "audit", Summary: "Read the audit log, newest first (admins)", Response: List[attain.AuditEntry]{}, Query: []string{"entity_type", "entity_id", "actor_id", "limit", "cursor"}},

		// The sales process: picklists and pipelines (admins write, everyone reads).
		{Method: "GET", Path: "/api/v1/picklists", Handle: s.handleListPicklists, Tag: "sales-process", Summary: "List picklists and their values, retired ones included", Response: List[attain.Picklist]{}, Query: []string{"list"}},
		{Method: "POST", Path: "/api/v1/picklists/{list}/values", Handle: s.handleAddPicklistValue, Tag: "sales-process", Summary: "Add a value to a picklist (admins)", Request: attain.NewPicklistValue{}, Response: attain.PicklistValue{}, Status: http.StatusCreated},
		{Method: "PATCH", Path: "/api/v1/picklists/{list}/values/{value}", Handle: s.handleUpdatePicklistValue, Tag: "sales-process", Summary: "Relabel, reorder, retire or restore a picklist value (admins)", Request: attain.PicklistValueUpdate{}, Response: attain.PicklistValue{}},
	}
}
