package demo

// DeferIndexesAt lets tests defer the indexes of small demos.
var DeferIndexesAt = &deferIndexesAt
