package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

var (
	_ = registerSeed("imports", func(t *testing.T, s *seedCtx) string {
		res := s.Admin.do("POST", "/api/v1/imports?kind=accounts&file_name="+s.Marker+".csv",
			"Name,Website\n"+s.Marker+" Co,marker.example\n", "Content-Type", "text/csv").want(t, http.StatusCreated)
		var p struct{ Import struct{ ID int64 } }
		res.decode(t, &p)
		return strconv.FormatInt(p.Import.ID, 10)
	})
	_ = registerWriteBody("PATCH /api/v1/imports/{id}", `{"mode":"skip_bad_rows"}`)
	_ = registerWriteBody("POST /api/v1/imports/{id}/dry-run", `{}`)
	_ = registerWriteBody("POST /api/v1/imports/{id}/run", `{}`)
	_ = registerSharedKind("export", "accounts")
)

// TestImportFlow walks the wizard's path through the API: upload, preview,
// change the mapping, dry run, read rejections, run, export.
func TestImportFlow(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Imports")
		rep := e.tokenClient(ws.Rep)
		csv := "Company name;Homepage URL;Country\nAcme;acme.com;FR\nBad;;ZZ\nGlobex;globex.io;US\n"
		res := rep.do("POST", "/api/v1/imports?kind=accounts&file_name=hubspot.csv", csv, "Content-Type", "text/csv").want(t, http.StatusCreated)
		var p struct {
			Import    struct{ ID int64 }
			Mapping   map[string]string
			Delimiter string
			Sample    [][]string
		}
		res.decode(t, &p)
		if p.Mapping["Company name"] != "name" || p.Mapping["Homepage URL"] != "" || p.Delimiter != ";" || len(p.Sample) != 3 {
			t.Fatalf("preview %+v", p)
		}
		path := "/api/v1/imports/" + strconv.FormatInt(p.Import.ID, 10)
		rep.do("PATCH", path, map[string]any{"mapping": map[string]string{"Homepage URL": "nonsense"}}).problem(t, http.StatusUnprocessableEntity)
		rep.do("PATCH", path, map[string]any{"mapping": map[string]string{"Homepage URL": "website"}}).want(t, http.StatusOK).decode(t, &p)
		if p.Mapping["Homepage URL"] != "website" {
			t.Fatalf("mapping %v", p.Mapping)
		}
		var imp struct {
			Status                      string
			Created, Rejected, RowsDone int64
			DryRun                      bool `json:"dry_run"`
		}
		rep.do("POST", path+"/dry-run", nil).want(t, http.StatusOK).decode(t, &imp)
		if !imp.DryRun || imp.Created != 2 || imp.Rejected != 1 || imp.Status != "done" {
			t.Fatalf("dry run %+v", imp)
		}
		var rej struct {
			Items []struct {
				Line           int64
				Column, Reason string
			}
		}
		rep.do("GET", path+"/rejections", nil).want(t, http.StatusOK).decode(t, &rej)
		if len(rej.Items) != 1 || rej.Items[0].Line != 3 || rej.Items[0].Column != "Country" {
			t.Fatalf("rejections %+v", rej)
		}
		// All or nothing: nothing is written.
		rep.do("POST", path+"/run", nil).want(t, http.StatusOK).decode(t, &imp)
		if imp.Created != 0 || imp.Rejected != 1 {
			t.Fatalf("run %+v", imp)
		}
		rep.do("PATCH", path, map[string]any{"mode": "skip_bad_rows", "mapping": map[string]string{"Homepage URL": "website"}}).want(t, http.StatusOK)
		rep.do("POST", path+"/run", nil).want(t, http.StatusOK).decode(t, &imp)
		if imp.Created != 2 {
			t.Fatalf("run %+v", imp)
		}
		out := rep.do("GET", "/api/v1/export/accounts?sort=name&name[prefix]=ac", nil).want(t, http.StatusOK)
		if !strings.HasPrefix(out.Header.Get("Content-Type"), "text/csv") || !strings.Contains(string(out.Body), "Acme,acme.com") ||
			strings.Contains(string(out.Body), "Globex") {
			t.Fatalf("export %s", out.Body)
		}
		var js []map[string]any
		if err := json.Unmarshal(rep.do("GET", "/api/v1/export/accounts?format=json", nil).want(t, http.StatusOK).Body, &js); err != nil || len(js) != 2 {
			t.Fatalf("json export %v %v", js, err)
		}
		rep.do("GET", "/api/v1/export/accounts?bogus=1", nil).problem(t, http.StatusUnprocessableEntity)
		rep.do("GET", "/api/v1/export/planets", nil).problem(t, http.StatusUnprocessableEntity)
		// Products are the workspace's: a rep may not import them.
		rep.do("POST", "/api/v1/imports?kind=products", "Name,Price\nX,1\n", "Content-Type", "text/csv").problem(t, http.StatusForbidden)
		// Another member cannot see the rep's import.
		e.tokenClient(ws.Manager).do("GET", path, nil).problem(t, http.StatusNotFound)
	})
}
