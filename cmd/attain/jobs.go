package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/attain-crm/attain/jobs"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
)

// startJobs starts the background job runner beside the server, with the
// built-in jobs registered. It stops claiming work when ctx ends; the
// returned stop waits up to grace for running jobs to finish.
func startJobs(ctx context.Context, st *store.DB, svc *service.Service, log *slog.Logger, workers string, grace time.Duration) (stop func(), err error) {
	n, err := strconv.Atoi(workers)
	if err != nil || n < 0 {
		return nil, usageError{"--workers: want a number, 0 or more"}
	}
	if n == 0 {
		log.Info("background jobs are not run by this process (--workers 0)")
		return func() {}, nil
	}
	r := jobs.New(jobs.Config{DB: st, Logger: log, Workers: n})
	jobs.RegisterHousekeeping(r)
	jobs.RegisterForecastSnapshots(r, svc)
	r.Handle(service.ImportJobKind, svc.ImportJob)
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		if err := r.Stop(sctx); err != nil {
			log.Warn("background jobs did not finish in time; they will be retried", "err", err)
		}
	}, nil
}
