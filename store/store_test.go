package store_test

import (
	"testing"

	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

func TestFoundation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		storetest.RunFoundation(t, db)
	})
}
