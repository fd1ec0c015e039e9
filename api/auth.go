package api

import (
	"net"
	"net/http"
	"strconv"

	"github.com/attain-crm/attain"
)

type loginRequest struct {
	Email     string `json:"email"`
	Password  string `json:"password"`
	Workspace string `json:"workspace,omitempty"` // slug; the first workspace when empty
}

type sessionInfo struct {
	User       *attain.User        `json:"user"`
	Workspace  *attain.Workspace   `json:"workspace"`
	Workspaces []*attain.Workspace `json:"workspaces"`
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	// Signing in sets a cookie, so it gets the same cross-origin check as
	// cookie-authenticated writes (login CSRF).
	if err := s.csrf.Check(r); err != nil {
		return attain.Errorf(attain.EFORBIDDEN, "Cross-site request refused.")
	}
	sess, err := s.svc.Login(r.Context(), in.Email, in.Password, in.Workspace, clientAddr(r))
	if err != nil {
		return err
	}
	// The response sets a credential; no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sess.Secret, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
	a, err := s.svc.ActorForSession(r.Context(), sess.Secret)
	if err != nil {
		return err
	}
	info, err := s.sessionInfo(r, a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, info)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.csrf.Check(r); err != nil {
			return attain.Errorf(attain.EFORBIDDEN, "Cross-site request refused.")
		}
		if err := s.svc.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) error {
	info, err := s.sessionInfo(r, actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, info)
}

func (s *Server) sessionInfo(r *http.Request, a *attain.Actor) (*sessionInfo, error) {
	u, err := s.svc.FindUser(r.Context(), a, a.UserID)
	if err != nil {
		return nil, err
	}
	wss, err := s.svc.FindWorkspaces(r.Context(), a.UserID)
	if err != nil {
		return nil, err
	}
	info := &sessionInfo{User: u, Workspaces: wss}
	for _, ws := range wss {
		if ws.ID == a.WorkspaceID {
			info.Workspace = ws
		}
	}
	return info, nil
}

func (s *Server) handleListTokens(w http.ResponseWriter, r *http.Request) error {
	q, err := listQuery(r)
	if err != nil {
		return err
	}
	ts, next, err := s.svc.ListTokens(r.Context(), actor(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*attain.APIToken]{Items: nonNil(ts), NextCursor: next})
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) error {
	var in attain.NewToken
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.CreateToken(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, t)
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.RevokeToken(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, attain.Invalid(name, "must be a whole number")
	}
	return n, nil
}
